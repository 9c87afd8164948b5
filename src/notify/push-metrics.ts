/**
 * A one-shot run's metrics, pushed to a Prometheus Pushgateway with prom-client's `pushAdd`
 * (POST): it replaces only the metrics pushed, so a failed run, which pushes no
 * `last_success_timestamp_seconds`, leaves the last success's in place for alerts on its age.
 * Grouping key: `job` = the job's name, and nothing else, so that every run of a job (whatever
 * host or pod) replaces its previous values instead of adding a group per host.
 */
import type { RunOutcome } from './run-summary.js';

/** The metrics of one run, each a gauge of the group's latest value. */
export async function pushRunMetrics(gateway: string, outcome: RunOutcome & { exitCode: number }, timeoutMs: number): Promise<void> {
  // prom-client is loaded only by a run that pushes.
  const { Gauge, Pushgateway, Registry } = await import('prom-client');
  const registry = new Registry();
  const gauge = (name: string, help: string, value: number): void => {
    new Gauge({ name: `meeting_tokens_${name}`, help, registers: [registry] }).set(value);
  };
  const finished = outcome.finishedAt.getTime() / 1000;
  gauge('last_run_timestamp_seconds', 'Unix time the last run finished', finished);
  gauge('last_run_exit_code', 'Exit code of the last run (0 done)', outcome.exitCode);
  gauge('last_run_duration_seconds', 'Duration of the last run', (outcome.finishedAt.getTime() - outcome.startedAt.getTime()) / 1000);
  if (outcome.exitCode === 0) gauge('last_success_timestamp_seconds', 'Unix time of the last successful run', finished);
  else gauge('last_failure_timestamp_seconds', 'Unix time of the last failed run', finished);
  const m = outcome.manifest;
  if (m) {
    gauge('last_run_rows_read', 'Roster rows read by the last run that published', m.rows_read);
    gauge('last_run_tokens_written', 'Tokens written by the last run that published', m.tokens_written);
    gauge('last_run_rows_rejected', 'Roster rows rejected by the last run that published', m.rows_rejected);
    gauge('last_run_duplicate_rows', 'Rows repeating an earlier (room, user_id) in the last run that published', m.duplicates.rows);
  }
  const gatewayClient = new Pushgateway(gateway, { timeout: timeoutMs }, registry);
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })), timeoutMs);
  });
  try {
    await Promise.race([gatewayClient.pushAdd({ jobName: outcome.job }), limit]);
  } finally {
    clearTimeout(timer);
  }
}

/** A failed push as one line: a status or an error code, never the URL. */
export function pushProblem(error: unknown): string {
  const status = /status (\d{3})/.exec((error as Error).message ?? '')?.[1];
  if (status) return `answered ${status}`;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ETIMEDOUT') return 'no answer in time';
  return code ? `cannot connect (${code})` : `push failed (${(error as Error).name})`;
}
