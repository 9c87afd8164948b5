/**
 * The latest slot of a cron schedule at or before a time, found by walking back with node-cron's
 * own `match` (so time zones and DST are node-cron's, exactly as when it fires): minute steps for
 * 5-field schedules, second steps for 6-field ones, never further back than `notBefore`.
 *
 * `match` costs about 20 us here, so the walk is bounded: 31 days of minutes (under a second) or
 * one hour of seconds. A slot missed longer ago than that is not caught up.
 */
import type { ScheduledTask } from 'node-cron';
import { lastRun } from '../state/history.js';
import { publishedRuns } from '../job/published-slots.js';

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

/**
 * The slot to catch up at start: the latest slot after the job's last run, or undefined. The last
 * run is the later of this scheduler's own history and the job's published manifests, which
 * every replica sees and which outlive any one replica's state (a run killed between its manifest
 * and its history line has published all the same). A job with neither never ran and has missed
 * nothing.
 */
export async function missedSlot(
  task: Pick<ScheduledTask, 'match'>,
  job: { name: string; schedule: string; config: { outDir: string } },
  stateDir: string,
  now = new Date(),
): Promise<{ slot: Date; lastRun: string } | undefined> {
  const last = await lastRun(stateDir, job.name);
  const times = (await publishedRuns(job.config.outDir, job.name)).map((run) => run.at);
  if (last) times.push(Date.parse(last.slot ?? last.start));
  const lastTime = Math.max(...times.filter(Number.isFinite));
  if (lastTime === -Infinity) return undefined;
  const slot = lastSlot(task, job.schedule.trim().split(/\s+/).length === 6, now, lastTime);
  return slot && slot.getTime() > lastTime ? { slot, lastRun: new Date(lastTime).toISOString() } : undefined;
}
