/** Durations in job files and flags: "7d", "36h", "1d12h", "90m", "3600s", "2w". */
const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
const WHOLE = /^(?:\d+[smhdw])+$/;
const PART = /(\d+)([smhdw])/g;

/**
 * The longest `max_ttl`: a year (and a day, for leap years). Daily's advice is that every token
 * expires; one valid for centuries (`400000w`) is a token that never does, and past year 275760 a
 * time is not even a Date.
 */
export const MAX_TTL_LIMIT_SECONDS = 366 * 86400;

/** Seconds in `text`, or undefined when it is not a duration. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (!WHOLE.test(trimmed)) return undefined;
  let total = 0;
  for (const [, n, unit] of trimmed.matchAll(PART)) total += Number(n) * UNIT_SECONDS[unit!]!;
  return total > 0 && Number.isSafeInteger(total) ? total : undefined;
}
