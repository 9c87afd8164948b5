import { afterEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { Webhook } from 'standardwebhooks';
import { deliverWebhook } from '../../src/notify/webhook-delivery.js';
import { notifiedRun } from '../../src/notify/run-notifier.js';
import type { Manifest } from '../../src/output/manifest.js';
import { answering, startReceiver, type Receiver } from './receiver.js';

const receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

const key = randomBytes(32);
const secret = `whsec_${key.toString('base64')}`;
const limits = () => ({ attempts: 5, attemptMs: 2000, deadline: Date.now() + 10_000, backoffMs: 50 });

describe('deliverWebhook', () => {
  it('a 4xx other than 408 and 429 ends the delivery at once: the receiver refused it', async () => {
    const hook = await startReceiver(answering(400));
    receivers.push(hook);
    const delivery = await deliverWebhook({ url: `${hook.base}/in`, key, label: 'webhook 1' }, '{}', limits());
    expect(delivery).toMatchObject({ ok: false, attempts: 1, status: 400, problem: 'answered 400' });
    expect(hook.requests).toHaveLength(1);
  });

  it('429 and 5xx are retried, at most the given number of attempts', async () => {
    const hook = await startReceiver((_r, index, res) => res.writeHead(index % 2 === 0 ? 429 : 502).end());
    receivers.push(hook);
    const delivery = await deliverWebhook({ url: `${hook.base}/in`, key, label: 'webhook 1' }, '{}', limits());
    expect(delivery).toMatchObject({ ok: false, attempts: 5, status: 429, problem: 'answered 429' });
    expect(hook.requests).toHaveLength(5);
  });

  it('gives up when the next wait would end past the deadline, instead of waiting for nothing', async () => {
    const hook = await startReceiver(answering(503));
    receivers.push(hook);
    const delivery = await deliverWebhook({ url: `${hook.base}/in`, key, label: 'webhook 1' }, '{}', {
      ...limits(),
      // Waiting out the deadline would outlast the test's time limit.
      backoffMs: 120_000,
      deadline: Date.now() + 60_000,
    });
    expect(delivery).toMatchObject({ ok: false, attempts: 1, problem: 'answered 503' });
    expect(hook.requests).toHaveLength(1);
  });
});

describe('notifiedRun', () => {
  it("fills the summary's deliveries from the run's result when it has them, and returns the result unchanged", async () => {
    const hook = await startReceiver(answering(200));
    receivers.push(hook);
    const manifest = {
      status: 'done',
      run_id: 'r1',
      rows_read: 1,
      tokens_written: 1,
      rows_rejected: 0,
      duplicates: { rows: 0 },
    } as unknown as Manifest;
    const deliveries = [{ destination: 's3://bucket/batches', status: 'delivered', attempts: 1 }];
    const result = {
      manifest: { ...manifest, files: { tokens: null, rejects: null } },
      manifestPath: '/nowhere/x.manifest.json',
      exitCode: 0,
      deliveries,
    };
    const returned = await notifiedRun(
      { webhooks: [{ url: `${hook.base}/in`, key, label: 'webhook 1' }], heartbeat: undefined, pushgateway: undefined },
      { job: 'weekly', slot: null, log: pino({ level: 'silent' }) },
      async (started) => {
        started();
        return result;
      },
    );
    expect(returned).toBe(result);
    const request = hook.requests[0]!;
    const summary = new Webhook(secret).verify(request.body, {
      'webhook-id': String(request.headers['webhook-id']),
      'webhook-timestamp': String(request.headers['webhook-timestamp']),
      'webhook-signature': String(request.headers['webhook-signature']),
    }) as { data: Record<string, unknown> };
    expect(summary.data).toMatchObject({ job: 'weekly', status: 'done', deliveries, manifest_sha256: null });
  });
});
