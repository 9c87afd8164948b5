/**
 * The `output:` block of a job file: which file to write for which mailing system. Checked at
 * start against the profile's own rules (header names, file limits), so that a name the mailer
 * would refuse is one line now rather than a failed import later.
 */
import { z } from 'zod';
import { PROFILE_NAMES, PROFILES, type ProfileName } from '../output/profiles.js';
import { checkHeaderNames, splitProblems } from '../output/profile-rules.js';
import { nearest } from '../suggest.js';
import { localTimeShape } from './local-time-schema.js';
import { MAX_LINKS_LIMIT } from './output-limits.js';

export const OUTPUT_FORMATS = ['csv', 'jsonl'] as const;

const isProfile = (name: string): name is ProfileName => (PROFILE_NAMES as readonly string[]).includes(name);

const profileName = z.string().superRefine((name, ctx) => {
  if (isProfile(name)) return;
  const guess = nearest(name, PROFILE_NAMES);
  ctx.addIssue({
    code: 'custom',
    message: `unknown profile "${name}"${guess ? ` (did you mean ${guess}?)` : ''}; profiles: ${PROFILE_NAMES.join(', ')}`,
  });
});

const splitShape = z.strictObject({ rows: z.number().int().positive().optional(), bytes: z.number().int().positive().optional() });

const outputShape = z.strictObject({
  format: z.enum(OUTPUT_FORMATS).default('csv'),
  profile: profileName.default('generic'),
  /** Output columns in order: the column a value comes from -> its name in the file. */
  columns: z.record(z.string().min(1), z.string().min(1)).optional(),
  split: splitShape
    .refine((split) => split.rows !== undefined || split.bytes !== undefined, { message: 'needs rows, bytes or both' })
    .optional(),
  ...localTimeShape,
  /** One row per recipient: the column whose value names the recipient (`email`, `user_id`, any roster column). */
  group_by: z.string().trim().min(1, 'must name a column').optional(),
  /** With group_by: links (token rows) per recipient row; a recipient's rows past this are rejected. */
  max_links_per_recipient: z.number().int().min(1).max(MAX_LINKS_LIMIT).optional(),
});

export const outputSchema = outputShape.superRefine((output, ctx) => {
  if (!isProfile(output.profile)) return;
  const profile = PROFILES[output.profile];
  if (output.columns !== undefined) {
    for (const message of checkHeaderNames(profile, Object.values(output.columns), output.columns['email'])) {
      ctx.addIssue({ code: 'custom', path: ['columns'], message });
    }
  }
  if (output.max_links_per_recipient !== undefined && output.group_by === undefined) {
    ctx.addIssue({ code: 'custom', path: ['max_links_per_recipient'], message: 'applies only with group_by (one row per recipient)' });
  }
  for (const problem of output.split ? splitProblems(profile, output.split) : []) {
    const colon = problem.indexOf(': ');
    ctx.addIssue({ code: 'custom', path: ['split', problem.slice(0, colon)], message: problem.slice(colon + 2) });
  }
});

export type OutputBlock = z.infer<typeof outputSchema>;

/** Keys of the block and of its `split:`, for "did you mean" hints. */
export const OUTPUT_KEYS: readonly string[] = Object.keys(outputShape.shape);
export const SPLIT_KEYS: readonly string[] = Object.keys(splitShape.shape);
