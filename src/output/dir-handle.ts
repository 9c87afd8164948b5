/**
 * An open handle on the output directory, kept for the whole run. A directory renamed or deleted
 * during a run is noticed before anything is published under its old path, and the run's
 * temporary files (which hold tokens) are still removed wherever the directory went.
 */
import { existsSync } from 'node:fs';
import { open, stat, constants, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { MeetingTokensError } from '../errors.js';

/** Linux resolves /proc/self/fd/<n>/<name> through the open directory itself, not its old path. */
const PROC_FD = '/proc/self/fd';
const procFd = existsSync(PROC_FD);

export class DirHandle {
  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    private readonly dev: number,
    private readonly ino: number,
  ) {}

  static async open(path: string): Promise<DirHandle> {
    const handle = await open(path, constants.O_RDONLY | constants.O_DIRECTORY);
    const info = await handle.stat().catch(async (error: unknown) => {
      await handle.close();
      throw error;
    });
    return new DirHandle(path, handle, info.dev, info.ino);
  }

  /**
   * A path to `name` in this directory wherever it is now (through /proc/self/fd on Linux; its
   * original path elsewhere). For removing this run's own files, never for publishing.
   */
  entry(name: string): string {
    return procFd ? `${PROC_FD}/${this.handle.fd}/${name}` : join(this.path, name);
  }

  /** Throws when `path` no longer names this directory: it was renamed, deleted or replaced. */
  async checkInPlace(): Promise<void> {
    const now = await stat(this.path).catch(() => undefined);
    if (now?.dev !== this.dev || now.ino !== this.ino) throw movedError(this.path);
  }

  /** Makes renames and links in the directory durable (POSIX needs the directory fsynced). */
  async sync(): Promise<void> {
    await this.handle.sync();
  }

  async close(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }
}

export function movedError(dir: string): MeetingTokensError {
  return new MeetingTokensError(
    'OUTPUT_DIR',
    `output directory ${dir} was renamed, moved or deleted during the run; nothing was published, run again`,
    { file: dir },
  );
}
