/**
 * Daily's `permissions` property as the claim `p` of a self-signed token. An object comes either
 * with Daily's long names (hasPresence, canSend, canReceive, canAdmin), translated to the short
 * forms Daily documents, or already abbreviated (hp, cs, cr), checked against those short forms;
 * never a mixture. A part whose abbreviation Daily does not document is refused, never guessed
 * and never signed half-translated. The rules and their sources: docs/daily-permissions.md.
 */
import { reject } from './rejection.js';

const LONG_KEYS: ReadonlySet<string> = new Set(['hasPresence', 'canSend', 'canReceive', 'canAdmin']);
const SHORT_KEYS: ReadonlySet<string> = new Set(['hp', 'cs', 'cr']);
const SEND_SHORT: ReadonlyMap<string, string> = new Map([
  ['video', 'v'],
  ['audio', 'a'],
  ['screenVideo', 'sv'],
  ['screenAudio', 'sa'],
]);
const SHORT_KINDS: ReadonlySet<string> = new Set(SEND_SHORT.values());
const SEND_LONG_UNSIGNABLE: ReadonlySet<string> = new Set(['customVideo', 'customAudio']);
const RECEIVE_KEYS: ReadonlySet<string> = new Set(['base', 'byUserId', 'byParticipantId']);

const NO_ABBREVIATION = 'Daily documents no abbreviation for it in self-signed tokens, so it cannot be signed';
const RECEIVE_HOW = 'only canReceive.base as true or false can be (abbreviated {"cr":{"b":false}})';

type Plain = Record<string, unknown>;

function isPlainObject(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function bool(value: unknown, at: string): boolean {
  return typeof value === 'boolean' ? value : reject(`${at}: must be true or false`);
}

/**
 * A permissions object (a parsed roster cell or a job default) -> the claim `p`, using only the
 * short keys and values Daily documents; anything else throws a Rejection naming the part.
 */
export function translatePermissions(perms: Plain, column: string): Plain {
  let long: string | undefined;
  let short: string | undefined;
  for (const key of Object.keys(perms)) {
    if (LONG_KEYS.has(key)) long ??= key;
    else if (SHORT_KEYS.has(key)) short ??= key;
    else {
      reject(
        `${column}.${key}: not a permission Daily documents for self-signed tokens; use hasPresence, canSend, canReceive (or abbreviated hp, cs, cr)`,
      );
    }
  }
  if (long !== undefined && short !== undefined) {
    reject(`${column}: mixes Daily's long names (${long}) with abbreviations (${short}); give every key in one form`);
  }
  return long !== undefined ? fromLong(perms, column) : checkShort(perms, column);
}

function fromLong(perms: Plain, column: string): Plain {
  const out: Plain = {};
  for (const [key, value] of Object.entries(perms)) {
    const at = `${column}.${key}`;
    if (key === 'hasPresence') out['hp'] = bool(value, at);
    else if (key === 'canSend') out['cs'] = canSend(value, at);
    else if (key === 'canReceive') out['cr'] = canReceive(value, at);
    else {
      reject(
        `${at}: ${NO_ABBREVIATION}; set it in the room's or domain's permissions, or give the user is_owner (owners may do every admin task)`,
      );
    }
  }
  return out;
}

function canSend(value: unknown, at: string): boolean | string {
  if (typeof value === 'boolean') return value;
  if (!Array.isArray(value)) return reject(`${at}: must be true, false or a list of video, audio, screenVideo, screenAudio`);
  // Daily documents false for "none"; an empty list would otherwise sign as cs: "".
  if (value.length === 0) return false;
  const kinds: string[] = [];
  for (const kind of value as unknown[]) {
    // Stryker disable next-line ConditionalExpression: the map has only text keys; `get` of anything else is undefined too
    const short = typeof kind === 'string' ? SEND_SHORT.get(kind) : undefined;
    if (short === undefined) {
      // Stryker disable next-line ConditionalExpression: the set has only text members; `has` of anything else is false too
      if (typeof kind === 'string' && SEND_LONG_UNSIGNABLE.has(kind)) {
        reject(`${at}: ${kind} ${NO_ABBREVIATION}; canSend: true allows every kind of media, custom tracks included`);
      }
      reject(`${at}: ${describeKind(kind)} is not one of video, audio, screenVideo, screenAudio`);
    }
    if (!kinds.includes(short)) kinds.push(short);
  }
  return kinds.join(',');
}

function canReceive(value: unknown, at: string): Plain {
  if (!isPlainObject(value)) return reject(`${at}: must be an object such as {"base": false}`);
  const out: Plain = {};
  for (const [key, inner] of Object.entries(value)) {
    if (!RECEIVE_KEYS.has(key)) reject(`${at}.${key}: not a key Daily documents for canReceive (base, byUserId, byParticipantId)`);
    if (key !== 'base') reject(`${at}.${key}: ${NO_ABBREVIATION}; ${RECEIVE_HOW}`);
    if (isPlainObject(inner)) reject(`${at}.base: a per-media object ${NO_ABBREVIATION}; ${RECEIVE_HOW}`);
    out['b'] = bool(inner, `${at}.base`);
  }
  return out;
}

function checkShort(perms: Plain, column: string): Plain {
  const out: Plain = {};
  for (const [key, value] of Object.entries(perms)) {
    const at = `${column}.${key}`;
    if (key === 'hp') out['hp'] = bool(value, at);
    else if (key === 'cs') out['cs'] = shortCanSend(value, at);
    else out['cr'] = shortCanReceive(value, at);
  }
  return out;
}

function shortCanSend(value: unknown, at: string): boolean | string {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return reject(`${at}: must be true, false or a comma-separated text of v, a, sv, sa such as "v,a"`);
  if (value === '') return reject(`${at}: empty; Daily's form for "none" is false`);
  for (const kind of value.split(',')) {
    if (!SHORT_KINDS.has(kind)) reject(`${at}: ${describeKind(kind)} is not one of v, a, sv, sa (comma-separated, no spaces)`);
  }
  return value;
}

function shortCanReceive(value: unknown, at: string): Plain {
  if (!isPlainObject(value)) return reject(`${at}: must be an object such as {"b": false}`);
  const out: Plain = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key !== 'b') reject(`${at}.${key}: not an abbreviation Daily documents inside cr (only b, for base)`);
    if (isPlainObject(inner)) reject(`${at}.b: a per-media object ${NO_ABBREVIATION}; give b as true or false`);
    out['b'] = bool(inner, `${at}.b`);
  }
  return out;
}

function describeKind(kind: unknown): string {
  const text = JSON.stringify(kind) ?? String(kind);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
