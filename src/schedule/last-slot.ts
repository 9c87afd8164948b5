/**
 * The latest slot of a cron schedule at or before a time, found by walking back with node-cron's
 * own `match` (so time zones and DST are node-cron's, exactly as when it fires): minute steps for
 * 5-field schedules, second steps for 6-field ones, never further back than `notBefore`.
 *
 * `match` costs about 20 us here, so the walk is bounded: 31 days of minutes (under a second) or
 * one hour of seconds. A slot missed longer ago than that is not caught up.
 */
import type { ScheduledTask } from 'node-cron';

export const CATCH_UP_MINUTES = 31 * 24 * 60;
export const CATCH_UP_SECONDS = 3600;

export function lastSlot(task: Pick<ScheduledTask, 'match'>, withSeconds: boolean, now: Date, notBefore: number): Date | undefined {
  const step = withSeconds ? 1000 : 60_000;
  let t = Math.floor(now.getTime() / step) * step;
  const limit = Math.max(notBefore, t - (withSeconds ? CATCH_UP_SECONDS : CATCH_UP_MINUTES) * step);
  for (; t > limit; t -= step) {
    const date = new Date(t);
    if (task.match(date)) return date;
  }
  return undefined;
}
