/**
 * The lock file itself: its holder is written in full under a temporary name and only then
 * linked (or, to take over a stale lock, renamed) to the lock's name, so no reader ever sees a
 * lock half-written. A lock file is known by its inode as well as its text: a holder checks that
 * the inode at the lock's name is still the one it created.
 */
import { link, rename, unlink, type FileHandle } from 'node:fs/promises';
import { hostname } from 'node:os';
import { openTempFile, writeFully } from '../files/temp-file.js';
import { openStateFile } from './state-file.js';
import { bootId, pidAlive, processStart } from '../files/pid.js';

/** A lock file of another host is stale once its lease (its mtime, renewed by the holder) is this old. */
export const LEASE_MS = 60_000;

export interface LockHolder {
  pid: number;
  host: string;
  since: string;
  /** The host's boot and the process's start (Linux), so that a reused pid is not taken for the holder. */
  boot?: string;
  start?: string;
}

export interface LockFile {
  /** undefined: not a holder written by this tool (a lock left empty by an older version, say). */
  holder: LockHolder | undefined;
  text: string;
  dev: number;
  ino: number;
  mtimeMs: number;
}

export function thisHolder(since: Date): LockHolder {
  const boot = bootId();
  const start = processStart(process.pid);
  return {
    pid: process.pid,
    host: hostname(),
    since: since.toISOString(),
    ...(boot !== undefined ? { boot } : {}),
    ...(start !== undefined ? { start } : {}),
  };
}

/** The lock file at `path`, or undefined when there is none. */
export async function readLockFile(path: string, dir: string): Promise<LockFile | undefined> {
  const handle = await openStateFile(path, 'read', dir, true);
  if (!handle) return undefined;
  try {
    const info = await handle.stat();
    const buffer = Buffer.alloc(Math.min(info.size, 4096));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, bytesRead).toString('utf8');
    return { holder: parseHolder(text), text, dev: info.dev, ino: info.ino, mtimeMs: info.mtimeMs };
  } finally {
    await handle.close();
  }
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const holder = JSON.parse(text) as LockHolder;
    return Number.isInteger(holder.pid) && typeof holder.host === 'string' && typeof holder.since === 'string' ? holder : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Stale: its holder is gone. On this host that is decided by the process alone (gone, or its pid
 * now belongs to another process or an earlier boot): a live holder keeps its lock however long
 * it was stopped (SIGSTOP, a paused VM). Another host's lock, or one without a readable holder,
 * is stale once its lease has lapsed.
 */
export function isStale(lock: LockFile, now: number): boolean {
  const holder = lock.holder;
  if (holder?.host === hostname()) {
    if (!pidAlive(holder.pid)) return true;
    const boot = bootId();
    if (holder.boot !== undefined && boot !== undefined && holder.boot !== boot) return true;
    const start = holder.start !== undefined ? processStart(holder.pid) : undefined;
    return start !== undefined && start !== holder.start;
  }
  return now - lock.mtimeMs > LEASE_MS;
}

/**
 * Writes `holder` to a temporary file in `dir` and puts it at `path`: by link(2), which fails when
 * `path` exists (`replace` false: returns undefined then), or by rename(2), which replaces what is
 * there in one step. Returns the open file, whose inode is now the lock's.
 */
export async function putLockFile(dir: string, path: string, holder: LockHolder, replace: boolean): Promise<FileHandle | undefined> {
  const temp = await openTempFile(dir, 'wx');
  let placed = false;
  try {
    await writeFully(temp.handle, Buffer.from(JSON.stringify(holder)), 0, dir);
    await temp.handle.sync();
    if (replace) {
      await rename(temp.path, path);
    } else {
      try {
        await link(temp.path, path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
        throw error;
      }
    }
    placed = true;
    return temp.handle;
  } finally {
    if (!placed) await temp.handle.close().catch(() => undefined);
    if (!placed || !replace) await unlink(temp.path).catch(() => undefined);
  }
}
