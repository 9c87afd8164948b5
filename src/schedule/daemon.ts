/**
 * The scheduler: every job in the jobs directory with a `schedule:` runs on it (node-cron, in
 * the job's time zone), one run per job at a time (node-cron's noOverlap within the process, the
 * job lock across processes). All job files are checked before anything is scheduled.
 *
 * Missed slots: with `catch_up` (default), a job whose last slot passed since its last run (in its
 * history or its published manifests) while the daemon was down runs once at start, not once per
 * missed slot (as systemd timers with Persistent=true). A job that never ran has missed nothing.
 * Whether a slot runs here is the SlotGate's call; a slot whose manifest is published never runs
 * again (job/run-job.ts).
 *
 * SIGTERM/SIGINT/SIGHUP: stop scheduling; runs in progress get `graceMs` to finish, then are aborted
 * (nothing published, lock released, history says aborted); exit 0. Job files are reloaded by
 * restarting the daemon.
 */
import { createTask, type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import { findJobFile, listJobNames, loadJob, noJobFiles } from '../config/load-job.js';
import { buildRunConfig, type RunConfig } from '../config/run-config.js';
import { loadNotifySettings, type NotifySettings } from '../config/notify-settings.js';
import { DEMO_KEY_WARNING, loadApiKey, type ApiKey } from '../config/api-key.js';
import { MeetingTokensError } from '../errors.js';
import { startHeartbeat } from '../state/heartbeat.js';
import { resolve } from 'node:path';
import { runJob } from '../job/run-job.js';
import { missedSlot } from './last-slot.js';
import { SchedulerMetrics } from './metrics.js';
import { SlotGate, type SlotReason } from './slot-gate.js';
import { cronLogger } from './cron-logger.js';

export interface DaemonOptions {
  jobsDir: string;
  stateDir: string;
  graceMs: number;
  log: Logger;
  env: NodeJS.ProcessEnv;
  /** Resolves when the daemon should stop (a signal). */
  stopped: Promise<string>;
  /** Serve Prometheus metrics and /healthz on this port (0: any free port), on `metricsHost`. */
  metricsPort?: number | undefined;
  metricsHost?: string | undefined;
  /** With several replicas: Redis decides which one runs each slot (REDIS_URL). */
  redisUrl?: string | undefined;
  /** Milliseconds between heartbeats in the state directory (default 20 s). */
  heartbeatMs?: number | undefined;
}

/** The metrics status of a run that ended in an error; a run whose history line failed has published. */
const RUN_STATUS: Partial<Record<string, string>> = {
  JOB_RUNNING: 'skipped',
  SLOT_PUBLISHED: 'skipped',
  ABORTED: 'aborted',
  HISTORY_UNRECORDED: 'done',
};

interface ScheduledJob {
  name: string;
  schedule: string;
  timezone: string;
  catchUp: boolean;
  config: RunConfig;
  apiKey: ApiKey;
  notify: NotifySettings | undefined;
}

/** Loads and checks every job file; throws one error listing every problem, one line each. */
export function loadScheduledJobs(jobsDir: string, env: NodeJS.ProcessEnv): { scheduled: ScheduledJob[]; manual: string[] } {
  const names = listJobNames(jobsDir);
  if (names.length === 0) throw noJobFiles(jobsDir);
  const problems: string[] = [];
  const scheduled: ScheduledJob[] = [];
  const manual: string[] = [];
  for (const name of names) {
    try {
      const loaded = loadJob(findJobFile(name, jobsDir));
      const config = buildRunConfig(loaded, {});
      if (loaded.job.schedule === undefined) {
        manual.push(name);
        continue;
      }
      const apiKey = loadApiKey(env, { allowWeakKey: false, demoAllowed: config.demoKey });
      const notify = loadNotifySettings(loaded, env, undefined);
      scheduled.push({
        name,
        schedule: loaded.job.schedule,
        timezone: loaded.job.timezone,
        catchUp: loaded.job.catch_up,
        config,
        apiKey,
        notify,
      });
    } catch (error) {
      if (!(error instanceof MeetingTokensError)) throw error;
      problems.push(...error.message.split('\n').map((line) => (line.includes(name) ? line : `job ${name}: ${line}`)));
    }
  }
  if (problems.length > 0) throw new MeetingTokensError('CONFIG_INVALID', problems.join('\n'));
  return { scheduled, manual };
}

export async function runDaemon(options: DaemonOptions): Promise<number> {
  const { log, stateDir } = options;
  const { scheduled, manual } = loadScheduledJobs(options.jobsDir, options.env);
  for (const name of manual) log.info({ job: name }, 'manual-only job (no schedule): run it with meeting-tokens run');
  for (const job of scheduled) {
    if (job.apiKey.source === 'demo')
      log.warn({ job: job.name, demoKey: true }, `no API key set and the job allows demo_key (${DEMO_KEY_WARNING})`);
  }
  // The Redis client (about 19 MB) is loaded only for replicas.
  const coordinator = options.redisUrl
    ? await (await import('./redis-coordinator.js')).RedisCoordinator.connect(options.redisUrl)
    : undefined;
  if (coordinator) log.info('replicas coordinated through Redis: each slot runs on one replica');
  const metrics = new SchedulerMetrics();
  const server =
    options.metricsPort !== undefined
      ? await metrics.serve(options.metricsPort, options.metricsHost ?? '127.0.0.1').catch(async (error: unknown) => {
          await coordinator?.close(); // an open Redis connection would keep the failed process alive
          throw error;
        })
      : undefined;
  if (server) log.info({ address: server.address() }, 'metrics on /metrics, liveness on /healthz');
  const controller = new AbortController();
  const running = new Set<Promise<void>>();
  let stopping = false;

  const gate = new SlotGate(coordinator, log);
  // Webhooks hear of a slot that may have run nowhere; the notification code loads only for such jobs.
  const notifySkipped = (job: ScheduledJob, slot: Date, why: string): Promise<void> =>
    job.notify === undefined
      ? Promise.resolve()
      : import('../notify/run-notifier.js')
          .then(({ notifySkippedSlot }) => notifySkippedSlot(job.notify!, { job: job.name, slot: slot.toISOString(), log }, why))
          .catch(() => undefined);
  const runSlot = async (job: ScheduledJob, slot: Date, reason: SlotReason): Promise<void> => {
    let skipped: string | undefined;
    if (!(await gate.admit(job.name, job.timezone, slot, reason, (why) => (skipped = why)))) {
      if (skipped !== undefined) await notifySkipped(job, slot, skipped);
      return;
    }
    const started = Date.now();
    const fields = { job: job.name, slot: slot.toISOString() };
    log.info({ ...fields, reason, lateMs: started - slot.getTime() }, 'run starting');
    try {
      const { manifest: m } = await runJob({
        config: job.config,
        apiKey: job.apiKey,
        now: new Date(),
        log,
        stateDir,
        slot: slot.toISOString(),
        signal: controller.signal,
        notify: job.notify,
      });
      const counts = { tokens: m.tokens_written, rejects: m.rows_rejected, duplicates: m.duplicates.rows };
      metrics.recordRun(job.name, m.status, (Date.now() - started) / 1000, counts);
      const finished = { ...fields, status: m.status, ...counts, ms: Date.now() - started };
      if (m.demo_key) log.warn({ ...finished, demoKey: true }, `run finished: ${DEMO_KEY_WARNING}`);
      else log.info(finished, 'run finished');
    } catch (error) {
      const code = error instanceof MeetingTokensError ? error.code : 'INTERNAL';
      const message = error instanceof MeetingTokensError ? error.message : `internal error (${(error as Error).name})`;
      metrics.recordRun(job.name, RUN_STATUS[code] ?? 'failed', (Date.now() - started) / 1000);
      if (code === 'JOB_RUNNING') log.warn(fields, `run skipped: ${message}`);
      else if (code === 'SLOT_PUBLISHED') log.warn(fields, `slot skipped: ${message}`);
      else log.error({ ...fields, code, ms: Date.now() - started }, message);
    }
  };
  // Every slot from its election to the end of its run is tracked, so that a stop waits for it.
  const trigger = (job: ScheduledJob, slot: Date, reason: SlotReason): Promise<void> => {
    if (stopping) return Promise.resolve();
    const run = runSlot(job, slot, reason);
    running.add(run);
    return run.finally(() => running.delete(run));
  };

  // A stop waits for notices of skipped slots as for runs (they are bounded by their deadline).
  const trackNotice = (notice: Promise<void>): Promise<void> => {
    running.add(notice);
    return notice.finally(() => running.delete(notice));
  };

  const tasks: ScheduledTask[] = [];
  for (const job of scheduled) {
    const task = createTask(job.schedule, (ctx) => trigger(job, ctx.date, 'scheduled'), {
      timezone: job.timezone,
      noOverlap: true,
      name: job.name,
      logger: cronLogger(log),
    });
    task.on('execution:overlap', (ctx) => {
      log.warn({ job: job.name, slot: ctx.date.toISOString() }, 'slot skipped: the previous run is still going');
      void trackNotice(notifySkipped(job, ctx.date, 'slot skipped: the previous run is still going'));
    });
    task.on('execution:missed', (ctx) => {
      log.warn({ job: job.name, slot: ctx.date.toISOString() }, 'slot missed');
      void trackNotice(notifySkipped(job, ctx.date, 'slot missed'));
    });
    tasks.push(task);
    if (job.catchUp) {
      const slot = await missedSlot(task, job, stateDir);
      if (slot) {
        log.info(
          { job: job.name, slot: slot.slot.toISOString(), lastRun: slot.lastRun },
          'catching up a slot missed while the daemon was down',
        );
        void trigger(job, slot.slot, 'catch-up');
      }
    }
    await task.start();
    log.info({ job: job.name, schedule: job.schedule, timezone: job.timezone, next: task.getNextRun()?.toISOString() }, 'job scheduled');
  }
  // Tells `status` that these jobs have a scheduler; a failed write never stops the scheduling.
  const heartbeat = await startHeartbeat(
    stateDir,
    { jobs_dir: resolve(options.jobsDir), jobs: Object.fromEntries(scheduled.map((j) => [j.name, `${j.schedule} (${j.timezone})`])) },
    options.heartbeatMs ?? 20_000,
    (error) => log.warn({ code: (error as NodeJS.ErrnoException).code }, 'cannot write the heartbeat in the state directory'),
  );
  log.info({ jobs: scheduled.length, manual: manual.length }, 'scheduler started');

  const signal = await options.stopped;
  stopping = true;
  log.info({ signal, running: running.size, graceMs: options.graceMs }, 'stopping: no new runs');
  await Promise.all(tasks.map((t) => t.stop()));
  if (running.size > 0) {
    const grace = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), options.graceMs).unref());
    if ((await Promise.race([Promise.all(running).then(() => 'done' as const), grace])) === 'timeout') {
      log.warn({ running: running.size }, 'grace period over: aborting runs in progress');
      controller.abort(signal);
      await Promise.all(running);
    }
  }
  await Promise.all(tasks.map((t) => t.destroy()));
  await heartbeat.stop();
  await coordinator?.close();
  if (server) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  log.info('scheduler stopped');
  return 0;
}
