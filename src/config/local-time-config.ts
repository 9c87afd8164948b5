/**
 * The settings of the `expires_local` and `not_before_local` columns: the job's `output:` keys
 * (`timezone`, `locale`, `time_format`, `timezone_column`, `locale_column`) with their flags over
 * them, checked once at start. A problem is a config error naming the key or flag (exit 2).
 */
import { MeetingTokensError } from '../errors.js';
import {
  DEFAULT_LOCALE,
  DEFAULT_TIME_FORMAT,
  TIME_FORMAT_PRESETS,
  localeProblem,
  resolveTimeFormat,
  timeZoneProblem,
} from '../output/time-format.js';
import type { LocalTimeConfig } from '../output/local-time-params.js';

export type { LocalTimeConfig };

/** The keys as a job's `output:` block holds them (already checked by its schema). */
export interface LocalTimeKeys {
  timezone?: string | undefined;
  locale?: string | undefined;
  time_format?: unknown;
  timezone_column?: string | undefined;
  locale_column?: string | undefined;
}

/** The flags, as given. `timeFormat` is a preset's name or an options object in JSON. */
export interface LocalTimeFlags {
  timezone?: string | undefined;
  locale?: string | undefined;
  timeFormat?: string | undefined;
  timezoneColumn?: string | undefined;
  localeColumn?: string | undefined;
}

/**
 * Merges the settings and checks the flags (the job's keys were checked by its schema). `jobTimeZone` is the job's own `timezone` (its schedule's zone,
 * UTC by default), which the times are shown in unless the output block or `--timezone` says
 * otherwise. `file` names the job file in messages (undefined: no job file).
 */
export function buildLocalTimeConfig(
  keys: LocalTimeKeys | undefined,
  jobTimeZone: string,
  flags: LocalTimeFlags,
  file: string | undefined,
): LocalTimeConfig {
  const fail = (key: string, flag: string, fromFlag: boolean, problem: string): never => {
    const where = fromFlag || file === undefined ? `--${flag}` : `${file}: output.${key}`;
    throw new MeetingTokensError('CONFIG_INVALID', `${where}: ${problem}`);
  };
  // Only values given here are checked: the job's timezone was checked by its schema, and the
  // first Intl time zone lookup costs a run 8 MB of ICU data it never uses without these columns.
  const timeZone = flags.timezone ?? keys?.timezone ?? jobTimeZone;
  const zoneIssue = flags.timezone !== undefined ? timeZoneProblem(flags.timezone) : undefined;
  if (zoneIssue !== undefined) fail('timezone', 'timezone', true, zoneIssue);
  const locale = flags.locale ?? keys?.locale ?? DEFAULT_LOCALE;
  const localeIssue = flags.locale !== undefined ? localeProblem(flags.locale) : undefined;
  if (localeIssue !== undefined) fail('locale', 'locale', true, localeIssue);

  let format: unknown = keys?.time_format ?? DEFAULT_TIME_FORMAT;
  if (flags.timeFormat !== undefined) {
    format = flags.timeFormat;
    if (flags.timeFormat.trimStart().startsWith('{')) {
      try {
        format = JSON.parse(flags.timeFormat);
      } catch {
        fail('time_format', 'time-format', true, 'options must be a JSON object, e.g. \'{"hour":"numeric","minute":"2-digit"}\'');
      }
    }
  }
  const resolved = format === DEFAULT_TIME_FORMAT ? { options: TIME_FORMAT_PRESETS[DEFAULT_TIME_FORMAT]! } : resolveTimeFormat(format);
  if ('problem' in resolved) return fail('time_format', 'time-format', flags.timeFormat !== undefined, resolved.problem);
  const column = (value: string | undefined, key: string, flag: string, fromFlag: boolean): string | undefined => {
    if (value === undefined) return undefined;
    if (value.trim() === '') fail(key, flag, fromFlag, 'must name a roster column by its header');
    return value;
  };
  return {
    timeZone,
    locale,
    formatKey: typeof format === 'string' ? format : JSON.stringify(resolved.options),
    options: resolved.options,
    timeZoneColumn: column(
      flags.timezoneColumn ?? keys?.timezone_column,
      'timezone_column',
      'timezone-column',
      flags.timezoneColumn !== undefined,
    ),
    localeColumn: column(flags.localeColumn ?? keys?.locale_column, 'locale_column', 'locale-column', flags.localeColumn !== undefined),
  };
}
