/**
 * Several replicas of the scheduler (for availability) run each slot of each job exactly once:
 * the scheduler elects every slot here, and the first replica to SET the slot's key (NX) in Redis
 * runs it. The key lives a day; what ran before that is in the published manifests.
 *
 * An election Redis does not answer within ELECTION_TIMEOUT_MS counts as lost: a missed slot is
 * safer than a doubled batch of invitations. There is no offline queue: an election asked while
 * Redis is down fails at once instead of waiting to win, late, once Redis is back (perhaps without
 * the keys it had, and so for a second replica too).
 */
import { hostname } from 'node:os';
import { connectRedis, type RedisClient } from '../redis/redis-connect.js';

const KEY_PREFIX = 'meeting-tokens:slot:';
const KEY_TTL_MS = 24 * 3600 * 1000;
export const ELECTION_TIMEOUT_MS = 2000;

/** `won`: run the slot here; `taken`: another replica has it; otherwise why Redis gave no answer. */
export type Election = { result: 'won' | 'taken' } | { result: 'no answer'; why: string };

export class RedisCoordinator {
  private constructor(private readonly client: RedisClient) {}

  /** Connects (within `timeoutMs`) or fails with one line naming the host, never the password. */
  static async connect(url: string, timeoutMs = 5000): Promise<RedisCoordinator> {
    return new RedisCoordinator(await connectRedis(url, 'REDIS_URL', timeoutMs));
  }

  /** SET NX of the slot's key, answered within `timeoutMs` or counted as no answer. */
  async elect(key: string, timeoutMs = ELECTION_TIMEOUT_MS): Promise<Election> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      // The command's own timeout drops it while unsent; the race also covers a sent one that
      // Redis never answers (a paused server, a half-open connection).
      const set = this.client.withCommandOptions({ timeout: timeoutMs }).set(KEY_PREFIX + key, `${hostname()}:${process.pid}`, {
        condition: 'NX',
        expiration: { type: 'PX', value: KEY_TTL_MS },
      });
      set.catch(() => undefined); // settles after the race was lost: nothing left to tell
      return { result: (await Promise.race([set, late])) === 'OK' ? 'won' : 'taken' };
    } catch (error) {
      return { result: 'no answer', why: (error as Error).message || (error as Error).name };
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.client.quit().catch(() => this.client.destroy());
  }
}
