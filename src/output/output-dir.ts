/** The output directory: created private when missing, checked before any row is signed. */
import { mkdir, stat, lstat, access, readdir, unlink, realpath, constants } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { MeetingTokensError } from '../errors.js';
import { batchFilePattern, SUFFIX } from './batch-name.js';

/** A batch file without a manifest is an interrupted run's once it has not been written for this long. */
const ORPHAN_AFTER_MS = 10 * 60 * 1000;

export async function prepareOutputDir(dir: string): Promise<void> {
  try {
    // Only the last level is created: a mistyped path should not grow a directory tree.
    await mkdir(dir, { mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
    const info = await stat(dir);
    if (!info.isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    await access(dir, constants.W_OK | constants.X_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    const why =
      code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
        ? 'not writable'
        : code === 'ENOTDIR' || code === 'EEXIST'
          ? 'not a directory'
          : code === 'ENOENT'
            ? `its parent ${dirname(dir)} does not exist`
            : code;
    throw new MeetingTokensError('OUTPUT_DIR', `output directory ${dir}: ${why}`, { file: dir });
  }
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

/**
 * Deletes this job's tokens and rejects files that never got their manifest: left by a run
 * killed (kill -9, power loss) in the moment between publishing them and writing the manifest,
 * the batch's commit point. Consumers wait for the manifest, so they were never delivered, and
 * retention (which goes by manifests) would keep them, personal data, forever. Files written in
 * the last ten minutes stay: a run on another host may be about to write their manifest. The
 * caller holds the job's lock. Returns the names removed.
 */
export async function removeOrphanedOutputs(dir: string, job: string, now = Date.now()): Promise<string[]> {
  const names = await readdir(dir);
  const manifest = batchFilePattern(job, SUFFIX.manifest);
  const manifests = new Set(names.map((name) => manifest.exec(name)?.[1]));
  const patterns = [batchFilePattern(job, SUFFIX.tokens), batchFilePattern(job, SUFFIX.rejects)];
  const removed: string[] = [];
  for (const name of names) {
    const stamp = patterns.map((pattern) => pattern.exec(name)?.[1]).find((s) => s !== undefined);
    if (stamp === undefined || manifests.has(stamp)) continue;
    const info = await lstat(join(dir, name)).catch(() => undefined);
    if (info === undefined || now - info.mtimeMs <= ORPHAN_AFTER_MS) continue;
    await unlink(join(dir, name)).catch(() => undefined);
    removed.push(name);
  }
  return removed;
}
