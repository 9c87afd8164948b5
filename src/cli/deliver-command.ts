/** `meeting-tokens deliver <manifest>`: sends a published batch to its job's destinations again. */
import { basename, resolve } from 'node:path';
import { findJobFile, loadJob } from '../config/load-job.js';
import { buildRunConfig } from '../config/run-config.js';
import { createLogger } from '../log.js';
import { MeetingTokensError, EXIT } from '../errors.js';
import { effectiveLogLevel, type LogLevel } from './options.js';
import { printResult, type OutputFlags } from './output.js';
import { readPublishedBatch } from '../deliver/batch-files.js';
import { deliverBatch } from '../deliver/deliver-batch.js';
import { failedDeliveries, type DeliveryOutcome } from '../deliver/outcome.js';
import { JobLock } from '../state/job-lock.js';
import { appendHistory } from '../state/history.js';

export interface DeliverValues extends OutputFlags {
  to?: string[];
  jobs: string;
  state: string;
  logLevel: LogLevel;
}

export async function deliverCommand(manifestArg: string, values: DeliverValues): Promise<number> {
  const log = createLogger(effectiveLogLevel(values.logLevel, values.quiet));
  const manifestPath = resolve(manifestArg);
  const batch = await readPublishedBatch(manifestPath);
  const loaded = loadJob(findJobFile(batch.job, values.jobs));
  const targets = buildRunConfig(loaded, {}).deliver;
  if (targets.length === 0) throw new MeetingTokensError('USAGE', `job ${batch.job} (${loaded.file}) has no deliver: destinations`);
  const unknown = (values.to ?? []).filter((url) => !targets.some((t) => t.url === url));
  if (unknown.length > 0) {
    throw new MeetingTokensError(
      'USAGE',
      `--to ${unknown.join(', ')}: not a destination of job ${batch.job}; its destinations: ${targets.map((t) => t.url).join(', ')}`,
    );
  }
  const chosen = values.to ? targets.filter((t) => values.to!.includes(t.url)) : targets;
  const lock = await JobLock.acquire(values.state, batch.job);
  let outcomes: DeliveryOutcome[];
  try {
    const start = new Date().toISOString();
    outcomes = await deliverBatch({ manifestPath, targets: chosen, log });
    await appendHistory(values.state, {
      job: batch.job,
      slot: batch.slot,
      start,
      end: new Date().toISOString(),
      status: outcomes.every((o) => o.status === 'delivered') ? 'done' : 'failed',
      redelivery_of: basename(manifestPath),
      deliveries: outcomes,
    });
  } finally {
    await lock.release();
  }
  const failed = failedDeliveries(outcomes);
  const exitCode = failed === undefined ? EXIT.ok : EXIT.failure;
  printResult(
    values,
    () =>
      outcomes
        .filter((o) => o.status === 'delivered')
        .map((o) => `delivered: ${o.files_delivered} files -> ${o.destination}\n`)
        .join(''),
    () => ({ manifest: manifestPath, exit_code: exitCode, deliveries: outcomes }),
  );
  if (failed !== undefined) process.stderr.write(`meeting-tokens: delivery of ${manifestPath} failed: ${failed}\n`);
  return exitCode;
}
