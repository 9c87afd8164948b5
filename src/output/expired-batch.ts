/**
 * A batch whose tokens would all have expired when it is published is useless, and retention
 * would delete it at once: typically `--now` in the past with a short ttl. Such a run fails, once
 * before any row is signed (from the settings, when they decide it) and once more before
 * publication (from the tokens actually signed), unless it is asked for (`--allow-expired`).
 */
import type { ColumnPlan } from '../claims/column-plan.js';
import type { MapperSettings } from '../claims/map-row.js';
import { MeetingTokensError } from '../errors.js';
import { isoSeconds } from './columns.js';

/**
 * The latest `exp` any token of the run can carry, unix seconds. Rows without `expires_at` and
 * `not_before` columns all expire `ttl` after the run's time (or after the default not_before);
 * with such columns a row can choose, up to `max_ttl` after issue (later ones are rejected).
 */
export function latestPossibleExp(plan: ColumnPlan, settings: MapperSettings): number {
  const ceiling = settings.iat + settings.maxTtlSeconds;
  if (plan.expiresAt >= 0 || plan.notBefore >= 0) return ceiling;
  const from = Math.max(settings.iat, settings.defaultNotBefore ?? settings.iat);
  return Math.min(from + settings.ttlSeconds, ceiling);
}

/** Throws TOKENS_EXPIRED (exit 2) when `latestExp` (unix seconds) is not after `nowMs`. */
export function refuseExpiredBatch(latestExp: number, nowMs: number, when: 'before signing' | 'after signing'): void {
  if (latestExp * 1000 > nowMs) return;
  const what = when === 'before signing' ? 'every token of this run would expire' : 'every token signed expired';
  throw new MeetingTokensError(
    'TOKENS_EXPIRED',
    `${what} by ${isoSeconds(latestExp)}, before it is published (${isoSeconds(Math.floor(nowMs / 1000))}); nothing was published: check --now and ttl, or give --allow-expired to publish them anyway`,
  );
}
