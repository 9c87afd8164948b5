/** `meeting-tokens run`: one batch by hand, from a job file or from flags. */
import { statSync } from 'node:fs';
import { findJobFile, loadJob } from '../config/load-job.js';
import { buildRunConfig } from '../config/run-config.js';
import { DEMO_KEY_WARNING, loadApiKey } from '../config/api-key.js';
import { createLogger } from '../log.js';
import { parseNow } from './args.js';
import { effectiveLogLevel, type LogLevel } from './options.js';
import { printResult, type OutputFlags } from './output.js';
import { resultLine, runResultJson } from './run-result.js';
import { createProgress } from './progress.js';
import { trapStopSignals } from './signals.js';
import { runJob } from '../job/run-job.js';
import { batchFlags, type BatchValues } from './batch-values.js';
import { loadNotifySettings } from '../config/notify-settings.js';

/** `run`'s options as parsed from its declaration (commands.ts). */
export interface RunValues extends OutputFlags, BatchValues {
  jobs: string;
  state: string;
  now?: string;
  allowExpired?: boolean;
  allowWeakKey?: boolean;
  workers?: number;
  offline?: boolean;
  /** false with `--no-deliver`. */
  deliver?: boolean;
  pushgateway?: string;
  logLevel: LogLevel;
}

export async function runCommand(jobName: string | undefined, values: RunValues): Promise<number> {
  const warnings: string[] = [];
  const logLevel = effectiveLogLevel(values.logLevel, values.quiet);
  // Created before the logger, which erases the progress line before every log line.
  const progress = createProgress({ logLevel, quiet: values.quiet });
  const log = createLogger(logLevel, undefined, (message) => warnings.push(message), progress.clear);
  const loaded = jobName !== undefined ? loadJob(findJobFile(jobName, values.jobs)) : undefined;
  const config = buildRunConfig(loaded, {
    ...batchFlags(values),
    offline: values.offline,
    deliver: values.deliver,
  });
  const apiKey = loadApiKey(process.env, { allowWeakKey: values.allowWeakKey ?? false, demoAllowed: config.demoKey });
  const notify = loadNotifySettings(loaded, process.env, values.pushgateway);
  if (apiKey.source === 'demo') {
    log.warn({ job: config.job, demoKey: true }, `DAILY_API_KEY is not set and the job allows demo_key (${DEMO_KEY_WARNING})`);
  }
  const now = values.now !== undefined ? parseNow(values.now) : new Date();

  // An interrupted run publishes nothing and exits 128 + the signal's number (130, 143, 129).
  const controller = new AbortController();
  const signals = trapStopSignals((signal) => controller.abort(signal));
  progress.start(statSync(config.rosterPath, { throwIfNoEntry: false })?.size);
  try {
    const result = await runJob({
      config,
      apiKey,
      now,
      log,
      stateDir: values.state,
      slot: null,
      signal: controller.signal,
      workers: values.workers,
      onProgress: progress.update,
      allowExpired: values.allowExpired,
      notify,
    });
    progress.stop();
    const m = result.manifest;
    printResult(
      values,
      () => resultLine(result),
      () => runResultJson(result, warnings),
    );
    // A failed batch (too many rejects) is an error like any other: one line on stderr.
    if (m.status !== 'done') process.stderr.write(`meeting-tokens: ${m.error?.message ?? 'the run failed'} -> ${result.manifestPath}\n`);
    if (result.deliveries) {
      const failed = (await import('../deliver/outcome.js')).failedDeliveries(result.deliveries);
      if (failed) process.stderr.write(`meeting-tokens: published ${result.manifestPath}; delivery ${failed}\n`);
    }
    return result.exitCode;
  } finally {
    progress.stop();
    signals.release();
  }
}
