/**
 * The scheduler: every job in the jobs directory with a `schedule:` runs on it (node-cron, in
 * the job's time zone), one run per job at a time (node-cron's noOverlap within the process, the
 * job lock across processes). All job files are checked before anything is scheduled.
 *
 * Missed slots: with `catch_up` (default), a job whose last slot passed since its last recorded
 * run while the daemon was down runs once at start, not once per missed slot (as systemd timers
 * with Persistent=true). A job that never ran has missed nothing.
 *
 * SIGTERM/SIGINT: stop scheduling; runs in progress get `graceMs` to finish, then are aborted
 * (nothing published, lock released, history says aborted); exit 0. Job files are reloaded by
 * restarting the daemon.
 */
import { createTask, type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import { findJobFile, listJobNames, loadJob } from '../config/load-job.js';
import { buildRunConfig, type RunConfig } from '../config/run-config.js';
import { loadApiKey, type ApiKey } from '../config/api-key.js';
import { MeetingTokensError } from '../errors.js';
import { lastRun } from '../state/history.js';
import { runJob } from './run-job.js';
import { lastSlot } from './last-slot.js';
import { SchedulerMetrics } from './metrics.js';
import { WallClockSlots, wallClockSlot } from './wall-clock.js';

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
}

interface ScheduledJob {
  name: string;
  schedule: string;
  timezone: string;
  catchUp: boolean;
  config: RunConfig;
  apiKey: ApiKey;
}

/** Loads and checks every job file; throws one error listing every problem, one line each. */
export function loadScheduledJobs(jobsDir: string, env: NodeJS.ProcessEnv): { scheduled: ScheduledJob[]; manual: string[] } {
  const names = listJobNames(jobsDir);
  if (names.length === 0) throw new MeetingTokensError('JOB_NOT_FOUND', `no job files (*.yaml) in ${jobsDir}/`);
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
      scheduled.push({ name, schedule: loaded.job.schedule, timezone: loaded.job.timezone, catchUp: loaded.job.catch_up, config, apiKey });
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
  // The Redis client (about 19 MB) is loaded only for replicas.
  const coordinator = options.redisUrl
    ? await (await import('./redis-coordinator.js')).RedisCoordinator.connect(options.redisUrl)
    : undefined;
  if (coordinator) log.info('replicas coordinated through Redis: each slot runs on one replica');
  const metrics = new SchedulerMetrics();
  const server =
    options.metricsPort !== undefined ? await metrics.serve(options.metricsPort, options.metricsHost ?? '127.0.0.1') : undefined;
  if (server) log.info({ address: server.address() }, 'metrics on /metrics, liveness on /healthz');
  const controller = new AbortController();
  const running = new Set<Promise<void>>();
  let stopping = false;

  const wallClock = new WallClockSlots();
  const trigger = async (job: ScheduledJob, slot: Date, reason: 'scheduled' | 'catch-up'): Promise<void> => {
    if (stopping) return;
    const local = wallClockSlot(slot, job.timezone);
    // Replicas elect the wall-clock slot too, so the two instants of a fall-back repeat cannot go
    // to two different replicas.
    const firstHere = wallClock.first(job.name, slot, job.timezone);
    const elected = firstHere && (!coordinator || (await coordinator.shouldRun(`${job.name}:wall:${local}`).catch(() => false)));
    if (!elected) {
      log.info(
        { job: job.name, slot: slot.toISOString(), wallClock: local },
        'slot skipped: this wall-clock time already ran (daylight saving)',
      );
      return;
    }
    const started = Date.now();
    log.info({ job: job.name, slot: slot.toISOString(), reason }, 'run starting');
    const run = runJob({
      config: job.config,
      apiKey: job.apiKey,
      now: new Date(),
      log,
      stateDir,
      slot: slot.toISOString(),
      signal: controller.signal,
    })
      .then((result) => {
        const m = result.manifest;
        metrics.recordRun(job.name, m.status, (Date.now() - started) / 1000, {
          tokens: m.tokens_written,
          rejects: m.rows_rejected,
          duplicates: m.duplicates.rows,
        });
        log.info(
          {
            job: job.name,
            slot: slot.toISOString(),
            status: m.status,
            tokens: m.tokens_written,
            rejects: m.rows_rejected,
            duplicates: m.duplicates.rows,
            ms: Date.now() - started,
          },
          'run finished',
        );
      })
      .catch((error: unknown) => {
        const code = error instanceof MeetingTokensError ? error.code : 'INTERNAL';
        const message = error instanceof MeetingTokensError ? error.message : `internal error (${(error as Error).name})`;
        metrics.recordRun(
          job.name,
          code === 'JOB_RUNNING' ? 'skipped' : code === 'ABORTED' ? 'aborted' : 'failed',
          (Date.now() - started) / 1000,
        );
        if (code === 'JOB_RUNNING') log.warn({ job: job.name, slot: slot.toISOString() }, `run skipped: ${message}`);
        else log.error({ job: job.name, slot: slot.toISOString(), code, ms: Date.now() - started }, message);
      });
    running.add(run);
    return run.finally(() => running.delete(run));
  };

  const tasks: ScheduledTask[] = [];
  for (const job of scheduled) {
    const task = createTask(job.schedule, (ctx) => trigger(job, ctx.date, 'scheduled'), {
      timezone: job.timezone,
      noOverlap: true,
      name: job.name,
      ...(coordinator ? { distributed: true, runCoordinator: coordinator } : {}),
    });
    task.on('execution:skipped', (ctx) =>
      log.info(
        { job: job.name, slot: ctx.date.toISOString(), reason: ctx.reason },
        ctx.reason === 'not-elected' ? 'slot taken by another replica' : 'slot skipped: Redis did not answer',
      ),
    );
    task.on('execution:overlap', (ctx) =>
      log.warn({ job: job.name, slot: ctx.date.toISOString() }, 'slot skipped: the previous run is still going'),
    );
    task.on('execution:missed', (ctx) => log.warn({ job: job.name, slot: ctx.date.toISOString() }, 'slot missed'));
    tasks.push(task);
    if (job.catchUp) {
      const last = await lastRun(stateDir, job.name);
      if (last) {
        const lastTime = Date.parse(last.slot ?? last.start);
        const slot = lastSlot(task, job.schedule.trim().split(/\s+/).length === 6, new Date(), lastTime);
        // With replicas, the catch-up of a slot is elected like the slot itself (same key).
        const elected =
          slot &&
          slot.getTime() > lastTime &&
          (!coordinator || (await coordinator.shouldRun(`${job.name}:${slot.toISOString()}`).catch(() => false)));
        if (slot && elected) {
          log.info(
            { job: job.name, slot: slot.toISOString(), lastRun: last.slot ?? last.start },
            'catching up a slot missed while the daemon was down',
          );
          void trigger(job, slot, 'catch-up');
        }
      }
    }
    await task.start();
    log.info({ job: job.name, schedule: job.schedule, timezone: job.timezone, next: task.getNextRun()?.toISOString() }, 'job scheduled');
  }
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
  await coordinator?.close();
  if (server) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  log.info('scheduler stopped');
  return 0;
}
