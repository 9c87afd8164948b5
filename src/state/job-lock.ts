/**
 * One run of a job at a time on a host: an exclusive lock file `<state>/<job>.lock`, taken by
 * every run. A lock whose holder died (kill -9, power loss) never wedges a job: it is stale when
 * its process is gone (same host) or when its lease (the file's mtime, refreshed while the run
 * lives) has not been renewed for LEASE_MS.
 */
import { open, readFile, unlink, utimes, stat, mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { MeetingTokensError } from '../errors.js';
import { pidAlive } from './pid.js';

export const LEASE_MS = 60_000;

export interface LockHolder {
  pid: number;
  host: string;
  since: string;
}

export class JobLock {
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    readonly path: string,
    private readonly holder: LockHolder,
  ) {}

  static async acquire(stateDir: string, job: string, now: () => number = Date.now): Promise<JobLock> {
    await mkdir(stateDir, { recursive: true, mode: 0o700 });
    const path = join(stateDir, `${job}.lock`);
    const holder: LockHolder = { pid: process.pid, host: hostname(), since: new Date(now()).toISOString() };
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const handle = await open(path, 'wx', 0o600);
        await handle.writeFile(JSON.stringify(holder));
        await handle.close();
        const lock = new JobLock(path, holder);
        lock.keepAlive();
        return lock;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const current = await readHolder(path);
      if (current && !(await isStale(path, current, now()))) {
        throw new MeetingTokensError(
          'JOB_RUNNING',
          `job ${job} is already running (pid ${current.pid} on ${current.host} since ${current.since})`,
          {
            job,
          },
        );
      }
      // Stale: remove it, unless it changed hands since we read it.
      const again = await readHolder(path);
      if (JSON.stringify(again) === JSON.stringify(current)) await unlink(path).catch(() => undefined);
    }
    throw new MeetingTokensError('JOB_RUNNING', `job ${job}: another run took the lock at the same moment`, { job });
  }

  /** Renews the lease while the run lives; the timer never keeps the process alive. */
  private keepAlive(): void {
    this.timer = setInterval(() => {
      const t = new Date();
      utimes(this.path, t, t).catch(() => undefined);
    }, LEASE_MS / 3);
    this.timer.unref();
  }

  async release(): Promise<void> {
    clearInterval(this.timer);
    const current = await readHolder(this.path);
    if (current && current.pid === this.holder.pid && current.since === this.holder.since) await unlink(this.path).catch(() => undefined);
  }
}

async function readHolder(path: string): Promise<LockHolder | undefined> {
  try {
    const holder = JSON.parse(await readFile(path, 'utf8')) as LockHolder;
    return typeof holder.pid === 'number' ? holder : { pid: -1, host: '?', since: '?' };
  } catch {
    return undefined; // gone, or half-written by a holder that died while writing
  }
}

async function isStale(path: string, holder: LockHolder, now: number): Promise<boolean> {
  if (holder.host === hostname() && holder.pid > 0 && !pidAlive(holder.pid)) return true;
  const info = await stat(path).catch(() => undefined);
  return info === undefined || now - info.mtimeMs > LEASE_MS;
}
