// Webhooks and heartbeats against real HTTP receivers on loopback, through the built CLI.
import { afterEach, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { DOMAIN_ID, runCli, tempDir, writeFile } from '../helpers.js';
import { answering, startReceiver, type Receiver, type Received } from './receiver.js';

const receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function receiver(answer: Parameters<typeof startReceiver>[0]): Promise<Receiver> {
  const started = await startReceiver(answer);
  receivers.push(started);
  return started;
}

function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** A job whose roster has `rows` (one bad row among them when `bad`), reporting as `extra` says. */
function project(extra: string, { bad = false } = {}): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'jobs'));
  writeFile(dir, 'roster.csv', `room,name\ndemo,Ada\ndemo,Grace\n${bad ? 'bad room!,Eve\n' : ''}`);
  writeFile(dir, join('jobs', 'weekly.yaml'), `roster: ../roster.csv\nout: ../out\ndomain_id: ${DOMAIN_ID}\n${extra}`);
  return dir;
}

function headers(request: Received): Record<string, string> {
  return Object.fromEntries(['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((h) => [h, String(request.headers[h])]));
}

function manifestOf(stdout: string): string {
  return /-> (\S+\.manifest\.json)/.exec(stdout)![1]!;
}

describe('notify: webhooks', { timeout: 60_000 }, () => {
  it('posts a summary signed as Standard Webhooks verifies it, credentials of the URL as Basic authorization, no secret anywhere', async () => {
    const hook = await receiver(answering(204));
    const secret = newSecret();
    const password = 'hook-password-0123456789';
    const token = 'query-token-abcdefghijklmnop';
    const url = `${hook.base.replace('//', `//hookuser:${password}@`)}/hooks/in?token=${token}`;
    const dir = project(`notify:\n  - url: ${url}\n    secret_env: TOKENS_HOOK_SECRET\n`);
    const { code, stdout, stderr } = await runCli(['run', 'weekly', '--jobs', join(dir, 'jobs')], {
      cwd: dir,
      env: { TOKENS_HOOK_SECRET: secret },
      secrets: [password, token],
    });
    expect(code).toBe(0);
    expect(hook.requests).toHaveLength(1);
    const [request] = hook.requests as [Received];
    expect(request.method).toBe('POST');
    expect(request.url).toBe(`/hooks/in?token=${token}`);
    expect(request.headers['authorization']).toBe(`Basic ${Buffer.from(`hookuser:${password}`).toString('base64')}`);
    expect(request.headers['content-type']).toBe('application/json');
    const summary = new Webhook(secret).verify(request.body, headers(request)) as { type: string; data: Record<string, unknown> };
    // The same body under another secret does not verify: the check above can fail.
    expect(() => new Webhook(newSecret()).verify(request.body, headers(request))).toThrow();
    const manifestPath = manifestOf(stdout);
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
    expect(summary.type).toBe('run.done');
    expect(summary.data).toMatchObject({
      job: 'weekly',
      run_id: manifest['run_id'],
      slot: null,
      status: 'done',
      exit_code: 0,
      rows_read: 2,
      tokens_written: 2,
      rows_rejected: 0,
      duplicate_rows: 0,
      exp_min: manifest['exp_min'],
      exp_max: manifest['exp_max'],
      manifest_sha256: createHash('sha256').update(readFileSync(manifestPath)).digest('hex'),
      deliveries: null,
      error: null,
    });
    expect((summary.data['files'] as Record<string, { name: string } | null>)['tokens']?.name).toBe(
      manifestPath.split('/').pop()!.replace('.manifest.json', '.csv'),
    );
    expect(stderr).toContain(`notification delivered to webhook 1 (${hook.base})`);
    for (const secretText of [secret, password, token]) expect(request.body).not.toContain(secretText);
  });

  it('a receiver that fails three times, then answers, gets one delivery: four attempts of one message id, recorded once as delivered', async () => {
    const hook = await receiver((_request, index, res) => res.writeHead(index < 3 ? 503 : 200).end());
    const secret = newSecret();
    const dir = project(`notify:\n  - url: ${hook.base}/flaky\n    secret_env: FLAKY_SECRET\n`);
    const { code, stderr } = await runCli(['run', 'weekly', '--jobs', join(dir, 'jobs')], { cwd: dir, env: { FLAKY_SECRET: secret } });
    expect(code).toBe(0);
    expect(hook.requests).toHaveLength(4);
    expect(new Set(hook.requests.map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(new Set(hook.requests.map((r) => r.body)).size).toBe(1);
    for (const request of hook.requests) new Webhook(secret).verify(request.body, headers(request));
    const lines = stderr.split('\n').filter((l) => l.includes('"webhook"'));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 30,
      attempts: 4,
      status: 200,
      webhookId: hook.requests[0]!.headers['webhook-id'],
    });
  });

  it('a receiver that never answers times out; the run finishes with its own exit code, the failure in one line', async () => {
    const silent = await receiver(() => undefined);
    const dir = project(`notify:\n  - url: ${silent.base}/never\n    secret_env: SILENT_SECRET\nheartbeat: ${silent.base}/ping\n`, {
      bad: true,
    });
    const started = Date.now();
    const { code, stdout, stderr } = await runCli(['run', 'weekly', '--jobs', join(dir, 'jobs'), '--max-reject-ratio', '0'], {
      cwd: dir,
      env: { SILENT_SECRET: newSecret(), MEETING_TOKENS_NOTIFY_TIMEOUT_MS: '400', MEETING_TOKENS_NOTIFY_DEADLINE_MS: '2500' },
    });
    expect(code).toBe(3); // too many rejects: the run's own outcome, not the notification's
    expect(stdout).toBe('');
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    const failed = stderr.split('\n').filter((l) => l.includes('notification to webhook 1'));
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatch(/failed after \d attempts: no answer within \d+ ms"/);
    expect(stderr).toMatch(/heartbeat \/3 ping \(http:\/\/127\.0\.0\.1:\d+\) failed: no answer within 400 ms/);
    expect(stderr).toMatch(/heartbeat \/start ping \(http:\/\/127\.0\.0\.1:\d+\) failed: no answer within 400 ms/);
    expect(silent.requests.filter((r) => r.url === '/never').length).toBeGreaterThanOrEqual(1);
  });

  it('a failed batch is posted as run.failed with its exit code, counts and error', async () => {
    const hook = await receiver(answering(200));
    const secret = newSecret();
    const dir = project(`notify:\n  - url: ${hook.base}/\n    secret_file: ../hook.secret\n`, { bad: true });
    writeFile(dir, 'hook.secret', `${secret}\n`);
    const { code } = await runCli(['run', 'weekly', '--jobs', join(dir, 'jobs'), '--max-reject-ratio', '0'], {
      cwd: dir,
      secrets: [secret],
    });
    expect(code).toBe(3);
    const summary = new Webhook(secret).verify(hook.requests[0]!.body, headers(hook.requests[0]!)) as {
      type: string;
      data: Record<string, unknown>;
    };
    expect(summary.type).toBe('run.failed');
    expect(summary.data).toMatchObject({ status: 'failed', exit_code: 3, rows_read: 3, rows_rejected: 1, files: { tokens: null } });
    expect(summary.data['error']).toMatchObject({ code: 'TOO_MANY_REJECTS' });
  });
});

describe('heartbeat', { timeout: 60_000 }, () => {
  it('pings /start, then the URL on success; /start, then /<exit code> on failure, in that order', async () => {
    const hc = await receiver(answering(200));
    const dir = project(`heartbeat: ${hc.base}/ping/5c1d2a40-uuid?source=tokens\n`);
    expect((await runCli(['run', 'weekly', '--jobs', join(dir, 'jobs')], { cwd: dir })).code).toBe(0);
    expect(hc.requests.map((r) => r.url)).toEqual(['/ping/5c1d2a40-uuid/start?source=tokens', '/ping/5c1d2a40-uuid?source=tokens']);

    hc.requests.length = 0;
    writeFile(dir, 'roster.csv', 'room,name\ndemo,Ada\nbad room!,Eve\n');
    expect((await runCli(['run', 'weekly', '--jobs', join(dir, 'jobs'), '--max-reject-ratio', '0'], { cwd: dir })).code).toBe(3);
    expect(hc.requests.map((r) => r.url)).toEqual(['/ping/5c1d2a40-uuid/start?source=tokens', '/ping/5c1d2a40-uuid/3?source=tokens']);
    expect(JSON.parse(hc.requests[1]!.body)).toMatchObject({ type: 'run.failed', data: { exit_code: 3 } });

    hc.requests.length = 0;
    writeFile(dir, 'roster.csv', 'room,name\n"demo,Ada\n'); // a quote never closed: exit 1, nothing published
    expect((await runCli(['run', 'weekly', '--jobs', join(dir, 'jobs')], { cwd: dir })).code).toBe(1);
    expect(hc.requests.map((r) => r.url)).toEqual(['/ping/5c1d2a40-uuid/start?source=tokens', '/ping/5c1d2a40-uuid/1?source=tokens']);
  });

  it('a heartbeat that refuses connections is a warning; the run is done', async () => {
    const gone = await receiver(answering(200));
    const base = gone.base;
    await gone.close();
    receivers.pop();
    const dir = project(`heartbeat: ${base}/ping/x\n`);
    const { code, stderr } = await runCli(['run', 'weekly', '--jobs', join(dir, 'jobs')], { cwd: dir });
    expect(code).toBe(0);
    expect(stderr).toContain(`heartbeat /start ping (${base}) failed: cannot connect (ECONNREFUSED)`);
    expect(stderr).toContain(`heartbeat success ping (${base}) failed: cannot connect (ECONNREFUSED)`);
  });
});

describe('notify: secrets at start', () => {
  const run = (dir: string, env: Record<string, string | undefined> = {}) =>
    runCli(['run', 'weekly', '--jobs', join(dir, 'jobs')], { cwd: dir, env });

  it('a missing or malformed secret stops the run at start (exit 2), one line that never shows it', async () => {
    const dir = project('notify:\n  - url: https://hooks.example.com/in\n    secret_env: MISSING_SECRET\n');
    const missing = await run(dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain('notify.0: secret_env: neither MISSING_SECRET nor MISSING_SECRET_FILE is set');

    const weak = 'whsec_c2hvcnQtc2VjcmV0LWJ5dGVz'; // 18 bytes: too short for the convention's 24
    const malformed = await runCli(['run', 'weekly', '--jobs', join(dir, 'jobs')], {
      cwd: dir,
      env: { MISSING_SECRET: weak },
      secrets: [weak],
    });
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('the secret in MISSING_SECRET is not a Standard Webhooks secret');
    expect(existsOut(dir)).toBe(false);
  });

  it('a bad notify entry or heartbeat URL is a configuration error naming the key, not the URL', async () => {
    const secretUrl = 'ftp://user:ftp-password-0123456789@example.com/in';
    const dir = project(`notify:\n  - url: ${secretUrl}\n    secret_env: A\n    secret_file: b\n    retries: 3\nheartbeat: not a url\n`);
    const { code, stderr } = await runCli(['run', 'weekly', '--jobs', join(dir, 'jobs')], {
      cwd: dir,
      secrets: ['ftp-password-0123456789'],
    });
    expect(code).toBe(2);
    expect(stderr).toContain('notify.0.url: must be an absolute http:// or https:// URL');
    expect(stderr).toContain('notify.0.retries: unknown key');
    expect(stderr).toContain('heartbeat: must be an absolute http:// or https:// URL');
  });
});

function existsOut(dir: string): boolean {
  try {
    return readFileSync(join(dir, 'out')) !== undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}
