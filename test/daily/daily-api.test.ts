import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { startFakeDaily, type FakeDaily } from './fake-daily.js';
import { runCli, tempDir, writeFile, signRoster, KEY, DOMAIN_ID, NOW } from '../helpers.js';

const OTHER_DOMAIN = '11111111-2222-3333-4444-555555555555';
let daily: FakeDaily;

beforeAll(async () => {
  daily = await startFakeDaily(KEY, DOMAIN_ID, 'acme');
});
afterAll(async () => {
  await daily.close();
});
beforeEach(() => {
  daily.requests.length = 0;
  daily.rateLimitNext = 0;
  daily.delayMs = 0;
  daily.malformed = false;
  daily.misread = undefined;
});

const env = () => ({ DAILY_API_URL: daily.url });

/** Signs a roster; returns the tokens file. `extra` goes to `run`. */
async function signed(rows: string, extra: string[]): Promise<string> {
  const { result, tokensFile } = await signRoster(rows, extra, env());
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return tokensFile;
}

describe('meeting-tokens domain', () => {
  it('prints the domain id and name from GET /', async () => {
    const result = await runCli(['domain'], { env: env() });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`domain_id: ${DOMAIN_ID}\ndomain_name: acme\n`);
    expect(daily.requests.map((r) => [r.path, r.authorized])).toEqual([['/v1/', true]]);
  });

  it('--json prints the id and name as one object, with the job file written', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'jobs'));
    writeFileSync(join(dir, 'jobs', 'standup.yaml'), 'roster: ../r.csv\nout: ../out\n');
    const result = await runCli(['domain', '--json', '--write-job', 'standup', '--jobs', join(dir, 'jobs')], { env: env() });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ domain_id: DOMAIN_ID, domain_name: 'acme', written_to: join(dir, 'jobs', 'standup.yaml') });
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('--write-job stores both in the job file, keeping its comments and layout', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'jobs'));
    const original = '# Weekly standup invitations\nroster: ../r.csv # exported every Monday\nout: ../out\n\n# lifetime\nttl: 2d\n';
    writeFileSync(join(dir, 'jobs', 'standup.yaml'), original);
    const result = await runCli(['domain', '--write-job', 'standup', '--jobs', join(dir, 'jobs')], { env: env() });
    expect(result.code).toBe(0);
    const text = readFileSync(join(dir, 'jobs', 'standup.yaml'), 'utf8');
    expect(text).toBe(`${original}domain_id: ${DOMAIN_ID}\ndomain_name: acme\n`);
    // A second run replaces the values in place.
    await runCli(['domain', '--write-job', 'standup', '--jobs', join(dir, 'jobs')], { env: env() });
    expect(readFileSync(join(dir, 'jobs', 'standup.yaml'), 'utf8')).toBe(text);
  });

  it('says clearly when the key is refused, and never prints the key', async () => {
    const wrong = 'f'.repeat(64);
    const result = await runCli(['domain'], { env: { ...env(), DAILY_API_KEY: wrong } });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('meeting-tokens: Daily API: the API key was refused (401 authentication-error); check DAILY_API_KEY\n');
    expect(result.stdout + result.stderr).not.toContain(wrong);
  });

  it('backs off and retries on 429, then succeeds', async () => {
    daily.rateLimitNext = 3;
    const result = await runCli(['domain'], { env: env() });
    expect(result.code).toBe(0);
    const times = daily.requests.map((r) => r.at);
    expect(times).toHaveLength(4);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    // 250, 500, 1000 ms of back-off (a little timer slack allowed).
    expect(gaps[0]).toBeGreaterThanOrEqual(240);
    expect(gaps[1]).toBeGreaterThanOrEqual(490);
    expect(gaps[2]).toBeGreaterThanOrEqual(990);
  });

  it('gives up with one line when Daily keeps answering 429', async () => {
    daily.rateLimitNext = 100;
    const result = await runCli(['domain'], { env: env() });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('meeting-tokens: Daily API: GET / still rate-limited (429) after 6 attempts; try again later\n');
  }, 30_000);

  it.each([
    [
      'a slow answer',
      () => (daily.delayMs = 2000),
      { DAILY_API_TIMEOUT_MS: '300' },
      /^meeting-tokens: Daily API: GET \/ got no answer within 0.3s \(127\.0\.0\.1:\d+\)\n$/,
    ],
    [
      'a malformed body',
      () => (daily.malformed = true),
      {},
      /^meeting-tokens: Daily API: GET \/ answered 200 with a body that is not JSON\n$/,
    ],
  ])('fails with one clear line on %s', async (_name, arrange, extraEnv, message) => {
    arrange();
    const result = await runCli(['domain'], { env: { ...env(), ...extraEnv } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
  });

  it('fails with one clear line when Daily cannot be reached', async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = createServer().listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const result = await runCli(['domain'], { env: { DAILY_API_URL: `http://127.0.0.1:${port}/v1` } });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`meeting-tokens: Daily API: cannot reach 127.0.0.1:${port} (ECONNREFUSED)\n`);
  });
});

describe('run without a domain id', () => {
  it('looks it up once at the start, says so in the log, and signs with it (join links too)', async () => {
    const dir = tempDir();
    writeFile(dir, 'roster.csv', 'room,name\ndemo,Ada\ndemo,Bob\n');
    const result = await runCli(['run', '--roster', join(dir, 'roster.csv'), '--out', join(dir, 'out'), '--now', NOW], { env: env() });
    expect(result.code).toBe(0);
    expect(daily.requests.map((r) => r.path)).toEqual(['/v1/']);
    const logLine = result.stderr.split('\n').find((l) => l.includes('domain id looked up at Daily'));
    expect(JSON.parse(logLine!)).toMatchObject({ domainId: DOMAIN_ID, domainName: 'acme' });
    expect(result.stderr).not.toContain(KEY);
    const manifest = JSON.parse(readFileSync(join(dir, 'out', 'roster-20261127T100000Z.manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ domain_id: DOMAIN_ID, domain_name: 'acme', tokens_written: 2 });
  });

  it('--offline refuses to look it up: exit 2, no request', async () => {
    const dir = tempDir();
    writeFile(dir, 'roster.csv', 'room\ndemo\n');
    const result = await runCli(['run', '--roster', join(dir, 'roster.csv'), '--out', join(dir, 'out'), '--offline'], { env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'meeting-tokens: no domain id: give --domain-id <uuid> or domain_id in the job (--offline forbids looking it up at Daily)\n',
    );
    expect(daily.requests).toHaveLength(0);
  });
});

describe('verify --online', () => {
  it('asks Daily about a sample of tokens, ignoreNbf for those not valid yet, within the rate limit', async () => {
    const later = new Date(Date.now() + 2 * 86400_000).toISOString().slice(0, 19) + 'Z';
    const rows = ['room,name,not_before', ...Array.from({ length: 30 }, (_, i) => `room-${i},Person ${i},${i % 2 ? later : ''}`)].join(
      '\n',
    );
    const file = await signed(rows, ['--domain-id', DOMAIN_ID]);
    const result = await runCli(['verify', file, '--online', '--sample', '12'], { env: env() });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const accepted = result.stdout.split('\n').filter((l) => /^line \d+: accepted by Daily \{/.test(l));
    expect(accepted).toHaveLength(12);
    expect(result.stdout).toContain('online: 12 of 12 sampled tokens accepted by Daily');
    expect(accepted[0]).toMatch(/"room_name":"room-\d+"/);
    const paths = daily.requests.map((r) => r.path);
    expect(paths.filter((p) => p.endsWith('?ignoreNbf=true')).length).toBeGreaterThan(0);
    expect(paths.filter((p) => p.endsWith('?ignoreNbf=true')).length).toBeLessThan(12);
    // 20 requests/s at most: sends are 50 ms apart. Arrival times add each request's latency, and
    // the first one's includes the TCP connect, so it is left out and a generous slack allowed;
    // without the limiter, these requests arrive within a few milliseconds of each other.
    const times = daily.requests.map((r) => r.at).slice(1);
    expect(times[times.length - 1]! - times[0]!).toBeGreaterThanOrEqual((times.length - 1) * 50 - 100);
  });

  it("reports tokens Daily refuses (another domain's) and exits 1", async () => {
    const file = await signed('room\na\nb\n', ['--domain-id', OTHER_DOMAIN]);
    const result = await runCli(['verify', file, '--online'], { env: env() });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/line 2: refused by Daily \(400 invalid-request-error: token is not for this domain\)/);
    expect(result.stderr).toBe('meeting-tokens: Daily refused 2 of 2 sampled tokens\n');
  });

  it('reports an expired token as refused by Daily', async () => {
    const file = await signed('room\na\n', [
      '--domain-id',
      DOMAIN_ID,
      '--now',
      new Date(Date.now() - 3 * 86400_000).toISOString(),
      '--ttl',
      '1d',
    ]);
    const result = await runCli(['verify', file, '--online', '--sample', '1'], { env: env() });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('1 expired');
    expect(result.stdout).toMatch(/line 2: refused by Daily \(400 invalid-request-error: token expired\)/);
  });

  it('compares what Daily reads with what was signed: a misread property fails (exit 1), named, in text and JSON', async () => {
    const file = await signed('room,name,start_video_off,knocking\na,Ada,true,true\nb,Bob,true,true\n', ['--domain-id', DOMAIN_ID]);
    const good = await runCli(['verify', file, '--online'], { env: env() });
    expect(good.code).toBe(0);
    expect(good.stdout).toContain('online: 2 of 2 sampled tokens accepted by Daily, 0 read otherwise than signed');
    daily.misread = { property: 'start_video_off', value: false };
    const bad = await runCli(['verify', file, '--online'], { env: env() });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(
      'line 2: Daily reads otherwise than signed: start_video_off (Daily reads another value than the one signed)\n',
    );
    expect(bad.stderr).toBe(
      'meeting-tokens: Daily reads 2 of 2 sampled tokens otherwise than they were signed ' +
        '(line 2: start_video_off (Daily reads another value than the one signed); line 3: start_video_off (Daily reads another value than the one signed))\n',
    );
    const json = await runCli(['verify', file, '--online', '--json'], { env: env() });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      online: {
        sampled: 2,
        accepted: 2,
        differences: [{ line: 2, properties: [expect.stringMatching(/^start_video_off /)] }, { line: 3 }],
      },
    });
  });

  it('--sample without --online is a usage error', async () => {
    const result = await runCli(['verify', 'x.csv', '--sample', '3'], { env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('meeting-tokens: --sample goes with --online\n');
  });
});
