import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, runCli, tempDir, writeFile, DOMAIN_ID, KEY } from '../helpers.js';

// Input and environment a user can get wrong: each is one plain line and its exit code, never
// "internal error".

function scheduleDir(): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'jobs'));
  writeFile(dir, 'r.csv', 'room\ndemo\n');
  writeFile(join(dir, 'jobs'), 'a.yaml', `roster: ../r.csv\nout: ../out\ndomain_id: ${DOMAIN_ID}\nschedule: "0 7 * * mon"\n`);
  return dir;
}

const children: ChildProcess[] = [];
afterAll(() => children.forEach((c) => c.kill('SIGTERM')));

describe('plain one-line errors', () => {
  it('decode: a token whose exp is no time (1e300) prints its claims, the time as "not a time"', async () => {
    const payload = Buffer.from('{"exp":1e300,"iat":1795773600}').toString('base64url');
    const r = await runCli(['decode', `eyJhbGciOiJIUzI1NiJ9.${payload}.x`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ exp: 1e300, expires_at: 'not a time', issued_at: '2026-11-27T10:00:00Z' });
  });

  it.each([
    [['--max-ttl', '400000w'], '--max-ttl: 2800000d is longer than a token should live; at most 366d'],
    [
      ['--ttl', '14000000000000s', '--max-ttl', '14000000000000s'],
      '--max-ttl: 162037037d 53m 20s is longer than a token should live; at most 366d',
    ],
    [['--max-ttl', '367d'], '--max-ttl: 367d is longer than a token should live; at most 366d'],
  ])('run %j: exit 2', async (flags, message) => {
    const dir = tempDir();
    writeFile(dir, 'r.csv', 'room\ndemo\n');
    const r = await runCli(['run', '--roster', join(dir, 'r.csv'), '--out', join(dir, 'out'), '--domain-id', DOMAIN_ID, ...flags]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`meeting-tokens: ${message}\n`);
  });

  it('run: max_ttl 366d in a job file is taken, 367d refused', async () => {
    const dir = tempDir();
    writeFile(dir, 'r.csv', 'room\ndemo\n');
    const jobs = join(dir, 'jobs');
    mkdirSync(jobs);
    writeFile(jobs, 'long.yaml', `roster: ../r.csv\nout: ../out\ndomain_id: ${DOMAIN_ID}\nttl: 366d\nmax_ttl: 366d\n`);
    expect((await runCli(['run', 'long', '--jobs', jobs, '--log-level', 'silent'], { cwd: dir })).code).toBe(0);
    writeFile(jobs, 'long.yaml', `roster: ../r.csv\nout: ../out\ndomain_id: ${DOMAIN_ID}\nmax_ttl: 53w\n`);
    const r = await runCli(['run', 'long', '--jobs', jobs], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`meeting-tokens: ${join(jobs, 'long.yaml')}: max_ttl: 371d is longer than a token should live; at most 366d\n`);
  });

  it('schedule: --metrics-port in use, an unknown --metrics-host, an address not of this machine: exit 2 at start', async () => {
    const dir = scheduleDir();
    const taken = createServer().listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const port = (taken.address() as AddressInfo).port;
    try {
      const cases: [string[], string][] = [
        [['--metrics-port', String(port)], `--metrics-port ${port} --metrics-host 127.0.0.1: the port is already in use`],
        [['--metrics-port', '0', '--metrics-host', 'no-such-host.invalid'], '--metrics-port 0 --metrics-host no-such-host.invalid: '],
        [
          ['--metrics-port', '0', '--metrics-host', '192.0.2.1'],
          '--metrics-port 0 --metrics-host 192.0.2.1: not an address of this machine',
        ],
      ];
      for (const [flags, message] of cases) {
        const r = await runCli(['schedule', '--log-level', 'silent', ...flags], { cwd: dir });
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(new RegExp(`^meeting-tokens: ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*\\n$`));
      }
    } finally {
      taken.close();
    }
  });

  it('schedule: REDIS_URL with another scheme, a path that is no database, a bad %-escape: exit 2, password never shown', async () => {
    const dir = scheduleDir();
    const cases: [string, string][] = [
      ['http://127.0.0.1:6379', 'REDIS_URL: the scheme is http:'],
      ['redis://127.0.0.1:6379/notadb', 'REDIS_URL: the path must be a database number such as /0 (127.0.0.1:6379)'],
      ['redis://:pass%zzword@127.0.0.1:6379', 'REDIS_URL: the password has a % not followed by two hex digits (write % as %25)'],
      ['not a url', 'REDIS_URL: not a URL'],
    ];
    for (const [url, message] of cases) {
      const r = await runCli(['schedule', '--log-level', 'silent'], { cwd: dir, env: { REDIS_URL: url } });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^meeting-tokens: ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*\\n$`));
      expect(r.stderr).not.toContain('pass%zz');
    }
  });

  it('schedule: a wrong Redis password is said to be one, not a timeout', async () => {
    const port = await freePort();
    const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--requirepass', 'right-one'], {
      stdio: 'ignore',
    });
    children.push(redis);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const dir = scheduleDir();
    const wrong = await runCli(['schedule', '--log-level', 'silent'], {
      cwd: dir,
      env: { REDIS_URL: `redis://:wrong-one@127.0.0.1:${port}` },
    });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toBe(
      `meeting-tokens: REDIS_URL: Redis at 127.0.0.1:${port} refused the user name or password (WRONGPASS); check REDIS_URL\n`,
    );
    const none = await runCli(['schedule', '--log-level', 'silent'], { cwd: dir, env: { REDIS_URL: `redis://127.0.0.1:${port}` } });
    expect(none.stderr).toBe(
      `meeting-tokens: REDIS_URL: Redis at 127.0.0.1:${port} asks for a password REDIS_URL does not give (NOAUTH); check REDIS_URL\n`,
    );
  });

  it('domain: a key with a character beyond Latin-1 is refused as a key, not "cannot reach"', async () => {
    const r = await runCli(['domain', '--allow-weak-key'], {
      env: { DAILY_API_KEY: `${KEY.slice(0, 32)}\u20ac${KEY.slice(33)}`, DAILY_API_URL: 'http://127.0.0.1:9' },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'meeting-tokens: the API key has characters that are not printable ASCII, which an HTTP header cannot carry and no Daily key has; check DAILY_API_KEY\n',
    );
  });
});
