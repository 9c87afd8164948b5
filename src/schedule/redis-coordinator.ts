/**
 * Several replicas of the scheduler (for availability) run each slot of each job exactly once:
 * node-cron asks this coordinator before every slot, and the first replica to SET the slot's key
 * (NX) in Redis runs it. The key lives a day, so a replica whose timer fires late cannot run the
 * slot again after the winner finished. A Redis error skips the slot (node-cron fails closed):
 * a missed slot is safer than a doubled batch of invitations.
 */
import { hostname } from 'node:os';
import { createClient } from 'redis';
import type { RunCoordinator } from 'node-cron';
import { MeetingTokensError } from '../errors.js';

const KEY_PREFIX = 'meeting-tokens:slot:';
const KEY_TTL_MS = 24 * 3600 * 1000;

export class RedisCoordinator implements RunCoordinator {
  private constructor(private readonly client: ReturnType<typeof createClient>) {}

  /** Connects (within `timeoutMs`) or fails with one line naming the host, never the password. */
  static async connect(url: string, timeoutMs = 5000): Promise<RedisCoordinator> {
    let host = url;
    try {
      host = new URL(url).host;
    } catch {
      throw new MeetingTokensError('USAGE', 'REDIS_URL is not a URL (redis://host:port)');
    }
    const client = createClient({
      url,
      socket: { connectTimeout: timeoutMs, reconnectStrategy: (retries) => Math.min(retries * 100, 2000) },
    });
    client.on('error', () => undefined); // reconnects on its own; a failed SET skips that slot
    try {
      await Promise.race([client.connect(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs).unref())]);
      await client.ping();
    } catch (error) {
      await client.destroy();
      throw new MeetingTokensError('CONFIG_INVALID', `REDIS_URL: cannot reach Redis at ${host} (${(error as Error).message || 'error'})`);
    }
    return new RedisCoordinator(client);
  }

  async shouldRun(key: string): Promise<boolean> {
    const won = await this.client.set(KEY_PREFIX + key, `${hostname()}:${process.pid}`, {
      condition: 'NX',
      expiration: { type: 'PX', value: KEY_TTL_MS },
    });
    return won === 'OK';
  }

  async close(): Promise<void> {
    await this.client.quit().catch(() => this.client.destroy());
  }
}
