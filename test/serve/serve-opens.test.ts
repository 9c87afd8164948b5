/**
 * serve counts opens behind its answers (src/serve/open-counter.ts): a SIGTERM right after a
 * burst of opens still writes every one of them before the process exits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openLinkStore, type StoreChoice } from '../../src/links/open-store.js';
import { tempDir } from '../helpers.js';
import { startTestRedis, type TestRedis } from '../redis-server.js';
import { request, seedLinks, startServe } from './serve-fixture.js';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(() => redis?.stop());

const stores: [string, () => { choice: StoreChoice; args: string[]; env: Record<string, string> }][] = [
  [
    'SQLite',
    () => {
      const path = join(tempDir('mt-serve-opens-'), 'links.db');
      return { choice: { kind: 'sqlite', path }, args: ['--links-db', path], env: {} };
    },
  ],
  [
    'Redis',
    () => ({ choice: { kind: 'redis', url: redis.url, variable: 'LINKS_REDIS_URL' }, args: [], env: { LINKS_REDIS_URL: redis.url } }),
  ],
];

describe.each(stores)('serve on %s: opens written behind the answers', (_name, setup) => {
  it('SIGTERM right after a burst of opens: every open is in the store once serve has exited 0', async () => {
    const { choice, args, env } = setup();
    const store = await openLinkStore(choice);
    try {
      const exp = Math.floor(Date.now() / 1000) + 3600;
      const { runId, ids } = await seedLinks(
        store,
        Array.from({ length: 40 }, () => ({ exp })),
      );
      const server = await startServe(args, env);
      // Every link once, the first ten twice more: 60 opens of 40 links.
      const opened = [...ids, ...ids.slice(0, 10), ...ids.slice(0, 10)];
      const answers = await Promise.all(opened.map((id) => request(`${server.base}/j/${id}`)));
      expect(answers.map((a) => a.status)).toEqual(opened.map(() => 302));
      expect(await server.stop()).toBe(0);
      expect(await store.runStats(runId)).toMatchObject({ links: 40, opened: 40, opens: 60 });
      const counts = [];
      for await (const link of store.linkOpens(runId)) counts.push(link.opens);
      expect(counts).toEqual([...Array(10).fill(3), ...Array(30).fill(1)]);
    } finally {
      await store.close();
    }
  });
});
