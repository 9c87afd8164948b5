/**
 * pino on stderr (stdout stays free for command output): JSON for machines, pretty on a TTY.
 * `redact` is a second line of defence; the key and tokens are never passed to a log call.
 */
import { createRequire } from 'node:module';
import { pino, type Logger, type LevelWithSilent, type LoggerOptions } from 'pino';
import { readerGone } from './stdio.js';

// pino-pretty (about 10 MB of memory) is loaded only for a terminal, never in a container's run.
const requireModule = createRequire(import.meta.url);

export const REDACT_PATHS = ['key', 'apiKey', 'api_key', 'token', 'authorization', '*.key', '*.apiKey', '*.token', '*.authorization'];

/**
 * `onWarning` receives the message of every line logged at warn or above (for a command's
 * `--json` result); lines below the logger's level are not logged and not passed on.
 * `beforeWrite` runs before each log line reaches stderr: a progress line sharing the terminal
 * erases itself there, so no log line is glued to it.
 */
export function createLogger(
  level: LevelWithSilent = 'info',
  tty: boolean = process.stderr.isTTY === true,
  onWarning?: (message: string) => void,
  beforeWrite?: () => void,
): Logger {
  const options: LoggerOptions = { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { pid: process.pid } };
  if (onWarning) {
    options.hooks = {
      logMethod(args, method, levelValue) {
        const message = args.find((arg): arg is string => typeof arg === 'string');
        if (levelValue >= 40 && message !== undefined) onWarning(message);
        method.apply(this, args);
      },
    };
  }
  const stderr = pino.destination({ fd: 2, sync: true });
  // A log whose reader is gone (a closed terminal, a pipe whose reader exited) is dropped from then
  // on: a run must not crash half-way for want of a reader (src/stdio.ts).
  let gone = false;
  stderr.on('error', (error: unknown) => {
    if (!readerGone(error)) throw error;
    gone = true;
  });
  // pino-pretty's formatter alone, synchronous: its stream would write after the hook had run.
  const format = tty ? prettyFormatter() : (line: string): string => line;
  const destination = {
    write: (line: string): void => {
      if (gone) return;
      beforeWrite?.();
      stderr.write(format(line));
    },
  };
  return pino(options, destination);
}

function prettyFormatter(): (line: string) => string {
  const { prettyFactory } = requireModule('pino-pretty') as typeof import('pino-pretty');
  return prettyFactory({ ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss' });
}
