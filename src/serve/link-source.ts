/**
 * What `serve` needs from the link store: look a link up by id, and record that it was opened.
 * The store itself (SQLite or Redis) lives with the link records; this is the narrow view the HTTP
 * side is written against.
 */

/** A live link: what to sign at click time, or the token the batch signed. */
export interface ServedLink {
  room: string;
  /** The claims to sign, without `iat` (set at click time). */
  claims: Readonly<Record<string, unknown>>;
  /** Unix seconds; the link answers 410 from then on. */
  exp: number;
  /** The token the batch signed, for `mint: stored`. */
  token?: string | undefined;
}

export type LinkLookup = { kind: 'live'; link: ServedLink } | { kind: 'revoked' } | { kind: 'missing' };

export interface LinkSource {
  lookup(id: string): Promise<LinkLookup> | LinkLookup;
  /** Counts one open of the link at `at` (unix milliseconds). */
  recordOpen(id: string, at: number): Promise<void> | void;
  close(): Promise<void> | void;
}
