/**
 * Run history per job: `<state>/<job>.history.jsonl`, one JSON line per run, appended (O_APPEND)
 * when the run ends. Never holds a key, a token or a roster row.
 */
import { appendFile, mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';

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
}

export async function appendHistory(stateDir: string, entry: HistoryEntry): Promise<void> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  await appendFile(join(stateDir, `${entry.job}.history.jsonl`), JSON.stringify(entry) + '\n', { mode: 0o600 });
}

/** The last entry of a job's history, reading only the file's tail; undefined if none. */
export async function lastRun(stateDir: string, job: string): Promise<HistoryEntry | undefined> {
  let handle;
  try {
    handle = await open(join(stateDir, `${job}.history.jsonl`), 'r');
  } catch {
    return undefined;
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, 64 * 1024);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const lines = buffer.toString('utf8').split('\n').filter(Boolean);
    for (let i = lines.length - 1; i >= 0; i--) {
      try {
        return JSON.parse(lines[i]!) as HistoryEntry;
      } catch {
        // a line cut by the 64 KiB window, or by a crash mid-append: try the one before
      }
    }
    return undefined;
  } finally {
    await handle.close();
  }
}
