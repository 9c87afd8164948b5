/**
 * Which column names a row's recipient (`group_by`), and the key a row is grouped by: the value
 * trimmed, and for an email address lower-cased, as mailers match addresses. Resolved once at
 * start against the roster's header; plain data, so it travels to worker threads.
 */
import type { ColumnPlan } from '../claims/column-plan.js';
import { fold } from '../claims/header-names.js';
import { MeetingTokensError } from '../errors.js';
import { nearest } from '../suggest.js';

/** Folded headers of an email column, as contact exports write it. */
const EMAIL_HEADERS: ReadonlySet<string> = new Set(['email', 'emailaddress', 'mail', 'mailaddress', 'emailid']);

/** Known columns a recipient can be keyed on, by the value signed for them. */
const SIGNED: Readonly<Record<string, 'ud' | 'u' | 'room'>> = { user_id: 'ud', user_name: 'u', room_name: 'room' };

export interface GroupKeySpec {
  /** The column as the job names it (`email`), for messages. */
  column: string;
  /** A roster column's index, or the signed value the key is. */
  from: { index: number } | { signed: 'ud' | 'u' | 'room' };
  /** Compare ignoring case (an email address). */
  foldCase: boolean;
  /** Rows a recipient's row holds at most; the rest are rejected. */
  maxRows: number;
  /**
   * Without group_by, a mailer that keeps one row per value of this column: the reason a repeat
   * is rejected names it. Undefined with group_by.
   */
  uniqueFor?: string | undefined;
}

const configError = (message: string): MeetingTokensError => new MeetingTokensError('CONFIG_INVALID', message);

/** The key spec for `column` in this roster; CONFIG_INVALID (exit 2) when the roster has no such column. */
export function groupKeySpec(column: string, plan: ColumnPlan, maxRows: number, uniqueFor?: string): GroupKeySpec {
  const { headers } = plan;
  const folded = fold(column);
  const signed = SIGNED[column];
  if (signed !== undefined) return { column, from: { signed }, foldCase: false, maxRows, uniqueFor };
  const exact = headers.indexOf(column);
  const matches = exact >= 0 ? [exact] : headers.flatMap((header, index) => (fold(header) === folded ? [index] : []));
  if (matches.length === 0 && EMAIL_HEADERS.has(folded)) {
    matches.push(...headers.flatMap((header, index) => (EMAIL_HEADERS.has(fold(header)) ? [index] : [])));
  }
  const where = uniqueFor === undefined ? 'output.group_by' : `output: ${uniqueFor} keeps one row per ${column}, so`;
  if (matches.length === 0) {
    const hint = nearest(column, [...Object.keys(SIGNED), ...headers]);
    throw configError(
      `${where} ${column}: the roster has no such column${hint !== undefined ? ` (did you mean ${hint}?)` : ''}; name a roster column or user_id`,
    );
  }
  if (matches.length > 1) {
    const named = matches.map((i) => `${i + 1} ("${headers[i]}")`).join(' and ');
    throw configError(`${where} ${column}: roster columns ${named} all match; name one by its header`);
  }
  const index = matches[0]!;
  return { column, from: { index }, foldCase: EMAIL_HEADERS.has(fold(headers[index]!)), maxRows, uniqueFor };
}

/** A row's key: trimmed, lower-cased for an email address (JavaScript's locale-independent lower-casing). */
export function rowKey(spec: GroupKeySpec, fields: readonly string[], room: string, claims: Readonly<Record<string, unknown>>): string {
  const { from } = spec;
  const value = 'index' in from ? fields[from.index]! : from.signed === 'room' ? room : ((claims[from.signed] as string | undefined) ?? '');
  const trimmed = value.trim();
  return spec.foldCase ? trimmed.toLowerCase() : trimmed;
}

/** The reject reason of a row without a key (with group_by; a mailer's unique key lets such rows be). */
export function emptyKeyReason(spec: GroupKeySpec): string {
  return `${spec.column}: empty; group_by: ${spec.column} needs it in every row to know whose row a link goes in`;
}

/** The reject reason of a row past its recipient's limit, or (without group_by) repeating an earlier row's key. */
export function overReason(spec: GroupKeySpec, key: string, firstLine: number): string {
  if (spec.uniqueFor !== undefined) {
    return `${spec.column} ${key} repeats line ${firstLine}: ${spec.uniqueFor} keeps one row per ${spec.column}; use group_by: ${spec.column} for one row per recipient with all their links`;
  }
  return `${spec.column} ${key}: more than ${spec.maxRows} links (max_links_per_recipient: ${spec.maxRows}; the recipient's first row is line ${firstLine}); raise max_links_per_recipient or split the roster`;
}
