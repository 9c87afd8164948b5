/** `meeting-tokens schedule`: the long-running worker. */
import { createLogger } from '../log.js';
import { runDaemon } from '../schedule/daemon.js';
import { effectiveLogLevel, type LogLevel } from './options.js';
import { trapStopSignals } from './signals.js';

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
  // A clean stop (runs finished or aborted, locks released, history written) exits 0.
  const signals = trapStopSignals();
  try {
    return await runDaemon({
      jobsDir: values.jobs,
      stateDir: values.state,
      graceMs: values.grace * 1000,
      log: createLogger(effectiveLogLevel(values.logLevel, values.quiet)),
      env: process.env,
      stopped: signals.stopped,
      metricsPort: values.metricsPort,
      metricsHost: values.metricsHost,
      redisUrl: process.env['REDIS_URL'] || undefined,
    });
  } finally {
    signals.release();
  }
}
