// --pushgateway against a real Prometheus Pushgateway (Debian's prometheus-pushgateway, which
// .ci/run installs), started on a free loopback port with a fresh persistence file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DOMAIN_ID, freePort, runCli, tempDir, writeFile } from '../helpers.js';

let gateway: ChildProcess;
let base: string;

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  // Debian's build persists to /var/lib/prometheus by default: a file of the test's own instead.
  const persistence = join(tempDir(), 'pushgateway.data');
  gateway = spawn('prometheus-pushgateway', [`--web.listen-address=127.0.0.1:${port}`, `--persistence.file=${persistence}`], {
    stdio: 'ignore',
  });
  for (let tries = 0; ; tries++) {
    const ready = await fetch(`${base}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (tries > 200) throw new Error('the Pushgateway did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
}, 30_000);

afterAll(async () => {
  gateway.kill('SIGTERM');
  await once(gateway, 'close');
});

/** The Pushgateway's own view: each sample line of group job=`job`, by metric name. */
async function group(job: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^(meeting_tokens_\w+)\{(.*)\} (\S+)$/.exec(line);
    if (match && match[2]!.includes(`job="${job}"`)) samples.set(match[1]!, Number(match[3]));
  }
  return samples;
}

function project(roster: string): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'jobs'));
  writeFile(dir, 'roster.csv', roster);
  writeFile(dir, join('jobs', 'nightly.yaml'), `roster: ../roster.csv\nout: ../out\ndomain_id: ${DOMAIN_ID}\n`);
  return dir;
}

describe('--pushgateway', { timeout: 60_000 }, () => {
  it("pushes a run's metrics grouped by job; a failed run after it keeps the last success's time (pushAdd)", async () => {
    const dir = project('room,name\ndemo,Ada\ndemo,Grace\n');
    const password = 'gateway-password-0123456789';
    const withCredentials = base.replace('//', `//metrics:${password}@`);
    const done = await runCli(['run', 'nightly', '--jobs', join(dir, 'jobs'), '--pushgateway', withCredentials], {
      cwd: dir,
      secrets: [password],
    });
    expect(done.code).toBe(0);
    expect(done.stderr).toContain(`"pushgateway":"${base}"`);
    const first = await group('nightly');
    expect(first.get('meeting_tokens_last_run_exit_code')).toBe(0);
    expect(first.get('meeting_tokens_last_run_tokens_written')).toBe(2);
    expect(first.get('meeting_tokens_last_run_rows_read')).toBe(2);
    const success = first.get('meeting_tokens_last_success_timestamp_seconds')!;
    expect(success).toBeGreaterThan(Date.now() / 1000 - 600);
    expect(first.has('meeting_tokens_last_failure_timestamp_seconds')).toBe(false);

    writeFile(dir, 'roster.csv', 'room,name\ndemo,Ada\nbad room!,Eve\n');
    const failed = await runCli(['run', 'nightly', '--jobs', join(dir, 'jobs'), '--max-reject-ratio', '0'], {
      cwd: dir,
      env: { MEETING_TOKENS_PUSHGATEWAY: base },
    });
    expect(failed.code).toBe(3);
    const second = await group('nightly');
    expect(second.get('meeting_tokens_last_run_exit_code')).toBe(3);
    expect(second.get('meeting_tokens_last_run_rows_rejected')).toBe(1);
    expect(second.get('meeting_tokens_last_failure_timestamp_seconds')).toBeGreaterThanOrEqual(success);
    expect(second.get('meeting_tokens_last_success_timestamp_seconds')).toBe(success);
  });

  it('a Pushgateway that cannot be reached is one warning; the run keeps its exit code', async () => {
    const dir = project('room,name\ndemo,Ada\n');
    const closed = `http://127.0.0.1:${await freePort()}`;
    const { code, stderr } = await runCli(['run', 'nightly', '--jobs', join(dir, 'jobs'), '--pushgateway', closed], { cwd: dir });
    expect(code).toBe(0);
    expect(stderr).toContain(`metrics not pushed to the Pushgateway (${closed}): cannot connect (ECONNREFUSED)`);
  });

  it('a --pushgateway that is not an http(s) URL is a usage error', async () => {
    const dir = project('room,name\ndemo,Ada\n');
    const { code, stderr } = await runCli(['run', 'nightly', '--jobs', join(dir, 'jobs'), '--pushgateway', 'pushgateway:9091'], {
      cwd: dir,
    });
    expect(code).toBe(2);
    expect(stderr).toContain('--pushgateway: must be an absolute http:// or https:// URL');
  });
});
