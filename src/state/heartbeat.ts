/**
 * The scheduler's heartbeat: `<state>/scheduler-<host>-<pid>.heartbeat.json`, rewritten every
 * interval while `schedule` runs and removed when it stops cleanly, so `status` can tell whether a
 * scheduler is running for its jobs. Written atomically (a temporary file, opened exclusively,
 * renamed over the old one: a symlink planted at the name is replaced, never followed) and read
 * without following symlinks. Holds no key and no token.
 */
import { lstat, mkdir, open, readdir, rename, unlink, constants } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { openTempFile, writeFully } from '../files/temp-file.js';
import { pidAlive } from '../files/pid.js';

export interface Heartbeat {
  pid: number;
  host: string;
  started_at: string;
  updated_at: string;
  /** Seconds between heartbeats; one is stale after three intervals without an update. */
  interval_s: number;
  /** Absolute path of the jobs directory the scheduler serves. */
  jobs_dir: string;
  /** Each scheduled job's schedule as the scheduler loaded it, e.g. "0 7 * * mon (UTC)". */
  jobs: Record<string, string>;
}

const PATTERN = /^scheduler-.+\.heartbeat\.json$/;
/** A heartbeat is a few hundred bytes; anything bigger was not written by a scheduler. */
const MAX_BYTES = 256 * 1024;

function fileName(host: string, pid: number): string {
  return `scheduler-${host.replace(/[^A-Za-z0-9._-]/g, '_')}-${pid}.heartbeat.json`;
}

/** Writes the heartbeat now and every `intervalMs`; `stop()` ends it and removes the file. */
export async function startHeartbeat(
  stateDir: string,
  beat: Omit<Heartbeat, 'pid' | 'host' | 'started_at' | 'updated_at' | 'interval_s'>,
  intervalMs: number,
  onError: (error: unknown) => void,
): Promise<{ stop: () => Promise<void> }> {
  // Reported once per outage, not every interval; a failure never stops the scheduler.
  let failed = false;
  const fail = (error: unknown): void => {
    if (!failed) onError(error);
    failed = true;
  };
  try {
    await mkdir(stateDir, { recursive: true, mode: 0o700 });
    await removeDeadHeartbeats(stateDir);
  } catch (error) {
    fail(error);
  }
  const host = hostname();
  const path = join(stateDir, fileName(host, process.pid));
  const started = new Date().toISOString();
  const write = (): Promise<void> =>
    writeAtomically(stateDir, path, {
      pid: process.pid,
      host,
      started_at: started,
      updated_at: new Date().toISOString(),
      interval_s: intervalMs / 1000,
      ...beat,
    });
  let writing = Promise.resolve();
  const tick = (): Promise<void> => (writing = write().then(() => void (failed = false), fail));
  await tick();
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await writing; // a write still under way would bring the file back
      await unlink(path).catch(() => undefined);
    },
  };
}

async function writeAtomically(dir: string, path: string, heartbeat: Heartbeat): Promise<void> {
  const temp = await openTempFile(dir, 'wx');
  try {
    await writeFully(temp.handle, Buffer.from(JSON.stringify(heartbeat) + '\n'), null, dir);
    await temp.handle.sync();
    await temp.handle.close();
    await rename(temp.path, path);
  } catch (error) {
    await temp.handle.close().catch(() => undefined);
    await unlink(temp.path).catch(() => undefined);
    throw error;
  }
}

/** Heartbeats left by schedulers of this host that died without stopping (kill -9, power loss). */
async function removeDeadHeartbeats(stateDir: string): Promise<void> {
  for (const beat of await readHeartbeats(stateDir)) {
    if (beat.host === hostname() && beat.pid !== process.pid && !pidAlive(beat.pid)) {
      await unlink(join(stateDir, fileName(beat.host, beat.pid))).catch(() => undefined);
    }
  }
}

/** Every well-formed heartbeat in `stateDir`; symlinks, oversized and unreadable files are skipped. */
export async function readHeartbeats(stateDir: string): Promise<Heartbeat[]> {
  const names = await readdir(stateDir).catch(() => [] as string[]);
  const beats: Heartbeat[] = [];
  for (const name of names.filter((n) => PATTERN.test(n))) {
    const info = await lstat(join(stateDir, name)).catch(() => undefined);
    if (!info?.isFile() || info.size > MAX_BYTES) continue;
    try {
      const handle = await open(join(stateDir, name), constants.O_RDONLY | constants.O_NOFOLLOW);
      const text = await handle.readFile('utf8').finally(() => handle.close());
      const beat = JSON.parse(text) as Partial<Heartbeat>;
      if (isHeartbeat(beat)) beats.push(beat);
    } catch {
      // being replaced, or not a heartbeat: skip it
    }
  }
  return beats;
}

function isHeartbeat(b: Partial<Heartbeat>): b is Heartbeat {
  return (
    Number.isInteger(b.pid) &&
    typeof b.host === 'string' &&
    typeof b.started_at === 'string' &&
    typeof b.updated_at === 'string' &&
    !Number.isNaN(Date.parse(b.updated_at)) &&
    typeof b.interval_s === 'number' &&
    b.interval_s > 0 &&
    typeof b.jobs_dir === 'string' &&
    typeof b.jobs === 'object' &&
    b.jobs !== null
  );
}

/** Alive: updated within three intervals and, on this host, its process still exists. */
export function heartbeatAlive(beat: Heartbeat, now: number = Date.now()): boolean {
  const fresh = now - Date.parse(beat.updated_at) <= 3 * beat.interval_s * 1000;
  return fresh && (beat.host !== hostname() || pidAlive(beat.pid));
}
