/**
 * Reads the roster's header row into a column plan: which column feeds which claim, and which
 * columns pass through to the output untouched. Header names match case-insensitively after
 * trimming; a job's `columns:` map can name other headers.
 */
import { MeetingTokensError } from '../errors.js';
import { PROPERTIES, UNSIGNABLE_PROPERTIES, unsignableMessage } from './properties.js';

export interface ColumnPlan {
  headers: readonly string[];
  room: number;
  notBefore: number;
  expiresAt: number;
  /** Daily property long name -> column index (user_id, user_name, is_owner, lang, ...). */
  properties: ReadonlyMap<string, number>;
  /** Indexes of columns copied to the output as they are, in roster order. */
  passthrough: readonly number[];
}

/** Canonical column -> the header names it answers to by default. */
const DEFAULT_NAMES: ReadonlyMap<string, readonly string[]> = new Map([
  ['room_name', ['room_name', 'room']],
  ['user_name', ['user_name', 'name']],
  ['user_id', ['user_id', 'id']],
  ['is_owner', ['is_owner', 'owner']],
  ['not_before', ['not_before']],
  ['expires_at', ['expires_at']],
  ...PROPERTIES.filter((p) => !['user_name', 'user_id', 'is_owner'].includes(p.name)).map((p): [string, string[]] => [p.name, [p.name]]),
]);

export const KNOWN_COLUMNS: readonly string[] = [...DEFAULT_NAMES.keys()];

export interface HeaderOptions {
  /** Job's `columns:` map, canonical name -> header name in this roster. */
  columns?: Readonly<Record<string, string>> | undefined;
  /** True when rows may lack a room (a default room, or allow_all_rooms). */
  roomOptional: boolean;
}

const norm = (name: string): string => name.trim().toLowerCase();

export function planColumns(headers: readonly string[], options: HeaderOptions): ColumnPlan {
  const lookup = new Map<string, string>(); // normalised header name -> canonical column
  for (const [canonical, names] of DEFAULT_NAMES) {
    const mapped = options.columns?.[canonical];
    for (const name of mapped !== undefined ? [mapped] : names) lookup.set(norm(name), canonical);
  }

  const found = new Map<string, number>();
  const passthrough: number[] = [];
  headers.forEach((header, index) => {
    const canonical = lookup.get(norm(header));
    if (canonical === undefined) {
      if (UNSIGNABLE_PROPERTIES.has(norm(header))) {
        const name = norm(header);
        throw new MeetingTokensError('ROSTER_HEADER', `roster header: column ${index + 1} ("${header}"): ${unsignableMessage(name)}`, {
          column: name,
        });
      }
      passthrough.push(index);
      return;
    }
    const earlier = found.get(canonical);
    if (earlier !== undefined) {
      throw new MeetingTokensError(
        'ROSTER_HEADER',
        `roster header: columns ${earlier + 1} ("${headers[earlier]}") and ${index + 1} ("${header}") both give ${canonical}; keep one`,
        { column: canonical },
      );
    }
    found.set(canonical, index);
  });

  for (const [canonical, header] of Object.entries(options.columns ?? {})) {
    if (!found.has(canonical)) {
      throw new MeetingTokensError('ROSTER_HEADER', `columns.${canonical}: the roster has no column "${header}"`, { column: canonical });
    }
  }
  if (found.size === 0) {
    throw new MeetingTokensError(
      'ROSTER_HEADER',
      'roster header: none of the expected columns (room_name or room, user_name or name, user_id or id, is_owner or owner); the first line must be a header row',
    );
  }
  if (!found.has('room_name') && !options.roomOptional) {
    throw new MeetingTokensError(
      'ROSTER_HEADER',
      'roster header: no room_name (or room) column; add one, map yours with columns: in the job, or set defaults.room_name',
      { column: 'room_name' },
    );
  }

  const properties = new Map<string, number>();
  for (const spec of PROPERTIES) {
    const index = found.get(spec.name);
    if (index !== undefined) properties.set(spec.name, index);
  }
  return {
    headers,
    room: found.get('room_name') ?? -1,
    notBefore: found.get('not_before') ?? -1,
    expiresAt: found.get('expires_at') ?? -1,
    properties,
    passthrough,
  };
}
