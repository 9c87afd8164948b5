/**
 * A file that becomes visible under its final name only when complete: written under a random
 * temporary name (opened exclusively, mode 0600), every write checked for short writes,
 * fsynced, then linked to its final name without ever replacing an existing file.
 *
 * write-file-atomic is not used: it ignores short writes and can publish a truncated file on a
 * full disk.
 */
import { link, unlink, rename, type FileHandle } from 'node:fs/promises';
import { createHash, type Hash } from 'node:crypto';
import { basename, join } from 'node:path';
import { abortError } from '../errors.js';
import { openTempFile, pathExists, tempName, writeError, writeFully } from '../files/temp-file.js';
import { DirHandle } from './dir-handle.js';

export interface PublishedFile {
  name: string;
  bytes: number;
  sha256: string;
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
