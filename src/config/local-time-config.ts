/**
 * The settings of the `expires_local` and `not_before_local` columns: the job's `output:` keys
 * (`timezone`, `locale`, `time_format`, `timezone_column`, `locale_column`) with their flags over
 * them, checked once at start. A problem is a config error naming the key or flag (exit 2).
 */
import { MeetingTokensError } from '../errors.js';
import { DEFAULT_LOCALE, DEFAULT_TIME_FORMAT, localeProblem, resolveTimeFormat, timeZoneProblem } from '../output/time-format.js';
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
 * Merges and checks the settings. `jobTimeZone` is the job's own `timezone` (its schedule's zone,
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
  const timeZone = flags.timezone ?? keys?.timezone ?? jobTimeZone;
  const zoneIssue = timeZoneProblem(timeZone);
  if (zoneIssue !== undefined) fail('timezone', 'timezone', flags.timezone !== undefined, zoneIssue);
  const locale = flags.locale ?? keys?.locale ?? DEFAULT_LOCALE;
  const localeIssue = localeProblem(locale);
  if (localeIssue !== undefined) fail('locale', 'locale', flags.locale !== undefined, localeIssue);

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
  const resolved = resolveTimeFormat(format);
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
