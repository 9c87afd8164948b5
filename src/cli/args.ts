import { MeetingTokensError } from '../errors.js';

export function usageError(message: string): MeetingTokensError {
  return new MeetingTokensError('USAGE', message);
}

/**
 * The years `--now` may name. A typo such as a six-digit year would otherwise sign tokens with
 * nonsense times (year 1: a negative `exp`) and name files that retention never matches; the
 * ceiling keeps every `exp` a four-digit year, with any `max_ttl`.
 */
const NOW_YEARS = { from: 2000, to: 2999 } as const;

/** `--now`: ISO 8601 with an offset (or Z), within `NOW_YEARS`. */
export function parseNow(text: string): Date {
  if (!/[Zz]$|[+-]\d{2}:?\d{2}$/.test(text) || Number.isNaN(Date.parse(text))) {
    throw usageError(`--now: "${text}" is not an ISO 8601 time with offset, e.g. 2026-01-01T09:00:00Z`);
  }
  const date = new Date(text);
  const year = date.getUTCFullYear();
  if (year < NOW_YEARS.from || year > NOW_YEARS.to) {
    throw usageError(`--now: "${text}" is in the year ${year}; give a time in the years ${NOW_YEARS.from} to ${NOW_YEARS.to}`);
  }
  return date;
}
