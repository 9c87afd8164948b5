/**
 * The values a job file's keys take when left out. The schema (job-schema.ts) applies them to job
 * files; a run without a job file and `--help` read them here. They sit in their own module, not
 * in the schema, so that help and start-up do not load zod and node-cron (about 15 MB of memory).
 */
export const JOB_DEFAULTS = {
  ttl: '1d',
  max_ttl: '30d',
  allow_all_rooms: false,
  escape_formulas: true,
  max_reject_ratio: 0.5,
  demo_key: false,
  timezone: 'UTC',
  catch_up: true,
  keep: 10,
} as const;
