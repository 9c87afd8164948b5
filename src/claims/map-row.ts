/**
 * The claim mapper: one roster record plus the job's settings -> the claims of one Daily token,
 * or a Rejection that names the column and the rule. Pure: no clock (the run's `iat` is given),
 * no I/O. Everything that does not depend on the row is prepared once by `createMapper`.
 */
import { PROPERTIES, ROOM_NAME, UNSIGNABLE_PROPERTIES, unsignableMessage, type PropertySpec } from './properties.js';
import { parsePropertyValue, parseTime, describe } from './values.js';
import { reject } from './rejection.js';
import type { ColumnPlan } from './column-plan.js';

export interface MapperSettings {
  /** Daily domain id (`d`), a UUID. */
  domainId: string;
  /** The run's issued-at time, unix seconds; one value for the whole run. */
  iat: number;
  /** Lifetime of a token without `expires_at`, counted from `not_before` when later than `iat`. */
  ttlSeconds: number;
  /** No token may expire later than this many seconds after `iat`. */
  maxTtlSeconds: number;
  allowAllRooms: boolean;
  /** Room for rows whose room cell is empty (optional). */
  defaultRoom?: string | undefined;
  /** Default `not_before`, unix seconds (optional). */
  defaultNotBefore?: number | undefined;
  /** Job defaults, long name -> value, already checked by `checkDefaults`. */
  defaults: ReadonlyMap<string, unknown>;
}

export interface MappedRow {
  claims: Record<string, unknown>;
  /** Room name as signed (empty when the token opens every room). */
  room: string;
  nbf: number | undefined;
  exp: number;
}

interface Slot {
  spec: PropertySpec;
  column: number;
  /** A second column joined to the first with a space (last name after first name), or -1. */
  joined: number;
  header: string;
  fallback: unknown;
}

/** Validates job defaults once, long name -> claim value; throws a Rejection naming the key. */
export function checkDefaults(raw: Readonly<Record<string, unknown>>): Map<string, unknown> {
  for (const name of UNSIGNABLE_PROPERTIES) {
    if (raw[name] !== undefined) reject(`defaults.${name}: ${unsignableMessage(name)}`);
  }
  const checked = new Map<string, unknown>();
  for (const spec of PROPERTIES) {
    if (raw[spec.name] !== undefined) checked.set(spec.name, parsePropertyValue(spec, raw[spec.name], `defaults.${spec.name}`));
  }
  return checked;
}

export function checkRoomName(room: string, column: string): string {
  if (ROOM_NAME.test(room)) return room;
  if (room.length > 128) reject(`${column}: ${room.length} characters, Daily allows at most 128`);
  return reject(`${column}: ${describe(room)} has characters Daily does not allow in a room name (only A-Z a-z 0-9 - _)`);
}

export function createMapper(settings: MapperSettings, plan: ColumnPlan): (fields: readonly string[]) => MappedRow {
  const slots: Slot[] = [];
  for (const spec of PROPERTIES) {
    const parts = spec.name === 'user_name' ? plan.userNameParts : undefined;
    const column = parts?.[0] ?? plan.properties.get(spec.name) ?? -1;
    const joined = parts?.[1] ?? -1;
    const fallback = settings.defaults.get(spec.name);
    if (column >= 0 || fallback !== undefined) {
      const header = parts ? `${plan.headers[parts[0]]} + ${plan.headers[parts[1]]}` : column >= 0 ? plan.headers[column]! : spec.name;
      slots.push({ spec, column, joined, header, fallback });
    }
  }
  const roomColumn = plan.room;
  const roomHeader = roomColumn >= 0 ? plan.headers[roomColumn]! : 'room_name';
  const { iat, ttlSeconds, maxTtlSeconds } = settings;
  const latestExp = iat + maxTtlSeconds;

  return function mapRow(fields) {
    const roomCell = roomColumn >= 0 ? fields[roomColumn]!.trim() : '';
    const room = roomCell === '' ? (settings.defaultRoom ?? '') : checkRoomName(roomCell, roomHeader);
    if (room === '' && !settings.allowAllRooms) {
      reject(`${roomHeader}: empty; every token needs a room (a job may set allow_all_rooms: true to sign tokens for every room)`);
    }

    let nbf = settings.defaultNotBefore;
    if (plan.notBefore >= 0) {
      const cell = fields[plan.notBefore]!.trim();
      if (cell !== '') nbf = parseTime(cell, plan.headers[plan.notBefore]!);
    }

    let exp: number;
    const expCell = plan.expiresAt >= 0 ? fields[plan.expiresAt]!.trim() : '';
    if (expCell !== '') {
      const header = plan.headers[plan.expiresAt]!;
      exp = parseTime(expCell, header);
      if (exp <= iat)
        reject(`${header}: ${new Date(exp * 1000).toISOString()} is not after the run's time ${new Date(iat * 1000).toISOString()}`);
    } else {
      exp = (nbf !== undefined && nbf > iat ? nbf : iat) + ttlSeconds;
    }
    if (exp > latestExp) {
      reject(`expires_at: ${formatDuration(exp - iat)} after issue, the job's max_ttl allows ${formatDuration(maxTtlSeconds)}`);
    }
    if (nbf !== undefined && nbf >= exp) {
      reject(`not_before: ${new Date(nbf * 1000).toISOString()} must be before expires_at ${new Date(exp * 1000).toISOString()}`);
    }

    const claims: Record<string, unknown> = {};
    if (room !== '') claims['r'] = room;
    claims['d'] = settings.domainId;
    claims['iat'] = iat;
    if (nbf !== undefined) claims['nbf'] = nbf;
    claims['exp'] = exp;
    for (const slot of slots) {
      let value = slot.fallback;
      if (slot.column >= 0) {
        let cell = fields[slot.column]!.trim();
        if (slot.joined >= 0) cell = joinName(cell, fields[slot.joined]!.trim());
        if (cell !== '') value = parsePropertyValue(slot.spec, cell, slot.header);
      }
      // is_owner false is Daily's default: leaving it out keeps tokens short.
      if (value !== undefined && !(slot.spec.claim === 'o' && value === false)) claims[slot.spec.claim] = value;
    }
    if (claims['sr'] === true && claims['er'] !== undefined && claims['er'] !== 'cloud') {
      reject(`start_cloud_recording: needs enable_recording "cloud", the row has ${describe(claims['er'])}`);
    }
    return { claims, room, nbf, exp };
  };
}

/** "Ada" + "Lovelace" -> "Ada Lovelace"; either alone when the other is empty. */
function joinName(first: string, last: string): string {
  return first === '' ? last : last === '' ? first : `${first} ${last}`;
}

/** 90061 -> "1d 1h 1m 1s"; for messages only. */
export function formatDuration(seconds: number): string {
  const parts: string[] = [];
  let rest = seconds;
  for (const [unit, size] of [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  return parts.length > 0 ? parts.join(' ') : '0s';
}
