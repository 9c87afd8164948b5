/**
 * `meeting-tokens links revoke | stats | unopened`: managing the short links of published
 * batches. Nothing here prints a link's id: a short link is as good as its token.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { MeetingTokensError } from '../errors.js';
import { isoSeconds } from '../output/columns.js';
import { csvRow } from '../output/csv-writer.js';
import { readLinkedBatch, storeOfBatch } from '../links/batch-manifest.js';
import { isLinkId } from '../links/link-id.js';
import type { LinkStore } from '../links/link-store.js';
import { chooseStore, openLinkStore } from '../links/open-store.js';
import { writeUnopened } from '../links/unopened.js';
import { plural } from '../plural.js';
import { printResult, type OutputFlags } from './output.js';

export interface RevokeValues extends OutputFlags {
  manifest?: string;
  userId?: string;
  id?: string;
  linksDb?: string;
}

export interface UnopenedValues {
  out?: string;
}

async function withStore<T>(store: Promise<LinkStore>, use: (store: LinkStore) => Promise<T>): Promise<T> {
  const opened = await store;
  try {
    return await use(opened);
  } finally {
    await opened.close();
  }
}

/** The id in a short link (`https://join.example.com/j/<id>`) or the id itself. */
function linkId(text: string): string {
  const id = text.trim().replace(/^.*\/j\//, '');
  if (!isLinkId(id)) throw new MeetingTokensError('USAGE', '--id: not a short link or its id');
  return id;
}

export async function revokeCommand(values: RevokeValues): Promise<number> {
  const targets = [values.manifest, values.userId, values.id].filter((t) => t !== undefined).length;
  if (targets !== 1) throw new MeetingTokensError('USAGE', 'links revoke: give one of --manifest <file>, --user-id <id> or --id <link>');
  if (values.manifest !== undefined) {
    const batch = readLinkedBatch(values.manifest);
    const count = await withStore(openLinkStore(storeOfBatch(batch)), (store) => store.revokeRun(batch.manifest.run_id));
    if (count === 0)
      throw new MeetingTokensError('LINKS_NOT_FOUND', `${values.manifest}: the link store has no published links of this batch`);
    return report(values, count, `revoked the batch's ${plural(count, 'link')}`);
  }
  if (values.linksDb === undefined && !process.env['LINKS_REDIS_URL'] && !process.env['REDIS_URL']) {
    throw new MeetingTokensError('USAGE', 'links revoke: which store? give --links-db <file> or set LINKS_REDIS_URL');
  }
  // LINKS_REDIS_URL, else the file given, else REDIS_URL (checked above that one is there).
  const choice = chooseStore(values.linksDb, '');
  if (values.userId !== undefined) {
    const userId = values.userId;
    const count = await withStore(openLinkStore(choice), (store) => store.revokeUser(userId));
    if (count === 0)
      throw new MeetingTokensError('LINKS_NOT_FOUND', 'links revoke: no live link has this user id (revoked already, or none)');
    return report(values, count, `revoked ${plural(count, 'link')} of this user id`);
  }
  const id = linkId(values.id!);
  const found = await withStore(openLinkStore(choice), (store) => store.revokeId(id));
  if (!found) throw new MeetingTokensError('LINKS_NOT_FOUND', 'links revoke: the store has no published link with this id');
  return report(values, 1, 'revoked the link');
}

function report(values: OutputFlags, revoked: number, text: string): number {
  printResult(
    values,
    () => `${text}\n`,
    () => ({ revoked }),
  );
  return 0;
}

const time = (seconds: number | null): string => (seconds === null ? '' : isoSeconds(seconds));

/** Per link, in roster order: its line, user id, opens and first and last open; totals on stderr. */
export async function statsCommand(manifestPath: string): Promise<number> {
  const batch = readLinkedBatch(manifestPath);
  return withStore(openLinkStore(storeOfBatch(batch)), async (store) => {
    const stats = await store.runStats(batch.manifest.run_id);
    if (stats === undefined || !stats.committed) {
      throw new MeetingTokensError('LINKS_NOT_FOUND', `${manifestPath}: the link store has no published links of this batch`);
    }
    await writeOut(undefined, async (write) => {
      await write(csvRow(['line', 'user_id', 'opens', 'first_open', 'last_open', 'revoked'], true));
      for await (const l of store.linkOpens(batch.manifest.run_id)) {
        await write(
          csvRow([String(l.line), l.userId ?? '', String(l.opens), time(l.firstOpen), time(l.lastOpen), String(l.revoked)], true),
        );
      }
    });
    process.stderr.write(
      `${plural(stats.links, 'link')}: ${stats.opened} opened (${plural(stats.opens, 'open')}), ${stats.revokedLinks} revoked\n`,
    );
    return 0;
  });
}

/** The batch's rows whose link is live and unopened, in its own layout, to `--out` or stdout. */
export async function unopenedCommand(manifestPath: string, values: UnopenedValues): Promise<number> {
  const batch = readLinkedBatch(manifestPath);
  return withStore(openLinkStore(storeOfBatch(batch)), async (store) => {
    const counts = await writeOut(values.out, (write) => writeUnopened(batch, store.linkOpens(batch.manifest.run_id), write));
    process.stderr.write(
      `${plural(counts.unopened, 'recipient')} of ${counts.links} not opened yet${counts.revoked > 0 ? ` (${counts.revoked} revoked left out)` : ''}\n`,
    );
    return 0;
  });
}

/** Runs `produce` with a writer to `path` (created 0600: it holds the batch's rows) or stdout. */
async function writeOut<T>(path: string | undefined, produce: (write: (text: string) => Promise<void>) => Promise<T>): Promise<T> {
  const stream = path === undefined ? process.stdout : createWriteStream(path, { mode: 0o600, flags: 'wx' });
  if (path !== undefined) {
    await once(stream, 'open').catch((error: NodeJS.ErrnoException) => {
      const why = error.code === 'EEXIST' ? 'exists already; give a new file' : `cannot be written (${error.code ?? 'error'})`;
      throw new MeetingTokensError('OUTPUT_EXISTS', `--out ${path} ${why}`);
    });
  }
  const write = async (text: string): Promise<void> => {
    if (!stream.write(text)) await once(stream, 'drain');
  };
  try {
    return await produce(write);
  } finally {
    if (path !== undefined) {
      stream.end();
      await once(stream, 'close');
    }
  }
}
