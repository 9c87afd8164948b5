/**
 * The output directory made ready for a job's next batch: checked (created if missing, the roster
 * not in it), cleaned of what interrupted runs left there, and the batch's file names chosen.
 */
import type { Logger } from 'pino';
import { removeStaleTemps } from '../files/temp-file.js';
import { prepareOutputDir, checkRosterOutsideOutputDir } from '../output/output-dir.js';
import { removeOrphanedOutputs } from './orphans.js';
import { nextBatchNames, type BatchNames } from './batch-name.js';

/**
 * Checks the output directory (created if missing, the roster not in it), removes what
 * interrupted runs left there and returns this batch's file names.
 */
export async function prepareOutput(outDir: string, rosterPath: string, job: string, now: Date, log: Logger): Promise<BatchNames> {
  await prepareOutputDir(outDir);
  await checkRosterOutsideOutputDir(rosterPath, outDir);
  const removed = await removeStaleTemps(outDir);
  if (removed.length > 0) log.info({ job, removed: removed.length }, 'removed temporary files of interrupted runs');
  const orphans = await removeOrphanedOutputs(outDir, job);
  if (orphans.length > 0) {
    log.warn({ job, removed: orphans }, 'removed outputs of an interrupted run that never wrote its manifest');
  }
  return nextBatchNames(outDir, job, now);
}
