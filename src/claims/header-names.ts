/**
 * The names a roster's header may give each known column. Headers compare folded: case, spaces,
 * `_`, `-`, `.` and every other character that is not a letter or digit are ignored, so `User ID`,
 * `user-id`, `UserId` and `USER_ID` are all `user_id`. Beside each column's own name, the
 * synonyms below are the ones real exports write (README, "Rosters from spreadsheets and CRMs",
 * says where each comes from).
 */
import { PROPERTIES } from './properties.js';

/** `"User ID"` -> `"userid"`. A header of symbols only keeps its trimmed lower case, so it still has a name. */
export function fold(header: string): string {
  const lower = header.normalize('NFKC').toLowerCase();
  // Stryker disable next-line Regex: without the `+`, the global replace removes the same characters one by one
  const folded = lower.replace(/[^\p{L}\p{N}]+/gu, '');
  return folded === '' ? lower.trim() : folded;
}

/** Synonyms beyond each column's own name, as exports write them. */
export const SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  room_name: ['room', 'meeting', 'meeting room'],
  user_name: ['name', 'full name', 'display name', 'participant', 'participant name', 'name (original name)', 'user name (original name)'],
  user_id: ['id', 'uid', 'external id', 'participant id', 'record id', 'contact id', 'registrant id'],
  is_owner: ['owner', 'host', 'moderator', 'is host', 'is moderator'],
};

/**
 * Headers whose join is `user_name` when the roster has no name column: first (given) name, a
 * space, last (family) name. These columns still pass through (a mailer greets by first name).
 */
export const NAME_PARTS = {
  first: ['first name', 'given name'],
  last: ['last name', 'family name', 'surname'],
} as const;

/** Canonical column -> every header name it answers to by default (its own name first). */
export const DEFAULT_NAMES: ReadonlyMap<string, readonly string[]> = new Map([
  ['room_name', ['room_name', ...SYNONYMS['room_name']!]],
  ['user_name', ['user_name', ...SYNONYMS['user_name']!]],
  ['user_id', ['user_id', ...SYNONYMS['user_id']!]],
  ['is_owner', ['is_owner', ...SYNONYMS['is_owner']!]],
  ['not_before', ['not_before']],
  ['expires_at', ['expires_at']],
  ...PROPERTIES.filter((p) => !['user_name', 'user_id', 'is_owner'].includes(p.name)).map((p): [string, string[]] => [p.name, [p.name]]),
]);

/** Every column a header can feed, for a job's `columns:` and `--column`. */
export const KNOWN_COLUMNS: readonly string[] = [...DEFAULT_NAMES.keys()];

/** Folded header name -> the canonical column it feeds by default. */
export const DEFAULT_LOOKUP: ReadonlyMap<string, string> = new Map(
  [...DEFAULT_NAMES].flatMap(([canonical, names]) => names.map((name): [string, string] => [fold(name), canonical])),
);

export const FIRST_NAMES: ReadonlySet<string> = new Set(NAME_PARTS.first.map(fold));
export const LAST_NAMES: ReadonlySet<string> = new Set(NAME_PARTS.last.map(fold));
