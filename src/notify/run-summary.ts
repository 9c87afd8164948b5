/**
 * What a run came to, as the JSON body every webhook (and the heartbeat's finishing ping)
 * receives. It names files by name, size and SHA-256, never a token, a key or a secret.
 */
import { dirname } from 'node:path';
import type { Manifest } from '../output/manifest.js';

export type RunStatus = 'done' | 'failed' | 'aborted' | 'skipped';

export interface RunOutcome {
  job: string;
  /** The schedule slot it served (ISO 8601), or null for a run by hand. */
  slot: string | null;
  status: RunStatus;
  /** Null for a scheduled slot that did not run here. */
  exitCode: number | null;
  startedAt: Date;
  finishedAt: Date;
  /** The published manifest, when the run got that far. */
  manifest: Manifest | undefined;
  manifestPath: string | undefined;
  /** SHA-256 of the manifest file as published (hex), or null. */
  manifestSha256: string | null;
  /** The run's deliveries to other destinations, as the run reports them, or null when it made none. */
  deliveries: readonly object[] | null;
  error: { code: string; message: string } | null;
}

export interface RunSummary {
  type: `run.${RunStatus}`;
  timestamp: string;
  data: {
    job: string;
    run_id: string | null;
    slot: string | null;
    status: RunStatus;
    exit_code: number | null;
    started_at: string;
    finished_at: string;
    rows_read: number | null;
    tokens_written: number | null;
    rows_rejected: number | null;
    duplicate_rows: number | null;
    out_dir: string | null;
    files: {
      manifest: { name: string; sha256: string | null } | null;
      tokens: { name: string; bytes: number; sha256: string } | null;
      rejects: { name: string; bytes: number; sha256: string } | null;
    };
    manifest_sha256: string | null;
    exp_min: string | null;
    exp_max: string | null;
    demo_key: boolean;
    deliveries: readonly object[] | null;
    error: { code: string; message: string } | null;
  };
}

/** The Standard Webhooks payload shape: `type`, `timestamp`, `data`. */
export function runSummary(outcome: RunOutcome): RunSummary {
  const m = outcome.manifest;
  const file = (f: { name: string; bytes: number; sha256: string } | null | undefined) =>
    f ? { name: f.name, bytes: f.bytes, sha256: f.sha256 } : null;
  const manifestName = outcome.manifestPath?.split('/').pop();
  return {
    type: `run.${outcome.status}`,
    timestamp: outcome.finishedAt.toISOString(),
    data: {
      job: outcome.job,
      run_id: m?.run_id ?? null,
      slot: outcome.slot,
      status: outcome.status,
      exit_code: outcome.exitCode,
      started_at: outcome.startedAt.toISOString(),
      finished_at: outcome.finishedAt.toISOString(),
      rows_read: m?.rows_read ?? null,
      tokens_written: m?.tokens_written ?? null,
      rows_rejected: m?.rows_rejected ?? null,
      duplicate_rows: m?.duplicates.rows ?? null,
      out_dir: outcome.manifestPath ? dirname(outcome.manifestPath) : null,
      files: {
        manifest: manifestName ? { name: manifestName, sha256: outcome.manifestSha256 } : null,
        tokens: file(m?.files.tokens),
        rejects: file(m?.files.rejects),
      },
      manifest_sha256: outcome.manifestSha256,
      exp_min: m?.exp_min ?? null,
      exp_max: m?.exp_max ?? null,
      demo_key: m?.demo_key ?? false,
      deliveries: outcome.deliveries,
      error: outcome.error ?? m?.error ?? null,
    },
  };
}
