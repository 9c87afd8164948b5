import { MeetingTokensError } from '../errors.js';

export function usageError(message: string): MeetingTokensError {
  return new MeetingTokensError('USAGE', message);
}

/** `--now`: ISO 8601 with an offset (or Z). */
export function parseNow(text: string): Date {
  if (!/[Zz]$|[+-]\d{2}:?\d{2}$/.test(text) || Number.isNaN(Date.parse(text))) {
    throw usageError(`--now: "${text}" is not an ISO 8601 time with offset, e.g. 2026-01-01T09:00:00Z`);
  }
  return new Date(text);
}
