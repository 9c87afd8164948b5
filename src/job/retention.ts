/**
 * Retention for one job's outputs: keep the newest `keep` batches, and delete every batch whose
 * tokens have all expired (useless, and still personal data). A batch is the files
 * `<job>-<stamp>.csv` (or `.jsonl`, or `.part-000001.csv`, ...), `.rejects.csv`, `.manifest.json` and
 * `.delivery.json` (names in `batch-name.ts`);
 * nothing else in the directory is touched, not even another job whose name starts or ends the
 * same way. The batch the run just published is never touched.
 */
import { readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { BATCH_SUFFIXES, SUFFIX, batchFilePattern, partFilePattern } from './batch-name.js';

/**
 * Deletes what retention says; returns the names removed. `published` is the manifest name of
 * the batch this run published: it stays, and counts as one of the `keep` newest, even when a
 * batch with a later stamp exists (a clock stepped back, an earlier run with a later `--now`) or
 * its tokens have expired (`--allow-expired`).
 */
export async function applyRetention(outDir: string, job: string, keep: number, now: Date, published?: string): Promise<string[]> {
  const pattern = batchFilePattern(job, SUFFIX.manifest);
  const names = await readdir(outDir);
  const stamps = names
    .filter((name) => name !== published)
    .map((name) => pattern.exec(name)?.[1])
    .filter((stamp): stamp is string => stamp !== undefined)
    .sort()
    .reverse(); // newest first (the stamp sorts as time)
  const takenByPublished = published !== undefined && names.includes(published) ? 1 : 0;
  const removed: string[] = [];
  for (const [index, stamp] of stamps.entries()) {
    const base = join(outDir, `${job}-${stamp}`);
    let expired = false;
    try {
      const manifest = JSON.parse(await readFile(base + SUFFIX.manifest, 'utf8')) as { exp_max?: string | null };
      expired = typeof manifest.exp_max === 'string' && Date.parse(manifest.exp_max) <= now.getTime();
    } catch {
      continue; // unreadable: not provably ours to delete
    }
    if (takenByPublished + index < keep && !expired) continue;
    const parts = names.filter((name) => partFilePattern(job).exec(name)?.[1] === stamp);
    for (const name of [...BATCH_SUFFIXES.map((suffix) => `${job}-${stamp}${suffix}`), ...parts]) {
      try {
        await unlink(join(outDir, name));
        removed.push(name);
      } catch {
        // already gone (a failed run publishes no tokens file; a batch has a .csv or a .jsonl)
      }
    }
  }
  return removed;
}
