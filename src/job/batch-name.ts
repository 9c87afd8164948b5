/**
 * Names of a batch's files, `<job>-<stamp><suffix>`: the one place that defines them, for
 * publication, orphan cleanup and retention alike. The stamp is the run's clock to the second
 * (`20261127T090000Z`); a later batch of the same job stamped in the same second gets `_02`,
 * `_03`, ... (`20261127T090000Z_02`). Stamps sort as time, as strings and in a directory listing
 * (`_` sorts after the `.` that follows the first batch's stamp).
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { MeetingTokensError } from '../errors.js';

/** What follows the stamp in the name of each file of a batch. */
export const SUFFIX = {
  tokens: '.csv',
  jsonl: '.jsonl',
  rejects: '.rejects.csv',
  manifest: '.manifest.json',
  delivery: '.delivery.json',
} as const;

/** Suffixes of a batch's files; the manifest first (deleting in this order never leaves a manifest naming missing files). */
export const BATCH_SUFFIXES = [SUFFIX.manifest, SUFFIX.tokens, SUFFIX.jsonl, SUFFIX.rejects, SUFFIX.delivery] as const;

/** What follows the stamp in a part's name: `.part-000001.csv`; six digits sort as numbers in a glob. */
const PART_SUFFIX = String.raw`\.part-\d{6}\.(?:csv|jsonl)`;

/** The tokens file's name in `format`: `<job>-<stamp>.csv` or `.jsonl`. */
export function tokensFileName(names: BatchNames, format: 'csv' | 'jsonl'): string {
  return format === 'jsonl' ? names.tokens.slice(0, -SUFFIX.tokens.length) + SUFFIX.jsonl : names.tokens;
}

/** Part `n` (1-based) of a split tokens file: `<job>-<stamp>.part-000001.csv`. */
export function partFileName(names: BatchNames, format: 'csv' | 'jsonl', n: number): string {
  return `${names.tokens.slice(0, -SUFFIX.tokens.length)}.part-${String(n).padStart(6, '0')}.${format}`;
}

/** Matches the parts of a split tokens file of `job` (`<job>-<stamp>.part-000001.csv`), capturing the stamp. */
export function partFilePattern(job: string): RegExp {
  return new RegExp(`^${escapeRegExp(job)}-(\\d{8}T\\d{6}Z(?:_\\d{2})?)${PART_SUFFIX}$`);
}

/** Batches of one job in one second: two digits keep the names sorting as time. */
const MAX_SEQUENCE = 99;

export interface BatchNames {
  /** `20261127T090000Z` or `20261127T090000Z_02`: sorts as the order the batches were published in. */
  stamp: string;
  tokens: string;
  rejects: string;
  manifest: string;
}

/** `2026-11-27T09:05:03.120Z` -> `20261127T090503Z`. */
export function fileStamp(date: Date): string {
  return date.toISOString().slice(0, 19).replace(/[-:]/g, '') + 'Z';
}

export function batchNames(job: string, stamp: string): BatchNames {
  const base = `${job}-${stamp}`;
  return { stamp, tokens: base + SUFFIX.tokens, rejects: base + SUFFIX.rejects, manifest: base + SUFFIX.manifest };
}

/**
 * Matches `<job>-<stamp><suffix>` exactly (not another job whose name starts or ends the same
 * way) and captures the stamp, sequence included.
 */
export function batchFilePattern(job: string, suffix: string): RegExp {
  return new RegExp(`^${escapeRegExp(job)}-(\\d{8}T\\d{6}Z(?:_\\d{2})?)${escapeRegExp(suffix)}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The names for a new batch of `job` run at `now`: the plain stamp, or, when batches of this job
 * already carry it, the sequence after the highest of them (so the new batch sorts last). The
 * caller holds the job's lock; publication still never replaces a file, should a run elsewhere
 * take the name meanwhile.
 */
export async function nextBatchNames(dir: string, job: string, now: Date): Promise<BatchNames> {
  const stamp = fileStamp(now);
  const patterns = [...BATCH_SUFFIXES.map((suffix) => batchFilePattern(job, suffix)), partFilePattern(job)];
  let highest = 0;
  for (const name of await readdir(dir)) {
    const taken = patterns.map((pattern) => pattern.exec(name)?.[1]).find((s) => s !== undefined);
    if (taken === undefined || !taken.startsWith(stamp)) continue;
    highest = Math.max(highest, taken === stamp ? 1 : Number(taken.slice(stamp.length + 1)));
  }
  if (highest === 0) return batchNames(job, stamp);
  if (highest >= MAX_SEQUENCE) {
    throw new MeetingTokensError(
      'OUTPUT_EXISTS',
      `${join(dir, `${job}-${stamp}`)}: ${MAX_SEQUENCE} batches of ${job} already carry this time; nothing was replaced, run again with another --now`,
      { job },
    );
  }
  return batchNames(job, `${stamp}_${String(highest + 1).padStart(2, '0')}`);
}
