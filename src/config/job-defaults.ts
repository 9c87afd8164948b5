/**
 * The values a job file's keys take when left out. The schema (job-schema.ts) applies them to job
 * files; a run without a job file and `--help` read them here. They sit in their own module, not
 * in the schema, so that help and start-up do not load zod and node-cron (about 15 MB of memory).
 */
import type { LinkMint } from '../links/link-store.js';

export const JOB_DEFAULTS = {
  ttl: '1d',
  max_ttl: '30d',
  allow_all_rooms: false,
  check_rooms: false,
  ensure_rooms: false,
  escape_formulas: true,
  max_reject_ratio: 0.5,
  /** Daily's advice: tokens under about 2048 characters (URLs and mail clients cut longer). */
  max_token_length: 2048,
  strict_columns: false,
  allow_empty: false,
  demo_key: false,
  timezone: 'UTC',
  catch_up: true,
  keep: 10,
} as const;

/** The defaults of the `links:` block's keys. */
export const LINKS_DEFAULTS: { mint: LinkMint } = {
  /** Short links sign a fresh token when opened (so a key rotation does not break them). */
  mint: 'at_click',
};

/** max_token_length's range: below 256 hardly a token fits, over 8192 common servers refuse the URL. */
export const TOKEN_LENGTH_RANGE = { min: 256, max: 8192 } as const;
