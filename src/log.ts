/**
 * pino on stderr (stdout stays free for command output): JSON for machines, pretty on a TTY.
 * `redact` is a second line of defence; the key and tokens are never passed to a log call.
 */
import { pino, type Logger, type LevelWithSilent } from 'pino';
import pretty from 'pino-pretty';

export const REDACT_PATHS = ['key', 'apiKey', 'api_key', 'token', 'authorization', '*.key', '*.apiKey', '*.token', '*.authorization'];

export function createLogger(level: LevelWithSilent = 'info', tty: boolean = process.stderr.isTTY === true): Logger {
  const options = { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { pid: process.pid } };
  if (tty) return pino(options, pretty({ destination: 2, sync: true, ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss' }));
  return pino(options, pino.destination({ fd: 2, sync: true }));
}
