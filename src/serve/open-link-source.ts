/**
 * The link store `serve` reads: Redis when LINKS_REDIS_URL is set, else the SQLite file of
 * --links-db, else Redis at REDIS_URL (the store's own order, links/open-store.ts). Unlike a run,
 * serve never creates a SQLite file: a path that does not exist is a mistake in the flags.
 */
import { existsSync } from 'node:fs';
import { MeetingTokensError } from '../errors.js';
import type { LinkStore } from '../links/link-store.js';
import { chooseStore, openLinkStore } from '../links/open-store.js';

export async function openLinkSource(
  linksDb: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<{ store: LinkStore; sqlitePath: string | undefined }> {
  if (linksDb === undefined && !env['LINKS_REDIS_URL'] && !env['REDIS_URL']) {
    throw new MeetingTokensError('USAGE', 'serve needs a link store: --links-db <file> (SQLite), or LINKS_REDIS_URL or REDIS_URL (Redis)');
  }
  const choice = chooseStore(linksDb, linksDb ?? '', env);
  if (choice.kind === 'sqlite' && !existsSync(choice.path)) {
    throw new MeetingTokensError('USAGE', `--links-db ${choice.path}: no such file; give the store a run with links wrote`);
  }
  return { store: await openLinkStore(choice), sqlitePath: choice.kind === 'sqlite' ? choice.path : undefined };
}
