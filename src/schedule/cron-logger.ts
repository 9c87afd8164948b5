import type { Logger as CronLogger } from 'node-cron';
import type { Logger } from 'pino';

/**
 * node-cron's own log lines as pino lines (its default logger writes coloured text to the
 * console). Its warnings (a slot overlapping a run, a missed slot) come with an event that is
 * logged above with job and slot, so they go to debug.
 */
export function cronLogger(log: Logger): CronLogger {
  const cron = log.child({ module: 'node-cron' });
  const text = (message: string | Error): string => (message instanceof Error ? message.message : message);
  return {
    info: (message) => cron.debug(message),
    warn: (message) => cron.debug(message),
    debug: (message) => cron.debug(text(message)),
    error: (message, error) => cron.error(error ? { error: error.message } : {}, text(message)),
  };
}
