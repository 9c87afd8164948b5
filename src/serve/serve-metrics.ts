/**
 * Prometheus metrics of `serve` (prom-client): opens, unknown links, gone links by reason,
 * answers refused by the 404 limit, store errors, and the latency of link answers.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type GoneReason = 'expired' | 'revoked';

export class ServeMetrics {
  readonly registry = new Registry();
  readonly opens = new Counter({
    name: 'meeting_tokens_link_opens_total',
    help: 'Links opened: a token signed (or the stored one served) and the browser sent to the room',
    registers: [this.registry],
  });
  readonly notFound = new Counter({
    name: 'meeting_tokens_link_not_found_total',
    help: 'Answers 404: unknown link ids',
    registers: [this.registry],
  });
  readonly gone = new Counter({
    name: 'meeting_tokens_link_gone_total',
    help: 'Answers 410 by reason: expired or revoked links',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  readonly limited = new Counter({
    name: 'meeting_tokens_link_rate_limited_total',
    help: 'Answers 429: addresses past the limit of unknown links',
    registers: [this.registry],
  });
  readonly storeErrors = new Counter({
    name: 'meeting_tokens_link_store_errors_total',
    help: 'Link lookups or open records the store failed (answered 503, or the open not counted)',
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'meeting_tokens_link_answer_seconds',
    help: 'Time from request to answer for /j/ links',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'meeting_tokens_' });
    for (const reason of ['expired', 'revoked'] as const) this.gone.inc({ reason }, 0);
  }
}
