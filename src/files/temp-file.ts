/**
 * Temporary files shared by publication, the duplicate records' spill file and the state files:
 * created exclusively under a random name (mode 0600), written without short writes, cleaned up
 * after a dead run, and file-system errors worded for a user.
 */
import { open, lstat, readdir, stat, unlink, type FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { MeetingTokensError } from '../errors.js';
import { pidAlive } from './pid.js';

export const TEMP_PREFIX = '.meeting-tokens.';
export const TEMP_SUFFIX = '.tmp';
/** Temporary names tried before giving up when something already has the name. */
const TEMP_ATTEMPTS = 3;

/** Temp files of a run on another host are removed only after this long without a write. */
const STALE_AFTER_MS = 24 * 3600 * 1000;

export function tempName(): string {
  // Host and pid let a later run tell a dead run's leftovers from a live run's files.
  return `${TEMP_PREFIX}${hostname()}.${process.pid}.${randomBytes(8).toString('hex')}${TEMP_SUFFIX}`;
}

/**
 * Creates a file under a random temporary name in `dir`, mode 0600. `flags` must hold 'x'
 * (O_CREAT|O_EXCL): a planted file or symlink, dangling or not, is never followed or reused.
 */
export async function openTempFile(
  dir: string,
  flags: 'wx' | 'wx+',
  names: () => string = tempName,
): Promise<{ path: string; handle: FileHandle }> {
  for (let attempt = 1; ; attempt++) {
    const path = join(dir, names());
    try {
      return { path, handle: await open(path, flags, 0o600) };
    } catch (error) {
      // 64 random bits make a clash by chance unlikely: something is there on purpose. Another
      // random name is safe; a few clashes in a row mean the names are not random.
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && attempt < TEMP_ATTEMPTS) continue;
      throw writeError(error, dir);
    }
  }
}

/**
 * Writes all of `buffer` at `position` (null: the current position), retrying short writes; a
 * write that makes no progress is a full disk. Errors become one line naming `dir`.
 */
export async function writeFully(handle: FileHandle, buffer: Uint8Array, position: number | null, dir: string): Promise<void> {
  let offset = 0;
  try {
    while (offset < buffer.length) {
      const at = position === null ? null : position + offset;
      const { bytesWritten } = await handle.write(buffer, offset, buffer.length - offset, at);
      if (bytesWritten <= 0) throw Object.assign(new Error('short write'), { code: 'ENOSPC' });
      offset += bytesWritten;
    }
  } catch (error) {
    throw writeError(error, dir);
  }
}

export function writeError(error: unknown, dir: string, finalName?: string): MeetingTokensError {
  if (error instanceof MeetingTokensError) return error;
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  if (code === 'EEXIST' && finalName) {
    return new MeetingTokensError('OUTPUT_EXISTS', `${join(dir, finalName)} already exists; nothing was replaced, run again`, {
      file: finalName,
    });
  }
  const why = code === 'EEXIST' ? `${TEMP_ATTEMPTS} temporary names in a row were already taken (planted files?)` : errnoReason(error);
  return new MeetingTokensError('WRITE_FAILED', `cannot write to ${dir}: ${why}; nothing was published`, { file: dir }, { cause: error });
}

/** What a failed file-system call means to a user, in a few words ("the disk is full"). */
export function errnoReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  switch (code) {
    case 'ENOSPC':
      return 'the disk is full'; // out of blocks or out of inodes: the kernel says ENOSPC for both
    case 'EDQUOT':
      return 'the disk quota is used up';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOTDIR':
      return 'not a directory';
    case 'ENOENT':
      return 'it does not exist (renamed or deleted during the run?)';
    default:
      return code;
  }
}

/** True when anything (a file, a directory, even a dangling symlink) has this name. */
export async function pathExists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

/**
 * Deletes temporary files left by interrupted runs: those of this host whose process is gone,
 * and any not written to for a day. Live runs' files are left alone. Returns the names removed.
 */
export async function removeStaleTemps(dir: string, now = Date.now()): Promise<string[]> {
  const removed: string[] = [];
  const host = hostname();
  for (const name of await readdir(dir)) {
    if (!name.startsWith(TEMP_PREFIX) || !name.endsWith(TEMP_SUFFIX)) continue;
    const parts = name.slice(TEMP_PREFIX.length, -TEMP_SUFFIX.length).split('.');
    const pid = Number(parts[parts.length - 2]);
    const fileHost = parts.slice(0, -2).join('.');
    let stale = fileHost === host && Number.isInteger(pid) && pid !== process.pid && !pidAlive(pid);
    if (!stale) {
      const info = await stat(join(dir, name)).catch(() => undefined);
      stale = info !== undefined && now - info.mtimeMs > STALE_AFTER_MS;
    }
    if (stale) {
      await unlink(join(dir, name)).catch(() => undefined);
      removed.push(name);
    }
  }
  return removed;
}
