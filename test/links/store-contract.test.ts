/**
 * One contract for every link store, run against a real SQLite file and a real redis-server.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { LinkIds } from '../../src/links/link-id.js';
import type { LinkRun, LinkStore, NewLink } from '../../src/links/link-store.js';
import { openLinkStore, type StoreChoice } from '../../src/links/open-store.js';
import { tempDir } from '../helpers.js';
import { startTestRedis, type TestRedis } from '../redis-server.js';

const NOW = 1_800_000_000;
const ids = new LinkIds();
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

function link(line: number, over: Partial<NewLink> = {}): NewLink {
  const exp = over.exp ?? NOW + 3600;
  return {
    id: ids.id(),
    room: 'standup',
    claimsJson: JSON.stringify({ r: 'standup', d: 'dom', u: `User ${line}`, exp }),
    nbf: null,
    exp,
    line,
    userId: `u${line}`,
    token: null,
    ...over,
  };
}

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

  async function committed(count: number, over: Partial<LinkRun> = {}): Promise<{ run: LinkRun; links: NewLink[] }> {
    const r = run(over);
    const links = Array.from({ length: count }, (_, i) => link(i + 2));
    await store.beginRun(r);
    await store.write(r.runId, links);
    await store.commitRun(r.runId);
    return { run: r, links };
  }

  it('resolves a link only once its run is committed, with everything it was written with', async () => {
    const r = run({ mint: 'stored' });
    const a = link(2, { nbf: NOW - 10, token: 'header.payload.sig' });
    await store.beginRun(r);
    await store.write(r.runId, [a]);
    expect(await store.get(a.id, NOW)).toEqual({ status: 'unknown' });
    expect(await store.recordOpen(a.id, NOW)).toBe(false);
    expect(await store.revokeId(a.id)).toBe(false);
    await store.commitRun(r.runId);
    expect(await store.get(a.id, NOW)).toEqual({
      status: 'live',
      link: {
        id: a.id,
        room: 'standup',
        claims: JSON.parse(a.claimsJson),
        nbf: NOW - 10,
        exp: a.exp,
        line: 2,
        userId: 'u2',
        token: 'header.payload.sig',
        run: r,
      },
    });
    expect(await store.get(ids.id(), NOW)).toEqual({ status: 'unknown' });
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
    const links = [link(2, { userId }), link(3)];
    await store.beginRun(r);
    await store.write(r.runId, links);
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
      { id: links[0]!.id, line: 2, userId: 'u2', opens: 0, firstOpen: null, lastOpen: null, revoked: false },
      { id: links[1]!.id, line: 3, userId: 'u3', opens: 2, firstOpen: NOW + 5, lastOpen: NOW + 9, revoked: false },
      { id: links[2]!.id, line: 4, userId: 'u4', opens: 1, firstOpen: NOW + 7, lastOpen: NOW + 7, revoked: false },
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

  it('revokes one link by id', async () => {
    const { run: r, links } = await committed(2);
    expect(await store.revokeId(links[0]!.id)).toBe(true);
    expect(await store.get(links[0]!.id, NOW)).toEqual({ status: 'revoked' });
    expect((await store.get(links[1]!.id, NOW)).status).toBe('live');
    expect(await store.recordOpen(links[1]!.id, NOW)).toBe(true);
    expect((await store.runStats(r.runId))!.revokedLinks).toBe(1);
    expect(await store.revokeId(ids.id())).toBe(false);
  });

  it('revokes by user id across runs, counting only links that were live', async () => {
    const userId = `person-${runCounter}`;
    const a = run();
    const b = run();
    const la = link(2, { userId });
    const lb = link(5, { userId });
    const other = link(6);
    const pending = run();
    for (const [r, ls] of [
      [a, [la, other]],
      [b, [lb]],
    ] as const) {
      await store.beginRun(r);
      await store.write(r.runId, ls);
      await store.commitRun(r.runId);
    }
    await store.beginRun(pending);
    await store.write(pending.runId, [link(7, { userId })]);
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
    await store.beginRun(r);
    const all: NewLink[] = [];
    for (let chunk = 0; chunk < 5; chunk++) {
      const links = Array.from({ length: 500 }, (_, i) => link(2 + chunk * 500 + i));
      await store.write(r.runId, links);
      all.push(...links);
    }
    await store.commitRun(r.runId);
    const lines: number[] = [];
    for await (const o of store.linkOpens(r.runId)) lines.push(o.line);
    expect(lines).toEqual(all.map((l) => l.line));
    expect((await store.runStats(r.runId))!.links).toBe(2500);
  });

  it('refuses to begin one run id twice', async () => {
    const r = run();
    await store.beginRun(r);
    await expect(store.beginRun(r)).rejects.toThrow();
  });
});
