/**
 * Whether this scheduler runs a slot, decided once before its run, every "no" logged with job and
 * slot:
 * - a wall-clock time repeated when clocks fall back runs once (see wall-clock.ts);
 * - with replicas, the slot and its wall-clock time are elected in Redis; an election that Redis
 *   does not answer in time counts as lost ("slot skipped: Redis did not answer");
 * - a scheduled slot starts within SLOT_TOLERANCE_MS of its time or not at all. Invitations that
 *   go out late, after an outage, are what doubles a batch: the outage may have cost Redis the
 *   key that said the slot was taken.
 */
import type { Logger } from 'pino';
import type { RedisCoordinator } from './redis-coordinator.js';
import { WallClockSlots, wallClockSlot } from './wall-clock.js';

/** node-cron fires within 1 s of the slot or reports it missed; two elections take 2 s at most each. */
export const SLOT_TOLERANCE_MS = 5000;

export type SlotReason = 'scheduled' | 'catch-up';

export class SlotGate {
  private readonly wallClock = new WallClockSlots();

  constructor(
    private readonly coordinator: RedisCoordinator | undefined,
    private readonly log: Logger,
  ) {}

  /**
   * True when the slot runs here, now. `skipped` hears why a slot that may have run nowhere does
   * not run here (too late, Redis silent); not of a slot that ran or runs elsewhere.
   */
  async admit(job: string, timezone: string, slot: Date, reason: SlotReason, skipped?: (why: string) => void): Promise<boolean> {
    const fields = { job, slot: slot.toISOString() };
    const local = wallClockSlot(slot, timezone);
    if (this.late(fields, slot, reason, skipped)) return false;
    if (!this.wallClock.first(job, slot, timezone)) {
      this.log.info({ ...fields, wallClock: local }, 'slot skipped: this wall-clock time already ran (daylight saving)');
      return false;
    }
    if (this.coordinator) {
      // The wall-clock time is elected too, so the two instants of a fall-back repeat cannot go
      // to two different replicas. A catch-up uses the slot's own key, as its scheduled run did.
      const elections: [string, string][] = [
        [`${job}:${slot.toISOString()}`, 'slot taken by another replica'],
        [`${job}:wall:${local}`, 'slot skipped: this wall-clock time already ran on another replica (daylight saving)'],
      ];
      for (const [key, taken] of elections) {
        const election = await this.coordinator.elect(key);
        if (election.result === 'no answer') {
          this.log.warn({ ...fields, why: election.why }, 'slot skipped: Redis did not answer');
          skipped?.('slot skipped: Redis did not answer');
          return false;
        }
        if (election.result === 'taken') {
          this.log.info({ ...fields, wallClock: local }, taken);
          return false;
        }
      }
    }
    return !this.late(fields, slot, reason, skipped);
  }

  private late(fields: { job: string; slot: string }, slot: Date, reason: SlotReason, skipped?: (why: string) => void): boolean {
    const lateMs = Date.now() - slot.getTime();
    if (reason !== 'scheduled' || lateMs <= SLOT_TOLERANCE_MS) return false;
    const why = `slot skipped: it could not start within ${SLOT_TOLERANCE_MS / 1000} s of its time (${(lateMs / 1000).toFixed(1)} s late)`;
    this.log.warn({ ...fields, lateMs }, why);
    skipped?.(why);
    return true;
  }
}
