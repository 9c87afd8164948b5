/**
 * The link store `serve` reads: Redis when LINKS_REDIS_URL (or REDIS_URL) is set, else the SQLite
 * file of --links-db.
 */
import { MeetingTokensError } from '../errors.js';
import type { LinkSource } from './link-source.js';

export interface OpenedSource {
  source: LinkSource;
  /** For the start-up log line: the kind of store and where, without credentials. */
  description: string;
}

export async function openLinkSource(options: { linksDb?: string | undefined; env: NodeJS.ProcessEnv }): Promise<OpenedSource> {
  void options;
  throw new MeetingTokensError('USAGE', 'no link store yet');
}
