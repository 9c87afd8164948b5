/**
 * Tells the outside world how a run went, once it has ended (after its deliveries): webhooks get
 * the signed summary, the heartbeat URL its finishing ping, the Pushgateway the run's metrics.
 * Notifications never change a run's outcome: each failure is one warning line, and the run
 * exits with its own code. They cost a run at most their deadline (all in parallel).
 */
import { fileSha256 } from '../files/file-sha256.js';
import type { Logger } from 'pino';
import type { NotifySettings } from '../config/notify-settings.js';
import { urlOrigin } from '../config/notify-settings.js';
import { exitCodeFor, MeetingTokensError } from '../errors.js';
import type { Manifest } from '../output/manifest.js';
import { deliverWebhook, type NotifyLimits } from './webhook-delivery.js';
import { finishSuffix, ping } from './heartbeat-ping.js';
import { pushProblem, pushRunMetrics } from './push-metrics.js';
import { runSummary, type RunOutcome, type RunStatus } from './run-summary.js';

/** What a run returns that a summary reads; `deliveries` is filled when the run delivered its batch. */
export interface NotifiableResult {
  manifest: Manifest;
  manifestPath: string;
  exitCode: number;
  deliveries?: readonly object[] | undefined;
}

export interface NotifyContext {
  job: string;
  slot: string | null;
  log: Logger;
  env?: NodeJS.ProcessEnv | undefined;
}

/** Errors that mean the run did not happen here (another holds the job, or the slot was published). */
const STATUS_OF_ERROR: Partial<Record<string, RunStatus>> = {
  JOB_RUNNING: 'skipped',
  SLOT_PUBLISHED: 'skipped',
  ABORTED: 'aborted',
  HISTORY_UNRECORDED: 'done',
};

/** Five attempts, each within MEETING_TOKENS_NOTIFY_TIMEOUT_MS, all within MEETING_TOKENS_NOTIFY_DEADLINE_MS from now. */
function notifyLimits(env: NodeJS.ProcessEnv): NotifyLimits {
  return {
    attempts: 5,
    attemptMs: whole(env, 'MEETING_TOKENS_NOTIFY_TIMEOUT_MS', 5000),
    deadline: Date.now() + whole(env, 'MEETING_TOKENS_NOTIFY_DEADLINE_MS', 20_000),
    backoffMs: 500,
  };
}

function whole(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = Number(env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

/**
 * Runs `run`, which calls `started` once it holds the job (the heartbeat's `/start`, sent in the
 * background), then notifies its outcome and returns or rethrows it unchanged.
 */
export async function notifiedRun<R extends NotifiableResult>(
  settings: NotifySettings,
  context: NotifyContext,
  run: (started: () => void) => Promise<R>,
): Promise<R> {
  const env = context.env ?? process.env;
  const attemptMs = whole(env, 'MEETING_TOKENS_NOTIFY_TIMEOUT_MS', 5000);
  const startedAt = new Date();
  let startPing: Promise<unknown> = Promise.resolve();
  const started = (): void => {
    if (settings.heartbeat === undefined) return;
    startPing = ping(settings.heartbeat, 'start', '', attemptMs).then((outcome) =>
      warnPing(context, settings.heartbeat!, '/start', outcome),
    );
  };
  const finish = async (outcome: Omit<RunOutcome, 'job' | 'slot' | 'startedAt' | 'finishedAt' | 'manifestSha256'>): Promise<void> => {
    const full: RunOutcome = {
      ...outcome,
      job: context.job,
      slot: context.slot,
      startedAt,
      finishedAt: new Date(),
      manifestSha256: outcome.manifestPath ? await manifestSha256(outcome.manifestPath) : null,
    };
    await startPing; // so that /start never arrives after the finishing ping
    await notify(settings, full, context, notifyLimits(env)).catch((error: unknown) =>
      context.log.warn({ job: context.job, name: (error as Error).name }, 'notifications failed'),
    );
  };
  let result: R;
  try {
    result = await run(started);
  } catch (error) {
    const code = error instanceof MeetingTokensError ? error.code : 'INTERNAL';
    const message = error instanceof MeetingTokensError ? error.message : `internal error (${(error as Error).name})`;
    await finish({
      status: STATUS_OF_ERROR[code] ?? 'failed',
      exitCode: exitCodeFor(error),
      manifest: undefined,
      manifestPath: undefined,
      deliveries: null,
      error: { code, message },
    });
    throw error;
  }
  await finish({
    status: result.manifest.status === 'done' && result.exitCode === 0 ? 'done' : 'failed',
    exitCode: result.exitCode,
    manifest: result.manifest,
    manifestPath: result.manifestPath,
    deliveries: result.deliveries ?? null,
    error: result.manifest.error ?? null,
  });
  return result;
}

/**
 * A scheduled slot that did not run here and may have run nowhere (it could not start in time,
 * Redis did not answer, the previous run was still going, node-cron missed it): webhooks get a
 * `run.skipped` summary saying why. The heartbeat is left alone: its checker alarms on the
 * missing success by itself, and another replica may yet have run the slot.
 */
export async function notifySkippedSlot(settings: NotifySettings, context: NotifyContext, why: string): Promise<void> {
  if (settings.webhooks.length === 0) return;
  const now = new Date();
  const env = context.env ?? process.env;
  const outcome: RunOutcome = {
    job: context.job,
    slot: context.slot,
    status: 'skipped',
    exitCode: null,
    startedAt: now,
    finishedAt: now,
    manifest: undefined,
    manifestPath: undefined,
    manifestSha256: null,
    deliveries: null,
    error: { code: 'SLOT_SKIPPED', message: why },
  };
  await notify({ ...settings, heartbeat: undefined, pushgateway: undefined }, outcome, context, notifyLimits(env)).catch((error: unknown) =>
    context.log.warn({ job: context.job, name: (error as Error).name }, 'notifications failed'),
  );
}

async function notify(settings: NotifySettings, outcome: RunOutcome, context: NotifyContext, limits: NotifyLimits): Promise<void> {
  const { log, job } = context;
  const body = JSON.stringify(runSummary(outcome));
  const work: Promise<void>[] = settings.webhooks.map(async (hook) => {
    const delivery = await deliverWebhook(hook, body, limits);
    const fields = { job, webhook: delivery.label, webhookId: delivery.id, attempts: delivery.attempts, status: delivery.status };
    if (delivery.ok) log.info(fields, `notification delivered to ${delivery.label}`);
    else log.warn(fields, `notification to ${delivery.label} failed after ${delivery.attempts} attempts: ${delivery.problem}`);
  });
  // A run that did not happen here pings nothing: the run that holds the job (or published the slot) does.
  if (settings.heartbeat !== undefined && outcome.status !== 'skipped') {
    const suffix = finishSuffix(outcome.exitCode ?? 1);
    const url = settings.heartbeat;
    work.push(
      ping(url, suffix, body, limits.attemptMs).then((answer) => warnPing(context, url, suffix ? `/${suffix}` : 'success', answer)),
    );
  }
  if (settings.pushgateway !== undefined && outcome.status !== 'skipped') {
    const gateway = settings.pushgateway;
    work.push(
      pushRunMetrics(gateway, { ...outcome, exitCode: outcome.exitCode ?? 1 }, limits.attemptMs).then(
        () => log.info({ job, pushgateway: urlOrigin(gateway) }, 'metrics pushed to the Pushgateway'),
        (error: unknown) =>
          log.warn(
            { job, pushgateway: urlOrigin(gateway) },
            `metrics not pushed to the Pushgateway (${urlOrigin(gateway)}): ${pushProblem(error)}`,
          ),
      ),
    );
  }
  await Promise.all(work);
}

function warnPing(context: NotifyContext, url: string, what: string, outcome: { status: number } | { problem: string }): void {
  const problem = 'problem' in outcome ? outcome.problem : outcome.status >= 300 ? `answered ${outcome.status}` : undefined;
  if (problem)
    context.log.warn({ job: context.job, heartbeat: urlOrigin(url) }, `heartbeat ${what} ping (${urlOrigin(url)}) failed: ${problem}`);
}

function manifestSha256(path: string): Promise<string | null> {
  return fileSha256(path).catch(() => null);
}
