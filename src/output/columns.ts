/** Column layout of the tokens and rejects files, and the writer of a token row in that order. */
import type { ColumnPlan } from '../claims/column-plan.js';
import { MeetingTokensError } from '../errors.js';
import type { ByteWriter } from './byte-writer.js';
import { csvCell, escapeFormula } from './csv-writer.js';

export const TOKEN_COLUMNS = [
  'room_name',
  'user_name',
  'user_id',
  'is_owner',
  'token',
  'join_url',
  'short_url',
  'not_before',
  'expires_at',
  'exp',
] as const;

/** The columns the rejects file puts before a rejected row's own fields. */
export const REJECT_COLUMNS = ['line', 'reason'] as const;

/** The tokens file's header: `join_url` only with a domain name, `short_url` only for a run with links. */
export function tokensHeader(plan: ColumnPlan, withJoinUrl: boolean, withShortUrl = false): string[] {
  return [
    ...plan.passthrough.map((i) => plan.headers[i]!),
    ...TOKEN_COLUMNS.filter((c) => (withJoinUrl || c !== 'join_url') && (withShortUrl || c !== 'short_url')),
  ];
}

/**
 * Writes one token row: the passthrough columns, then `TOKEN_COLUMNS` in order (`join_url` only
 * with a `joinBase`, `short_url` only with `shortUrl`: a string, empty for a row without a link).
 * `expIso` is `exp` as `isoSeconds` gives it (the caller reuses it across rows).
 */
export function writeTokenRow(
  tokens: ByteWriter,
  plan: ColumnPlan,
  fields: readonly string[],
  room: string,
  claims: Record<string, unknown>,
  token: string,
  joinBase: string | undefined,
  nbf: number | undefined,
  expIso: string,
  exp: number,
  escapeFormulas: boolean,
  shortUrl?: string,
): void {
  // Passthrough, user_name and user_id are arbitrary text. The other cells cannot hold a
  // comma, quote or line break (room names, tokens, URLs, times, numbers), and only a room
  // name can start like a formula ("-abc"), so they skip the general cell path.
  let line = '';
  for (const i of plan.passthrough) line += csvCell(fields[i]!, escapeFormulas) + ',';
  line += `${escapeFormulas ? escapeFormula(room) : room},${csvCell((claims['u'] as string | undefined) ?? '', escapeFormulas)},`;
  line += `${csvCell((claims['ud'] as string | undefined) ?? '', escapeFormulas)},${claims['o'] === true ? 'true' : 'false'},`;
  tokens.write(line);
  tokens.write(token);
  if (joinBase !== undefined) {
    if (room === '') tokens.write(',');
    else {
      tokens.write(`,${joinBase}${room}?t=`);
      tokens.write(token);
    }
  }
  if (shortUrl !== undefined) tokens.write(`,${shortUrl}`);
  tokens.write(`,${nbf === undefined ? '' : isoSeconds(nbf)},${expIso},${exp}\n`);
}

export function rejectsHeader(headers: readonly string[]): string[] {
  return [...REJECT_COLUMNS, ...headers];
}

const norm = (name: string): string => name.trim().toLowerCase();

/**
 * Refuses a roster whose columns would give an output file two columns of one name (compared
 * ignoring case and surrounding spaces): a consumer that picks the first or the
 * last would take the roster author's value, a `join_url` to another site say. A passthrough
 * column may not be named like a column the tokens file adds (`join_url` too, even without a
 * domain name), no roster column like one the rejects file adds (`line`, `reason`), and no two
 * passthrough columns alike.
 */
export function checkOutputHeaders(plan: ColumnPlan): void {
  const refuse = (message: string, column: string): never => {
    throw new MeetingTokensError('ROSTER_HEADER', `roster header: ${message}; rename it in the roster`, { column });
  };
  const tokenColumns = new Set<string>(TOKEN_COLUMNS);
  const seen = new Map<string, number>();
  for (const index of plan.passthrough) {
    const header = plan.headers[index]!;
    const name = norm(header);
    if (tokenColumns.has(name)) {
      refuse(`column ${index + 1} ("${header}") would pass through under the name of the tokens file's own ${name} column`, header);
    }
    const earlier = seen.get(name);
    if (earlier !== undefined) {
      refuse(
        `columns ${earlier + 1} ("${plan.headers[earlier]}") and ${index + 1} ("${header}") would pass through under one name`,
        header,
      );
    }
    seen.set(name, index);
  }
  plan.headers.forEach((header, index) => {
    const name = norm(header);
    if ((REJECT_COLUMNS as readonly string[]).includes(name)) {
      refuse(`column ${index + 1} ("${header}") has the name of the rejects file's own ${name} column`, header);
    }
  });
}

/** 1767268800 -> "2026-01-01T12:00:00Z" (ISO 8601, UTC, whole seconds). */
export function isoSeconds(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().slice(0, 19) + 'Z';
}
