import { describe, expect, it } from 'vitest';
import { existsSync, writeFileSync, utimesSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { JobLock, LEASE_MS } from '../../src/state/job-lock.js';
import { appendHistory, lastRun } from '../../src/state/history.js';
import { tempDir } from '../helpers.js';

describe('job lock', () => {
  it('is exclusive: a second acquire names the holder; release frees it', async () => {
    const state = tempDir();
    const lock = await JobLock.acquire(state, 'weekly');
    expect(JSON.parse(readFileSync(join(state, 'weekly.lock'), 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    await expect(JobLock.acquire(state, 'weekly')).rejects.toMatchObject({
      code: 'JOB_RUNNING',
      message: expect.stringMatching(new RegExp(`^job weekly is already running \\(pid ${process.pid} on .* since \\d{4}-`)),
    });
    await JobLock.acquire(state, 'other').then((l) => l.release()); // other jobs are independent
    await lock.release();
    expect(existsSync(join(state, 'weekly.lock'))).toBe(false);
    await (await JobLock.acquire(state, 'weekly')).release();
  });

  it('recovers a lock whose holder died on this host (kill -9)', async () => {
    const state = tempDir();
    writeFileSync(join(state, 'weekly.lock'), JSON.stringify({ pid: 999_999_999, host: hostname(), since: '2026-01-01T00:00:00.000Z' }));
    const lock = await JobLock.acquire(state, 'weekly');
    expect(JSON.parse(readFileSync(join(state, 'weekly.lock'), 'utf8')).pid).toBe(process.pid);
    await lock.release();
  });

  it("recovers another host's lock only once its lease has lapsed", async () => {
    const state = tempDir();
    const path = join(state, 'weekly.lock');
    writeFileSync(path, JSON.stringify({ pid: 1, host: 'elsewhere', since: '2026-01-01T00:00:00.000Z' }));
    await expect(JobLock.acquire(state, 'weekly')).rejects.toMatchObject({ code: 'JOB_RUNNING' });
    const old = new Date(Date.now() - LEASE_MS - 5000);
    utimesSync(path, old, old);
    await (await JobLock.acquire(state, 'weekly')).release();
  });

  it('recovers a lock file left empty by a holder that died while writing it', async () => {
    const state = tempDir();
    writeFileSync(join(state, 'weekly.lock'), '');
    const old = new Date(Date.now() - LEASE_MS - 5000);
    utimesSync(join(state, 'weekly.lock'), old, old);
    await (await JobLock.acquire(state, 'weekly')).release();
  });
});

describe('run history', () => {
  it('appends one line per run and reads back the last one', async () => {
    const state = tempDir();
    expect(await lastRun(state, 'weekly')).toBeUndefined();
    const base = { job: 'weekly', slot: null, start: '2026-11-27T10:00:00.000Z', end: '2026-11-27T10:00:01.000Z' };
    await appendHistory(state, { ...base, status: 'done', tokens_written: 5 });
    await appendHistory(state, { ...base, status: 'failed', error: { code: 'ROSTER_PARSE', message: 'roster line 3: ...' } });
    expect(readFileSync(join(state, 'weekly.history.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
    expect(await lastRun(state, 'weekly')).toMatchObject({ status: 'failed', error: { code: 'ROSTER_PARSE' } });
  });
});
