/**
 * One contract for every link store, run against a real SQLite file and a real redis-server.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { LinkVerifiers } from '../../src/links/link-id.js';
import type { LinkRun, LinkStore, NewLinks } from '../../src/links/link-store.js';
import { openLinkStore, type StoreChoice } from '../../src/links/open-store.js';
import { tempDir } from '../helpers.js';
import { startTestRedis, type TestRedis } from '../redis-server.js';
import { linkRows, type MadeLink, type LinkRow } from './new-links.js';

const NOW = 1_800_000_000;
let redis: TestRedis;
let runCounter = 0;

beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(() => redis?.stop());

function run(over: Partial<LinkRun> = {}): LinkRun {
  runCounter++;
  return {
    runId: `00000000-0000-4000-8000-${String(runCounter).padStart(12, '0')}`,
    job: 'weekly',
    domainId: '9cb738e1-5a95-37f1-a517-0a18cf328a39',
    domainName: 'my-team',
    mint: 'at_click',
    createdAt: NOW - 60,
    ...over,
  };
}

const row = (line: number, over: Partial<LinkRow> = {}): LinkRow => ({ line, exp: NOW + 3600, userId: `u${line}`, ...over });

/** The id `made` with another verifier: the same record's locator, a wrong secret. */
const forged = (made: MadeLink): string => made.locator + new LinkVerifiers().verifier();

const stores: [string, () => StoreChoice][] = [
  ['SQLite', () => ({ kind: 'sqlite', path: join(tempDir(), 'links.db') })],
  ['Redis', () => ({ kind: 'redis', url: redis.url, variable: 'LINKS_REDIS_URL' })],
];

describe.each(stores)('link store contract: %s', (_name, choose) => {
  let store: LinkStore;
  beforeEach(async () => {
    store = await openLinkStore(choose());
    return () => store.close();
  });

  /** Begins `r` and writes `rows` as one chunk; returns the links made. */
  async function written(r: LinkRun, rows: LinkRow[]): Promise<MadeLink[]> {
    const seq = await store.beginRun(r);
    const { batch, made } = linkRows(r, seq, rows);
    await store.write(r.runId, [batch]);
    return made;
  }

  async function committed(count: number, over: Partial<LinkRun> = {}): Promise<{ run: LinkRun; links: MadeLink[] }> {
    const r = run(over);
    const links = await written(
      r,
      Array.from({ length: count }, (_, i) => row(i + 2)),
    );
    await store.commitRun(r.runId);
    return { run: r, links };
  }

  it('resolves a link only once its run is committed, with everything it was written with', async () => {
    const r = run({ mint: 'stored' });
    const [a] = await written(r, [row(2, { nbf: NOW - 10, token: 'header.payload.sig', extra: { o: true, u: 'Ada "Ad"' } })]);
    if (a === undefined) throw new Error('no link made');
    expect(await store.get(a.id, NOW)).toEqual({ status: 'unknown' });
    expect(await store.recordOpen(a.id, NOW)).toBe(false);
    expect(await store.revokeId(a.id)).toBe(false);
    await store.commitRun(r.runId);
    expect(await store.get(a.id, NOW)).toEqual({
      status: 'live',
      link: {
        id: a.id,
        room: 'standup',
        claims: a.claims,
        nbf: NOW - 10,
        exp: a.exp,
        line: 2,
        userId: 'u2',
        token: 'header.payload.sig',
        run: r,
      },
    });
    // The claims come back in the order the batch signed them: the same token bytes when signed again.
    const found = await store.get(a.id, NOW);
    expect(found.status === 'live' && Object.keys(found.link.claims)).toEqual(['r', 'd', 'iat', 'nbf', 'exp', 'ud', 'o', 'u']);
    expect(await store.get(forged(a), NOW)).toEqual({ status: 'unknown' });
  });

  it('answers an id whose verifier is wrong exactly as an unknown one: live, revoked or expired alike', async () => {
    const { run: r, links } = await committed(3);
    const [live, revoked, expired] = links as [MadeLink, MadeLink, MadeLink];
    await store.revokeId(revoked.id);
    for (const l of [live, revoked, expired]) {
      expect(await store.get(forged(l), expired.exp + 1)).toEqual({ status: 'unknown' });
      expect(await store.recordOpen(forged(l), NOW)).toBe(false);
      expect(await store.revokeId(forged(l))).toBe(false);
    }
    expect(await store.get(live.id, NOW)).toMatchObject({ status: 'live' });
    expect((await store.runStats(r.runId))!.opens).toBe(0);
    expect(await store.get('0' + live.id.slice(1), NOW)).toEqual({ status: 'unknown' });
  });

  it('tells an expired link from a live one, by its exp', async () => {
    const { links } = await committed(1);
    const exp = links[0]!.exp;
    expect((await store.get(links[0]!.id, exp - 1)).status).toBe('live');
    const expired = await store.get(links[0]!.id, exp);
    expect(expired.status).toBe('expired');
    expect(expired.status === 'expired' && expired.exp).toBe(exp);
  });

  it('a discarded (failed) run leaves nothing that resolves, and no trace in its stats', async () => {
    const r = run();
    const userId = `gone-${runCounter}`;
    const links = await written(r, [row(2, { userId }), row(3)]);
    await store.discardRun(r.runId);
    for (const l of links) expect(await store.get(l.id, NOW)).toEqual({ status: 'unknown' });
    expect(await store.runStats(r.runId)).toBeUndefined();
    expect(await store.revokeUser(userId)).toBe(0);
  });

  it('discarding a committed run changes nothing', async () => {
    const { run: r, links } = await committed(1);
    await store.discardRun(r.runId);
    expect((await store.get(links[0]!.id, NOW)).status).toBe('live');
  });

  it('counts opens with the first and last time', async () => {
    const { run: r, links } = await committed(3);
    expect(await store.recordOpen(links[1]!.id, NOW + 5)).toBe(true);
    expect(await store.recordOpen(links[1]!.id, NOW + 9)).toBe(true);
    expect(await store.recordOpen(links[2]!.id, NOW + 7)).toBe(true);
    const opens = [];
    for await (const o of store.linkOpens(r.runId)) opens.push(o);
    expect(opens).toEqual([
      { locator: links[0]!.locator, line: 2, userId: 'u2', opens: 0, firstOpen: null, lastOpen: null, revoked: false },
      { locator: links[1]!.locator, line: 3, userId: 'u3', opens: 2, firstOpen: NOW + 5, lastOpen: NOW + 9, revoked: false },
      { locator: links[2]!.locator, line: 4, userId: 'u4', opens: 1, firstOpen: NOW + 7, lastOpen: NOW + 7, revoked: false },
    ]);
    expect(await store.runStats(r.runId)).toEqual({
      runId: r.runId,
      committed: true,
      revoked: false,
      links: 3,
      opened: 2,
      opens: 3,
      revokedLinks: 0,
    });
  });

  it('counts a batch of opens at once: counts add up, the earliest first and the latest last win; uncommitted and unknown ids are skipped', async () => {
    const { run: r, links } = await committed(3);
    expect(await store.recordOpen(links[0]!.id, NOW + 5)).toBe(true);
    const pending = run();
    const [unseen] = await written(pending, [row(2)]);
    const wrong = links[2]!.id.slice(0, -1) + (links[2]!.id.endsWith('A') ? 'B' : 'A');
    expect(
      await store.recordOpens([
        { id: links[0]!.id, opens: 3, first: NOW + 2, last: NOW + 4 },
        { id: links[1]!.id, opens: 2, first: NOW + 6, last: NOW + 8 },
        { id: unseen!.id, opens: 1, first: NOW, last: NOW },
        { id: wrong, opens: 1, first: NOW, last: NOW },
      ]),
    ).toBe(2);
    expect(await store.recordOpens([{ id: links[1]!.id, opens: 1, first: NOW + 7, last: NOW + 7 }])).toBe(1);
    expect(await store.recordOpens([])).toBe(0);
    const opens = [];
    for await (const o of store.linkOpens(r.runId)) opens.push([o.opens, o.firstOpen, o.lastOpen]);
    expect(opens).toEqual([
      [4, NOW + 2, NOW + 5],
      [3, NOW + 6, NOW + 8],
      [0, null, null],
    ]);
    await store.commitRun(pending.runId);
    expect(await store.runStats(pending.runId)).toMatchObject({ opens: 0 });
  });

  it('revokes one link by id', async () => {
    const { run: r, links } = await committed(2);
    expect(await store.revokeId(links[0]!.id)).toBe(true);
    expect(await store.get(links[0]!.id, NOW)).toEqual({ status: 'revoked' });
    expect((await store.get(links[1]!.id, NOW)).status).toBe('live');
    expect(await store.recordOpen(links[1]!.id, NOW)).toBe(true);
    expect((await store.runStats(r.runId))!.revokedLinks).toBe(1);
    expect(await store.revokeId(forged(links[1]!))).toBe(false);
  });

  it('revokes by user id across runs, counting only links that were live', async () => {
    const userId = `person-${runCounter}`;
    const a = run();
    const b = run();
    const [la, other] = (await written(a, [row(2, { userId }), row(6)])) as [MadeLink, MadeLink];
    await store.commitRun(a.runId);
    const [lb] = (await written(b, [row(5, { userId })])) as [MadeLink];
    await store.commitRun(b.runId);
    await written(run(), [row(7, { userId })]);
    expect(await store.revokeUser(userId)).toBe(2);
    expect(await store.get(la.id, NOW)).toEqual({ status: 'revoked' });
    expect(await store.get(lb.id, NOW)).toEqual({ status: 'revoked' });
    expect((await store.get(other.id, NOW)).status).toBe('live');
    expect(await store.revokeUser(userId)).toBe(0);
  });

  it('revokes a whole run, and says how many links it had', async () => {
    const { run: r, links } = await committed(3);
    const other = await committed(1);
    expect(await store.revokeRun(r.runId)).toBe(3);
    for (const l of links) expect(await store.get(l.id, NOW)).toEqual({ status: 'revoked' });
    expect((await store.get(other.links[0]!.id, NOW)).status).toBe('live');
    const stats = (await store.runStats(r.runId))!;
    expect([stats.revoked, stats.revokedLinks]).toEqual([true, 3]);
    for await (const o of store.linkOpens(r.runId)) expect(o.revoked).toBe(true);
    expect(await store.revokeRun(run().runId)).toBe(0);
  });

  it('reads a run of several pages in roster order', async () => {
    const r = run();
    const seq = await store.beginRun(r);
    const all: MadeLink[] = [];
    for (let chunk = 0; chunk < 5; chunk += 2) {
      const batches: NewLinks[] = [];
      for (const c of [chunk, chunk + 1].filter((c) => c < 5)) {
        const { batch, made } = linkRows(
          r,
          seq,
          Array.from({ length: 500 }, (_, i) => row(2 + c * 500 + i)),
        );
        batches.push(batch);
        all.push(...made);
      }
      await store.write(r.runId, batches);
    }
    await store.commitRun(r.runId);
    const lines: number[] = [];
    for await (const o of store.linkOpens(r.runId)) lines.push(o.line);
    expect(lines).toEqual(all.map((l) => l.line));
    for (const l of [all[0]!, all[1234]!, all[2499]!])
      expect(await store.get(l.id, NOW)).toMatchObject({ status: 'live', link: { line: l.line } });
    expect((await store.runStats(r.runId))!.links).toBe(2500);
  });

  it('drops the records of rows rejected after they were written: they never resolve, nor count', async () => {
    const r = run();
    const links = await written(r, [row(2), row(3), row(4)]);
    expect(await store.dropLines(r.runId, [3, 9])).toBe(1);
    await store.commitRun(r.runId);
    expect(await store.get(links[1]!.id, NOW)).toEqual({ status: 'unknown' });
    expect((await store.get(links[2]!.id, NOW)).status).toBe('live');
    const lines: number[] = [];
    for await (const o of store.linkOpens(r.runId)) lines.push(o.line);
    expect(lines).toEqual([2, 4]);
    expect((await store.runStats(r.runId))!.links).toBe(2);
    expect(await store.revokeRun(r.runId)).toBe(2);
  });

  it('purges runs never committed that began before a time; later and committed runs stay', async () => {
    const staleUser = `stale-${NOW}-${runCounter}`;
    const old = run({ createdAt: NOW - 7200 });
    const oldLinks = await written(old, [row(2, { userId: staleUser })]);
    const recent = run({ createdAt: NOW - 60 });
    const recentLinks = await written(recent, [row(2)]);
    const { run: done, links: doneLinks } = await committed(1, { createdAt: NOW - 7200 });
    expect(await store.purgeStale(NOW - 3600)).toBeGreaterThanOrEqual(1);
    expect(await store.runStats(old.runId)).toBeUndefined();
    expect(await store.revokeUser(staleUser)).toBe(0);
    expect(await store.runStats(recent.runId)).toMatchObject({ committed: false, links: 1 });
    await store.commitRun(recent.runId);
    expect((await store.get(recentLinks[0]!.id, NOW)).status).toBe('live');
    expect((await store.get(doneLinks[0]!.id, NOW)).status).toBe('live');
    expect(await store.get(oldLinks[0]!.id, NOW)).toEqual({ status: 'unknown' });
    expect((await store.runStats(done.runId))!.links).toBe(1);
  });

  it('refuses to begin one run id twice', async () => {
    const r = run();
    await store.beginRun(r);
    await expect(store.beginRun(r)).rejects.toThrow();
  });
});
