/**
 * The local-time columns as output columns: their settings as plain params (resolved against the
 * roster's header once, at start; they travel to worker threads), and the prepared formatter of a
 * column, made once per column and thread.
 */
import { fold } from '../claims/header-names.js';
import { MeetingTokensError } from '../errors.js';
import { nearest } from '../suggest.js';
import { createLocalTime, type LocalTime, type LocalTimeColumn } from './local-time.js';
import { DEFAULT_LOCALE, DEFAULT_TIME_FORMAT, TIME_FORMAT_PRESETS, type TimeFormatOptions } from './time-format.js';

/** How the local-time columns read, as the run's settings give it (config/local-time-config.ts). */
export interface LocalTimeConfig {
  timeZone: string;
  locale: string;
  /** A preset's name, or the options' JSON: names the format in the formatter cache. */
  formatKey: string;
  options: TimeFormatOptions;
  /** Roster headers giving a row its own time zone and locale (an empty cell takes the job's). */
  timeZoneColumn: string | undefined;
  localeColumn: string | undefined;
}

/** The settings of a run that names none: UTC, en-GB, the short preset. */
export const DEFAULT_LOCAL_TIME: LocalTimeConfig = {
  timeZone: 'UTC',
  locale: DEFAULT_LOCALE,
  formatKey: DEFAULT_TIME_FORMAT,
  options: TIME_FORMAT_PRESETS[DEFAULT_TIME_FORMAT]!,
  timeZoneColumn: undefined,
  localeColumn: undefined,
};

/** A column's settings as plain values (what an output column carries to the threads). */
export type LocalTimeParams = Readonly<Record<string, string | number | boolean>>;

/** The output columns that show a token's time in local time, by the time they show. */
export const LOCAL_TIME_SOURCES: ReadonlySet<string> = new Set(['expires_local', 'not_before_local']);

/** `header`'s index in the roster: as written, else the one header that folds to it; else a config error naming the nearest. */
function rosterColumn(headers: readonly string[], header: string, key: string): LocalTimeColumn {
  let index = headers.indexOf(header);
  if (index < 0) {
    const matches = headers.flatMap((h, i) => (fold(h) === fold(header) ? [i] : []));
    if (matches.length === 1) index = matches[0]!;
  }
  if (index < 0) {
    const hint = nearest(header, headers);
    throw new MeetingTokensError(
      'ROSTER_HEADER',
      `output.${key}: the roster has no column "${header}"${hint !== undefined ? ` (did you mean ${hint}?)` : ''}; name one of its headers`,
      { column: header },
    );
  }
  return { index, header: headers[index]! };
}

/** The params of a local-time column for this roster; throws ROSTER_HEADER for a per-row column it lacks. */
export function localTimeParams(config: LocalTimeConfig, headers: readonly string[]): LocalTimeParams {
  const params: Record<string, string | number | boolean> = {
    timeZone: config.timeZone,
    locale: config.locale,
    formatKey: config.formatKey,
    options: JSON.stringify(config.options),
  };
  if (config.timeZoneColumn !== undefined) {
    const column = rosterColumn(headers, config.timeZoneColumn, 'timezone_column');
    params['timeZoneIndex'] = column.index;
    params['timeZoneHeader'] = column.header;
  }
  if (config.localeColumn !== undefined) {
    const column = rosterColumn(headers, config.localeColumn, 'locale_column');
    params['localeIndex'] = column.index;
    params['localeHeader'] = column.header;
  }
  return params;
}

const prepared = new WeakMap<object, LocalTime>();

/** The formatter of the column whose params these are (`owner`: the column object, stable for a run). */
export function localTimeOf(owner: object, params: LocalTimeParams): LocalTime {
  let localTime = prepared.get(owner);
  if (localTime === undefined) {
    const column = (index: unknown, header: unknown): LocalTimeColumn | undefined =>
      typeof index === 'number' ? { index, header: String(header) } : undefined;
    localTime = createLocalTime({
      timeZone: String(params['timeZone']),
      locale: String(params['locale']),
      formatKey: String(params['formatKey']),
      options: JSON.parse(String(params['options'])) as TimeFormatOptions,
      timeZoneColumn: column(params['timeZoneIndex'], params['timeZoneHeader']),
      localeColumn: column(params['localeIndex'], params['localeHeader']),
    });
    prepared.set(owner, localTime);
  }
  return localTime;
}
