/**
 * A published batch as the `links` commands see it: its manifest's run id, its link store, and
 * its tokens file(s) in the batch's own layout.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MeetingTokensError } from '../errors.js';
import type { Manifest } from '../output/manifest.js';
import { redisLocation } from '../redis/redis-url.js';
import type { StoreChoice } from './open-store.js';

/** What the `links` commands need of a manifest. */
export interface LinkedBatch {
  manifest: Manifest & { links: NonNullable<Manifest['links']> };
  /** The batch's tokens files in order (one, or its parts), as paths. */
  files: string[];
}

/** Reads a manifest of a batch that made short links; one-line errors otherwise. */
export function readLinkedBatch(path: string): LinkedBatch {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? 'not JSON';
    throw new MeetingTokensError('USAGE', `${path}: cannot read the manifest (${why})`);
  }
  if (typeof manifest.run_id !== 'string' || manifest.links === undefined) {
    throw new MeetingTokensError('USAGE', `${path}: not a batch manifest of meeting-tokens`);
  }
  if (manifest.links === null) throw new MeetingTokensError('USAGE', `${path}: this batch made no short links (no links: in its job)`);
  const dir = dirname(path);
  const published = manifest.files.parts ?? (manifest.files.tokens ? [manifest.files.tokens] : []);
  return { manifest: manifest as LinkedBatch['manifest'], files: published.map((f) => join(dir, f.name)) };
}

/**
 * The store a batch's manifest names: its SQLite file, or its Redis, reached through
 * `LINKS_REDIS_URL` or `REDIS_URL` (the manifest never holds a password), which must point there.
 */
export function storeOfBatch(batch: LinkedBatch, env: NodeJS.ProcessEnv = process.env): StoreChoice {
  const store = batch.manifest.links.store;
  if (store.startsWith('sqlite:')) return { kind: 'sqlite', path: store.slice('sqlite:'.length) };
  for (const variable of ['LINKS_REDIS_URL', 'REDIS_URL']) {
    const url = env[variable];
    if (!url) continue;
    let location: string;
    try {
      location = redisLocation(url);
    } catch {
      throw new MeetingTokensError('USAGE', `${variable}: not a URL`);
    }
    if (location === store) return { kind: 'redis', url, variable };
  }
  throw new MeetingTokensError('USAGE', `the batch's links are in ${store}: set LINKS_REDIS_URL (or REDIS_URL) to that Redis`);
}
