/**
 * Orphan cleanup: a job's batch files under their final names without a manifest, left by a run
 * killed between publishing them and writing its manifest.
 */
import { lstat, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { batchFilePattern, partFilePattern, SUFFIX } from './batch-name.js';

/** A batch file without a manifest is an interrupted run's once it has not been written for this long. */
const ORPHAN_AFTER_MS = 10 * 60 * 1000;

/**
 * Deletes this job's tokens files (or parts) and rejects files that never got their manifest: left by a run
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
  const patterns = [
    batchFilePattern(job, SUFFIX.tokens),
    batchFilePattern(job, SUFFIX.jsonl),
    partFilePattern(job),
    batchFilePattern(job, SUFFIX.rejects),
  ];
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
