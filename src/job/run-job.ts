/**
 * One run of a job, by hand or on schedule: the domain lookup if needed, the job's lock, the
 * batch, and a line in the job's history whatever the outcome. `run` and `schedule` share it.
 * A scheduled run whose slot's manifest is already published does not run again; a run that
 * published but could not write its history line says so (HISTORY_UNRECORDED), never "failed".
 */
import { basename } from 'node:path';
import type { Logger } from 'pino';
import type { RunConfig } from '../config/run-config.js';
import type { ApiKey } from '../config/api-key.js';
import { lookUpDomainForRun } from '../daily/domain-lookup.js';
import { runBatch, type RunOptions, type RunResult } from './run-batch.js';
import { JobLock } from '../state/job-lock.js';
import { appendHistory, type HistoryEntry } from '../state/history.js';
import { MeetingTokensError } from '../errors.js';
import { publishedSlot } from './published-slots.js';
import { applyRetention } from './retention.js';
import { deliverPublished, deliveryExitCode } from './deliver-step.js';
import type { NotifySettings } from '../config/notify-settings.js';

export interface JobRunOptions {
  config: RunConfig;
  apiKey: ApiKey;
  /** The run's clock: `iat` and output names. A scheduled run passes its slot. */
  now: Date;
  log: Logger;
  stateDir: string;
  /** The schedule slot this run serves (ISO 8601), or null for a run by hand. */
  slot: string | null;
  signal?: AbortSignal | undefined;
  workers?: number | undefined;
  onProgress?: RunOptions['onProgress'];
  /** Publish even when every token has expired by then (`--allow-expired`). */
  allowExpired?: boolean | undefined;
  /** Webhooks, heartbeat and Pushgateway told of the run's outcome once it has ended. */
  notify?: NotifySettings | undefined;
}

export async function runJob(options: JobRunOptions): Promise<RunResult> {
  if (options.notify === undefined) return runJobOnce(options, () => undefined);
  // Loaded only by a job that reports its runs: a plain run carries none of it.
  const { notifiedRun } = await import('../notify/run-notifier.js');
  const context = { job: options.config.job, slot: options.slot, log: options.log };
  return notifiedRun(options.notify, context, (started) => runJobOnce(options, started));
}

/** `started` is called once the run holds the job and its slot is not yet published. */
async function runJobOnce(options: JobRunOptions, started: () => void): Promise<RunResult> {
  const { apiKey, log, stateDir, slot } = options;
  let config = options.config;
  if (config.domainId === undefined) {
    // Once per run, before any row is read.
    const domain = await lookUpDomainForRun(process.env, apiKey.key);
    log.info({ job: config.job, domainId: domain.domainId, domainName: domain.domainName }, 'domain id looked up at Daily');
    config = { ...config, domainId: domain.domainId, domainName: config.domainName ?? domain.domainName };
  }
  const lock = await JobLock.acquire(stateDir, config.job);
  try {
    if (slot !== null) {
      // Under the lock, so a run of this host cannot publish the slot meanwhile.
      const manifest = await publishedSlot(config.outDir, config.job, slot);
      if (manifest !== undefined) {
        throw new MeetingTokensError('SLOT_PUBLISHED', `slot ${slot} of job ${config.job} was already published (${manifest})`, {
          job: config.job,
        });
      }
    }
    started();
    const start = new Date().toISOString();
    const record = (entry: Omit<HistoryEntry, 'job' | 'slot' | 'start' | 'end'>): Promise<void> =>
      appendHistory(stateDir, { job: config.job, slot, start, end: new Date().toISOString(), ...entry });
    let result: RunResult;
    try {
      result = await runBatch({
        config,
        apiKey,
        now: options.now,
        slot,
        log,
        signal: options.signal,
        onProgress: options.onProgress,
        workers: options.workers,
        allowExpired: options.allowExpired,
        beforePublish: () => lock.checkHeld(),
      });
    } catch (error) {
      const code = error instanceof MeetingTokensError ? error.code : 'INTERNAL';
      const message = error instanceof MeetingTokensError ? error.message : `internal error (${(error as Error).name})`;
      await record({ status: code === 'ABORTED' ? 'aborted' : 'failed', error: { code, message } }).catch(() => undefined);
      throw error;
    }
    const m = result.manifest;
    // Published: whatever fails from here on, the batch is out and its manifest says so.
    const deliveries = await deliverPublished(config, result, log, options.signal);
    if (deliveries !== undefined) result = { ...result, deliveries, exitCode: deliveryExitCode(result.exitCode, deliveries) };
    const unrecorded = await record({
      status: m.status,
      rows_read: m.rows_read,
      tokens_written: m.tokens_written,
      rows_rejected: m.rows_rejected,
      duplicate_rows: m.duplicates.rows,
      outputs: [m.files.tokens?.name, m.files.rejects?.name, result.manifestPath.split('/').pop()].filter((n): n is string => !!n),
      ...(m.error ? { error: m.error } : {}),
      ...(m.demo_key ? { demo_key: true as const } : {}),
      ...(deliveries !== undefined ? { deliveries } : {}),
    }).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    if (m.status === 'done' && config.keep !== undefined) {
      // Retention never fails a run that has published.
      await applyRetention(config.outDir, config.job, config.keep, new Date(), basename(result.manifestPath)).then(
        (removed) =>
          removed.length > 0 && log.info({ job: config.job, keep: config.keep, removed }, 'retention: removed old or expired outputs'),
        (error: unknown) =>
          log.warn({ job: config.job, code: (error as NodeJS.ErrnoException).code }, 'retention skipped: cannot list the output directory'),
      );
    }
    if (unrecorded) {
      throw new MeetingTokensError(
        'HISTORY_UNRECORDED',
        `published ${result.manifestPath}; could not record it in history: ${historyError(unrecorded, stateDir)}`,
        { job: config.job },
      );
    }
    return result;
  } finally {
    await lock.release();
  }
}

function historyError(error: Error, stateDir: string): string {
  if (error instanceof MeetingTokensError) return `${error.message}; do not run it again`;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return `${stateDir} is full (${code}); do not run it again`;
  return `${code ?? error.name} in ${stateDir}; do not run it again`;
}
