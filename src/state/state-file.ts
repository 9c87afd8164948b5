/**
 * Files in the state directory (locks, history) are opened as carefully as output files: never
 * through a symlink or into a FIFO or device planted at their name (the scheduler may run as
 * root, and a planted link would make it append to any file), and every failure is one line
 * naming the state directory.
 */
import { mkdir, open, stat, type FileHandle } from 'node:fs/promises';
import { constants } from 'node:fs';
import { MeetingTokensError } from '../errors.js';
import { errnoReason } from '../files/temp-file.js';

const { O_WRONLY, O_RDONLY, O_APPEND, O_CREAT, O_NOFOLLOW, O_NONBLOCK } = constants;

/** Creates the state directory (0700) when missing. */
export async function ensureStateDir(dir: string): Promise<void> {
  try {
    // Not recursive at first: a recursive mkdir reports a read-only file system as ENOENT.
    await mkdir(dir, { mode: 0o700 }).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') await mkdir(dir, { recursive: true, mode: 0o700 });
      else if (error.code !== 'EEXIST') throw error;
    });
    if (!(await stat(dir)).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
  } catch (error) {
    throw stateError(error, dir);
  }
}

/**
 * Opens a state file to append to (created 0600) or to read. A symlink at `path` fails (O_NOFOLLOW,
 * checked before anything is written); so does anything but a regular file, and, for appending, a
 * file with another hard link (a link to a victim file is as bad as a symlink). Read without
 * `optional`, a missing file is an error; with it, undefined.
 */
export async function openStateFile(path: string, mode: 'append' | 'read', dir: string): Promise<FileHandle>;
export async function openStateFile(path: string, mode: 'read', dir: string, optional: true): Promise<FileHandle | undefined>;
export async function openStateFile(path: string, mode: 'append' | 'read', dir: string, optional = false): Promise<FileHandle | undefined> {
  // O_NONBLOCK: opening a planted FIFO returns at once (and fails the check below) instead of hanging.
  const flags = (mode === 'append' ? O_WRONLY | O_APPEND | O_CREAT : O_RDONLY) | O_NOFOLLOW | O_NONBLOCK;
  let handle: FileHandle;
  try {
    handle = await open(path, flags, 0o600);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (optional && code === 'ENOENT') return undefined;
    // Linux says ELOOP for O_NOFOLLOW on a symlink, the BSDs EMLINK.
    if (code === 'ELOOP' || code === 'EMLINK') throw unsafe(path, 'is a symbolic link');
    if (code === 'ENXIO') throw unsafe(path, 'is not a regular file'); // a FIFO without a reader, or a socket
    throw stateError(error, dir);
  }
  const info = await handle.stat();
  const problem = !info.isFile() ? 'is not a regular file' : mode === 'append' && info.nlink > 1 ? 'has another hard link' : undefined;
  if (problem) {
    await handle.close();
    throw unsafe(path, problem);
  }
  return handle;
}

/** A failed file-system call in the state directory as one line naming it; MeetingTokensErrors pass through. */
export function stateError(error: unknown, dir: string): MeetingTokensError {
  // The output helpers (temporary files, full writes) word their errors for the output directory.
  const cause = error instanceof MeetingTokensError && error.code === 'WRITE_FAILED' ? error.cause : error;
  if (cause instanceof MeetingTokensError) return cause;
  return new MeetingTokensError('STATE_FAILED', `cannot use the state directory ${dir}: ${errnoReason(cause)}`, { file: dir }, { cause });
}

function unsafe(path: string, problem: string): MeetingTokensError {
  return new MeetingTokensError(
    'STATE_FAILED',
    `state file ${path} ${problem}; refusing to use it (nothing was written to it): remove it if it is not the tool's own`,
    { file: path },
  );
}
