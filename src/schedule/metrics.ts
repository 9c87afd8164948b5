/**
 * Prometheus metrics for the scheduler (prom-client), served on 127.0.0.1 by default:
 * runs by job and status, tokens written, rows rejected, duplicate rows, last success time and run duration
 * per job; and `/healthz` for liveness probes.
 */
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { Registry, Counter, Gauge, Histogram, collectDefaultMetrics } from 'prom-client';

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

  /** Serves /metrics and /healthz; resolves once listening. */
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
    await once(server, 'listening');
    return server;
  }
}
