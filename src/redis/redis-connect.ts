/**
 * A Redis connection made within a time limit, or one line saying why not, naming the host and
 * the variable the URL came from, never the user name or password. Shared by the scheduler's
 * coordination and the links store.
 */
import { createClient, ErrorReply } from 'redis';
import { MeetingTokensError } from '../errors.js';
import { checkRedisUrl } from './redis-url.js';

export type RedisClient = ReturnType<typeof createClient>;

function connectError(error: unknown, host: string, variable: string): MeetingTokensError {
  const message = (error as Error).message || 'error';
  if (error instanceof ErrorReply && /^(WRONGPASS|NOAUTH)|invalid password/i.test(message)) {
    const why = message.startsWith('NOAUTH') ? `asks for a password ${variable} does not give` : 'refused the user name or password';
    return new MeetingTokensError('CONFIG_INVALID', `${variable}: Redis at ${host} ${why} (${message.split(' ')[0]}); check ${variable}`);
  }
  return new MeetingTokensError('CONFIG_INVALID', `${variable}: cannot reach Redis at ${host} (${message})`);
}

/** Connects to `url` (from the environment variable `variable`) within `timeoutMs`. */
export async function connectRedis(url: string, variable = 'REDIS_URL', timeoutMs = 5000): Promise<RedisClient> {
  const host = checkRedisUrl(url, variable);
  const client = createClient({
    url,
    socket: { connectTimeout: timeoutMs, reconnectStrategy: (retries) => Math.min(retries * 100, 2000) },
    disableOfflineQueue: true,
  });
  // Redis's own refusal (a wrong password: WRONGPASS) arrives here while the client retries it
  // forever; it is an answer, not an outage, so it ends the start at once.
  let refused: (error: Error) => void = () => undefined;
  const refusal = new Promise<never>((_, reject) => (refused = reject));
  client.on('error', (error: unknown) => {
    if (error instanceof ErrorReply) refused(error);
  }); // otherwise it reconnects on its own
  try {
    await Promise.race([
      client.connect(),
      refusal,
      new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs).unref()),
    ]);
    await Promise.race([client.ping(), refusal]);
  } catch (error) {
    await client.destroy();
    throw connectError(error, host, variable);
  }
  return client;
}
