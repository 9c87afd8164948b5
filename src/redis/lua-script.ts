/**
 * A Lua script run by its SHA-1 (EVALSHA), sent whole (EVAL) only when the server does not have
 * it yet (first use, or after a restart or SCRIPT FLUSH): one round trip either way.
 */
import { createHash } from 'node:crypto';
import type { RedisClient } from './redis-connect.js';

export type LuaScript = (client: RedisClient, keys: string[], args: string[]) => Promise<unknown>;

export function luaScript(source: string): LuaScript {
  const sha = createHash('sha1').update(source).digest('hex');
  return async (client, keys, args) => {
    try {
      return await client.evalSha(sha, { keys, arguments: args });
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return client.eval(source, { keys, arguments: args });
    }
  };
}
