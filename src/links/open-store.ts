/**
 * Which link store a run, `serve` or `links` uses, opened lazily: better-sqlite3 and the Redis
 * client load only here, so a run without links never loads them.
 */
import type { LinkStore } from './link-store.js';

/** Where the links are: a SQLite file, or Redis at a URL taken from an environment variable. */
export type StoreChoice = { kind: 'sqlite'; path: string } | { kind: 'redis'; url: string; variable: string };

/**
 * `LINKS_REDIS_URL` wins; then an explicit SQLite path (`--links-db`, a job's `links.db`); then
 * `REDIS_URL`; then `fallbackPath`.
 */
export function chooseStore(explicitPath: string | undefined, fallbackPath: string, env: NodeJS.ProcessEnv = process.env): StoreChoice {
  const linksUrl = env['LINKS_REDIS_URL'];
  if (linksUrl) return { kind: 'redis', url: linksUrl, variable: 'LINKS_REDIS_URL' };
  if (explicitPath !== undefined) return { kind: 'sqlite', path: explicitPath };
  const url = env['REDIS_URL'];
  if (url) return { kind: 'redis', url, variable: 'REDIS_URL' };
  return { kind: 'sqlite', path: fallbackPath };
}

/** Opens (a SQLite file: creating) the chosen store. */
export async function openLinkStore(choice: StoreChoice): Promise<LinkStore> {
  if (choice.kind === 'sqlite') return (await import('./sqlite-store.js')).SqliteLinkStore.open(choice.path);
  return (await import('./redis-store.js')).RedisLinkStore.open(choice.url, choice.variable);
}
