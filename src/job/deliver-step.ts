/**
 * The delivery step of a run: after the batch is published locally, before its history line.
 * The delivery code (and its SDKs) is loaded only for a job with a `deliver:` list.
 */
import type { Logger } from 'pino';
import type { RunConfig } from '../config/run-config.js';
import type { DeliveryOutcome } from '../deliver/outcome.js';
import type { RunResult } from './run-batch.js';
import { EXIT } from '../errors.js';

/** Delivers a published batch to the job's destinations; undefined when there is nothing to deliver. */
export async function deliverPublished(
  config: RunConfig,
  result: RunResult,
  log: Logger,
  signal: AbortSignal | undefined,
): Promise<DeliveryOutcome[] | undefined> {
  // A failed batch (too many rejects) is not sent: consumers get only batches that are done.
  if (config.deliver.length === 0 || result.manifest.status !== 'done') return undefined;
  const { deliverBatch } = await import('../deliver/deliver-batch.js');
  return deliverBatch({ manifestPath: result.manifestPath, targets: config.deliver, log, signal });
}

/** A published batch whose delivery failed exits 1 (the batch itself is out: the line says so). */
export function deliveryExitCode(exitCode: number, deliveries: readonly DeliveryOutcome[]): number {
  return exitCode === EXIT.ok && deliveries.some((d) => d.status === 'failed') ? EXIT.failure : exitCode;
}
