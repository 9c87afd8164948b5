import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CLI, KEY, DOMAIN_ID, runCli, tempDir } from '../helpers.js';

// Two scheduler replicas against a real redis-server (Debian package redis-server; .ci/run
// installs it), started here on 127.0.0.1 on a free port.
let redis: ChildProcess | undefined;
let redisUrl = '';
let why = '';

async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
    socket.on('data', (d) => {
      socket.destroy();
      resolve(d.toString().startsWith('+PONG'));
    });
    socket.on('error', () => resolve(false));
  });
}

beforeAll(async () => {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'pipe' });
  } catch {
    why = 'redis-server is not installed (apt-get install redis-server)';
    console.warn(`replica tests not run: ${why}`);
    return;
  }
  const port = await freePort();
  redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  for (let i = 0; i < 100 && !(await ping(port)); i++) await new Promise((r) => setTimeout(r, 50));
  redisUrl = `redis://127.0.0.1:${port}`;
});
afterAll(() => {
  redis?.kill('SIGTERM');
});

function history(stateDir: string, job: string): { slot: string; status: string }[] {
  const file = join(stateDir, `${job}.history.jsonl`);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { slot: string; status: string });
}

describe('scheduler replicas with REDIS_URL', () => {
  it('two daemons, a job every second: each slot published exactly once, never twice', async (ctx) => {
    if (!redis) ctx.skip(why);
    const dir = tempDir();
    mkdirSync(join(dir, 'jobs'));
    writeFileSync(join(dir, 'roster.csv'), 'room,name\ndemo,Ada\n');
    writeFileSync(
      join(dir, 'jobs', 'fast.yaml'),
      `roster: ../roster.csv\nout: ../out\ndomain_id: ${DOMAIN_ID}\nschedule: "* * * * * *"\nkeep: 1000\n`,
    );
    // Separate state directories, as two containers have: only Redis stands between them.
    const daemons = ['a', 'b'].map((name) => {
      const child = spawn(process.execPath, [CLI, 'schedule', '--state', join(dir, `state-${name}`), '--log-level', 'warn'], {
        cwd: dir,
        env: { ...process.env, DAILY_API_KEY: KEY, REDIS_URL: redisUrl },
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      return { name, child, exit: once(child, 'close'), stderr: () => stderr };
    });
    const total = () => history(join(dir, 'state-a'), 'fast').length + history(join(dir, 'state-b'), 'fast').length;
    const start = Date.now();
    while (total() < 5 && Date.now() - start < 20_000) await new Promise((r) => setTimeout(r, 100));
    for (const d of daemons) d.child.kill('SIGTERM');
    for (const d of daemons) expect((await d.exit)[0], d.stderr()).toBe(0);

    const runs = [...history(join(dir, 'state-a'), 'fast'), ...history(join(dir, 'state-b'), 'fast')];
    expect(runs.length).toBeGreaterThanOrEqual(5);
    const slots = runs.map((r) => r.slot);
    expect(new Set(slots).size).toBe(slots.length); // no slot twice across replicas
    expect(runs.every((r) => r.status === 'done')).toBe(true);
    expect(readdirSync(join(dir, 'out')).filter((f) => f.endsWith('.manifest.json'))).toHaveLength(runs.length);
  }, 60_000);

  it('refuses to start when Redis cannot be reached, with one line', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'jobs'));
    writeFileSync(join(dir, 'jobs', 'fast.yaml'), `roster: ../r.csv\nout: ../out\ndomain_id: ${DOMAIN_ID}\nschedule: "* * * * *"\n`);
    const port = await freePort();
    const result = await runCli(['schedule'], { cwd: dir, env: { REDIS_URL: `redis://127.0.0.1:${port}` } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^meeting-tokens: REDIS_URL: cannot reach Redis at 127\\.0\\.0\\.1:${port} \\(.+\\)\\n$`));
  });
});
