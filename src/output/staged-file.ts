/**
 * A file that becomes visible under its final name only when complete: written under a random
 * temporary name (opened exclusively, mode 0600), every write checked for short writes,
 * fsynced, then linked to its final name without ever replacing an existing file.
 *
 * write-file-atomic is not used: it ignores short writes and can publish a truncated file on a
 * full disk.
 */
import { open, link, unlink, rename, lstat, type FileHandle } from 'node:fs/promises';
import { createHash, randomBytes, type Hash } from 'node:crypto';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import { MeetingTokensError, abortError } from '../errors.js';
import { DirHandle } from './dir-handle.js';

export const TEMP_PREFIX = '.meeting-tokens.';
export const TEMP_SUFFIX = '.tmp';
/** Temporary names tried before giving up when something already has the name. */
const TEMP_ATTEMPTS = 3;

export interface PublishedFile {
  name: string;
  bytes: number;
  sha256: string;
}

export function tempName(): string {
  // Host and pid let a later run tell a dead run's leftovers from a live run's files.
  return `${TEMP_PREFIX}${hostname()}.${process.pid}.${randomBytes(8).toString('hex')}${TEMP_SUFFIX}`;
}

export class StagedFile {
  private bytes = 0;
  private readonly hash: Hash = createHash('sha256');
  private closed = false;

  private constructor(
    readonly dir: string,
    readonly finalName: string,
    private readonly tempPath: string,
    private readonly handle: FileHandle,
    private readonly pinned: DirHandle | undefined,
  ) {}

  /**
   * `dir` as a DirHandle: a directory renamed or deleted before the commit fails it with a clear
   * error, and the temporary file is removed from wherever the directory went. `names` gives the
   * temporary names to try (tests plant files at them).
   */
  static async create(dir: string | DirHandle, finalName: string, names: () => string = tempName): Promise<StagedFile> {
    const path = typeof dir === 'string' ? dir : dir.path;
    const opened = await openTempFile(path, 'wx', names);
    return new StagedFile(path, finalName, opened.path, opened.handle, typeof dir === 'string' ? undefined : dir);
  }

  async write(data: string | Uint8Array): Promise<void> {
    const buffer = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    await writeFully(this.handle, buffer, null, this.dir);
    this.hash.update(buffer);
    this.bytes += buffer.length;
  }

  /**
   * Flushes to disk and publishes under the final name; the caller fsyncs the directory. An
   * aborted `signal` is honoured up to the link that publishes: after it, the file is out.
   */
  async commit(signal?: AbortSignal): Promise<PublishedFile> {
    const finalPath = join(this.dir, this.finalName);
    try {
      await this.handle.sync();
      await this.handle.close();
      this.closed = true;
      await this.pinned?.checkInPlace();
      if (signal?.aborted) throw abortError(signal);
      await publishNoClobber(this.tempPath, finalPath);
    } catch (error) {
      // A link that finds no directory: it went between the check and the link.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') await this.pinned?.checkInPlace();
      throw writeError(error, this.dir, this.finalName);
    }
    return { name: this.finalName, bytes: this.bytes, sha256: this.hash.digest('hex') };
  }

  /** Removes the temporary file; used on every failure path, never throws. */
  async discard(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      await this.handle.close().catch(() => undefined);
    }
    await unlink(this.pinned ? this.pinned.entry(basename(this.tempPath)) : this.tempPath).catch(() => undefined);
  }
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

async function publishNoClobber(tempPath: string, finalPath: string): Promise<void> {
  try {
    // link() fails with EEXIST instead of replacing: two runs can never overwrite each other.
    await link(tempPath, finalPath);
    await unlink(tempPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP') throw error;
    // Filesystems without hard links: check, then rename (a narrow race, documented).
    if (await pathExists(finalPath)) {
      throw Object.assign(new Error('exists'), { code: 'EEXIST' });
    }
    await rename(tempPath, finalPath);
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
