/**
 * How `expires_local` and `not_before_local` read: the presets a job names, the checks on a time
 * zone, a locale and an Intl.DateTimeFormat options object, and a cache of formatters. Every
 * check returns a problem in words (or undefined) so that a job setting can become a config error
 * and a roster cell a reject reason from the same rule.
 */
import { nearest } from '../suggest.js';

/** Intl.DateTimeFormat options, as a job gives them (plain data: it travels to worker threads). */
export type TimeFormatOptions = Readonly<Record<string, string | number | boolean>>;

/**
 * The documented presets, shown here for en-GB in Europe/Berlin. Hours follow the locale's own
 * clock (en-US writes 10:00 AM), and zone names its own usage (en-US calls CET GMT+1), which is
 * what its readers expect.
 */
export const TIME_FORMAT_PRESETS: Readonly<Record<string, TimeFormatOptions>> = {
  /** Mon, 1 Dec 2025, 10:00 CET */
  short: { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' },
  /** Monday, 1 December 2025 at 10:00 Central European Standard Time */
  long: { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'long' },
  /** Monday, 1 December 2025 */
  date: { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' },
  /** 10:00 CET */
  time: { hour: 'numeric', minute: '2-digit', timeZoneName: 'short' },
  /** 01/12/2025, 10:00 CET */
  numeric: { day: '2-digit', month: '2-digit', year: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' },
};

/** When neither the job nor a flag names them: day before month, a 24-hour clock, CET rather than GMT+1. */
export const DEFAULT_LOCALE = 'en-GB';
export const DEFAULT_TIME_FORMAT = 'short';

export const TIME_FORMAT_PRESET_NAMES: readonly string[] = Object.keys(TIME_FORMAT_PRESETS);

/**
 * Options a job's format may hold. `timeZone` is not among them: the zone is the job's
 * `timezone` (or a row's), so that one setting says where times are read.
 */
const FORMAT_KEYS = [
  'dateStyle',
  'timeStyle',
  'weekday',
  'era',
  'year',
  'month',
  'day',
  'dayPeriod',
  'hour',
  'minute',
  'second',
  'fractionalSecondDigits',
  'timeZoneName',
  'hour12',
  'hourCycle',
  'calendar',
  'numberingSystem',
  'formatMatcher',
] as const;

let zoneNames: readonly string[] | undefined;

// A reason quotes the value it refuses, but never more of a cell than this.
const shown = (value: string): string => JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}...` : value);

/** Why `name` is not an IANA time zone this runtime knows, or undefined when it is one. */
export function timeZoneProblem(name: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return undefined;
  } catch {
    zoneNames ??= Intl.supportedValuesOf('timeZone');
    // "Berlin" is more often meant as Europe/Berlin than as a typo of a whole name.
    const byCity = zoneNames.find((zone) => zone.toLowerCase().endsWith(`/${name.toLowerCase().replaceAll(' ', '_')}`));
    const guess = byCity ?? nearest(name, zoneNames);
    return `${shown(name)} is not an IANA time zone${guess ? ` (did you mean ${guess}?)` : ''}; e.g. Europe/Berlin, America/New_York, UTC`;
  }
}

/** Why `tag` is not a locale this runtime formats dates in, or undefined when it is one. */
export function localeProblem(tag: string): string | undefined {
  let supported: string[];
  try {
    supported = Intl.DateTimeFormat.supportedLocalesOf([tag]);
  } catch {
    // en_US, the POSIX spelling, is the commonest malformed tag.
    const hint = tag.includes('_') ? ` (did you mean ${tag.replaceAll('_', '-')}?)` : '';
    return `${shown(tag)} is not a BCP 47 locale${hint}; e.g. en-GB, de-DE, fr`;
  }
  if (supported.length === 0) return `${shown(tag)} is not a locale this runtime can format dates in; e.g. en-GB, de-DE, fr`;
  return undefined;
}

/**
 * A job's `time_format` as options: a preset's name, or an options object checked key by key
 * (Intl ignores unknown keys, which would hide a typo) and by Intl itself. Returns the options or
 * the problem.
 */
export function resolveTimeFormat(format: unknown): { options: TimeFormatOptions } | { problem: string } {
  if (typeof format === 'string') {
    const preset = TIME_FORMAT_PRESETS[format];
    if (preset !== undefined) return { options: preset };
    const guess = nearest(format, TIME_FORMAT_PRESET_NAMES);
    return {
      problem: `unknown preset ${shown(format)}${guess ? ` (did you mean ${guess}?)` : ''}; presets: ${TIME_FORMAT_PRESET_NAMES.join(', ')}, or give Intl.DateTimeFormat options`,
    };
  }
  if (typeof format !== 'object' || format === null || Array.isArray(format)) {
    return {
      problem: `must be a preset (${TIME_FORMAT_PRESET_NAMES.join(', ')}) or Intl.DateTimeFormat options such as { hour: 2-digit }`,
    };
  }
  const options: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(format)) {
    if (key === 'timeZone') return { problem: 'timeZone: set the time zone with timezone (or a timezone column), not in the format' };
    if (!(FORMAT_KEYS as readonly string[]).includes(key)) {
      const guess = nearest(key, FORMAT_KEYS);
      return { problem: `unknown option "${key}"${guess ? ` (did you mean ${guess}?)` : ''}` };
    }
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      return { problem: `${key}: must be a string, number or boolean` };
    }
    options[key] = value;
  }
  if (Object.keys(options).length === 0) return { problem: 'has no options; name a preset or give at least one option' };
  try {
    new Intl.DateTimeFormat('en', { ...options, timeZone: 'UTC' });
  } catch (error) {
    return { problem: (error as Error).message };
  }
  return { options };
}

const cache = new Map<string, Intl.DateTimeFormat>();
// Distinct (zone, locale, format) triples in a run are few; the bound only guards a roster of junk.
const CACHE_LIMIT = 10_000;

/**
 * The formatter for one (time zone, locale, format), made once per thread: building one costs tens
 * of microseconds, formatting with it a few. `formatKey` names `options` (a preset's name or its
 * JSON). The zone and locale must have been checked: an invalid one throws.
 */
export function cachedFormatter(timeZone: string, locale: string, formatKey: string, options: TimeFormatOptions): Intl.DateTimeFormat {
  const key = `${timeZone}\n${locale}\n${formatKey}`;
  let formatter = cache.get(key);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, formatter);
  }
  return formatter;
}

/** How many formatters the cache holds (for tests). */
export function cachedFormatterCount(): number {
  return cache.size;
}
