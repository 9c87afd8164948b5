/**
 * Run history per job: `<state>/<job>.history.jsonl`, one JSON line per run, appended (O_APPEND)
 * when the run ends. Never holds a key, a token or a roster row. Never written or read through a
 * symlink planted at its name (see `openStateFile`).
 */
import { join } from 'node:path';
import { writeFully } from '../files/temp-file.js';
import { ensureStateDir, openStateFile, stateError } from './state-file.js';
import type { DeliveryOutcome } from '../deliver/outcome.js';

export interface HistoryEntry {
  job: string;
  /** The scheduled slot, or null for a run by hand. */
  slot: string | null;
  start: string;
  end: string;
  status: 'done' | 'failed' | 'aborted';
  rows_read?: number;
  tokens_written?: number;
  rows_rejected?: number;
  /** Token rows that repeat an earlier row's (room, user_id). */
  duplicate_rows?: number;
  outputs?: string[];
  error?: { code: string; message: string };
  /** Signed with the public demo key (Daily rejects the tokens). */
  demo_key?: true;
  /** Each destination's delivery of the batch (`deliver:`). */
  deliveries?: DeliveryOutcome[];
  /** A re-send of an earlier batch (`meeting-tokens deliver`): that batch's manifest. Not a run. */
  redelivery_of?: string;
}

/** Appends one line; a failure is a STATE_FAILED error naming the state directory or the file. */
export async function appendHistory(stateDir: string, entry: HistoryEntry): Promise<void> {
  await ensureStateDir(stateDir);
  const handle = await openStateFile(join(stateDir, `${entry.job}.history.jsonl`), 'append', stateDir);
  try {
    // One write of the whole line: O_APPEND keeps concurrent appends from interleaving.
    await writeFully(handle, Buffer.from(JSON.stringify(entry) + '\n'), null, stateDir);
    await handle.close();
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw stateError(error, stateDir);
  }
}

/**
 * The last entry of a job's history, reading only the file's tail; undefined if none. A planted
 * symlink or an unreadable state directory is an error, not "never ran".
 */
export async function lastRun(stateDir: string, job: string): Promise<HistoryEntry | undefined> {
  const handle = await openStateFile(join(stateDir, `${job}.history.jsonl`), 'read', stateDir, true);
  if (!handle) return undefined;
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, 64 * 1024);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const lines = buffer.toString('utf8').split('\n').filter(Boolean);
    for (let i = lines.length - 1; i >= 0; i--) {
      try {
        const entry = JSON.parse(lines[i]!) as HistoryEntry;
        // A re-send is not a run: status and catch-up go by the last run.
        if (entry.redelivery_of === undefined) return entry;
      } catch {
        // a line cut by the 64 KiB window, or by a crash mid-append: try the one before
      }
    }
    return undefined;
  } finally {
    await handle.close();
  }
}
