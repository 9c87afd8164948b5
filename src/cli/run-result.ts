/** `run`'s result, as the line people read and as the JSON object scripts read (`--json`). */
import { dirname, join } from 'node:path';
import type { RunResult } from '../job/run-batch.js';
import { DEMO_KEY_WARNING } from '../config/api-key.js';
import { plural } from '../plural.js';
import type { DeliveryOutcome } from '../deliver/outcome.js';

/** `done: 20 tokens, 6 rejected -> <manifest>`; nothing for a failed batch (its error goes to stderr). */
export function resultLine({ manifest: m, manifestPath }: RunResult): string {
  if (m.status !== 'done') return '';
  const repeats = m.duplicates.rows > 0 ? `, ${plural(m.duplicates.rows, 'repeats', 'repeat')} an earlier (room, user_id)` : '';
  const demo = m.demo_key ? ` (${DEMO_KEY_WARNING})` : '';
  return `${m.status}${demo}: ${plural(m.tokens_written, 'token')}, ${m.rows_rejected} rejected${repeats} -> ${manifestPath}\n`;
}

/** The fields README's "Results for scripts" documents; paths are absolute, a file not published is null. */
export interface RunResultJson {
  status: 'done' | 'failed';
  exit_code: number;
  job: string;
  run_id: string;
  rows_read: number;
  tokens_written: number;
  rows_rejected: number;
  duplicate_rows: number;
  files: { manifest: string; tokens: string | null; rejects: string | null };
  warnings: string[];
  error: { code: string; message: string } | null;
  /** Each destination's delivery (job's `deliver:`); [] when the job has none or the run had `--no-deliver`. */
  deliveries: DeliveryOutcome[];
}

export function runResultJson(result: RunResult, warnings: string[]): RunResultJson {
  const { manifest: m, manifestPath, exitCode } = result;
  const dir = dirname(manifestPath);
  return {
    status: m.status,
    exit_code: exitCode,
    job: m.job,
    run_id: m.run_id,
    rows_read: m.rows_read,
    tokens_written: m.tokens_written,
    rows_rejected: m.rows_rejected,
    duplicate_rows: m.duplicates.rows,
    files: {
      manifest: manifestPath,
      tokens: m.files.tokens ? join(dir, m.files.tokens.name) : null,
      rejects: m.files.rejects ? join(dir, m.files.rejects.name) : null,
    },
    warnings,
    error: m.error ?? null,
    deliveries: result.deliveries ?? [],
  };
}
