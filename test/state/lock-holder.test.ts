import { afterEach, describe, expect, it, vi } from 'vitest';
import { readFileSync, readdirSync, renameSync, statSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { JobLock, LEASE_MS } from '../../src/state/job-lock.js';
import { isStale, type LockFile } from '../../src/state/lock-file.js';
import { bootId, processStart } from '../../src/files/pid.js';
import { tempDir } from '../helpers.js';

const ago = (ms: number) => new Date(Date.now() - ms);
const deadHolder = (since = '2026-01-01T00:00:00.000Z') => JSON.stringify({ pid: 999_999_999, host: hostname(), since });
const openFds = () => readdirSync('/proc/self/fd').length;

afterEach(() => {
  vi.useRealTimers();
});

describe('the lock holder', () => {
  it("records this host's boot and this process's start, so that a reused pid is never taken for it", async () => {
    const state = tempDir();
    const lock = await JobLock.acquire(state, 'weekly');
    const written = JSON.parse(readFileSync(join(state, 'weekly.lock'), 'utf8')) as Record<string, unknown>;
    expect(written).toEqual({
      pid: process.pid,
      host: hostname(),
      since: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      boot: bootId(),
      start: processStart(process.pid),
    });
    expect(written['boot']).toMatch(/\S/);
    expect(written['start']).toMatch(/^\d+$/);
    await lock.release();
  });

  it('a live holder on this host without a recorded boot or start (an older version) keeps its lock', async () => {
    const state = tempDir();
    const path = join(state, 'weekly.lock');
    writeFileSync(path, JSON.stringify({ pid: process.ppid, host: hostname(), since: '2026-01-01T00:00:00.000Z' }));
    utimesSync(path, ago(LEASE_MS * 10), ago(LEASE_MS * 10));
    await expect(JobLock.acquire(state, 'weekly')).rejects.toMatchObject({
      code: 'JOB_RUNNING',
      message: `job weekly is already running (pid ${process.ppid} on ${hostname()} since 2026-01-01T00:00:00.000Z)`,
      context: { job: 'weekly' },
    });
  });

  it.each([
    ['no pid', { host: 'h', since: 's' }],
    ['a pid that is not a whole number', { pid: 1.5, host: 'h', since: 's' }],
    ['no host', { pid: 1, since: 's' }],
    ['no since', { pid: 1, host: 'h' }],
    ['not JSON', undefined],
  ])('a lock file with %s has no readable holder: left alone until its lease lapses', async (_what, holder) => {
    const state = tempDir();
    const path = join(state, 'weekly.lock');
    writeFileSync(path, holder === undefined ? '{"pid": 1, "host": "h", "sin' : JSON.stringify(holder));
    await expect(JobLock.acquire(state, 'weekly')).rejects.toMatchObject({
      code: 'JOB_RUNNING',
      message: `job weekly is already running (${path} has no readable holder; it is recovered once unchanged for 60 s)`,
    });
    utimesSync(path, ago(LEASE_MS + 5000), ago(LEASE_MS + 5000));
    await (await JobLock.acquire(state, 'weekly')).release();
  });

  it("another host's lock is stale only once more than the lease has passed since its last renewal", () => {
    const lock: LockFile = { holder: { pid: 1, host: 'elsewhere', since: 'x' }, text: '', dev: 1, ino: 1, mtimeMs: 1_000_000 };
    expect(isStale(lock, 1_000_000 + LEASE_MS)).toBe(false);
    expect(isStale(lock, 1_000_000 + LEASE_MS + 1)).toBe(true);
    expect(isStale({ ...lock, holder: undefined }, 1_000_000 + LEASE_MS)).toBe(false);
    expect(isStale({ ...lock, holder: undefined }, 1_000_000 + LEASE_MS + 1)).toBe(true);
  });

  it('refused acquires leave no file open and no file behind (a scheduler refuses many over its life)', async () => {
    const state = tempDir();
    const lock = await JobLock.acquire(state, 'weekly');
    const before = openFds();
    for (let i = 0; i < 20; i++) await expect(JobLock.acquire(state, 'weekly')).rejects.toMatchObject({ code: 'JOB_RUNNING' });
    expect(openFds()).toBeLessThanOrEqual(before + 2); // a leak would be 20 or more
    expect(readdirSync(state)).toEqual(['weekly.lock']);
    await lock.release();
  });

  it('renews its lease every third of the lease by default, so two failed renewals still leave it held', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const state = tempDir();
    const path = join(state, 'weekly.lock');
    const lock = await JobLock.acquire(state, 'weekly');
    utimesSync(path, ago(LEASE_MS - 1000), ago(LEASE_MS - 1000));
    vi.advanceTimersByTime(LEASE_MS / 3);
    vi.useRealTimers();
    const start = Date.now();
    while (Date.now() - statSync(path).mtimeMs > 10_000 && Date.now() - start < 5000) await new Promise((r) => setTimeout(r, 10));
    expect(Date.now() - statSync(path).mtimeMs).toBeLessThan(10_000);
    await lock.release();
  });

  it('a lock name replaced by a symlink is a lost lock, and says so', async () => {
    const state = tempDir();
    const path = join(state, 'weekly.lock');
    const lock = await JobLock.acquire(state, 'weekly');
    unlinkSync(path);
    symlinkSync(join(tempDir(), 'elsewhere'), path);
    await expect(lock.checkHeld()).rejects.toMatchObject({
      code: 'LOCK_LOST',
      message: `lost the job's lock during the run (${path} now belongs to another run); nothing was published`,
      context: { file: path },
    });
    await lock.release();
  });

  it('a stale lock released while this run takes it over is acquired all the same', async () => {
    const state = tempDir();
    const path = join(state, 'weekly.lock');
    writeFileSync(path, deadHolder());
    // A claimant that died mid-takeover makes the takeover look at a clock before it reads the
    // lock again: that is the moment the lock goes.
    writeFileSync(`${path}.takeover-${statSync(path).ino}-0`, deadHolder());
    let calls = 0;
    const now = () => {
      if (++calls === 3) unlinkSync(path);
      return Date.now();
    };
    const lock = await JobLock.acquire(state, 'weekly', { now });
    expect(calls).toBeGreaterThanOrEqual(3);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid });
    expect(readdirSync(state)).toEqual(['weekly.lock']);
    await lock.release();
  });

  it.each([
    [
      'renamed away and a copy put at its name',
      (path: string, n: number) => {
        renameSync(path, `${path}.old-${n}`);
        writeFileSync(path, deadHolder());
      },
    ],
    ['rewritten in place by another dead run', (path: string, n: number) => writeFileSync(path, deadHolder(`2026-01-0${n}T00:00:00.000Z`))],
  ])('gives up with a clear message when the stale lock is %s at every attempt', async (_how, change) => {
    const state = tempDir();
    const path = join(state, 'weekly.lock');
    writeFileSync(path, deadHolder());
    let calls = 0;
    // Every time this run has judged the lock stale, another run changes it (keeping it stale).
    const now = () => {
      if (++calls > 1) change(path, calls);
      return Date.now();
    };
    await expect(JobLock.acquire(state, 'weekly', { now })).rejects.toMatchObject({
      code: 'JOB_RUNNING',
      message: 'job weekly: other runs took and released the lock while this one tried; run again',
      context: { job: 'weekly' },
    });
  });
});
