import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, KEY, DOMAIN_ID, freePort, runCli, tempDir } from '../helpers.js';
import { startTestRedis } from '../redis-server.js';

// Two scheduler replicas against a real redis-server (Debian package redis-server; .ci/run
// installs it), started here on 127.0.0.1 on a free port.
let redis: ChildProcess | undefined;
let redisUrl = '';
let redisPort = 0;
let why = '';

/** Sends one inline command to Redis; resolves with the first reply. */
async function redisCommand(port: number, command: string): Promise<string> {
  const socket = connect(port, '127.0.0.1', () => socket.write(`${command}\r\n`));
  const [reply] = (await once(socket, 'data')) as [Buffer];
  socket.destroy();
  return reply.toString();
}

beforeAll(async () => {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'pipe' });
  } catch {
    why = 'redis-server is not installed (apt-get install redis-server)';
    console.warn(`replica tests not run: ${why}`);
    return;
  }
  const started = await startTestRedis();
  redis = started.server;
  redisPort = started.port;
  redisUrl = started.url;
});
afterAll(() => {
  redis?.kill('SIGTERM');
});

interface Replica {
  child: ChildProcess;
  exit: Promise<unknown[]>;
  stderr: () => string;
}

/** A scheduler replica with its own state directory `state-<name>`, as two containers have. */
function startReplica(dir: string, name: string, url: string, level = 'warn'): Replica {
  const child = spawn(process.execPath, [CLI, 'schedule', '--state', join(dir, `state-${name}`), '--log-level', level], {
    cwd: dir,
    env: { ...process.env, DAILY_API_KEY: KEY, REDIS_URL: url },
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return { child, exit: once(child, 'close'), stderr: () => stderr };
}

function project(jobs: Record<string, string>): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'jobs'));
  writeFileSync(join(dir, 'roster.csv'), 'room,name\ndemo,Ada\n');
  for (const [name, extra] of Object.entries(jobs)) {
    writeFileSync(join(dir, 'jobs', `${name}.yaml`), `roster: ../roster.csv\nout: ../out\ndomain_id: ${DOMAIN_ID}\n${extra}`);
  }
  return dir;
}

/** Every published manifest's slot and start. */
function published(dir: string): { slot: string; started_at: string }[] {
  if (!existsSync(join(dir, 'out'))) return [];
  return readdirSync(join(dir, 'out'))
    .filter((f) => f.endsWith('.manifest.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, 'out', f), 'utf8')) as { slot: string; started_at: string });
}

function logLines(stderr: string): Record<string, unknown>[] {
  return stderr
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

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

  it('Redis paused, then killed and restarted empty during a schedule: no slot runs late or twice, and slots resume', async (ctx) => {
    if (!redis) ctx.skip(why);
    const port = await freePort();
    let server = (await startTestRedis(port)).server;
    const dir = project({ outage: 'schedule: "* * * * * *"\nkeep: 1000\n' });
    const replicas = ['a', 'b'].map((name) => startReplica(dir, name, `redis://127.0.0.1:${port}`, 'info'));
    let restarted = Infinity;
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    try {
      const until = async (check: () => boolean): Promise<void> => {
        for (let i = 0; i < 400 && !check(); i++) await sleep(50);
      };
      await until(() => published(dir).length >= 2);
      // Paused: connected, but no answer (a stopped VM, a full network buffer).
      server.kill('SIGSTOP');
      await sleep(8000);
      server.kill('SIGCONT');
      await sleep(2000);
      // Down, and back without the keys it had.
      server.kill('SIGKILL');
      await once(server, 'exit');
      await sleep(4000);
      server = (await startTestRedis(port)).server;
      restarted = Date.now();
      await until(() => published(dir).some((m) => Date.parse(m.slot) > restarted + 1000));
    } finally {
      for (const r of replicas) r.child.kill('SIGTERM');
    }
    for (const r of replicas) expect((await r.exit)[0], r.stderr()).toBe(0);
    server.kill('SIGTERM');

    const logs = replicas.flatMap((r) => logLines(r.stderr()));
    const starts = logs.filter((l) => l['msg'] === 'run starting');
    // Never later than the stated tolerance: the decision to run, logged, within 5 s of the slot.
    for (const start of starts) expect((start['time'] as number) - Date.parse(start['slot'] as string)).toBeLessThanOrEqual(5000);
    const slots = starts.map((l) => l['slot'] as string);
    expect(new Set(slots).size).toBe(slots.length); // never twice
    const batches = published(dir);
    const unpublished = slots.filter((slot) => !batches.some((m) => m.slot === slot));
    expect(batches.map((m) => m.slot).sort(), JSON.stringify(logs.filter((l) => unpublished.includes(l['slot'] as string)))).toEqual(
      slots.sort(),
    );
    const skips = logs.filter((l) => l['msg'] === 'slot skipped: Redis did not answer');
    expect(skips.length).toBeGreaterThan(0);
    expect(skips.some((l) => /no answer within 2000 ms/.test(l['why'] as string))).toBe(true); // paused
    expect(batches.some((m) => Date.parse(m.slot) > restarted)).toBe(true); // resumed
    for (const log of logs) expect(log['level'], JSON.stringify(log)).toBeLessThan(50); // no error lines
  }, 120_000);

  it('a replica back after the other published a slot and its election key expired does not publish that slot again', async (ctx) => {
    if (!redis) ctx.skip(why);
    const dir = project({ monthly: 'schedule: "0 0 1 * *"\n' });
    // Both replicas last ran the job three months ago (their own histories); slots were missed since.
    const then = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() - 3, 1)).toISOString();
    for (const name of ['a', 'b']) {
      mkdirSync(join(dir, `state-${name}`));
      writeFileSync(
        join(dir, `state-${name}`, 'monthly.history.jsonl'),
        JSON.stringify({ job: 'monthly', slot: then, start: then, end: then, status: 'done' }) + '\n',
      );
    }
    const a = startReplica(dir, 'a', redisUrl, 'info');
    while (history(join(dir, 'state-a'), 'monthly').length < 2) await new Promise((r) => setTimeout(r, 50));
    a.child.kill('SIGTERM');
    expect((await a.exit)[0], a.stderr()).toBe(0);
    const latest = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1)).toISOString();
    expect(published(dir)).toHaveLength(1);

    // The election keys live a day; the catch-up looks back 31 days.
    expect(await redisCommand(redisPort, 'FLUSHALL')).toBe('+OK\r\n');
    const b = startReplica(dir, 'b', redisUrl, 'info');
    while (!b.stderr().includes('"msg":"scheduler started"')) await new Promise((r) => setTimeout(r, 50));
    b.child.kill('SIGTERM');
    expect((await b.exit)[0], b.stderr()).toBe(0); // a stop waits for every run begun
    expect(published(dir)).toHaveLength(1);
    expect(published(dir).map((m) => m.slot)).toEqual([latest]);
    expect(history(join(dir, 'state-b'), 'monthly')).toHaveLength(1);
    expect(b.stderr()).not.toContain('catching up');
  }, 60_000);
});
