/**
 * The manifest: written last, so a consumer that waits for it never reads a half-published
 * batch. It names the key only by fingerprint.
 */
import { randomUUID } from 'node:crypto';
import type { PublishedFile } from './staged-file.js';
import type { PublishedFiles } from './publication.js';
import type { OutputLayout } from './layout.js';
import type { SplitLimits } from './token-parts.js';
import { isoSeconds } from './columns.js';
import { TOOL } from '../version.js';
import type { DuplicateSummary } from '../duplicates/duplicate-counter.js';

export type RunStatus = 'done' | 'failed';

/** How the roster's header was read: which header feeds each known column, which pass through. */
export interface RosterColumns {
  /** Known column -> the header feeding it, in roster order: `{ "user_name": "Full Name" }`; a joined name reads `"First Name + Last Name"`. */
  columns: Record<string, string>;
  /** Headers copied to the tokens file unchanged, in roster order. */
  passthrough: string[];
}

/** The manifest's `roster`: the file as read, and how its header was read. */
export interface ManifestRoster extends RosterColumns {
  path: string;
  bytes: number;
  sha256: string;
  /** `comma`, `semicolon`, `tab` or `pipe`: given by the job or a flag, or detected from the header row. */
  delimiter: string;
  /** What it was read as: `utf-8`, `utf-16le`, `utf-16be`, `windows-1252`, ... (`latin1` reads as `windows-1252`). */
  encoding: string;
  /** It starts with a byte-order mark (which then decided the encoding). */
  bom: boolean;
}

/** The tokens file as written: profile, format, columns (name in the file and source), split limits. */
export interface ManifestOutput {
  profile: string;
  format: 'csv' | 'jsonl';
  /** In file order: `{ name: "JOINURL", source: "join_url" }`; a roster column's source is `roster:<header>`. */
  columns: { name: string; source: string }[];
  escape_formulas: boolean;
  bom: boolean;
  line_ending: 'lf' | 'crlf';
  split: { rows: number | null; bytes: number | null } | null;
}

export interface Manifest {
  job: string;
  run_id: string;
  /** The schedule slot this batch serves (ISO 8601), or null for a run by hand: what catch-up consults. */
  slot: string | null;
  status: RunStatus;
  error?: { code: string; message: string };
  started_at: string;
  finished_at: string;
  issued_at: string;
  roster: ManifestRoster;
  rows_read: number;
  tokens_written: number;
  rows_rejected: number;
  /** Token rows whose (room, user_id) an earlier row already had; rows without user_id are not compared. */
  duplicates: DuplicateSummary;
  /** rows_read = tokens_written + rows_rejected, checked at the end of the run. */
  invariant_ok: boolean;
  /**
   * The published files. A split tokens file has no `tokens` entry (null) and lists every part,
   * in order, in `parts`.
   */
  files: { tokens: PublishedFile | null; rejects: PublishedFile | null; parts?: PublishedFile[] | undefined };
  output: ManifestOutput;
  exp_min: string | null;
  exp_max: string | null;
  domain_id: string;
  domain_name: string | null;
  key_fingerprint: string;
  key_source: string;
  /** Signed with the public demo key: Daily rejects every token of the batch. */
  demo_key: boolean;
  escape_formulas: boolean;
  /**
   * With `check_rooms`: rooms listed at Daily before signing, rooms `ensure_rooms` created (names),
   * public rooms tokens were signed for (names); null when the run did not check rooms.
   */
  rooms: { listed: number; created: string[]; public: string[] } | null;
  /**
   * One row per recipient (`group_by`): the column, the links a row holds at most, the recipients
   * (rows of the tokens file) and the rows rejected past a recipient's limit; null without it.
   */
  group_by: ManifestGroupBy | null;
  /** Short links (`links:`): where their records are, or null when the run made none. */
  links: ManifestLinks | null;
  tool: { name: string; version: string };
}

export interface ManifestGroupBy {
  column: string;
  max_links_per_recipient: number;
  recipients: number;
  rows_over_limit: number;
}

/** A run's short links, in its manifest: never a password (a Redis URL is given without one). */
export interface ManifestLinks {
  /** short_url is `<base_url>/j/<id>`. */
  base_url: string;
  /** `sqlite:<path>` or `redis://<host>:<port>[/<db>]`. */
  store: string;
  mint: string;
  /** Records written and made live (0 when the run published no tokens). */
  records: number;
}

/** What a run knows at its end, from which its manifest is assembled. */
export interface ManifestInput {
  job: string;
  rosterPath: string;
  domainId: string;
  domainName: string | undefined;
  escapeFormulas: boolean;
  /** The signing key, by fingerprint only, and where it came from. */
  keyFingerprint: string;
  keySource: Manifest['key_source'];
  slot: string | null;
  startedAt: Date;
  iat: number;
  roster: Omit<ManifestRoster, 'path' | keyof RosterColumns>;
  rosterColumns: RosterColumns;
  counts: { read: number; written: number; rejected: number; expMin: number; expMax: number };
  duplicates: DuplicateSummary;
  invariantOk: boolean;
  files: PublishedFiles;
  output: ManifestOutput;
  /** Set when too many rows were rejected: the run failed and published no tokens. */
  tooManyMessage?: string | undefined;
  rooms?: Manifest['rooms'] | undefined;
  groupBy?: ManifestGroupBy | undefined;
  /** The run id, when the run needed it before its end (its links are stored under it); else a new one. */
  runId?: string | undefined;
  links?: ManifestLinks | undefined;
}

export function buildManifest(m: ManifestInput): Manifest {
  const { counts } = m;
  const tooMany = m.tooManyMessage !== undefined;
  return {
    job: m.job,
    run_id: m.runId ?? randomUUID(),
    slot: m.slot,
    status: tooMany ? 'failed' : 'done',
    ...(m.tooManyMessage !== undefined ? { error: { code: 'TOO_MANY_REJECTS', message: m.tooManyMessage } } : {}),
    started_at: m.startedAt.toISOString(),
    finished_at: new Date().toISOString(),
    issued_at: isoSeconds(m.iat),
    roster: { path: m.rosterPath, ...m.roster, ...m.rosterColumns },
    rows_read: counts.read,
    tokens_written: counts.written,
    rows_rejected: counts.rejected,
    duplicates: m.duplicates,
    invariant_ok: m.invariantOk,
    files: m.files,
    output: m.output,
    exp_min: counts.written > 0 ? isoSeconds(counts.expMin) : null,
    exp_max: counts.written > 0 ? isoSeconds(counts.expMax) : null,
    domain_id: m.domainId,
    domain_name: m.domainName ?? null,
    key_fingerprint: m.keyFingerprint,
    key_source: m.keySource,
    demo_key: m.keySource === 'demo',
    escape_formulas: m.escapeFormulas,
    rooms: m.rooms ?? null,
    group_by: m.groupBy ?? null,
    links: m.links ?? null,
    tool: TOOL,
  };
}

/** The manifest's `output`, from the run's layout. */
export function outputSummary(layout: OutputLayout, split: SplitLimits | undefined, headers: readonly string[] = []): ManifestOutput {
  return {
    profile: layout.profile,
    format: layout.format,
    columns: layout.columns.map((column) => ({
      name: column.name,
      source: column.source === 'roster' ? `roster:${headers[column.index!] ?? column.name}` : column.source,
    })),
    escape_formulas: layout.escapeFormulas,
    bom: layout.bom,
    line_ending: layout.lineEnding === '\r\n' ? 'crlf' : 'lf',
    split: split === undefined ? null : { rows: split.rows ?? null, bytes: split.bytes ?? null },
  };
}
