/**
 * `expires_local` and `not_before_local`: a token's times as people read them in an email
 * ("Mon, 1 Dec 2025, 10:00 CET"), in the job's time zone and locale or a row's own.
 */
import { reject } from '../claims/rejection.js';
import { cachedFormatter, localeProblem, timeZoneProblem, type TimeFormatOptions } from './time-format.js';

/** A roster column that gives a row its own time zone or locale. */
export interface LocalTimeColumn {
  readonly index: number;
  /** Its header, for the reason of a row whose value is refused. */
  readonly header: string;
}

/** One local-time column's settings, checked at start. Plain data: it travels to worker threads. */
export interface LocalTimeSettings {
  /** IANA time zone for rows without their own. */
  readonly timeZone: string;
  /** BCP 47 locale for rows without their own. */
  readonly locale: string;
  /** Names `options` in the formatter cache: a preset's name, or the options' JSON. */
  readonly formatKey: string;
  readonly options: TimeFormatOptions;
  readonly timeZoneColumn?: LocalTimeColumn | undefined;
  readonly localeColumn?: LocalTimeColumn | undefined;
}

/** Unix seconds (undefined: none) and the row's fields -> the text; throws a `Rejection` for a row's bad zone or locale. */
export type LocalTime = (seconds: number | undefined, fields: readonly string[]) => string;

/**
 * A formatter and the texts it wrote. Formatting costs microseconds a row; a batch's rows share one
 * exp (one ttl) or a handful (rows with their own expires_at, sessions), in any order.
 */
interface Slot {
  readonly formatter: Intl.DateTimeFormat;
  seconds: number;
  text: string;
  readonly texts: Map<number, string>;
}

const slot = (formatter: Intl.DateTimeFormat): Slot => ({ formatter, seconds: NaN, text: '', texts: new Map() });

// Past this many distinct times a column's memo starts again: a roster of all-different times pays the formatting.
const TEXTS_LIMIT = 1024;

function write(target: Slot, seconds: number): string {
  if (seconds !== target.seconds) {
    let text = target.texts.get(seconds);
    if (text === undefined) {
      text = target.formatter.format(seconds * 1000);
      if (target.texts.size >= TEXTS_LIMIT) target.texts.clear();
      target.texts.set(seconds, text);
    }
    target.seconds = seconds;
    target.text = text;
  }
  return target.text;
}

// Distinct (zone, locale) cells in a roster are few; past this many the memo starts again.
const ROW_MEMO_LIMIT = 4096;

/**
 * Prepares one local-time column. Without per-row columns every row uses one formatter; with
 * them, each distinct (zone, locale) pair is checked and its formatter made once, and an empty
 * cell takes the job's value.
 */
export function createLocalTime(settings: LocalTimeSettings): LocalTime {
  const { timeZone, locale, formatKey, options, timeZoneColumn, localeColumn } = settings;
  const fixed = slot(cachedFormatter(timeZone, locale, formatKey, options));
  if (timeZoneColumn === undefined && localeColumn === undefined) {
    return (seconds) => (seconds === undefined ? '' : write(fixed, seconds));
  }
  const memo = new Map<string, Slot | string>();
  const forRow = (zoneCell: string, localeCell: string): Slot | string => {
    const key = `${zoneCell}\n${localeCell}`;
    let found = memo.get(key);
    if (found === undefined) {
      const zoneIssue = zoneCell === '' ? undefined : timeZoneProblem(zoneCell);
      const localeIssue = localeCell === '' ? undefined : localeProblem(localeCell);
      if (zoneIssue !== undefined) found = `${timeZoneColumn!.header}: ${zoneIssue}`;
      else if (localeIssue !== undefined) found = `${localeColumn!.header}: ${localeIssue}`;
      else found = slot(cachedFormatter(zoneCell || timeZone, localeCell || locale, formatKey, options));
      if (memo.size >= ROW_MEMO_LIMIT) memo.clear();
      memo.set(key, found);
    }
    return found;
  };
  return (seconds, fields) => {
    const zoneCell = timeZoneColumn === undefined ? '' : (fields[timeZoneColumn.index] ?? '').trim();
    const localeCell = localeColumn === undefined ? '' : (fields[localeColumn.index] ?? '').trim();
    if (zoneCell === '' && localeCell === '') return seconds === undefined ? '' : write(fixed, seconds);
    const target = forRow(zoneCell, localeCell);
    // A bad cell rejects its row even when this row has no time to show (no not_before).
    if (typeof target === 'string') reject(target);
    return seconds === undefined ? '' : write(target, seconds);
  };
}
