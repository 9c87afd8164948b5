import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeDaily, type FakeDaily } from '../daily/fake-daily.js';
import { runCli, tempDir, writeFile, readCsv, payloadOf, DOMAIN_ID, NOW, NOW_S } from '../helpers.js';

const STAMP = '20261127T100000Z';
const DAY = 86400;
let daily: FakeDaily;

beforeAll(async () => {
  daily = await startFakeDaily('c0ffee00'.repeat(8), DOMAIN_ID, 'acme');
});
afterAll(async () => {
  await daily.close();
});
beforeEach(() => {
  daily.requests.length = 0;
  daily.rooms.length = 0;
  daily.rateLimitWhen = undefined;
  daily.addRoom('standup');
  daily.addRoom('lobby', { privacy: 'public' });
  daily.addRoom('closing', { exp: NOW_S + 3600 });
});

interface Run {
  code: number | null;
  stderr: string;
  tokens: Record<string, string>[];
  rejects: Record<string, string>[];
  manifest: Record<string, unknown> & { rooms: { listed: number; created: string[]; public: string[] } | null };
  logs: { level: number; msg: string; room?: string }[];
}

async function run(roster: string, args: string[]): Promise<Run> {
  const dir = tempDir();
  writeFile(dir, 'roster.csv', roster);
  const out = join(dir, 'out');
  const result = await runCli(
    ['run', '--roster', join(dir, 'roster.csv'), '--out', out, '--domain-id', DOMAIN_ID, '--domain-name', 'acme', '--now', NOW, ...args],
    { env: { DAILY_API_URL: daily.url } },
  );
  const read = <T>(name: string, parse: (path: string) => T, empty: T): T => {
    try {
      return parse(join(out, `roster-${STAMP}${name}`));
    } catch {
      return empty;
    }
  };
  return {
    code: result.code,
    stderr: result.stderr,
    tokens: read('.csv', readCsv, []),
    rejects: read('.rejects.csv', readCsv, []),
    manifest: read('.manifest.json', (p) => JSON.parse(readFileSync(p, 'utf8')) as Run['manifest'], {} as Run['manifest']),
    logs: result.stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Run['logs'][number]),
  };
}

describe('--check-rooms', () => {
  it('rejects a row whose room does not exist on the domain, naming room and domain; the rest is signed', async () => {
    const r = await run('room,name\nstandup,Ada\nstandpu,Bob\nstandup,Cy\n', ['--check-rooms']);
    expect(r.code).toBe(0);
    expect(r.tokens.map((t) => t['user_name'])).toEqual(['Ada', 'Cy']);
    expect(r.rejects).toEqual([{ line: '3', reason: 'room `standpu` does not exist on domain `acme`', room: 'standpu', name: 'Bob' }]);
    expect(r.manifest).toMatchObject({ rows_read: 3, tokens_written: 2, rows_rejected: 1, rooms: { listed: 3, created: [], public: [] } });
    // Listed once, before anything else; nothing but the listing asked of Daily.
    expect(daily.requests.map((q) => q.path)).toEqual(['/v1/rooms?limit=100']);
  });

  it('warns once per public room, however many rows and worker threads; signs its rows', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => (i % 3 === 0 ? `lobby,P${i}` : `standup,P${i}`));
    const r = await run(['room,name', ...rows].join('\n'), ['--check-rooms', '--workers', '2']);
    expect(r.code).toBe(0);
    expect(r.tokens).toHaveLength(3000);
    const warnings = r.logs.filter((l) => l.level === 40 && l.msg.includes('is public'));
    expect(warnings).toEqual([
      expect.objectContaining({
        room: 'lobby',
        msg: 'room `lobby` on domain `acme` is public: anyone with its link joins without a token, which only adds properties',
      }),
    ]);
    expect(r.manifest.rooms).toEqual({ listed: 3, created: [], public: ['lobby'] });
  });

  it('rejects a row whose token would expire after its room; an earlier expires_at passes', async () => {
    const early = new Date((NOW_S + 1800) * 1000).toISOString();
    const r = await run(`room,name,expires_at\nclosing,Ada,\nclosing,Bob,${early}\n`, ['--check-rooms']);
    expect(r.code).toBe(0);
    expect(r.tokens.map((t) => t['user_name'])).toEqual(['Bob']);
    expect(r.rejects[0]!['reason']).toBe(
      "room `closing` expires at 2026-11-27T11:00:00Z, before this token's exp 2026-11-28T10:00:00Z: " +
        "Daily refuses joins after the room's exp; give an earlier expires_at or extend the room",
    );
  });

  it('a 429 during the listing is waited out; the run goes on', async () => {
    for (let i = 0; i < 150; i++) daily.addRoom(`extra-${i}`);
    let limited = 0;
    daily.rateLimitWhen = (path) => path.startsWith('/v1/rooms?') && path.includes('starting_after') && limited++ === 0;
    const r = await run('room\nstandup\nextra-0\n', ['--check-rooms']);
    expect(r.code).toBe(0);
    expect(r.tokens).toHaveLength(2);
    expect(r.manifest.rooms?.listed).toBe(153);
    expect(daily.requests.filter((q) => q.path.startsWith('/v1/rooms'))).toHaveLength(3);
  });

  it('check_rooms: true in a job file does the same', async () => {
    const dir = tempDir();
    writeFile(dir, 'roster.csv', 'room\nstandup\nnope\n');
    writeFile(dir, 'job.yaml', `roster: roster.csv\nout: out\ndomain_id: ${DOMAIN_ID}\ndomain_name: acme\ncheck_rooms: true\n`);
    const result = await runCli(['run', join(dir, 'job.yaml'), '--now', NOW], { env: { DAILY_API_URL: daily.url } });
    expect(result.code).toBe(0);
    expect(readCsv(join(dir, 'out', `job-${STAMP}.rejects.csv`))[0]!['reason']).toBe('room `nope` does not exist on domain `acme`');
  });

  it('without it, a run asks Daily nothing and checks no room', async () => {
    const r = await run('room\nnope\n', []);
    expect(r.code).toBe(0);
    expect(r.tokens).toHaveLength(1);
    expect(r.manifest.rooms).toBeNull();
    expect(daily.requests).toHaveLength(0);
  });

  it('--offline with --check-rooms or --ensure-rooms is a usage error, before any request', async () => {
    for (const flag of ['--check-rooms', '--ensure-rooms']) {
      const r = await run('room\nstandup\n', [flag, '--offline']);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`meeting-tokens: ${flag} asks Daily for the domain's rooms, which --offline forbids\n`);
    }
    expect(daily.requests).toHaveLength(0);
  });
});

describe('--ensure-rooms', () => {
  it('creates the missing rooms before signing, 1,000 a call, private, expiring with the latest token; logs and records each', async () => {
    const late = new Date((NOW_S + 5 * DAY) * 1000).toISOString();
    const rows = [
      'room,name,expires_at',
      'standup,Ada,',
      ...Array.from({ length: 1001 }, (_, i) => `new-${i},P${i},${i === 500 ? late : ''}`),
      // Rejected by the mapper (expires_at before the run): its room is not created.
      'never-made,Zed,2020-01-01T00:00:00Z',
    ];
    const r = await run(rows.join('\n'), ['--ensure-rooms']);
    expect(r.code).toBe(0);
    expect(r.manifest).toMatchObject({ rows_read: 1003, tokens_written: 1002, rows_rejected: 1 });
    const posts = daily.requests.filter((q) => q.method === 'POST');
    expect(posts.map((q) => q.path)).toEqual(['/v1/batch/rooms', '/v1/batch/rooms']);
    const created = daily.rooms.filter((room) => room.name.startsWith('new-'));
    expect(created).toHaveLength(1001);
    expect(new Set(created.map((room) => room.privacy))).toEqual(new Set(['private']));
    // One exp for all: the batch's latest token's.
    expect(new Set(created.map((room) => room.config.exp))).toEqual(new Set([NOW_S + 5 * DAY]));
    expect(Math.max(...r.tokens.map((t) => Number(t['exp'])))).toBe(NOW_S + 5 * DAY);
    expect(daily.rooms.some((room) => room.name === 'never-made')).toBe(false);
    expect(r.manifest.rooms?.created).toEqual(Array.from({ length: 1001 }, (_, i) => `new-${i}`));
    expect(r.manifest.rooms?.listed).toBe(3);
    const logged = r.logs.filter((l) => l.msg.startsWith('created room `'));
    expect(logged).toHaveLength(1001);
    expect(logged[0]!.msg).toBe('created room `new-0` on domain `acme` (private, exp 2026-12-02T10:00:00Z)');
    // Every token's room exists now.
    const names = new Set(daily.rooms.map((room) => room.name));
    expect(r.tokens.every((t) => names.has(payloadOf(t['token']!)['r'] as string))).toBe(true);
  });

  it('a refused batch fails the run before any row is signed: nothing published, one line', async () => {
    daily.rateLimitWhen = (path) => {
      // Another client takes the name between the listing and the creation.
      if (path === '/v1/batch/rooms' && !daily.rooms.some((room) => room.name === 'fresh')) daily.addRoom('fresh');
      return false;
    };
    const r = await run('room\nstandup\nfresh\n', ['--ensure-rooms']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n').pop()).toBe(
      'meeting-tokens: Daily API: POST /batch/rooms refused 1 room (400 invalid-request-error: a room named fresh already exists); none of them was created',
    );
    expect(r.tokens).toEqual([]);
    expect(r.manifest).toEqual({});
  });

  it('with nothing missing, creates nothing', async () => {
    const r = await run('room\nstandup\nlobby\n', ['--ensure-rooms']);
    expect(r.code).toBe(0);
    expect(daily.requests.filter((q) => q.method === 'POST')).toHaveLength(0);
    expect(r.manifest.rooms).toEqual({ listed: 3, created: [], public: ['lobby'] });
  });
});

describe('check with check_rooms', () => {
  /** A job with check_rooms and an output directory; returns the job's directory. */
  function job(roster: string, extra = ''): string {
    const dir = tempDir();
    writeFile(dir, 'roster.csv', roster);
    writeFile(dir, 'job.yaml', `roster: roster.csv\nout: out\ndomain_id: ${DOMAIN_ID}\ndomain_name: acme\n${extra}`);
    return dir;
  }
  const ROSTER = 'room,name\nstandup,Ada\nnope,Bob\nlobby,Cy\nnope,Di\nstandup,Ed\n';

  it("lists the rooms as run does: the missing room's rows in the grouped rejects, exit 3 over the ratio; nothing written or created", async () => {
    const dir = job(ROSTER, 'check_rooms: true\nmax_reject_ratio: 0.2\n');
    const r = await runCli(['check', join(dir, 'job.yaml'), '--now', NOW, '--json'], { env: { DAILY_API_URL: daily.url } });
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({
      ok: false,
      rows_read: 5,
      would_get_tokens: 3,
      rows_rejected: 2,
      rejects: [{ reason: 'room `nope` does not exist on domain `acme`', rows: 2, lines: [3, 5] }],
      rooms: { listed: 3, would_create: [], public: ['lobby'] },
      error: { code: 'TOO_MANY_REJECTS' },
    });
    expect(daily.requests.map((q) => `${q.method} ${q.path}`)).toEqual(['GET /v1/rooms?limit=100']);
    expect(daily.rooms.map((room) => room.name).sort()).toEqual(['closing', 'lobby', 'standup']);
    expect(readdirSync(dir).sort()).toEqual(['job.yaml', 'roster.csv']);
  });

  it('--check-rooms does the same under the ratio (exit 0); the text report names the public rooms', async () => {
    const dir = job(ROSTER, 'max_reject_ratio: 0.5\n');
    const r = await runCli(['check', join(dir, 'job.yaml'), '--now', NOW, '--check-rooms'], { env: { DAILY_API_URL: daily.url } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('rooms: 3 rooms listed on domain `acme`; public (anyone with the link joins): `lobby`\n');
    expect(r.stdout).toContain('  2  room `nope` does not exist on domain `acme` (lines 3, 5)\n');
    expect(daily.requests).toHaveLength(1);
  });

  it('ensure_rooms: lists the rooms a run would create and passes their rows; creates none', async () => {
    const dir = job(ROSTER, 'ensure_rooms: true\n');
    const r = await runCli(['check', join(dir, 'job.yaml'), '--now', NOW, '--json'], { env: { DAILY_API_URL: daily.url } });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ would_get_tokens: 5, rows_rejected: 0, rooms: { listed: 3, would_create: ['nope'] } });
    expect(daily.requests.map((q) => q.method)).toEqual(['GET']);
    expect(daily.rooms).toHaveLength(3);
  });

  it('needs the API key only then: without check_rooms no key and no request; with it and no key, exit 2 before any request', async () => {
    const dir = job(ROSTER, 'max_reject_ratio: 0.5\n');
    const env = { DAILY_API_URL: daily.url, DAILY_API_KEY: undefined };
    const plain = await runCli(['check', join(dir, 'job.yaml'), '--now', NOW, '--json'], { env });
    expect(plain.code).toBe(0);
    expect(JSON.parse(plain.stdout)).toMatchObject({ rows_rejected: 0, rooms: null });
    const keyless = await runCli(['check', join(dir, 'job.yaml'), '--now', NOW, '--check-rooms'], { env });
    expect(keyless.code).toBe(2);
    expect(keyless.stderr).toContain('no API key');
    expect(daily.requests).toHaveLength(0);
  });
});

describe('--ensure-rooms on a roster that is not comma-separated', () => {
  it('finds the missing rooms with the delimiter the signing pass uses, in a run and in a check', async () => {
    const roster = 'room;name\nstandup;Ada\nfresh;Bob\n';
    const r = await run(roster, ['--ensure-rooms']);
    expect(r.code).toBe(0);
    expect(r.tokens.map((t) => t['user_name'])).toEqual(['Ada', 'Bob']);
    expect(r.manifest.rooms?.created).toEqual(['fresh']);

    daily.rooms.splice(
      daily.rooms.findIndex((room) => room.name === 'fresh'),
      1,
    );
    const dir = tempDir();
    writeFile(dir, 'roster.csv', roster);
    const check = await runCli(['check', '--roster', join(dir, 'roster.csv'), '--now', NOW, '--ensure-rooms', '--json'], {
      env: { DAILY_API_URL: daily.url },
    });
    expect(check.code).toBe(0);
    expect(JSON.parse(check.stdout)).toMatchObject({ rows_rejected: 0, rooms: { would_create: ['fresh'] } });
  });
});
