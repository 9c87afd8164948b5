/** `meeting-tokens status`: every job in the jobs directory, with its last run. */
import { createTask } from 'node-cron';
import { wallClockSlot } from '../schedule/wall-clock.js';
import { findJobFile, listJobNames, loadJob, noJobFiles } from '../config/load-job.js';
import { buildRunConfig } from '../config/run-config.js';
import { MeetingTokensError } from '../errors.js';
import { lastRun, type HistoryEntry } from '../state/history.js';
import { printResult, type OutputFlags } from './output.js';
import { DEMO_KEY_WARNING } from '../config/api-key.js';

/** One job in `status --json`: `schedule` is "<cron> (<zone>)" or "manual", null when the file is invalid. */
interface StatusJson {
  job: string;
  schedule: string | null;
  next_run: string | null;
  invalid: string | null;
  last_run: HistoryEntry | null;
}

/** `status`'s options as parsed from its declaration (commands.ts). */
export interface StatusValues extends OutputFlags {
  jobs: string;
  state: string;
}

export async function statusCommand(values: StatusValues): Promise<number> {
  const names = listJobNames(values.jobs);
  if (names.length === 0) throw noJobFiles(values.jobs);
  const jobs: StatusJson[] = [];

  const rows: string[][] = [['JOB', 'SCHEDULE', 'NEXT RUN (UTC)', 'LAST RUN (UTC)', 'STATUS', 'TOKENS', 'REJECTS', 'OUTPUT']];
  for (const name of names) {
    let invalid: string | undefined;
    let schedule = '-';
    let next = '-';
    let nextAt: string | null = null;
    try {
      const loaded = loadJob(findJobFile(name, values.jobs));
      buildRunConfig(loaded, {}); // the start-up checks run and schedule make (ttl over max_ttl, out holding the roster, ...)
      const { job } = loaded;
      schedule = job.schedule === undefined ? 'manual' : `${job.schedule} (${job.timezone})`;
      if (job.schedule !== undefined) {
        const task = createTask(job.schedule, () => undefined, { timezone: job.timezone });
        const at = task.getNextRuns(1)[0]; // getNextRun() is null on a stopped task
        if (at) {
          nextAt = at.toISOString();
          next = `${at.toISOString().slice(0, 19)}Z (${wallClockSlot(at, job.timezone).slice(0, 16)} local)`;
        }
        await task.destroy();
      }
    } catch (error) {
      invalid = error instanceof MeetingTokensError ? error.message.split('\n')[0] : 'invalid';
    }
    const last = await lastRun(values.state, name);
    jobs.push({
      job: name,
      schedule: schedule === '-' ? null : schedule,
      next_run: nextAt,
      invalid: invalid ?? null,
      last_run: last ?? null,
    });
    rows.push([
      name,
      schedule,
      next,
      last ? last.end.slice(0, 19) + 'Z' : 'never',
      invalid ? `invalid job file: ${invalid}` : last ? `${last.status}${last.demo_key ? ` (${DEMO_KEY_WARNING})` : ''}` : '-',
      last?.tokens_written !== undefined ? String(last.tokens_written) : '-',
      last?.rows_rejected !== undefined ? String(last.rows_rejected) : '-',
      last?.outputs?.[0] ?? (last?.error ? last.error.message : '-'),
    ]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  printResult(
    values,
    () => rows.map((row) => row.map((cell, c) => (c < row.length - 1 ? cell.padEnd(widths[c]!) : cell)).join('  ') + '\n').join(''),
    () => ({ jobs }),
  );
  return 0;
}
