/**
 * The `output:` keys of the local-time columns, for the job file schema: each checked by the same
 * rule as its flag (output/time-format.ts), so a job file's mistake is one line at start.
 */
import { z } from 'zod';
import { localeProblem, resolveTimeFormat, timeZoneProblem } from '../output/time-format.js';

function checkedBy<T>(schema: z.ZodType<T>, problem: (value: T) => string | undefined): z.ZodType<T> {
  return schema.superRefine((value, ctx) => {
    const issue = problem(value);
    if (issue !== undefined) ctx.addIssue({ code: 'custom', message: issue });
  });
}

const formatProblem = (format: unknown): string | undefined => {
  const resolved = resolveTimeFormat(format);
  return 'problem' in resolved ? resolved.problem : undefined;
};

const header = z.string().min(1, 'must name a roster column by its header');

/** Spread into the `output:` block's shape. */
export const localTimeShape = {
  /** IANA time zone of expires_local and not_before_local; default: the job's timezone. */
  timezone: checkedBy(z.string(), timeZoneProblem).optional(),
  /** BCP 47 locale; default en-GB. */
  locale: checkedBy(z.string(), localeProblem).optional(),
  /** A preset's name or Intl.DateTimeFormat options; default short. */
  time_format: checkedBy(z.unknown(), formatProblem).optional(),
  /** Roster header of a column giving a row its own time zone. */
  timezone_column: header.optional(),
  /** Roster header of a column giving a row its own locale. */
  locale_column: header.optional(),
};
