import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { jwtVerify, decodeJwt } from 'jose';
import type { LinkStore } from '../../src/links/link-store.js';
import { openLinkStore } from '../../src/links/open-store.js';
import { DOMAIN_ID, KEY, keyLeak, readCsv, runCli, tempDir, writeFile } from '../helpers.js';
import { readdirSync } from 'node:fs';
import { startTestRedis, type TestRedis } from '../redis-server.js';
import { request, seedLinks, startServe, type RunningServe } from './serve-fixture.js';

const KEY2 = 'beef0000beef0000beef0000beef0000beef0000beef0000beef0000beef0000';
const secret = (key: string): Uint8Array => new TextEncoder().encode(key);
const nowS = (): number => Math.floor(Date.now() / 1000);

let dir: string;
let dbPath: string;
let store: LinkStore;
let redis: TestRedis;
const servers: RunningServe[] = [];
/** Every id and token the tests saw: none may appear in a log line of serve. */
const secrets = new Set<string>();

async function serve(args: string[], env: Record<string, string | undefined> = {}): Promise<RunningServe> {
  const running = await startServe(args, env);
  servers.push(running);
  return running;
}

/** The token of a 302/303 to the room, after checking where it leads. */
function roomToken(response: Response, room = 'standup'): string {
  const location = new URL(response.headers.get('location')!);
  expect(`${location.origin}${location.pathname}`).toBe(`https://acme.daily.co/${room}`);
  const token = location.searchParams.get('t')!;
  secrets.add(token);
  return token;
}

beforeAll(async () => {
  dir = tempDir('mt-serve-');
  dbPath = join(dir, 'links.db');
  store = await openLinkStore({ kind: 'sqlite', path: dbPath });
  redis = await startTestRedis();
});
afterAll(async () => {
  for (const running of servers) if (running.child.exitCode === null) await running.stop();
  await store?.close();
  redis?.stop();
  // Secrets scan of every serve process's log: no key (or 12-character piece of one), id or token.
  for (const running of servers) {
    expect(keyLeak(KEY, [['serve stderr', running.stderr()]], [])).toBeUndefined();
    expect(keyLeak(KEY2, [['serve stderr', running.stderr()]], [])).toBeUndefined();
    for (const value of secrets) expect(running.stderr()).not.toContain(value);
  }
});

describe('meeting-tokens serve on a SQLite store', () => {
  it('opens a link: 302 to the room with a token signed now from the stored claims; the open is counted; HEAD neither signs nor counts', async () => {
    const exp = nowS() + 3600;
    const nbf = nowS() - 60;
    const { runId, ids } = await seedLinks(store, [{ exp, nbf, user: 'Ada' }]);
    ids.forEach((id) => secrets.add(id));
    const server = await serve(['--links-db', dbPath, '--log-level', 'debug']);

    const head = await request(`${server.base}/j/${ids[0]}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('location')).toBeNull();
    expect((await store.runStats(runId))?.opens).toBe(0);

    const before = nowS();
    const response = await request(`${server.base}/j/${ids[0]}`);
    expect(response.status).toBe(302);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    const { payload } = await jwtVerify(roomToken(response), secret(KEY));
    expect(payload).toMatchObject({ r: 'standup', d: DOMAIN_ID, u: 'Ada', nbf, exp });
    expect(payload.iat).toBeGreaterThanOrEqual(before);
    // Opens are counted behind the answers, within about 100 ms.
    await expect.poll(async () => (await store.runStats(runId))?.opens, { timeout: 10_000 }).toBe(1);

    const metrics = await (await request(`${server.base}/metrics`)).text();
    expect(metrics).toMatch(/^meeting_tokens_link_opens_total 1$/m);
    expect(metrics).toMatch(/^meeting_tokens_link_answer_seconds_count 2$/m);
    const health = await request(`${server.base}/healthz`);
    expect([health.status, await health.text(), health.headers.get('cache-control')]).toEqual([200, 'ok\n', 'no-store']);
    // Stopped, every open is written: the HEAD was not one of them.
    expect(await server.stop()).toBe(0);
    expect(await store.runStats(runId)).toMatchObject({ opened: 1, opens: 1 });
  });

  it('expired: 410 with a page giving the expiry time; revoked: 410; unknown: 404; all no-store and no-referrer', async () => {
    const exp = nowS() - 120;
    const { ids } = await seedLinks(store, [{ exp }, { exp: nowS() + 3600 }]);
    ids.forEach((id) => secrets.add(id));
    await store.revokeId(ids[1]!);
    const server = await serve(['--links-db', dbPath]);

    const expired = await request(`${server.base}/j/${ids[0]}`);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain(`${new Date(exp * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`);
    const revoked = await request(`${server.base}/j/${ids[1]}`);
    expect([revoked.status, await revoked.text()]).toEqual([410, expect.stringContaining('withdrawn')]);
    const unknown = await request(`${server.base}/j/0000000000000000000000`);
    expect(unknown.status).toBe(404);
    for (const answer of [expired, revoked, unknown]) {
      expect(answer.headers.get('cache-control')).toBe('no-store');
      expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
    }
    const metrics = await (await request(`${server.base}/metrics`)).text();
    expect(metrics).toMatch(/^meeting_tokens_link_gone_total\{reason="expired"\} 1$/m);
    expect(metrics).toMatch(/^meeting_tokens_link_gone_total\{reason="revoked"\} 1$/m);
    expect(metrics).toMatch(/^meeting_tokens_link_not_found_total 1$/m);
  });

  it('past --not-found-limit 404s an address gets 429 (even for a good link); another address does not', async () => {
    const { ids } = await seedLinks(store, [{ exp: nowS() + 3600 }]);
    ids.forEach((id) => secrets.add(id));
    const server = await serve(['--links-db', dbPath, '--not-found-limit', '3', '--trust-proxy']);
    const from = (address: string) => ({ headers: { 'x-forwarded-for': `198.51.100.7, ${address}` } });
    // A browser's /favicon.ico is not a link: it is not counted.
    for (let i = 0; i < 4; i++) expect((await request(`${server.base}/favicon.ico`, from('203.0.113.1'))).status).toBe(404);
    for (let i = 0; i < 3; i++) expect((await request(`${server.base}/j/unknown${i}`, from('203.0.113.1'))).status).toBe(404);
    const limited = await request(`${server.base}/j/unknown9`, from('203.0.113.1'));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await request(`${server.base}/j/${ids[0]}`, from('203.0.113.1'))).status).toBe(429);
    expect((await request(`${server.base}/j/${ids[0]}`, from('203.0.113.2'))).status).toBe(302);
    expect((await request(`${server.base}/j/unknown9`, from('203.0.113.2'))).status).toBe(404);
  });

  it('page: join answers a page (opens nothing); its POST signs, counts and sends the browser to the room (303)', async () => {
    const { runId, ids } = await seedLinks(store, [{ exp: nowS() + 3600 }]);
    ids.forEach((id) => secrets.add(id));
    const server = await serve(['--links-db', dbPath, '--page', 'join']);
    const page = await request(`${server.base}/j/${ids[0]}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("form-action 'self' https://acme.daily.co");
    expect(await page.text()).toContain('<form method="post">');
    expect((await store.runStats(runId))?.opens).toBe(0);
    const post = await request(`${server.base}/j/${ids[0]}`, { method: 'POST' });
    expect(post.status).toBe(303);
    await jwtVerify(roomToken(post), secret(KEY));
    expect(await server.stop()).toBe(0);
    expect((await store.runStats(runId))?.opens).toBe(1);
  });

  it('key rotation: after a restart with the new key, a link mailed before signs with the new key; SIGTERM exits 0', async () => {
    const { ids } = await seedLinks(store, [{ exp: nowS() + 3600 }]);
    ids.forEach((id) => secrets.add(id));
    const before = await serve(['--links-db', dbPath]);
    await jwtVerify(roomToken(await request(`${before.base}/j/${ids[0]}`)), secret(KEY));
    expect(await before.stop()).toBe(0);
    expect(before.stderr()).toContain('serve stopped');

    const after = await serve(['--links-db', dbPath], { DAILY_API_KEY: KEY2 });
    const token = roomToken(await request(`${after.base}/j/${ids[0]}`));
    await jwtVerify(token, secret(KEY2));
    await expect(jwtVerify(token, secret(KEY))).rejects.toThrow(/signature/);
  });

  it('a batch with mint: stored serves the token the batch signed', async () => {
    const batchToken = 'eyJhbGciOiJIUzI1NiJ9.eyJyIjoic3RhbmR1cCJ9.batch-signed';
    const { ids } = await seedLinks(store, [{ exp: nowS() + 3600, token: batchToken }], { mint: 'stored' });
    ids.forEach((id) => secrets.add(id));
    const server = await serve(['--links-db', dbPath]);
    expect(roomToken(await request(`${server.base}/j/${ids[0]}`))).toBe(batchToken);
  });
});

describe('meeting-tokens run with links, then serve', () => {
  it("a row's short_url opens its room with a token of the row's claims, signed at click time", async () => {
    const work = tempDir('mt-serve-run-');
    writeFile(work, 'roster.csv', 'room,name,user_id\nstandup,Ada Lovelace,u-1\nretro,"Grace, Hopper",u-2\n');
    const runArgs = ['--links-base-url', 'https://join.example.com', '--links-db', dbPath];
    const withLinks = await runCli(
      [
        'run',
        '--roster',
        join(work, 'roster.csv'),
        '--out',
        join(work, 'out2'),
        '--domain-id',
        DOMAIN_ID,
        '--domain-name',
        'acme',
        '--ttl',
        '2h',
        ...runArgs,
      ],
      { env: { LINKS_REDIS_URL: undefined, REDIS_URL: undefined } },
    );
    expect(withLinks.code).toBe(0);
    const linked = readCsv(
      join(
        work,
        'out2',
        readdirSync(join(work, 'out2')).find((n) => n.endsWith('.csv') && !n.endsWith('.rejects.csv'))!,
      ),
    );
    const server = await serve(['--links-db', dbPath]);
    for (const row of linked) {
      const path = new URL(row['short_url']!).pathname;
      secrets.add(path.slice(3));
      const response = await request(`${server.base}${path}`);
      expect(response.status).toBe(302);
      const token = roomToken(response, row['room_name']);
      const { payload } = await jwtVerify(token, secret(KEY));
      const { iat: signedAt, ...batchClaims } = decodeJwt(row['token']!);
      const { iat, ...clickClaims } = payload;
      expect(clickClaims).toEqual(batchClaims);
      expect(iat).toBeGreaterThanOrEqual(signedAt!);
    }
  });
});

describe('meeting-tokens serve: start-up mistakes are one line, exit 2', () => {
  it('no store, a SQLite file that does not exist, a port in use, a bad domain name', async () => {
    const env = { LINKS_REDIS_URL: undefined, REDIS_URL: undefined };
    const none = await runCli(['serve'], { env });
    expect([none.code, none.stderr]).toEqual([2, expect.stringMatching(/^meeting-tokens: serve needs a link store: --links-db/)]);
    const missing = await runCli(['serve', '--links-db', join(dir, 'nope.db')], { env });
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining('nope.db: no such file')]);
    const taken = await serve(['--links-db', dbPath]);
    const port = new URL(taken.base).port;
    const busy = await runCli(['serve', '--links-db', dbPath, '--port', port], { env });
    expect([busy.code, busy.stderr]).toEqual([
      2,
      expect.stringContaining(`--port ${port} --host 127.0.0.1: the port is already in use; pick another --port`),
    ]);
    const domain = await runCli(['serve', '--links-db', dbPath, '--domain-name', 'acme.daily.co'], { env });
    expect([domain.code, domain.stderr]).toEqual([2, expect.stringContaining('--domain-name: letters, digits and -')]);
  });
});

describe('meeting-tokens serve: two replicas sharing Redis', () => {
  it('each answers every link; opens add up in the one store; a revocation holds on both', async () => {
    const shared = await openLinkStore({ kind: 'redis', url: redis.url, variable: 'LINKS_REDIS_URL' });
    try {
      const { runId, ids } = await seedLinks(shared, [{ exp: nowS() + 3600 }, { exp: nowS() + 3600 }]);
      ids.forEach((id) => secrets.add(id));
      const env = { LINKS_REDIS_URL: redis.url };
      const [a, b] = await Promise.all([serve([], env), serve([], env)]);
      for (const replica of [a!, b!]) {
        for (const id of ids) expect(decodeJwt(roomToken(await request(`${replica.base}/j/${id}`))).r).toBe('standup');
      }
      await expect.poll(async () => (await shared.runStats(runId))?.opens, { timeout: 10_000 }).toBe(4);
      expect(await shared.runStats(runId)).toMatchObject({ opened: 2, opens: 4 });
      await shared.revokeId(ids[0]!);
      for (const replica of [a!, b!]) expect((await request(`${replica.base}/j/${ids[0]}`)).status).toBe(410);
      expect(await Promise.all([a!.stop(), b!.stop()])).toEqual([0, 0]);
    } finally {
      await shared.close();
    }
  });
});
