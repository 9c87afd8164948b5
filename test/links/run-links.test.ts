/**
 * A run with short links, end to end through the built CLI: the short_url column, the records
 * in a real SQLite file and a real Redis, the manifest's `links`, and nothing resolving after a
 * run that failed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DOMAIN_ID, readCsv, runCli, tempDir, writeFile } from '../helpers.js';
import { startTestRedis, type TestRedis } from '../redis-server.js';
import { openLinkStore, type StoreChoice } from '../../src/links/open-store.js';
import type { LinkStore } from '../../src/links/link-store.js';

const BASE = 'https://join.example.com';
const ROSTER = [
  'room,name,user_id,email',
  'standup,Ada Lovelace,u-1,ada@example.com',
  'retro,"Grace, Hopper",,grace@example.com',
  'bad room!,Nobody,u-3,no@example.com',
  ',Everyone,u-4,all@example.com',
  '',
].join('\n');

const now = (): number => Math.floor(Date.now() / 1000);

interface Ran {
  code: number | null;
  out: string;
  logs: string;
  rows: Record<string, string>[];
  manifest: Record<string, unknown> & { run_id: string; links: Record<string, unknown> | null };
}

async function run(extra: string[], env: Record<string, string | undefined> = {}, roster = ROSTER): Promise<Ran> {
  const dir = tempDir();
  writeFile(dir, 'roster.csv', roster);
  const out = join(dir, 'out');
  const args = ['run', '--roster', join(dir, 'roster.csv'), '--out', out, '--domain-id', DOMAIN_ID, '--domain-name', 'my-team', ...extra];
  const result = await runCli([...args, '--allow-all-rooms'], { env: { LINKS_REDIS_URL: undefined, REDIS_URL: undefined, ...env } });
  const names = existsSync(out) ? readdirSync(out) : [];
  const manifestName = names.find((n) => n.endsWith('.manifest.json'));
  const tokens = names.find((n) => n.endsWith('.csv') && !n.endsWith('.rejects.csv'));
  return {
    code: result.code,
    out,
    logs: result.stdout + result.stderr,
    rows: tokens ? readCsv(join(out, tokens)) : [],
    manifest: manifestName ? JSON.parse(readFileSync(join(out, manifestName), 'utf8')) : { run_id: '', links: null },
  };
}

const idOf = (url: string): string => url.slice(`${BASE}/j/`.length);

/** Every token row's link resolves to its row, under the run's id; the logs name no id. */
async function expectLinksOf(ran: Ran, store: LinkStore): Promise<void> {
  expect(ran.code).toBe(0);
  const withRoom = ran.rows.filter((r) => r['room_name'] !== '');
  expect(withRoom.map((r) => r['user_name'])).toEqual(['Ada Lovelace', 'Grace, Hopper']);
  for (const row of withRoom) {
    expect(row['short_url']).toMatch(/^https:\/\/join\.example\.com\/j\/[0-9A-Za-z]{23,31}$/);
    expect(ran.logs).not.toContain(idOf(row['short_url']!));
    const found = await store.get(idOf(row['short_url']!), now());
    if (found.status !== 'live') throw new Error(`link of ${row['user_name']} is ${found.status}`);
    expect(found.link.room).toBe(row['room_name']);
    expect(found.link.claims['u']).toBe(row['user_name']);
    expect(found.link.exp).toBe(Number(row['exp']));
    expect(found.link.line).toBe(ROSTER.split('\n').findIndex((l) => l.includes(row['email']!)) + 1);
    expect(found.link.userId).toBe(row['user_id'] || null);
    expect(found.link.token).toBeNull();
    expect(found.link.run).toMatchObject({ runId: ran.manifest.run_id, domainName: 'my-team', domainId: DOMAIN_ID, mint: 'at_click' });
  }
  // The all-rooms row leads to no one room: no link, like its empty join_url.
  expect(ran.rows.find((r) => r['room_name'] === '')!['short_url']).toBe('');
  expect(new Set(withRoom.map((r) => r['short_url'])).size).toBe(2);
  const stats = await store.runStats(ran.manifest.run_id);
  expect(stats).toMatchObject({ committed: true, links: 2, opened: 0 });
}

describe('a run with short links, SQLite', () => {
  it.each([0, 2])('--workers %i: short_url on every token row, each record live under the run id, a 0600 file', async (workers) => {
    const ran = await run(['--links-base-url', `${BASE}/`, '--workers', String(workers)]);
    expect(Object.keys(ran.rows[0]!)).toEqual([
      'email',
      'room_name',
      'user_name',
      'user_id',
      'is_owner',
      'token',
      'join_url',
      'short_url',
      'not_before',
      'expires_at',
      'exp',
    ]);
    const db = join(ran.out, 'links.db');
    expect(ran.manifest.links).toEqual({ base_url: BASE, store: `sqlite:${db}`, mint: 'at_click', records: 2 });
    expect(statSync(db).mode & 0o777).toBe(0o600);
    const store = await openLinkStore({ kind: 'sqlite', path: db });
    try {
      await expectLinksOf(ran, store);
    } finally {
      await store.close();
    }
  });

  it('group_by: a row over max_links_per_recipient is rejected and its link record removed before the commit', async () => {
    const roster = [
      'room,name,user_id,email',
      'standup,Ada,u-1,ada@example.com',
      'retro,Ada,u-1,ada@example.com',
      'retro,Grace,u-2,grace@example.com',
      '',
    ];
    const ran = await run(['--links-base-url', BASE, '--group-by', 'email', '--max-links-per-recipient', '1'], {}, roster.join('\n'));
    expect(ran.code).toBe(0);
    const rejects = readdirSync(ran.out).find((n) => n.endsWith('.rejects.csv'))!;
    expect(readFileSync(join(ran.out, rejects), 'utf8')).toContain('more than 1 links');
    expect(ran.manifest.links).toMatchObject({ records: 2 });
    const tokens = readdirSync(ran.out).find((n) => /\d{6}Z\.csv$/.test(n))!;
    const ids = [...readFileSync(join(ran.out, tokens), 'utf8').matchAll(/\/j\/([0-9A-Za-z]+)/g)].map((m) => m[1]!);
    expect(ids).toHaveLength(2);
    const store = await openLinkStore({ kind: 'sqlite', path: join(ran.out, 'links.db') });
    try {
      for (const id of ids) expect((await store.get(id, now())).status).toBe('live');
      const lines: number[] = [];
      for await (const link of store.linkOpens(ran.manifest.run_id)) lines.push(link.line);
      // Line 3 (Ada's second row) was rejected: no record of it is left to resolve.
      expect(lines).toEqual([2, 4]);
      expect(await store.runStats(ran.manifest.run_id)).toMatchObject({ committed: true, links: 2 });
    } finally {
      await store.close();
    }
  });

  it('a job file names the store relative to itself, and mint: stored keeps the signed token', async () => {
    const dir = tempDir();
    writeFile(dir, 'roster.csv', ROSTER);
    const job = writeFile(
      dir,
      'weekly.yaml',
      `roster: roster.csv\nout: out\ndomain_id: ${DOMAIN_ID}\ndomain_name: my-team\nallow_all_rooms: true\n` +
        `links:\n  base_url: ${BASE}\n  db: links/store.db\n  mint: stored\n`,
    );
    mkdirSync(join(dir, 'links'));
    const result = await runCli(['run', job, '--log-level', 'silent']);
    expect(result.code).toBe(0);
    const store = await openLinkStore({ kind: 'sqlite', path: join(dir, 'links', 'store.db') });
    try {
      const tokens = readdirSync(join(dir, 'out')).find((n) => /\d{6}Z\.csv$/.test(n))!;
      const row = readCsv(join(dir, 'out', tokens))[0]!;
      const found = await store.get(idOf(row['short_url']!), now());
      expect(found.status === 'live' && found.link.token).toBe(row['token']);
      expect(found.status === 'live' && found.link.run.mint).toBe('stored');
    } finally {
      await store.close();
    }
  });

  it('short_url is a value source of output.columns (JSONL too); without links that column is refused (exit 2)', async () => {
    const dir = tempDir();
    writeFile(dir, 'roster.csv', ROSTER);
    const job = (extra: string) =>
      `roster: roster.csv\nout: out\ndomain_id: ${DOMAIN_ID}\ndomain_name: my-team\nallow_all_rooms: true\n` +
      `output:\n  format: jsonl\n  columns: { email: Email, short_url: Link, user_name: Name }\n${extra}`;
    writeFile(dir, 'with.yaml', job(`links:\n  base_url: ${BASE}\n`));
    writeFile(dir, 'without.yaml', job(''));
    const result = await runCli(['run', join(dir, 'with.yaml'), '--log-level', 'silent']);
    expect(result.code).toBe(0);
    const file = readdirSync(join(dir, 'out')).find((n) => n.endsWith('.jsonl'))!;
    const rows = readFileSync(join(dir, 'out', file), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, string>);
    expect(rows.map((r) => Object.keys(r))).toEqual(Array(3).fill(['Email', 'Link', 'Name']));
    const store = await openLinkStore({ kind: 'sqlite', path: join(dir, 'out', 'links.db') });
    try {
      const found = await store.get(idOf(rows[0]!['Link']!), now());
      expect(found.status === 'live' && found.link.claims['u']).toBe('Ada Lovelace');
    } finally {
      await store.close();
    }
    expect(rows[2]!['Link']).toBe('');
    const without = await runCli(['run', join(dir, 'without.yaml')]);
    expect(without.code).toBe(2);
    expect(without.stderr).toMatch(/columns\.short_url: short links need links\.base_url/);
  });

  it('a run that fails (too many rejects: exit 3, no tokens published) leaves no record', async () => {
    const ran = await run(['--links-base-url', BASE, '--max-reject-ratio', '0.1']);
    expect(ran.code).toBe(3);
    expect(ran.manifest.links).toMatchObject({ records: 0 });
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(join(ran.out, 'links.db'), { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) AS n FROM links').get()).toEqual({ n: 0 });
      expect(db.prepare('SELECT count(*) AS n FROM runs').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });

  it.each([
    [['--links-base-url', 'ftp://join.example.com'], /--links-base-url: must be an http\(s\) URL/],
    [['--links-base-url', 'https://join.example.com/a,b'], /--links-base-url: must be written in plain ASCII/],
    [['--links-base-url', 'https://join.example.com/?x=1'], /--links-base-url: must have no \?query/],
    [['--links-db', 'x.db'], /--links-db needs --links-base-url/],
  ])('%j: exit 2, one line, nothing written', async (flags, message) => {
    const ran = await run(flags);
    expect(ran.code).toBe(2);
    expect(ran.logs).toMatch(message);
    expect(ran.logs.trim().split('\n')).toHaveLength(1);
    expect(existsSync(ran.out)).toBe(false);
  });

  it('without a domain name: exit 2, saying a link leads to the domain', async () => {
    const dir = tempDir();
    writeFile(dir, 'roster.csv', ROSTER);
    const result = await runCli([
      'run',
      '--roster',
      join(dir, 'roster.csv'),
      '--out',
      join(dir, 'out'),
      '--domain-id',
      DOMAIN_ID,
      '--links-base-url',
      BASE,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--links-base-url: a short link leads to https:\/\/<domain_name>\.daily\.co\/<room>: give domain_name/);
  });
});

describe('a run with short links, Redis', () => {
  let redis: TestRedis;
  const password = 'links-secret-pw-4711';
  beforeAll(async () => {
    redis = await startTestRedis(undefined, ['--requirepass', password]);
  });
  afterAll(() => redis?.stop());

  it.each(['LINKS_REDIS_URL', 'REDIS_URL'])('%s: records in Redis, the manifest names it without the password', async (variable) => {
    const url = `redis://:${password}@127.0.0.1:${redis.port}`;
    const ran = await run(['--links-base-url', BASE], { [variable]: url });
    expect(ran.manifest.links).toEqual({ base_url: BASE, store: `redis://127.0.0.1:${redis.port}`, mint: 'at_click', records: 2 });
    expect(JSON.stringify(ran.manifest) + ran.logs).not.toContain(password);
    expect(readdirSync(ran.out).filter((n) => n.startsWith('links.db'))).toEqual([]);
    const choice: StoreChoice = { kind: 'redis', url, variable };
    const store = await openLinkStore(choice);
    try {
      await expectLinksOf(ran, store);
    } finally {
      await store.close();
    }
  });

  it('a wrong password: exit 1 before anything is signed, naming the variable and the host only', async () => {
    const ran = await run(['--links-base-url', BASE], { LINKS_REDIS_URL: `redis://:wrong-pw-123@127.0.0.1:${redis.port}` });
    expect(ran.code).not.toBe(0);
    expect(ran.logs).toMatch(/LINKS_REDIS_URL: Redis at 127\.0\.0\.1:\d+ refused the user name or password/);
    expect(ran.logs).not.toContain('wrong-pw-123');
    expect(readdirSync(ran.out)).toEqual([]);
  });
});
