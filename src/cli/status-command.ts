/** `meeting-tokens status`: every job in the jobs directory, with its last run. */
import { parseArgs } from 'node:util';
import { createTask } from 'node-cron';
import { wallClockSlot } from '../schedule/wall-clock.js';
import { findJobFile, listJobNames, loadJob } from '../config/load-job.js';
import { buildRunConfig } from '../config/run-config.js';
import { MeetingTokensError } from '../errors.js';
import { lastRun } from '../state/history.js';
import { STATUS_HELP } from './help.js';
import { usageError } from './args.js';

export async function statusCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      jobs: { type: 'string', default: 'jobs' },
      state: { type: 'string', default: 'state' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(STATUS_HELP);
    return 0;
  }
  if (positionals.length > 0) throw usageError('status takes no arguments');
  const names = listJobNames(values.jobs);
  if (names.length === 0) throw new MeetingTokensError('JOB_NOT_FOUND', `no job files (*.yaml) in ${values.jobs}/`);

  const rows: string[][] = [['JOB', 'SCHEDULE', 'NEXT RUN (UTC)', 'LAST RUN (UTC)', 'STATUS', 'TOKENS', 'REJECTS', 'OUTPUT']];
  for (const name of names) {
    let invalid: string | undefined;
    let schedule = '-';
    let next = '-';
    try {
      const loaded = loadJob(findJobFile(name, values.jobs));
      buildRunConfig(loaded, {}); // the start-up checks run and schedule make (ttl over max_ttl, out holding the roster, ...)
      const { job } = loaded;
      schedule = job.schedule === undefined ? 'manual' : `${job.schedule} (${job.timezone})`;
      if (job.schedule !== undefined) {
        const task = createTask(job.schedule, () => undefined, { timezone: job.timezone });
        const at = task.getNextRuns(1)[0]; // getNextRun() is null on a stopped task
        if (at) next = `${at.toISOString().slice(0, 19)}Z (${wallClockSlot(at, job.timezone).slice(0, 16)} local)`;
        await task.destroy();
      }
    } catch (error) {
      invalid = error instanceof MeetingTokensError ? error.message.split('\n')[0] : 'invalid';
    }
    const last = await lastRun(values.state, name);
    rows.push([
      name,
      schedule,
      next,
      last ? last.end.slice(0, 19) + 'Z' : 'never',
      invalid ? `invalid job file: ${invalid}` : (last?.status ?? '-'),
      last?.tokens_written !== undefined ? String(last.tokens_written) : '-',
      last?.rows_rejected !== undefined ? String(last.rows_rejected) : '-',
      last?.outputs?.[0] ?? (last?.error ? last.error.message : '-'),
    ]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const row of rows)
    process.stdout.write(row.map((cell, c) => (c < row.length - 1 ? cell.padEnd(widths[c]!) : cell)).join('  ') + '\n');
  return 0;
}
