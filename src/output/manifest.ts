/**
 * The manifest: written last, so a consumer that waits for it never reads a half-published
 * batch. It names the key only by fingerprint.
 */
import type { PublishedFile } from './staged-file.js';
import type { DuplicateSummary } from '../duplicates/duplicate-counter.js';

export type RunStatus = 'done' | 'failed';

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
  roster: { path: string; bytes: number; sha256: string };
  rows_read: number;
  tokens_written: number;
  rows_rejected: number;
  /** Token rows whose (room, user_id) an earlier row already had; rows without user_id are not compared. */
  duplicates: DuplicateSummary;
  /** rows_read = tokens_written + rows_rejected, checked at the end of the run. */
  invariant_ok: boolean;
  files: { tokens: PublishedFile | null; rejects: PublishedFile | null };
  exp_min: string | null;
  exp_max: string | null;
  domain_id: string;
  domain_name: string | null;
  key_fingerprint: string;
  key_source: string;
  /** Signed with the public demo key: Daily rejects every token of the batch. */
  demo_key: boolean;
  escape_formulas: boolean;
  tool: { name: string; version: string };
}
