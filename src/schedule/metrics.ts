/**
 * Prometheus metrics for the scheduler (prom-client), served on 127.0.0.1 by default:
 * runs by job and status, tokens written, rows rejected, duplicate rows, last success time and run duration
 * per job; and `/healthz` for liveness probes.
 */
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { Registry, Counter, Gauge, Histogram, collectDefaultMetrics } from 'prom-client';
import { MeetingTokensError } from '../errors.js';

const LISTEN_PROBLEMS: Readonly<Record<string, string>> = {
  EADDRINUSE: 'the port is already in use; pick another',
  EACCES: 'not allowed to listen on that port (below 1024 needs privileges); pick another',
  ENOTFOUND: 'no such host; give an address of this machine, e.g. 127.0.0.1 or 0.0.0.0',
  EAI_AGAIN: 'the host name could not be resolved; give an address of this machine, e.g. 127.0.0.1 or 0.0.0.0',
  EADDRNOTAVAIL: 'not an address of this machine; give one, e.g. 127.0.0.1 or 0.0.0.0',
};

/**
 * A failed listen as one line naming the flags (`--port 80 --host x: ...`), exit 2: the port
 * taken, the host unknown or not this machine's.
 */
export function listenError(
  error: NodeJS.ErrnoException,
  port: number,
  host: string,
  flags = ['--metrics-port', '--metrics-host'],
): MeetingTokensError {
  const why = LISTEN_PROBLEMS[error.code ?? ''] ?? 'cannot listen there';
  const withFlag = why.replace(/pick another$/, `pick another ${flags[0]}`);
  return new MeetingTokensError('USAGE', `${flags[0]} ${port} ${flags[1]} ${host}: ${withFlag} (${error.code ?? error.name})`);
}

export class SchedulerMetrics {
  readonly registry = new Registry();
  private readonly runs = new Counter({
    name: 'meeting_tokens_runs_total',
    help: 'Runs by job and status',
    labelNames: ['job', 'status'],
    registers: [this.registry],
  });
  private readonly tokens = new Counter({
    name: 'meeting_tokens_tokens_written_total',
    help: 'Tokens written',
    labelNames: ['job'],
    registers: [this.registry],
  });
  private readonly rejects = new Counter({
    name: 'meeting_tokens_rows_rejected_total',
    help: 'Roster rows rejected',
    labelNames: ['job'],
    registers: [this.registry],
  });
  private readonly duplicates = new Counter({
    name: 'meeting_tokens_duplicate_rows_total',
    help: 'Token rows that repeat the (room, user_id) of an earlier row of their roster',
    labelNames: ['job'],
    registers: [this.registry],
  });
  private readonly lastSuccess = new Gauge({
    name: 'meeting_tokens_last_success_timestamp_seconds',
    help: 'Unix time of the last successful run',
    labelNames: ['job'],
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'meeting_tokens_run_duration_seconds',
    help: 'Run duration',
    labelNames: ['job'],
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'meeting_tokens_' });
  }

  recordRun(job: string, status: string, seconds: number, counts?: { tokens: number; rejects: number; duplicates: number }): void {
    this.runs.inc({ job, status });
    this.duration.observe({ job }, seconds);
    if (counts) {
      this.tokens.inc({ job }, counts.tokens);
      this.rejects.inc({ job }, counts.rejects);
      this.duplicates.inc({ job }, counts.duplicates);
    }
    if (status === 'done') this.lastSuccess.set({ job }, Date.now() / 1000);
  }

  /**
   * Serves /metrics and /healthz; resolves once listening, or fails with one line (exit 2) when
   * it cannot listen there: the port taken, the host unknown or not this machine's.
   */
  async serve(port: number, host: string): Promise<Server> {
    const server = createServer((req, res) => {
      if (req.url === '/healthz') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      } else if (req.url === '/metrics') {
        this.registry.metrics().then(
          (text) => res.writeHead(200, { 'content-type': this.registry.contentType }).end(text),
          () => res.writeHead(500).end(),
        );
      } else {
        res.writeHead(404).end();
      }
    });
    server.listen(port, host);
    try {
      await once(server, 'listening');
    } catch (error) {
      throw listenError(error as NodeJS.ErrnoException, port, host);
    }
    return server;
  }
}
