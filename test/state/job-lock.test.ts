import { describe, expect, it } from 'vitest';
import { existsSync, writeFileSync, utimesSync, readFileSync, readdirSync, statSync, unlinkSync, symlinkSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { JobLock, LEASE_MS } from '../../src/state/job-lock.js';
import { tempDir } from '../helpers.js';

const deadHolder = (extra = {}) => JSON.stringify({ pid: 999_999_999, host: hostname(), since: '2026-01-01T00:00:00.000Z', ...extra });
const ago = (ms: number) => new Date(Date.now() - ms);

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
    expect(readdirSync(state)).toEqual([]); // no temporary file, no takeover claim
  });

  it('recovers a lock whose holder died on this host (kill -9), leaving nothing else behind', async () => {
    const state = tempDir();
    writeFileSync(join(state, 'weekly.lock'), deadHolder());
    const lock = await JobLock.acquire(state, 'weekly');
    expect(JSON.parse(readFileSync(join(state, 'weekly.lock'), 'utf8')).pid).toBe(process.pid);
    expect(readdirSync(state)).toEqual(['weekly.lock']);
    await lock.checkHeld();
    await lock.release();
  });

  it('removes temporary lock files of runs killed while writing one, not those of live runs', async () => {
    const state = tempDir();
    const dead = `.meeting-tokens.${hostname()}.999999999.0123456789abcdef.tmp`;
    const live = `.meeting-tokens.${hostname()}.${process.ppid}.0123456789abcdef.tmp`;
    writeFileSync(join(state, dead), deadHolder());
    writeFileSync(join(state, live), '');
    await (await JobLock.acquire(state, 'weekly')).release();
    expect(readdirSync(state)).toEqual([live]);
  });

  it("recovers another host's lock only once its lease has lapsed", async () => {
    const state = tempDir();
    const path = join(state, 'weekly.lock');
    writeFileSync(path, JSON.stringify({ pid: 1, host: 'elsewhere', since: '2026-01-01T00:00:00.000Z' }));
    await expect(JobLock.acquire(state, 'weekly')).rejects.toMatchObject({ code: 'JOB_RUNNING' });
    utimesSync(path, ago(LEASE_MS + 5000), ago(LEASE_MS + 5000));
    await (await JobLock.acquire(state, 'weekly')).release();
  });

  it('never overrides a live holder on this host, however long since its lease was renewed (stopped, not dead)', async () => {
    const state = tempDir();
    const path = join(state, 'weekly.lock');
    const lock = await JobLock.acquire(state, 'weekly');
    utimesSync(path, ago(LEASE_MS * 10), ago(LEASE_MS * 10));
    await expect(JobLock.acquire(state, 'weekly')).rejects.toMatchObject({ code: 'JOB_RUNNING' });
    await lock.checkHeld();
    await lock.release();
  });

  it('takes over a lock whose pid now belongs to another process, or to an earlier boot', async () => {
    const state = tempDir();
    const path = join(state, 'weekly.lock');
    // This process is alive, but it is not the one that wrote these.
    for (const other of [{ start: 'not-this-start' }, { boot: 'an-earlier-boot' }]) {
      writeFileSync(path, JSON.stringify({ pid: process.pid, host: hostname(), since: '2026-01-01T00:00:00.000Z', ...other }));
      const lock = await JobLock.acquire(state, 'weekly');
      expect(JSON.parse(readFileSync(path, 'utf8'))).not.toMatchObject(other);
      await lock.release();
    }
  });

  it('a lock file without a readable holder is left alone until its lease lapses (never taken for stale while written)', async () => {
    const state = tempDir();
    const path = join(state, 'weekly.lock');
    writeFileSync(path, '');
    await expect(JobLock.acquire(state, 'weekly')).rejects.toMatchObject({
      code: 'JOB_RUNNING',
      message: `job weekly is already running (${path} has no readable holder; it is recovered once unchanged for 60 s)`,
    });
    expect(readFileSync(path, 'utf8')).toBe('');
    utimesSync(path, ago(LEASE_MS + 5000), ago(LEASE_MS + 5000));
    await (await JobLock.acquire(state, 'weekly')).release();
  });

  it('renews its lease while held', async () => {
    const state = tempDir();
    const path = join(state, 'weekly.lock');
    const lock = await JobLock.acquire(state, 'weekly', { renewMs: 20 });
    utimesSync(path, ago(LEASE_MS - 1000), ago(LEASE_MS - 1000));
    const start = Date.now();
    while (Date.now() - statSync(path).mtimeMs > 10_000 && Date.now() - start < 5000) await new Promise((r) => setTimeout(r, 10));
    expect(Date.now() - statSync(path).mtimeMs).toBeLessThan(10_000);
    await lock.release();
  });

  it('release never removes a lock that another run has taken since', async () => {
    const state = tempDir();
    const path = join(state, 'weekly.lock');
    const lock = await JobLock.acquire(state, 'weekly');
    unlinkSync(path);
    // Another process on this host, alive (the test runner's parent), now holds it.
    const other = JSON.stringify({ pid: process.ppid, host: hostname(), since: lock.holder.since });
    writeFileSync(path, other);
    await lock.release();
    expect(readFileSync(path, 'utf8')).toBe(other);
  });

  it('checkHeld fails once the lock file was removed or replaced, and only then', async () => {
    const state = tempDir();
    const path = join(state, 'weekly.lock');
    const lock = await JobLock.acquire(state, 'weekly');
    await lock.checkHeld();
    unlinkSync(path);
    await expect(lock.checkHeld()).rejects.toMatchObject({
      code: 'LOCK_LOST',
      message: `lost the job's lock during the run (${path} was removed); nothing was published`,
    });
    const second = tempDir();
    const lock2 = await JobLock.acquire(second, 'weekly');
    unlinkSync(join(second, 'weekly.lock'));
    writeFileSync(join(second, 'weekly.lock'), JSON.stringify({ pid: 4242, host: 'elsewhere', since: 'x' }));
    await expect(lock2.checkHeld()).rejects.toMatchObject({
      code: 'LOCK_LOST',
      message: expect.stringContaining('now belongs to pid 4242 on elsewhere'),
    });
    await lock.release();
    await lock2.release();
  });

  it('the renewal notices a lost lock even before the check', async () => {
    const state = tempDir();
    const lock = await JobLock.acquire(state, 'weekly', { renewMs: 20 });
    unlinkSync(join(state, 'weekly.lock'));
    writeFileSync(join(state, 'weekly.lock'), JSON.stringify({ pid: 4242, host: 'elsewhere', since: 'x' }));
    await new Promise((r) => setTimeout(r, 200));
    unlinkSync(join(state, 'weekly.lock')); // whatever the name holds now, the lock was lost
    await (await JobLock.acquire(state, 'weekly')).release();
    await expect(lock.checkHeld()).rejects.toMatchObject({ code: 'LOCK_LOST', message: expect.stringContaining('pid 4242') });
    await lock.release();
  });

  it("a takeover claim of a live run wins; a dead claimant's claim is passed over", async () => {
    const state = tempDir();
    const path = join(state, 'weekly.lock');
    writeFileSync(path, deadHolder());
    const ino = statSync(path).ino;
    // A live run (this process) is taking it over.
    writeFileSync(`${path}.takeover-${ino}-0`, JSON.stringify({ pid: process.ppid, host: hostname(), since: 'x' }));
    await expect(JobLock.acquire(state, 'weekly')).rejects.toMatchObject({
      code: 'JOB_RUNNING',
      message: `job weekly is already running (taking over a stale lock: pid ${process.ppid} on ${hostname()} since x)`,
    });
    // Its claimant died mid-takeover.
    writeFileSync(`${path}.takeover-${ino}-0`, deadHolder());
    const lock = await JobLock.acquire(state, 'weekly');
    expect(readdirSync(state)).toEqual(['weekly.lock']);
    await lock.release();
  });

  it('refuses a symlink planted at the lock or a claim name; the victim is unchanged', async () => {
    const state = tempDir();
    const victim = join(tempDir(), 'victim');
    writeFileSync(victim, 'precious\n');
    symlinkSync(victim, join(state, 'weekly.lock'));
    await expect(JobLock.acquire(state, 'weekly')).rejects.toMatchObject({
      code: 'STATE_FAILED',
      message: `state file ${join(state, 'weekly.lock')} is a symbolic link; refusing to use it (nothing was written to it): remove it if it is not the tool's own`,
    });
    const sub = join(state, 'sub');
    mkdirSync(sub);
    writeFileSync(join(sub, 'weekly.lock'), deadHolder());
    const claim = join(sub, `weekly.lock.takeover-${statSync(join(sub, 'weekly.lock')).ino}-0`);
    symlinkSync(victim, claim);
    await expect(JobLock.acquire(sub, 'weekly')).rejects.toMatchObject({
      code: 'STATE_FAILED',
      message: expect.stringMatching(`^state file ${claim} is a symbolic link`),
    });
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
  });
});
