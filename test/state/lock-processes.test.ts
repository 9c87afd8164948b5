import { describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ROOT, DOMAIN_ID, NOW, runCli, tempDir, writeFile } from '../helpers.js';

// Real processes taking the built lock. Each takes the lock of every job named (in order), holds
// what it got for `holdMs`, then prints which it got and which it still held at the end.
// `slow` makes every write to a file take 1.5 s (a slow disk).
const DRIVER = `
import { JobLock } from ${JSON.stringify(join(ROOT, 'dist', 'state', 'job-lock.js'))};
import { open } from 'node:fs/promises';
import { existsSync } from 'node:fs';
const [state, jobs, holdMs, go, slow] = process.argv.slice(1);
if (slow === 'slow') {
  const handle = await open(process.execPath, 'r');
  const proto = Object.getPrototypeOf(handle);
  await handle.close();
  for (const m of ['write', 'writeFile']) {
    const original = proto[m];
    proto[m] = async function (...args) { await new Promise((r) => setTimeout(r, 1500)); return original.apply(this, args); };
  }
}
while (!existsSync(go)) await new Promise((r) => setTimeout(r, 1));
const held = [];
const refused = [];
for (const job of jobs.split(',')) {
  try {
    held.push([job, await JobLock.acquire(state, job)]);
  } catch (error) {
    if (error.code !== 'JOB_RUNNING') throw error;
    refused.push(error.message);
  }
}
process.stdout.write(JSON.stringify({ held: held.map(([job]) => job) }) + '\\n');
await new Promise((r) => setTimeout(r, Number(holdMs)));
const still = [];
for (const [job, lock] of held) if (await Promise.resolve(lock.checkHeld?.()).then(() => true, () => false)) still.push(job);
process.stdout.write(JSON.stringify({ still, refused }) + '\\n');
`;

interface Driver {
  child: ChildProcess;
  /** The first line: the jobs it got. */
  held: Promise<string[]>;
  /** The last line, once it exits. */
  done: Promise<{ still: string[]; refused: string[] }>;
}

function driver(state: string, jobs: string[], holdMs: number, go: string, slow = false): Driver {
  const child = spawn(
    process.execPath,
    ['--input-type=module', '-e', DRIVER, state, jobs.join(','), String(holdMs), go, slow ? 'slow' : ''],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  let first: (jobs: string[]) => void;
  const held = new Promise<string[]>((resolve) => (first = resolve));
  child.stdout!.on('data', (d: Buffer) => {
    stdout += d.toString();
    const line = stdout.split('\n')[0]!;
    if (stdout.includes('\n')) first((JSON.parse(line) as { held: string[] }).held);
  });
  const done = once(child, 'close').then(() => {
    const lines = stdout.trim().split('\n');
    if (lines.length < 2) throw new Error(`lock driver failed: ${stderr}`);
    return JSON.parse(lines[1]!) as { still: string[]; refused: string[] };
  });
  return { child, held, done };
}

describe('the job lock between processes', () => {
  it('a stale lock contended by several processes at once is taken by exactly one, over many rounds', async () => {
    const state = tempDir();
    const go = join(tempDir(), 'go');
    const rounds = Array.from({ length: 40 }, (_, i) => `round-${i}`);
    for (const [i, job] of rounds.entries()) {
      const path = join(state, `${job}.lock`);
      if (i % 2 === 0) {
        writeFileSync(path, JSON.stringify({ pid: 999_999_999, host: hostname(), since: '2026-01-01T00:00:00.000Z' })); // died here
      } else {
        writeFileSync(path, JSON.stringify({ pid: 1, host: 'elsewhere', since: '2026-01-01T00:00:00.000Z' })); // lease lapsed
        const old = new Date(Date.now() - 120_000);
        utimesSync(path, old, old);
      }
    }
    const drivers = Array.from({ length: 4 }, () => driver(state, rounds, 500, go));
    await new Promise((r) => setTimeout(r, 1500)); // all loaded and waiting
    writeFileSync(go, '');
    const held = await Promise.all(drivers.map((d) => d.held));
    const still = (await Promise.all(drivers.map((d) => d.done))).map((d) => d.still);
    const holders = rounds.map((job) => held.filter((jobs) => jobs.includes(job)).length);
    const holdersAtEnd = rounds.map((job) => still.filter((jobs) => jobs.includes(job)).length);
    expect(holders).toEqual(rounds.map(() => 1));
    expect(holdersAtEnd).toEqual(rounds.map(() => 1));
    expect(readdirSync(state).sort()).toEqual(rounds.map((job) => `${job}.lock`).sort()); // no claim or temporary file left
  }, 60_000);

  it('a lock being written slowly is never seen half-written: one holder', async () => {
    const state = tempDir();
    const go = join(tempDir(), 'go');
    writeFileSync(go, '');
    const slow = driver(state, ['weekly'], 4000, go, true);
    const start = Date.now();
    while (readdirSync(state).length === 0) {
      if (Date.now() - start > 20_000) throw new Error('the slow run never started writing its lock');
      await new Promise((r) => setTimeout(r, 5));
    }
    const fast = driver(state, ['weekly'], 4000, go);
    const held = (await Promise.all([slow.held, fast.held])).flat();
    const [slowDone, fastDone] = await Promise.all([slow.done, fast.done]);
    expect(held).toEqual(['weekly']);
    expect([...slowDone.still, ...fastDone.still]).toEqual(['weekly']);
  }, 60_000);

  it('a holder stopped (SIGSTOP) past its lease keeps the lock: a run on the same host exits 4', async () => {
    const dir = tempDir();
    const state = join(dir, 'state');
    mkdirSync(state);
    mkdirSync(join(dir, 'jobs'));
    writeFile(dir, 'roster.csv', 'room,name\ndemo,Ada\n');
    writeFileSync(join(dir, 'jobs', 'weekly.yaml'), `roster: ../roster.csv\nout: ../out\ndomain_id: ${DOMAIN_ID}\n`);
    const go = join(dir, 'go');
    writeFileSync(go, '');
    const holder = driver(state, ['weekly'], 60_000, go);
    holder.done.catch(() => undefined); // killed below, before its last line
    expect(await holder.held).toEqual(['weekly']);
    holder.child.kill('SIGSTOP');
    try {
      // What 70 s stopped looks like to another run: a lease not renewed for 70 s.
      const old = new Date(Date.now() - 70_000);
      utimesSync(join(state, 'weekly.lock'), old, old);
      const result = await runCli(['run', 'weekly', '--jobs', join(dir, 'jobs'), '--state', state, '--now', NOW, '--log-level', 'silent']);
      expect(result.code).toBe(4);
      expect(result.stderr).toMatch(new RegExp(`^meeting-tokens: job weekly is already running \\(pid ${holder.child.pid} on `));
      expect(JSON.parse(readFileSync(join(state, 'weekly.lock'), 'utf8')).pid).toBe(holder.child.pid);
    } finally {
      holder.child.kill('SIGCONT');
      holder.child.kill('SIGTERM');
      await once(holder.child, 'close');
    }
  }, 60_000);
});
