/**
 * `meeting-tokens check`: the preflight before a schedule fires. The job (or flags) validated as a
 * run would, the whole roster read and signed as a run would, and nothing published: no lock, no
 * history, and no API key or network unless the job checks rooms (then listed at Daily, never created).
 */
import { statSync } from 'node:fs';
import { findJobFile, loadJob } from '../config/load-job.js';
import { buildRunConfig } from '../config/run-config.js';
import { loadApiKey } from '../config/api-key.js';
import { createLogger } from '../log.js';
import { checkBatch } from '../pipeline/check-batch.js';
import { parseNow } from './args.js';
import { effectiveLogLevel, type LogLevel } from './options.js';
import { printResult, type OutputFlags } from './output.js';
import { checkReportText, checkResultJson } from './check-result.js';
import { createProgress } from './progress.js';
import { trapStopSignals } from './signals.js';
import { batchFlags, type BatchValues } from './batch-values.js';

/** `check`'s options as parsed from its declaration (commands.ts): `run`'s, less what only a publishing run uses. */
export interface CheckValues extends OutputFlags, BatchValues {
  jobs: string;
  now?: string;
  allowExpired?: boolean;
  allowWeakKey?: boolean;
  workers?: number;
  logLevel: LogLevel;
}

export async function checkCommand(jobName: string | undefined, values: CheckValues): Promise<number> {
  const warnings: string[] = [];
  const logLevel = effectiveLogLevel(values.logLevel, values.quiet);
  const progress = createProgress({ logLevel, quiet: values.quiet });
  const log = createLogger(logLevel, undefined, (message) => warnings.push(message), progress.clear);
  const loaded = jobName !== undefined ? loadJob(findJobFile(jobName, values.jobs)) : undefined;
  const config = buildRunConfig(loaded, batchFlags(values), false);
  // Only the room check asks Daily, so only it needs the key.
  const apiKey = config.checkRooms
    ? loadApiKey(process.env, { allowWeakKey: values.allowWeakKey ?? false, demoAllowed: config.demoKey })
    : undefined;
  const now = values.now !== undefined ? parseNow(values.now) : new Date();

  const controller = new AbortController();
  const signals = trapStopSignals((signal) => controller.abort(signal));
  progress.start(statSync(config.rosterPath, { throwIfNoEntry: false })?.size);
  try {
    const report = await checkBatch({
      config,
      apiKey,
      now,
      log,
      signal: controller.signal,
      workers: values.workers,
      onProgress: progress.update,
      allowExpired: values.allowExpired,
    });
    progress.stop();
    printResult(
      values,
      () => checkReportText(report),
      () => checkResultJson(report, warnings),
    );
    // As for a run: what would fail it is also one line on stderr.
    if (report.problem) process.stderr.write(`meeting-tokens: check: ${report.problem.message}\n`);
    return report.exitCode;
  } finally {
    progress.stop();
    signals.release();
  }
}
