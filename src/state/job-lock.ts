/**
 * One run of a job at a time: a lock file `<state>/<job>.lock`, taken by every run.
 *
 * - Never seen half-written: the holder is written under a temporary name, then linked into place.
 * - A lock whose holder died (kill -9, power loss) never wedges a job: see `isStale`. A live
 *   holder on this host is never overridden, however long it was stopped.
 * - Taking over a stale lock is won by one run only: a run first claims that lock file (by its
 *   inode) with `<job>.lock.takeover-<inode>-<n>`, created exclusively; the claimant checks the
 *   lock is still the one it judged stale and renames its own over it. A claim whose claimant died
 *   is passed over by the next number, a live one never.
 * - A holder renews its lease through its own open file (never another run's), and before it
 *   publishes it checks that the lock's name still holds its file (`checkHeld`): a lock lost in
 *   the meantime (state directory deleted, lease lapsed and taken over) publishes nothing.
 */
import { lstat, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { MeetingTokensError } from '../errors.js';
import { removeStaleTemps } from '../files/temp-file.js';
import { ensureStateDir, stateError } from './state-file.js';
import { LEASE_MS, isStale, putLockFile, readLockFile, thisHolder, type LockFile, type LockHolder } from './lock-file.js';

export { LEASE_MS, type LockHolder } from './lock-file.js';

/** Claims tried on one stale lock before giving up; each needs the claimant before it dead. */
const MAX_CLAIMS = 8;
/** Acquire attempts: a lock released or taken over while it was read is read again. */
const ATTEMPTS = 5;

export interface AcquireOptions {
  /** Lease renewal interval; a third of the lease, so two renewals can fail before it lapses. */
  renewMs?: number;
  now?: () => number;
}

export class JobLock {
  private timer: NodeJS.Timeout | undefined;
  private lost: string | undefined;

  private constructor(
    readonly path: string,
    readonly holder: LockHolder,
    private readonly dir: string,
    private readonly handle: FileHandle,
    private readonly dev: number,
    private readonly ino: number,
  ) {}

  static async acquire(stateDir: string, job: string, options: AcquireOptions = {}): Promise<JobLock> {
    const now = options.now ?? Date.now;
    await ensureStateDir(stateDir);
    // Temporary lock files of runs killed while writing one (dead pid, or a day old elsewhere).
    await removeStaleTemps(stateDir).catch(() => undefined);
    const path = join(stateDir, `${job}.lock`);
    const holder = thisHolder(new Date(now()));
    try {
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        let handle = await putLockFile(stateDir, path, holder, false);
        if (!handle) {
          const current = await readLockFile(path, stateDir);
          if (!current) continue; // released meanwhile
          if (!isStale(current, now())) throw running(job, path, current);
          handle = await takeOver(job, stateDir, path, current, holder, now);
          if (!handle) continue; // it changed since it was read: read again
        }
        const info = await handle.stat();
        const lock = new JobLock(path, holder, stateDir, handle, info.dev, info.ino);
        lock.keepAlive(options.renewMs ?? LEASE_MS / 3);
        return lock;
      }
    } catch (error) {
      throw stateError(error, stateDir);
    }
    throw new MeetingTokensError('JOB_RUNNING', `job ${job}: other runs took and released the lock while this one tried; run again`, {
      job,
    });
  }

  /** Renews the lease while the run lives; the timer never keeps the process alive. */
  private keepAlive(every: number): void {
    this.timer = setInterval(() => {
      const t = new Date();
      this.handle
        .utimes(t, t)
        .then(() => this.checkHeld())
        .catch((error: unknown) => (this.lost ??= (error as Error).message));
    }, every);
    this.timer.unref();
  }

  /** Throws LOCK_LOST unless the lock's name still holds this holder's file. */
  async checkHeld(): Promise<void> {
    if (this.lost === undefined) {
      const info = await lstat(this.path).catch(() => undefined);
      if (info === undefined) this.lost = `${this.path} was removed`;
      else if (info.dev !== this.dev || info.ino !== this.ino) {
        const other = (await readLockFile(this.path, this.dir).catch(() => undefined))?.holder;
        this.lost = `${this.path} now belongs to ${other ? `pid ${other.pid} on ${other.host}` : 'another run'}`;
      }
    }
    if (this.lost !== undefined) {
      throw new MeetingTokensError('LOCK_LOST', `lost the job's lock during the run (${this.lost}); nothing was published`, {
        file: this.path,
      });
    }
  }

  /** Removes the lock if it is still this holder's file (never one another run has taken since). */
  async release(): Promise<void> {
    clearInterval(this.timer);
    const info = await lstat(this.path).catch(() => undefined);
    if (info && info.dev === this.dev && info.ino === this.ino) await unlink(this.path).catch(() => undefined);
    await this.handle.close().catch(() => undefined);
  }
}

/**
 * Replaces the stale lock `stale` with ours. Returns undefined when the lock is no longer the one
 * read; throws JOB_RUNNING when a live run is taking it over.
 */
async function takeOver(
  job: string,
  dir: string,
  path: string,
  stale: LockFile,
  holder: LockHolder,
  now: () => number,
): Promise<FileHandle | undefined> {
  for (let n = 0; n < MAX_CLAIMS; n++) {
    const claimPath = `${path}.takeover-${stale.ino}-${n}`;
    const claim = await putLockFile(dir, claimPath, holder, false);
    if (!claim) {
      const other = await readLockFile(claimPath, dir);
      if (other === undefined) return undefined; // its claimant has finished
      if (!isStale(other, now())) throw running(job, path, other, 'taking over a stale lock: ');
      continue; // its claimant died mid-takeover: the next number decides
    }
    try {
      const current = await readLockFile(path, dir);
      const same = current !== undefined && current.ino === stale.ino && current.dev === stale.dev && current.text === stale.text;
      if (!same || !isStale(current, now())) return undefined;
      return await putLockFile(dir, path, holder, true);
    } finally {
      await claim.close().catch(() => undefined);
      // Ours, and those of the dead claimants before us; a later claim of this inode checks the
      // lock again and finds it changed.
      for (let i = 0; i <= n; i++) await unlink(`${path}.takeover-${stale.ino}-${i}`).catch(() => undefined);
    }
  }
  return undefined;
}

function running(job: string, path: string, lock: LockFile, doing = ''): MeetingTokensError {
  const who = lock.holder
    ? `pid ${lock.holder.pid} on ${lock.holder.host} since ${lock.holder.since}`
    : `${path} has no readable holder; it is recovered once unchanged for ${LEASE_MS / 1000} s`;
  return new MeetingTokensError('JOB_RUNNING', `job ${job} is already running (${doing}${who})`, { job });
}
