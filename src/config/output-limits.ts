/** Limits of the `output:` block that `--help` names too (kept out of the zod schema, which help does not load). */

/** Links per recipient row when `max_links_per_recipient` is not given. */
export const DEFAULT_MAX_LINKS = 5;
/** The most links a recipient row may be asked to hold. */
export const MAX_LINKS_LIMIT = 100;
