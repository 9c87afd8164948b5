/** `meeting-tokens schedule`: the long-running worker. */
import { parseArgs } from 'node:util';
import type { LevelWithSilent } from 'pino';
import { createLogger } from '../log.js';
import { runDaemon } from '../schedule/daemon.js';
import { SCHEDULE_HELP } from './help.js';
import { usageError } from './args.js';

export async function scheduleCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      jobs: { type: 'string', default: 'jobs' },
      state: { type: 'string', default: 'state' },
      grace: { type: 'string', default: '25' },
      'metrics-port': { type: 'string' },
      'metrics-host': { type: 'string', default: '127.0.0.1' },
      'log-level': { type: 'string', default: 'info' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(SCHEDULE_HELP);
    return 0;
  }
  if (positionals.length > 0) throw usageError('schedule takes no arguments; see meeting-tokens schedule --help');
  const grace = Number(values.grace);
  if (!(grace >= 0 && grace <= 3600)) throw usageError('--grace: seconds from 0 to 3600');
  let metricsPort: number | undefined;
  if (values['metrics-port'] !== undefined) {
    metricsPort = Number(values['metrics-port']);
    if (!Number.isInteger(metricsPort) || metricsPort < 0 || metricsPort > 65535) throw usageError('--metrics-port: a port number');
  }
  const stopped = new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  return runDaemon({
    jobsDir: values.jobs,
    stateDir: values.state,
    graceMs: grace * 1000,
    log: createLogger(values['log-level'] as LevelWithSilent),
    env: process.env,
    stopped,
    metricsPort,
    metricsHost: values['metrics-host'],
    redisUrl: process.env['REDIS_URL'] || undefined,
  });
}
