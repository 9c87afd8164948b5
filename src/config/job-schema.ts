/**
 * The job file schema (jobs/<name>.yaml). Its inferred type is the config type; `loadJob`
 * turns parse failures into one line per problem.
 */
import { createRequire } from 'node:module';
import { z } from 'zod';
import { parseDuration } from './duration.js';
import { KNOWN_COLUMNS } from '../claims/column-plan.js';
import { PROPERTIES, UNSIGNABLE_PROPERTIES } from '../claims/properties.js';
import { plural } from '../plural.js';
import { JOB_DEFAULTS as D, LINKS_DEFAULTS, TOKEN_LENGTH_RANGE } from './job-defaults.js';
import { outputSchema, OUTPUT_KEYS, SPLIT_KEYS } from './output-schema.js';
import { deliverSchema } from './deliver-schema.js';
import { DELIMITER_CHOICES, parseDelimiter } from '../roster/delimiter.js';
import { ENCODINGS } from '../roster/encoding.js';
import { httpUrl, notifySchema, WEBHOOK_KEYS } from './notify-schema.js';
import { timeZoneProblem } from '../output/time-format.js';
import { checkBaseUrl } from '../links/base-url.js';
import { LINK_MINTS } from '../links/link-store.js';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const SUBDOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

export const duration = z
  .string()
  .refine((text) => parseDuration(text) !== undefined, { message: 'must be a duration such as 90m, 36h, 7d or 2w' });

/**
 * node-cron is loaded only to check a job that has a schedule: loading it costs about 2.5 MB of
 * memory, which a run of a job without one (and `status` with none) would carry for nothing.
 */
const require = createRequire(import.meta.url);

/** A cron expression node-cron accepts: 5 fields, or 6 with seconds first. */
export const cronExpression = z.string().superRefine((text, ctx) => {
  const fields = text.trim().split(/\s+/).length;
  if (fields !== 5 && fields !== 6) {
    ctx.addIssue({
      code: 'custom',
      message: `"${text}" has ${plural(fields, 'field')}; a cron schedule has 5 (minute hour day month weekday) or 6 (seconds first)`,
    });
    return;
  }
  const { validateDetailed } = require('node-cron') as typeof import('node-cron');
  const result = validateDetailed(text);
  if (!result.valid) {
    const first = result.errors[0];
    ctx.addIssue({
      code: 'custom',
      message: `"${text}" is not a valid cron schedule${first ? ` (${first.field}: ${first.message})` : ''}`,
    });
  }
});

/** An IANA time zone name the runtime knows (Europe/Berlin, America/Sao_Paulo, UTC). */
export const timeZone = z.string().superRefine((name, ctx) => {
  const problem = timeZoneProblem(name);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
});

const defaultsShape: Record<string, z.ZodType> = { room_name: z.string().optional() };
for (const spec of PROPERTIES) defaultsShape[spec.name] = z.unknown().optional();
// Known here so that checkDefaults can say why they cannot be signed, rather than "unknown key".
for (const name of UNSIGNABLE_PROPERTIES) defaultsShape[name] = z.unknown().optional();

export const tokenLength = z
  .number()
  .int('must be a whole number of characters')
  .min(TOKEN_LENGTH_RANGE.min, `must be from ${TOKEN_LENGTH_RANGE.min} to ${TOKEN_LENGTH_RANGE.max} characters`)
  .max(TOKEN_LENGTH_RANGE.max, `must be from ${TOKEN_LENGTH_RANGE.min} to ${TOKEN_LENGTH_RANGE.max} characters`);

export const jobSchema = z.strictObject({
  description: z.string().optional(),
  roster: z.string().min(1, 'must name the roster CSV file'),
  out: z.string().min(1, 'must name the output directory'),
  domain_id: z.string().regex(UUID, 'must be a UUID such as 9cb738e1-5a95-37f1-a517-0a18cf328a39').optional(),
  domain_name: z.string().regex(SUBDOMAIN, 'must be the subdomain of <name>.daily.co, e.g. my-team').optional(),
  ttl: duration.default(D.ttl),
  max_ttl: duration.default(D.max_ttl),
  not_before: z.union([z.string(), z.number().int().nonnegative()]).optional(),
  allow_all_rooms: z.boolean().default(D.allow_all_rooms),
  check_rooms: z.boolean().default(D.check_rooms),
  ensure_rooms: z.boolean().default(D.ensure_rooms),
  escape_formulas: z.boolean().default(D.escape_formulas),
  max_reject_ratio: z.number().min(0).max(1).default(D.max_reject_ratio),
  max_token_length: tokenLength.default(D.max_token_length),
  delimiter: z
    .string()
    .refine((text) => parseDelimiter(text) !== undefined, {
      message: `must be one of ${DELIMITER_CHOICES.map((d) => `"${d}"`).join(', ')} (or "\\t"); without it the header row decides`,
    })
    .optional(),
  encoding: z
    .string()
    .toLowerCase()
    .pipe(z.enum(ENCODINGS, { message: `must be one of ${ENCODINGS.join(', ')}` }))
    .optional(),
  columns: z.partialRecord(z.enum(KNOWN_COLUMNS as [string, ...string[]]), z.string().min(1)).optional(),
  strict_columns: z.boolean().default(D.strict_columns),
  allow_empty: z.boolean().default(D.allow_empty),
  defaults: z.strictObject(defaultsShape).optional(),
  demo_key: z.boolean().default(D.demo_key),
  schedule: cronExpression.optional(),
  timezone: timeZone.default(D.timezone),
  catch_up: z.boolean().default(D.catch_up),
  keep: z.number().int().min(1).default(D.keep),
  output: outputSchema.optional(),
  deliver: deliverSchema.optional(),
  notify: notifySchema.optional(),
  heartbeat: httpUrl.optional(),
  links: z
    .strictObject({
      base_url: z.string().superRefine((text, ctx) => {
        const checked = checkBaseUrl(text);
        if ('problem' in checked) ctx.addIssue({ code: 'custom', message: checked.problem });
      }),
      db: z.string().min(1, 'must name the SQLite file').optional(),
      mint: z.enum(LINK_MINTS, { message: `must be one of ${LINK_MINTS.join(', ')}` }).default(LINKS_DEFAULTS.mint),
    })
    .optional(),
});

export type JobFile = z.infer<typeof jobSchema>;

/** Every key a job file may have at its top level, for "did you mean" hints. */
export const JOB_KEYS: readonly string[] = Object.keys(jobSchema.shape);
export const DEFAULTS_KEYS: readonly string[] = Object.keys(defaultsShape);
/** The keys of each nested block, by its path, for the same hints. */
export const NESTED_KEYS: Readonly<Record<string, readonly string[]>> = {
  defaults: DEFAULTS_KEYS,
  output: OUTPUT_KEYS,
  'output.split': SPLIT_KEYS,
  /** Each item of a list: `notify.0`, `notify.1`, ... */
  'notify.*': WEBHOOK_KEYS,
  links: ['base_url', 'db', 'mint'],
};
