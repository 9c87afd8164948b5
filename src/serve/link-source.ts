/**
 * What `serve` needs from the link store (src/links): look a link up by id, and count opens.
 * A narrow view, so that the HTTP side depends on two methods, not on the whole store.
 */
import type { OpenCount } from '../links/link-store.js';

/** The part of a link's run that decides how it is served. */
export interface ServedRun {
  /** Links lead to `https://<domainName>.daily.co/<room>`. */
  domainName: string;
  /** `at_click`: a token signed when the link is opened; `stored`: the token the batch signed. */
  mint: 'at_click' | 'stored';
}

/** A link as `serve` reads it. */
export interface ServedLink {
  room: string;
  /** The claims to sign, without `iat` (set at click time). */
  claims: Readonly<Record<string, unknown>>;
  exp: number;
  /** The token the batch signed (kept for `mint: stored` only). */
  token: string | null;
  run: ServedRun;
}

export type ServedLookup =
  { status: 'live'; link: ServedLink } | { status: 'expired'; exp: number } | { status: 'revoked' } | { status: 'unknown' };

export interface LinkSource {
  /** `now` in unix seconds decides expiry. */
  get(id: string, now: number): Promise<ServedLookup>;
  /** Counts a batch of opens (serve writes them behind the answers: open-counter.ts). */
  recordOpens(counts: readonly OpenCount[]): Promise<unknown>;
}
