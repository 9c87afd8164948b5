/**
 * `meeting-tokens status`: every job in the jobs directory with its last run, and whether a
 * scheduler is running for them (its heartbeat in the state directory). Problems with job files
 * are listed below the table, so one long message cannot stretch every row.
 */
import { resolve } from 'node:path';
import { createTask } from 'node-cron';
import { wallClockSlot } from '../schedule/wall-clock.js';
import { findJobFile, listJobNames, loadJob, noJobFiles } from '../config/load-job.js';
import { buildRunConfig } from '../config/run-config.js';
import { MeetingTokensError } from '../errors.js';
import { lastRun, type HistoryEntry } from '../state/history.js';
import { readHeartbeats, type Heartbeat } from '../state/heartbeat.js';
import { schedulerFor, schedulerLine } from './scheduler-status.js';
import { printResult, type OutputFlags } from './output.js';
import { DEMO_KEY_WARNING } from '../config/api-key.js';

/** One job in `status --json`: `schedule` is "<cron> (<zone>)" or "manual", null when the file is invalid. */
interface StatusJson {
  job: string;
  schedule: string | null;
  /** Only while a scheduler runs this job. */
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
  const scheduler = schedulerFor(await readHeartbeats(values.state), resolve(values.jobs));
  const jobs: StatusJson[] = [];

  const rows: string[][] = [['JOB', 'SCHEDULE', 'NEXT RUN (UTC)', 'LAST RUN (UTC)', 'STATUS', 'TOKENS', 'REJECTS', 'OUTPUT']];
  const problems: string[] = [];
  for (const name of names) {
    let invalid: string | undefined;
    let schedule = '-';
    let next = '-';
    let nextAt: Date | undefined;
    try {
      const loaded = loadJob(findJobFile(name, values.jobs));
      buildRunConfig(loaded, {}); // the start-up checks run and schedule make (ttl over max_ttl, out holding the roster, ...)
      const { job } = loaded;
      schedule = job.schedule === undefined ? 'manual' : `${job.schedule} (${job.timezone})`;
      if (job.schedule !== undefined) {
        const running = scheduler.live?.jobs[name];
        if (running === undefined) next = scheduler.live ? 'not loaded: restart the scheduler' : 'none: no scheduler running';
        else if (running !== schedule) next = `scheduler runs ${running}: restart it`;
        else if ((nextAt = await nextRun(job.schedule, job.timezone))) {
          next = `${nextAt.toISOString().slice(0, 19)}Z (${wallClockSlot(nextAt, job.timezone).slice(0, 16)} local)`;
        }
      }
    } catch (error) {
      const message = error instanceof MeetingTokensError ? error.message : 'cannot be read';
      invalid = message;
      problems.push(...message.split('\n').map((line) => (line.includes(name) ? `  ${line}` : `  ${name}: ${line}`)));
    }
    const last = await lastRun(values.state, name);
    jobs.push({
      job: name,
      schedule: schedule === '-' ? null : schedule,
      next_run: nextAt?.toISOString() ?? null,
      invalid: invalid ?? null,
      last_run: last ?? null,
    });
    rows.push([
      name,
      schedule,
      next,
      last ? last.end.slice(0, 19) + 'Z' : 'never',
      invalid !== undefined ? 'invalid job file' : last ? `${last.status}${last.demo_key ? ` (${DEMO_KEY_WARNING})` : ''}` : '-',
      last?.tokens_written !== undefined ? String(last.tokens_written) : '-',
      last?.rows_rejected !== undefined ? String(last.rows_rejected) : '-',
      last?.outputs?.[0] ?? (last?.error ? last.error.message : '-'),
    ]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const table = rows.map((row) => row.map((cell, c) => (c < row.length - 1 ? cell.padEnd(widths[c]!) : cell)).join('  ') + '\n').join('');
  const below = problems.length > 0 ? `\ninvalid job files (run and schedule refuse them):\n${problems.join('\n')}\n` : '';
  printResult(
    values,
    () => `${table}\n${schedulerLine(scheduler, resolve(values.state))}\n${below}`,
    () => ({ scheduler: schedulerJson(scheduler.live), jobs }),
  );
  return 0;
}

async function nextRun(schedule: string, timezone: string): Promise<Date | undefined> {
  const task = createTask(schedule, () => undefined, { timezone });
  const at = task.getNextRuns(1)[0]; // getNextRun() is null on a stopped task
  await task.destroy();
  return at;
}

function schedulerJson(live: Heartbeat | undefined): { running: boolean; pid?: number; host?: string; since?: string; heartbeat?: string } {
  return live ? { running: true, pid: live.pid, host: live.host, since: live.started_at, heartbeat: live.updated_at } : { running: false };
}
