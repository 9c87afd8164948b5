/** `meeting-tokens run`: one batch by hand, from a job file or from flags. */
import { parseArgs } from 'node:util';
import type { LevelWithSilent } from 'pino';
import { findJobFile, loadJob } from '../config/load-job.js';
import { buildRunConfig } from '../config/run-config.js';
import { loadApiKey } from '../config/api-key.js';
import { createLogger } from '../log.js';
import { RUN_HELP } from './help.js';
import { parseNow, usageError } from './args.js';
import { startProgress } from './progress.js';
import { runJob } from '../schedule/run-job.js';

export async function runCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      jobs: { type: 'string', default: 'jobs' },
      roster: { type: 'string' },
      out: { type: 'string' },
      'domain-id': { type: 'string' },
      'domain-name': { type: 'string' },
      ttl: { type: 'string' },
      'max-ttl': { type: 'string' },
      'allow-all-rooms': { type: 'boolean' },
      'max-reject-ratio': { type: 'string' },
      now: { type: 'string' },
      'allow-weak-key': { type: 'boolean', default: false },
      workers: { type: 'string' },
      offline: { type: 'boolean', default: false },
      state: { type: 'string', default: 'state' },
      'log-level': { type: 'string', default: 'info' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(RUN_HELP);
    return 0;
  }
  if (positionals.length > 1) throw usageError(`run takes one job name, got ${positionals.length}`);
  const log = createLogger(values['log-level'] as LevelWithSilent);
  const loaded = positionals[0] !== undefined ? loadJob(findJobFile(positionals[0], values.jobs)) : undefined;
  const config = buildRunConfig(loaded, {
    roster: values.roster,
    out: values.out,
    domainId: values['domain-id'],
    domainName: values['domain-name'],
    ttl: values.ttl,
    maxTtl: values['max-ttl'],
    allowAllRooms: values['allow-all-rooms'],
    maxRejectRatio: values['max-reject-ratio'],
    offline: values.offline,
  });
  const apiKey = loadApiKey(process.env, { allowWeakKey: values['allow-weak-key'], demoAllowed: config.demoKey });
  if (apiKey.source === 'demo') {
    log.warn({ job: config.job }, 'DAILY_API_KEY is not set: signing with the public DEMO key; Daily will reject these tokens');
  }
  const now = values.now !== undefined ? parseNow(values.now) : new Date();
  let workers: number | undefined;
  if (values.workers !== undefined) {
    workers = Number(values.workers);
    if (!Number.isInteger(workers) || workers < 0 || workers > 64) throw usageError('--workers: a whole number from 0 to 64');
  }

  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => controller.abort(signal);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const progress = startProgress();
  try {
    const result = await runJob({
      config,
      apiKey,
      now,
      log,
      stateDir: values.state,
      slot: null,
      signal: controller.signal,
      workers,
      onProgress: progress.update,
    });
    progress.stop();
    const m = result.manifest;
    const repeats = m.duplicates.rows > 0 ? `, ${m.duplicates.rows} repeat an earlier (room, user_id)` : '';
    const what = m.status === 'done' ? `${m.tokens_written} tokens, ${m.rows_rejected} rejected${repeats}` : m.error?.message;
    process.stdout.write(`${m.status}: ${what} -> ${result.manifestPath}\n`);
    return result.exitCode;
  } finally {
    progress.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
