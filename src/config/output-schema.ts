/**
 * The `output:` block of a job file: which file to write for which mailing system. Checked at
 * start against the profile's own rules (header names, file limits), so that a name the mailer
 * would refuse is one line now rather than a failed import later.
 */
import { z } from 'zod';
import { PROFILE_NAMES, PROFILES, type ProfileName } from '../output/profiles.js';
import { checkHeaderNames } from '../output/profile-rules.js';
import { nearest } from '../suggest.js';

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
});

export const outputSchema = outputShape.superRefine((output, ctx) => {
  if (!isProfile(output.profile)) return;
  const profile = PROFILES[output.profile];
  if (output.columns !== undefined) {
    for (const message of checkHeaderNames(profile, Object.values(output.columns), output.columns['email'])) {
      ctx.addIssue({ code: 'custom', path: ['columns'], message });
    }
  }
  const { rows, bytes } = output.split ?? {};
  if (rows !== undefined && profile.file.maxRows !== undefined && rows + 1 > profile.file.maxRows) {
    ctx.addIssue({
      code: 'custom',
      path: ['split', 'rows'],
      message: `${rows} rows and a header line are more than the ${profile.file.maxRows} lines ${profile.label} takes a file`,
    });
  }
  if (bytes !== undefined && profile.file.maxBytes !== undefined && bytes > profile.file.maxBytes) {
    ctx.addIssue({
      code: 'custom',
      path: ['split', 'bytes'],
      message: `${bytes} bytes are more than the ${profile.file.maxBytes} ${profile.label} takes a file`,
    });
  }
});

export type OutputBlock = z.infer<typeof outputSchema>;

/** Keys of the block and of its `split:`, for "did you mean" hints. */
export const OUTPUT_KEYS: readonly string[] = Object.keys(outputShape.shape);
export const SPLIT_KEYS: readonly string[] = Object.keys(splitShape.shape);

/**
 * What in `output` this version cannot write yet, as a list of its keys and values (empty when the
 * block asks for today's file: profile generic, format csv, no columns, no split).
 */
export function unsupportedOutput(output: OutputBlock): string[] {
  const asked: string[] = [];
  if (output.profile !== 'generic') asked.push(`profile ${output.profile}`);
  if (output.format !== 'csv') asked.push(`format ${output.format}`);
  if (output.columns !== undefined) asked.push('columns');
  if (output.split !== undefined) asked.push('split');
  return asked;
}
