// The scheduler notifies each scheduled run with its slot, and a slot skipped because the previous
// run was still going as run.skipped (webhooks only: the heartbeat is pinged by runs alone).
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { CLI, DOMAIN_ID, KEY, keyLeak, tempDir, writeFile } from '../helpers.js';
import { startFakeDaily, type FakeDaily } from '../daily/fake-daily.js';
import { answering, startReceiver, type Receiver } from './receiver.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function until(check: () => boolean, ms = 60_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('notifications from the scheduler', { timeout: 90_000 }, () => {
  it('a scheduled run is posted with its slot; an overlapping slot as run.skipped; the heartbeat hears runs only', async () => {
    const hook: Receiver = await startReceiver(answering(200));
    const hc: Receiver = await startReceiver(answering(200));
    // Each run waits 2.5 s for a slow Daily (the domain lookup), so the next second's slot finds it running.
    const daily: FakeDaily = await startFakeDaily(KEY, DOMAIN_ID, 'acme');
    daily.delayMs = 2_500;
    closers.push(hook.close, hc.close, daily.close);
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const dir = tempDir();
    mkdirSync(join(dir, 'jobs'));
    writeFile(dir, 'roster.csv', 'room,name\ndemo,Ada\n');
    writeFile(
      dir,
      join('jobs', 'slow.yaml'),
      `roster: ../roster.csv\nout: ../out\nschedule: "* * * * * *"\nnotify:\n  - url: ${hook.base}/in\n    secret_env: SLOW_SECRET\nheartbeat: ${hc.base}/hb\n`,
    );
    const child = spawn(process.execPath, [CLI, 'schedule'], {
      cwd: dir,
      env: { ...process.env, DAILY_API_KEY: KEY, DAILY_API_URL: daily.url, SLOW_SECRET: secret },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const types = (): string[] => hook.requests.map((r) => (JSON.parse(r.body) as { type: string }).type);
    await until(() => types().includes('run.done') && types().includes('run.skipped')).catch((error: unknown) => {
      child.kill('SIGKILL');
      throw new Error(`${(error as Error).message}: ${types().join(', ')}\n${stderr.slice(-3000)}`);
    });
    child.kill('SIGTERM');
    const [code] = (await once(child, 'close')) as [number | null];
    expect(code).toBe(0);
    expect(keyLeak([KEY, secret, secret.slice(6)], [['stderr', stderr]], [dir])).toBeUndefined();

    const summaries = hook.requests.map(
      (r) =>
        new Webhook(secret).verify(r.body, {
          'webhook-id': String(r.headers['webhook-id']),
          'webhook-timestamp': String(r.headers['webhook-timestamp']),
          'webhook-signature': String(r.headers['webhook-signature']),
        }) as { type: string; data: { slot: string | null; status: string; exit_code: number | null; error: { message: string } | null } },
    );
    const done = summaries.find((s) => s.type === 'run.done')!;
    expect(done.data.slot).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    expect(done.data.exit_code).toBe(0);
    const skipped = summaries.find((s) => s.type === 'run.skipped')!;
    expect(skipped.data).toMatchObject({
      status: 'skipped',
      exit_code: null,
      error: { message: 'slot skipped: the previous run is still going' },
    });
    expect(skipped.data.slot).not.toBe(done.data.slot);
    // Runs only, each /start before its end; no ping for a skipped slot.
    const pings = hc.requests.map((r) => r.url);
    expect(pings[0]).toBe('/hb/start');
    expect(pings.filter((p) => p === '/hb').length).toBe(summaries.filter((s) => s.type === 'run.done').length);
    for (const url of pings) expect(['/hb/start', '/hb']).toContain(url);
  });
});
