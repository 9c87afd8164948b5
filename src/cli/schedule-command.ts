/** `meeting-tokens schedule`: the long-running worker. */
import { createLogger } from '../log.js';
import { runDaemon } from '../schedule/daemon.js';
import { effectiveLogLevel, type LogLevel } from './options.js';

/** `schedule`'s options as parsed from its declaration (commands.ts). */
export interface ScheduleValues {
  jobs: string;
  state: string;
  grace: number;
  metricsPort?: number;
  metricsHost: string;
  logLevel: LogLevel;
  quiet?: boolean;
}

export async function scheduleCommand(values: ScheduleValues): Promise<number> {
  const stopped = new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  return runDaemon({
    jobsDir: values.jobs,
    stateDir: values.state,
    graceMs: values.grace * 1000,
    log: createLogger(effectiveLogLevel(values.logLevel, values.quiet)),
    env: process.env,
    stopped,
    metricsPort: values.metricsPort,
    metricsHost: values.metricsHost,
    redisUrl: process.env['REDIS_URL'] || undefined,
  });
}
