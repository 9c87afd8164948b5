/**
 * Where each output cell takes its value from. A source is one entry of `SOURCES`: a name a job's
 * `output.columns` may use, and a function from a signed row to the cell's text. Adding a source
 * is adding an entry here (and, when it needs settings, putting them in its column's `params` at
 * start: layout columns travel to worker threads, so they hold plain data only).
 */
import { isoSeconds } from './columns.js';
import { localTimeOf } from './local-time-params.js';

/** One signed row, as every source sees it. */
export interface SignedRow {
  /** The roster row's fields, in roster order. */
  readonly fields: readonly string[];
  readonly room: string;
  /** The token's claims (`u` user name, `ud` user id, `o` owner, ...). */
  readonly claims: Readonly<Record<string, unknown>>;
  readonly token: string;
  /** `https://<domain>.daily.co/`, or undefined when the run has no domain name. */
  readonly joinBase: string | undefined;
  readonly nbf: number | undefined;
  readonly exp: number;
  /** `exp` as `isoSeconds` gives it (computed once per distinct exp). */
  readonly expIso: string;
  /** The roster line the row starts on. */
  readonly line: number;
  /** `<base_url>/j/<id>` in a run with links (empty for a row without a link); else undefined. */
  readonly shortUrl?: string | undefined;
}

/**
 * One output column: its name in the file, the source of its value, and what that source needs.
 * Plain data (structured-clonable to worker threads).
 */
export interface LayoutColumn {
  /** The column's name in the file (CSV header, JSON key). */
  readonly name: string;
  /** A key of `SOURCES`, or `roster` for a roster column read as it is. */
  readonly source: string;
  /** For `roster` and `email`: the roster column's index. */
  readonly index?: number | undefined;
  /** Settings a source reads for each row (a time zone, a format), chosen at start. */
  readonly params?: Readonly<Record<string, string | number | boolean>> | undefined;
}

/** A source's value for one row; `column` carries its index and params. */
export type CellSource = (row: SignedRow, column: LayoutColumn) => string;

const rosterField: CellSource = (row, column) => row.fields[column.index!] ?? '';

/** Every value source by the name `output.columns` gives it. */
export const SOURCES: Readonly<Record<string, CellSource>> = {
  room_name: (row) => row.room,
  user_name: (row) => (row.claims['u'] as string | undefined) ?? '',
  user_id: (row) => (row.claims['ud'] as string | undefined) ?? '',
  is_owner: (row) => (row.claims['o'] === true ? 'true' : 'false'),
  token: (row) => row.token,
  join_url: (row) => (row.joinBase === undefined || row.room === '' ? '' : `${row.joinBase}${row.room}?t=${row.token}`),
  not_before: (row) => (row.nbf === undefined ? '' : isoSeconds(row.nbf)),
  expires_at: (row) => row.expIso,
  exp: (row) => String(row.exp),
  /** exp as people read it, in the job's (or the row's) time zone, locale and time_format. */
  expires_local: (row, column) => localTimeOf(column, column.params!)(row.exp, row.fields),
  /** not_before the same way; empty without one. */
  not_before_local: (row, column) => localTimeOf(column, column.params!)(row.nbf, row.fields),
  short_url: (row) => row.shortUrl ?? '',
  /** The roster's email column (found by its header at start). */
  email: rosterField,
  /** Any roster column, by its header. */
  roster: rosterField,
};

/**
 * Sources whose values are tokens, links to a room (`A-Z a-z 0-9 - _`), times, numbers or
 * booleans: no quote, comma, line break, backslash or control character, no formula start. Such a
 * cell is written as it is (in quotes for JSON): scanning a 400-character link for quotes cost a
 * grouped run a tenth of its time, and escaping it a JSONL batch as much.
 */
export const PLAIN_SOURCES: ReadonlySet<string> = new Set(['token', 'join_url', 'not_before', 'expires_at', 'exp', 'is_owner']);

/** Sources that need the run to have a domain name (they are empty without one). */
export const NEEDS_DOMAIN_NAME: ReadonlySet<string> = new Set(['join_url']);

/** The source names a job may give in `output.columns` (besides roster headers). */
export function sourceNames(): string[] {
  return Object.keys(SOURCES).filter((name) => name !== 'roster');
}
