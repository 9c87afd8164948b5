/**
 * Delivery of one published batch to each of a job's destinations, one after the other: the
 * manifest's files first, the manifest last, each destination tried with back-off. The local
 * batch stays the source of truth: a failed delivery changes nothing there but the delivery
 * record, `<batch>.delivery.json` beside the manifest, which holds each destination's latest outcome.
 */
import type { Logger } from 'pino';
import { parseDuration } from '../config/duration.js';
import { parseS3Url, parseSftpUrl, type DeliverEntry, type S3Address, type SftpAddress } from '../config/deliver-schema.js';
import { readPublishedBatch, type PublishedBatch } from './batch-files.js';
import { errorLine } from './error-line.js';
import { withRetries } from './retry.js';
import type { Connect } from './session.js';
import type { DeliveryOutcome } from './outcome.js';
import { deliveryRecordName, writeDeliveryRecord } from './delivery-record.js';
import { dirname, join } from 'node:path';

export interface DeliverOptions {
  manifestPath: string;
  targets: readonly DeliverEntry[];
  log: Logger;
  signal?: AbortSignal | undefined;
  env?: NodeJS.ProcessEnv | undefined;
}

async function connectorFor(entry: DeliverEntry, env: NodeJS.ProcessEnv): Promise<Connect> {
  // Each protocol's module (and its SDK) is loaded only for a job that delivers that way.
  if (entry.url.toLowerCase().startsWith('sftp:')) {
    const { sftpConnect } = await import('./sftp.js');
    return sftpConnect(entry as Parameters<typeof sftpConnect>[0], parseSftpUrl(entry.url) as SftpAddress, env);
  }
  const { s3Connect } = await import('./s3.js');
  return s3Connect(entry as Parameters<typeof s3Connect>[0], parseS3Url(entry.url) as S3Address);
}

async function deliverTo(entry: DeliverEntry, batch: PublishedBatch, options: DeliverOptions): Promise<DeliveryOutcome> {
  const { log, signal } = options;
  const env = options.env ?? process.env;
  const startedAt = new Date().toISOString();
  const connect = await connectorFor(entry, env);
  const secrets: string[] = [];
  const done = new Set<string>();
  const report = await withRetries(
    entry.attempts,
    parseDuration(entry.backoff)! * 1000,
    async () => {
      const session = await connect(secrets);
      try {
        for (const file of batch.files) {
          if (done.has(file.name)) continue;
          if (signal?.aborted) throw new Error('interrupted');
          await session.put(file);
          done.add(file.name);
        }
      } finally {
        await session.close();
      }
    },
    (n, error, waitMs) =>
      log.warn(
        { job: batch.job, destination: entry.url, attempt: n, retryInMs: waitMs },
        `delivery to ${entry.url} failed (try ${n} of ${entry.attempts}, next in ${waitMs / 1000}s): ${errorLine(error, secrets, env)}`,
      ),
    signal,
  );
  const outcome: DeliveryOutcome = {
    destination: entry.url,
    status: report.error === undefined ? 'delivered' : 'failed',
    started_at: startedAt,
    finished_at: new Date().toISOString(),
    attempts: report.attempts,
    files_delivered: done.size,
    ...(report.error !== undefined ? { error: errorLine(report.error, secrets, env) } : {}),
  };
  if (outcome.status === 'delivered') {
    log.info({ job: batch.job, destination: entry.url, attempts: outcome.attempts, files: done.size }, `delivered to ${entry.url}`);
  } else {
    log.error({ job: batch.job, destination: entry.url, attempts: outcome.attempts }, `delivery to ${entry.url} failed: ${outcome.error}`);
  }
  return outcome;
}

/** Delivers the batch of `manifestPath` to each target and records the outcomes; never throws for a failed delivery. */
export async function deliverBatch(options: DeliverOptions): Promise<DeliveryOutcome[]> {
  const batch = await readPublishedBatch(options.manifestPath);
  const outcomes: DeliveryOutcome[] = [];
  for (const entry of options.targets) outcomes.push(await deliverTo(entry, batch, options));
  const recordPath = join(dirname(options.manifestPath), deliveryRecordName(options.manifestPath));
  await writeDeliveryRecord(recordPath, batch, outcomes).catch((error: unknown) =>
    options.log.warn(
      { job: batch.job, code: (error as NodeJS.ErrnoException).code },
      `could not write the delivery record ${recordPath}; the job's history has the outcome`,
    ),
  );
  return outcomes;
}
