/**
 * `<batch>.delivery.json` beside the manifest: each destination's latest delivery outcome (a
 * re-send replaces the entries of the destinations it sent to). Written under a temporary name
 * and renamed, so a reader sees the old record or the new one.
 */
import { readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { openTempFile, writeFully } from '../files/temp-file.js';
import type { PublishedBatch } from './batch-files.js';
import type { DeliveryOutcome } from './outcome.js';

export interface DeliveryRecord {
  job: string;
  run_id: string;
  manifest: string;
  deliveries: DeliveryOutcome[];
}

export async function readDeliveryRecord(path: string): Promise<DeliveryRecord | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as DeliveryRecord;
  } catch {
    return undefined;
  }
}

export async function writeDeliveryRecord(path: string, batch: PublishedBatch, outcomes: readonly DeliveryOutcome[]): Promise<void> {
  const earlier = (await readDeliveryRecord(path))?.deliveries ?? [];
  const sent = new Set(outcomes.map((o) => o.destination));
  const record: DeliveryRecord = {
    job: batch.job,
    run_id: batch.runId,
    manifest: batch.files.at(-1)!.name,
    deliveries: [...earlier.filter((o) => !sent.has(o.destination)), ...outcomes],
  };
  // The project's temporary name: a run after a crash here removes the leftover.
  const { path: temp, handle } = await openTempFile(dirname(path), 'wx');
  try {
    await writeFully(handle, Buffer.from(JSON.stringify(record, null, 2) + '\n'), null, dirname(path));
    await handle.close();
    await rename(temp, path);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

/** `x-20261127T090000Z.manifest.json` -> `x-20261127T090000Z.delivery.json`. */
export function deliveryRecordName(manifestName: string): string {
  return basename(manifestName).replace(/\.manifest\.json$/, '') + '.delivery.json';
}
