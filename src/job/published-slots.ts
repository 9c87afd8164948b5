/**
 * What ran, as every replica sees it: the manifests a job published in its output directory. A
 * manifest is the batch's commit point and records the schedule slot it served, so a slot whose
 * manifest is there ran, whatever any one replica's own history (or Redis, whose election keys
 * live a day) remembers. Catch-up and every scheduled run consult it.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Manifest } from '../output/manifest.js';
import { batchFilePattern, SUFFIX } from './batch-name.js';

/** A published batch: its manifest's name, the slot it served (null: a run by hand), and its slot's time or else its start. */
export interface PublishedRun {
  manifest: string;
  slot: string | null;
  at: number;
}

/** `20261127T090503Z` -> its time in ms. */
function stampTime(stamp: string): number {
  return Date.parse(`${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 11)}:${stamp.slice(11, 13)}:${stamp.slice(13, 15)}Z`);
}

/**
 * The job's published runs whose file stamp (the publishing run's clock) is at or after `since`.
 * A manifest that cannot be read or parsed (removed meanwhile, not ours) is passed over; a
 * missing output directory has none.
 */
export async function publishedRuns(outDir: string, job: string, since = -Infinity): Promise<PublishedRun[]> {
  const pattern = batchFilePattern(job, SUFFIX.manifest);
  let names: string[];
  try {
    names = await readdir(outDir);
  } catch {
    return [];
  }
  const runs: PublishedRun[] = [];
  for (const name of names) {
    const stamp = pattern.exec(name)?.[1];
    if (stamp === undefined || stampTime(stamp) < since) continue;
    try {
      const manifest = JSON.parse(await readFile(join(outDir, name), 'utf8')) as Partial<Manifest>;
      if (manifest.job !== job) continue;
      const slot = typeof manifest.slot === 'string' ? manifest.slot : null;
      runs.push({ manifest: name, slot, at: Date.parse(slot ?? manifest.started_at ?? '') });
    } catch {
      // removed by retention meanwhile, or not a manifest of ours
    }
  }
  return runs;
}

/**
 * A scheduled run's batch is stamped with the clock that fired the slot, so it is never stamped
 * before the slot; the margin covers that clock being stepped back meanwhile.
 */
const STAMP_MARGIN_MS = 3600_000;

/** The manifest of the batch that served `slot` (ISO 8601), or undefined when none was published. */
export async function publishedSlot(outDir: string, job: string, slot: string): Promise<string | undefined> {
  const runs = await publishedRuns(outDir, job, Date.parse(slot) - STAMP_MARGIN_MS);
  return runs.find((run) => run.slot === slot)?.manifest;
}
