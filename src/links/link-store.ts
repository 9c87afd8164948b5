/**
 * The link store: one record per short link, written by a run under its run id and resolvable
 * only once that run is committed (made live after its manifest is published). SQLite
 * (sqlite-store.ts) by default, Redis (redis-store.ts) for several servers on several hosts;
 * both pass one contract suite.
 */

/** How `serve` gives a link's token: signed when opened, with the key of that moment (the default), or the one the batch signed. */
export const LINK_MINTS = ['at_click', 'stored'] as const;
export type LinkMint = (typeof LINK_MINTS)[number];

/**
 * Links as a chunk of a run writes them, a column each (cheap to pass between threads: strings
 * and numbers, no object per link), in roster order.
 */
export interface NewLinks {
  /** The roster line of each row: with the run's seq, its record's key (link-id.ts). */
  lines: number[];
  /** The SHA-256 of each link's verifier, `VERIFIER_HASH_BYTES` each. */
  verifierHashes: Uint8Array;
  rooms: string[];
  /**
   * JSON of the claims the batch signed but `r`, `d`, `iat`, `nbf` and `exp`, which the record
   * and its run hold already (lookup.ts puts them back, in the same order).
   */
  claims: string[];
  nbf: (number | null)[];
  exp: number[];
  /** The row's user_id (`ud`), or null: for revocation by user id. */
  userIds: (string | null)[];
  /** The tokens the batch signed, kept only when the job says `mint: stored`; otherwise undefined. */
  tokens: string[] | undefined;
}

/** The run a batch of links belongs to, as recorded when its first links are written. */
export interface LinkRun {
  /** The manifest's `run_id`. */
  runId: string;
  job: string;
  domainId: string;
  /** `<domain_name>.daily.co` is where a link leads. */
  domainName: string;
  /** How serve gives the token: signed at click time (default) or the one the batch signed. */
  mint: LinkMint;
  /** Unix seconds. */
  createdAt: number;
}

/** A resolvable link: its record and its run. */
export interface LiveLink {
  /** The id as it was looked up. */
  id: string;
  room: string;
  claims: Record<string, unknown>;
  nbf: number | null;
  exp: number;
  line: number;
  userId: string | null;
  token: string | null;
  run: LinkRun;
}

/**
 * What `get` finds: a live link, an expired one (with its expiry), a revoked one, or nothing
 * (never written, or written by a run that was not committed).
 */
export type LinkLookup =
  { status: 'live'; link: LiveLink } | { status: 'expired'; exp: number; link: LiveLink } | { status: 'revoked' } | { status: 'unknown' };

/** One link's opens, for `links stats`. */
export interface LinkOpens {
  /** The id's first part (the store keeps no whole id): the file's short_url starts with it. */
  locator: string;
  line: number;
  userId: string | null;
  opens: number;
  /** Unix seconds, or null when never opened. */
  firstOpen: number | null;
  lastOpen: number | null;
  revoked: boolean;
}

/** Opens of one link counted together (serve counts opens in batches): unix seconds. */
export interface OpenCount {
  id: string;
  opens: number;
  first: number;
  last: number;
}

/** A run's links counted. */
export interface RunStats {
  runId: string;
  committed: boolean;
  revoked: boolean;
  links: number;
  opened: number;
  opens: number;
  revokedLinks: number;
}

export interface LinkStore {
  /** Where the store is, for logs and the manifest: `sqlite:<path>` or `redis://<host>:<port>/<db>` (never a password). */
  readonly location: string;
  /** Records the run; its links stay unresolvable until `commitRun`. Returns its seq, the high part of its links' keys. */
  beginRun(run: LinkRun): Promise<number>;
  /** Writes links of a begun run (one transaction or pipeline per call). */
  write(runId: string, batches: readonly NewLinks[]): Promise<void>;
  /** Removes the records of these roster lines of a begun run (rows rejected after signing); returns how many there were. */
  dropLines(runId: string, lines: readonly number[]): Promise<number>;
  /** Removes every run never committed that began before `before` (unix seconds): runs killed or failed unanswered. Returns how many. */
  purgeStale(before: number): Promise<number>;
  /** Makes the run's links resolvable. */
  commitRun(runId: string): Promise<void>;
  /** Removes an uncommitted run's links (a failed run); a committed run is left alone. */
  discardRun(runId: string): Promise<void>;
  /** The link with this id, as `serve` answers it; `now` in unix seconds decides expiry. */
  get(id: string, now: number): Promise<LinkLookup>;
  /** Counts one open at `at` (unix seconds); false when no such committed link exists. */
  recordOpen(id: string, at: number): Promise<boolean>;
  /**
   * Counts a batch of opens at once (one transaction or round trip): each committed link's count
   * grows by `opens`, its first open becomes the earlier of the two, its last the later. Ids of no
   * committed link are skipped; returns how many links were counted.
   */
  recordOpens(counts: readonly OpenCount[]): Promise<number>;
  /** Revokes one link; false when no committed link has this id. */
  revokeId(id: string): Promise<boolean>;
  /** Revokes every committed link with this user id; returns how many were live before. */
  revokeUser(userId: string): Promise<number>;
  /** Revokes a run's links; returns how many it has (0: no such committed run). */
  revokeRun(runId: string): Promise<number>;
  /** The run's counts, or undefined when the store has no such run. */
  runStats(runId: string): Promise<RunStats | undefined>;
  /** The run's links with their opens, in roster line order, read a page at a time. */
  linkOpens(runId: string): AsyncIterable<LinkOpens>;
  close(): Promise<void>;
}
