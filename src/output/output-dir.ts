/** The output directory: created private when missing, checked before any row is signed. */
import { mkdir, stat, access, realpath, constants } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { MeetingTokensError } from '../errors.js';

export async function prepareOutputDir(dir: string): Promise<void> {
  try {
    // Only the last level is created: a mistyped path should not grow a directory tree.
    await mkdir(dir, { mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
    await checkWritableDir(dir);
  } catch (error) {
    throw outputDirError(dir, error);
  }
}

/**
 * What `prepareOutputDir` would find, without creating anything: the directory, or (when it is
 * missing) its parent, must be a writable directory. Throws the error a run would.
 */
export async function checkOutputDir(dir: string): Promise<void> {
  const exists = await stat(dir).then(
    () => true,
    // Stryker disable next-line ArrowFunction: `undefined` is as falsy as `false`
    () => false,
  );
  try {
    await checkWritableDir(exists ? dir : dirname(dir));
  } catch (error) {
    throw outputDirError(dir, error);
  }
}

async function checkWritableDir(path: string): Promise<void> {
  const info = await stat(path);
  // Stryker disable next-line StringLiteral: the code, not the message, decides the line the user reads
  if (!info.isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
  await access(path, constants.W_OK | constants.X_OK);
}

function outputDirError(dir: string, error: unknown): MeetingTokensError {
  // Stryker disable next-line StringLiteral: mkdir, stat and access fail with an error code, always
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  const why =
    code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
      ? 'not writable'
      : code === 'ENOTDIR'
        ? 'not a directory'
        : code === 'ENOENT'
          ? `its parent ${dirname(dir)} does not exist`
          : code;
  return new MeetingTokensError('OUTPUT_DIR', `output directory ${dir}: ${why}`, { file: dir });
}

/**
 * The output directory must not hold the roster: files published there and retention could
 * replace or delete it, and whatever collects the output would pick it up. `outDir` and
 * `rosterPath` are absolute; the check is on the names as given (so it runs at start-up, before
 * anything exists). Returns the problem, or undefined.
 */
export function rosterInOutputDir(rosterPath: string, outDir: string): string | undefined {
  if (rosterPath === outDir) return `${outDir} is the roster itself; choose a directory for the output`;
  if (dirname(rosterPath) === outDir) {
    return `${outDir} holds the roster ${basename(rosterPath)}: published files and retention could replace or delete it, and whatever collects the output would take it too; keep rosters in another directory`;
  }
  return undefined;
}

/** The same check after following symlinks, once the output directory exists. */
export async function checkRosterOutsideOutputDir(rosterPath: string, outDir: string): Promise<void> {
  const realOut = await realpath(outDir);
  const realRoster = await realpath(rosterPath).catch(() => undefined);
  const problem = realRoster === undefined ? undefined : rosterInOutputDir(realRoster, realOut);
  if (problem) throw new MeetingTokensError('CONFIG_INVALID', `output directory ${outDir}: ${problem}`, { file: outDir });
}
