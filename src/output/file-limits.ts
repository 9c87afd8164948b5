/**
 * A profile's file limits (the most lines and bytes its mailer takes in one file) as a run applies
 * them: with `split`, they are the default for the dimension the job leaves out, so no part is
 * larger than the mailer takes; without it, a tokens file over them fails the run before anything
 * is published, with the `split:` that would fit.
 */
import { MeetingTokensError } from '../errors.js';
import { plural } from '../plural.js';
import type { MailerProfile } from './profiles.js';
import type { SplitLimits } from './token-parts.js';

/** The most lines (header included) and bytes one file may have; undefined: no limit. */
export interface FileLimits {
  readonly maxRows?: number | undefined;
  readonly maxBytes?: number | undefined;
}

/** Lower the limits of every profile (a plan with smaller files, e.g. HubSpot's free tools: 20 MB). */
export const MAX_FILE_ROWS_ENV = 'MEETING_TOKENS_MAX_FILE_ROWS';
export const MAX_FILE_BYTES_ENV = 'MEETING_TOKENS_MAX_FILE_BYTES';

const lower = (a: number | undefined, b: number | undefined): number | undefined =>
  a === undefined ? b : b === undefined ? a : Math.min(a, b);

/**
 * The profile's file limits, each lowered by its environment variable when that is a whole number
 * (at least 2 lines: a header and a row); anything else there is an error message.
 */
export function fileLimits(profile: MailerProfile, env: NodeJS.ProcessEnv = process.env): FileLimits | string {
  const read = (name: string, least: number): number | undefined | string => {
    const text = env[name];
    if (text === undefined || text === '') return undefined;
    const value = Number(text);
    return Number.isSafeInteger(value) && value >= least ? value : `${name}: "${text}" is not a whole number of at least ${least}`;
  };
  const rows = read(MAX_FILE_ROWS_ENV, 2);
  const bytes = read(MAX_FILE_BYTES_ENV, 1);
  if (typeof rows === 'string') return rows;
  if (typeof bytes === 'string') return bytes;
  return { maxRows: lower(profile.file.maxRows, rows), maxBytes: lower(profile.file.maxBytes, bytes) };
}

/** `split` with the file limits filling in what it leaves out; undefined stays undefined (one file). */
export function partLimits(split: SplitLimits | undefined, limits: FileLimits): SplitLimits | undefined {
  if (split === undefined) return undefined;
  return {
    rows: split.rows ?? (limits.maxRows !== undefined ? limits.maxRows - 1 : undefined),
    bytes: split.bytes ?? limits.maxBytes,
  };
}

/**
 * Null when one file of `rows` rows (the header not counted) and `bytes` bytes fits the limits,
 * else the one-line error: what is over, that nothing was published, and the `split:` that fits.
 */
export function fileLimitProblem(label: string, limits: FileLimits, rows: number, bytes: number): string | null {
  if (limits.maxRows !== undefined && rows + 1 > limits.maxRows) {
    return (
      `output: ${plural(rows, 'row')} and a header line are more than the ${limits.maxRows} lines ${label} takes a file; ` +
      `nothing was published; add split: { rows: ${limits.maxRows - 1} } to output: for numbered parts`
    );
  }
  if (limits.maxBytes !== undefined && bytes > limits.maxBytes) {
    return (
      `output: the tokens file is ${plural(bytes, 'byte')}, more than the ${limits.maxBytes} ${label} takes a file; ` +
      `nothing was published; add split: { bytes: ${limits.maxBytes} } to output: for numbered parts`
    );
  }
  return null;
}

/** Throws CONFIG_INVALID (exit 2) when one tokens file would be over the limits: see fileLimitProblem. */
export function refuseOversizedFile(label: string, limits: FileLimits, rows: number, bytes: number, job: string): void {
  const problem = fileLimitProblem(label, limits, rows, bytes);
  if (problem !== null) throw new MeetingTokensError('CONFIG_INVALID', problem, { job });
}
