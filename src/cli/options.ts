/**
 * Options that several commands share, declared once each: flag, description, default,
 * environment variable, choices. Commands add them with `.addOption(...)`.
 */
import { Option } from 'commander';
import { usageError } from './args.js';
import { DELIMITER_CHOICES } from '../roster/delimiter.js';
import { ENCODINGS } from '../roster/encoding.js';

/** pino's levels, the only values `--log-level` takes. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The environment variables naming the jobs and state directories. */
export const JOBS_ENV = 'MEETING_TOKENS_JOBS';
export const STATE_ENV = 'MEETING_TOKENS_STATE';

export const jobsOption = (): Option => new Option('--jobs <dir>', 'where job files live').env(JOBS_ENV).default('jobs', './jobs');

export const stateOption = (): Option =>
  new Option('--state <dir>', 'per-job locks and run history').env(STATE_ENV).default('state', './state');

export const logLevelOption = (): Option =>
  new Option('--log-level <level>', 'log lines on stderr from this level up').choices(LOG_LEVELS).default('info');

export const allowWeakKeyOption = (): Option =>
  new Option(
    '--allow-weak-key',
    "accept an API key that is not 64 hex digits as Daily's are (quotes or whitespace around a key are refused all the same)",
  );

export const nowOption = (what: string): Option => new Option('--now <time>', `${what} (ISO 8601 with offset, in the years 2000 to 2999)`);

export const jsonOption = (what: string): Option =>
  new Option('--json', `print ${what} as one JSON object on stdout, nothing else`).conflicts('quiet');

export const delimiterOption = (): Option =>
  new Option(
    '--delimiter <char>',
    "the roster's field delimiter (default: the one that splits the header row into the most fields)",
  ).choices(DELIMITER_CHOICES);

export const encodingOption = (): Option =>
  new Option(
    '--encoding <name>',
    "the roster's encoding when it has no byte-order mark (default utf-8; a BOM marks UTF-8 and UTF-16 itself)",
  ).choices(ENCODINGS);

export const quietOption = (): Option => new Option('-q, --quiet', 'print nothing but errors');

/** `--quiet` keeps errors only; a quieter `--log-level` (fatal, silent) still wins. */
export function effectiveLogLevel(level: LogLevel, quiet: boolean | undefined): LogLevel {
  if (!quiet) return level;
  return LOG_LEVELS.indexOf(level) < LOG_LEVELS.indexOf('error') || level === 'silent' ? level : 'error';
}

/** A parser for a number option: the value, or exit 2 naming the flag and the range. */
export function numberFrom(flag: string, min: number, max: number, what = 'a number'): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (text.trim() === '' || !(value >= min && value <= max)) throw usageError(`--${flag}: ${what} from ${min} to ${max}`);
    return value;
  };
}

/** A parser for a whole-number option; `what` ends the message ("a port number"), range included by default. */
export function wholeNumber(flag: string, min: number, max: number, what?: string): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (text.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
      throw usageError(`--${flag}: ${what ?? `a whole number from ${min} to ${max}`}`);
    }
    return value;
  };
}

/** How `expires_local` and `not_before_local` read; each over its `output:` key in the job. */
export const localTimeOptions = (): Option[] => [
  new Option('--timezone <iana>', "time zone of the expires_local and not_before_local columns (default: the job's timezone, else UTC)"),
  new Option('--locale <tag>', 'language and region they are written for, BCP 47 (default en-GB)'),
  new Option(
    '--time-format <preset|json>',
    'how they read: short (Mon, 1 Dec 2025, 10:00 CET), long, date, time, numeric, or Intl.DateTimeFormat options as JSON (default short)',
  ),
  new Option('--timezone-column <header>', "a roster column giving each row its own time zone (an empty cell takes the job's)"),
  new Option('--locale-column <header>', "a roster column giving each row its own locale (an empty cell takes the job's)"),
];
