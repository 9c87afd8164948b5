import { describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { CLI, KEY, DOMAIN_ID, runCli, tempDir, keyLeak } from '../helpers.js';
import { startFakeDaily } from '../daily/fake-daily.js';

interface Daemon {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

function startDaemon(dir: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}): Daemon {
  const child = spawn(process.execPath, [CLI, 'schedule', ...extra], { cwd: dir, env: { ...process.env, DAILY_API_KEY: KEY, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = once(child, 'close').then(([code]) => {
    // Every scheduler run in these tests is also a secrets check.
    const leak = keyLeak(
      KEY,
      [
        ['stdout', stdout],
        ['stderr', stderr],
      ],
      [dir],
    );
    if (leak) throw new Error(`the API key leaked: ${leak}`);
    return code as number | null;
  });
  return { child, stdout: () => stdout, stderr: () => stderr, exit };
}

function history(dir: string, job: string): Record<string, unknown>[] {
  const file = join(dir, 'state', `${job}.history.jsonl`);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** The published manifests' job, slot and status, oldest first. */
function manifests(dir: string): { job: string; slot: string | null; status: string }[] {
  if (!existsSync(join(dir, 'out'))) return [];
  return readdirSync(join(dir, 'out'))
    .filter((f) => f.endsWith('.manifest.json'))
    .sort()
    .map((f) => {
      const { job, slot, status } = JSON.parse(readFileSync(join(dir, 'out', f), 'utf8')) as Record<string, string | null>;
      return { job: job!, slot: slot ?? null, status: status! };
    });
}

async function until(check: () => boolean, ms = 45_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

function project(jobs: Record<string, string>, rows = 'room,name\ndemo,Ada\n'): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'jobs'));
  writeFileSync(join(dir, 'roster.csv'), rows);
  for (const [name, extra] of Object.entries(jobs)) {
    writeFileSync(join(dir, 'jobs', `${name}.yaml`), `roster: ../roster.csv\nout: ../out\ndomain_id: ${DOMAIN_ID}\n${extra}`);
  }
  return dir;
}

// Waits are generous: on a loaded machine a daemon's start and first run take many seconds.
describe('meeting-tokens schedule', { timeout: 90_000 }, () => {
  it('runs a job on its schedule, one history line per slot, keeps `keep` outputs, and stops cleanly on SIGTERM', async () => {
    const dir = project({ fast: 'schedule: "* * * * * *"\nkeep: 2\n', manual: '' });
    const daemon = startDaemon(dir);
    await until(() => history(dir, 'fast').length >= 3);
    daemon.child.kill('SIGTERM');
    expect(await daemon.exit).toBe(0);
    const runs = history(dir, 'fast');
    expect(runs.every((r) => r['status'] === 'done')).toBe(true);
    const slots = runs.map((r) => r['slot'] as string);
    expect(new Set(slots).size).toBe(slots.length); // never twice for one slot
    for (const slot of slots) expect(slot).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    // Retention: only the newest two batches remain, and they are the last two runs'.
    const manifests = readdirSync(join(dir, 'out')).filter((f) => f.endsWith('.manifest.json'));
    expect(manifests.sort()).toEqual(
      runs
        .slice(-2)
        .map((r) => (r['outputs'] as string[])[2])
        .sort(),
    );
    expect(history(dir, 'manual')).toEqual([]);
    expect(daemon.stderr()).toContain('manual-only job (no schedule)');
    expect(daemon.stderr()).toContain('"msg":"scheduler stopped"');
  });

  it('serves Prometheus metrics and /healthz on 127.0.0.1', async () => {
    const dir = project({ fast: 'schedule: "* * * * * *"\n' }, 'room,id\ndemo,u-1\ndemo,u-1\n'); // one repeated pair a run
    const daemon = startDaemon(dir, ['--metrics-port', '0']);
    await until(() => history(dir, 'fast').length >= 1 && daemon.stderr().includes('metrics on /metrics'));
    const line = daemon
      .stderr()
      .split('\n')
      .find((l) => l.includes('metrics on /metrics'))!;
    const { address } = JSON.parse(line) as { address: { address: string; port: number } };
    expect(address.address).toBe('127.0.0.1');
    const base = `http://127.0.0.1:${address.port}`;
    expect(await (await fetch(`${base}/healthz`)).text()).toBe('ok\n');
    await until(() => history(dir, 'fast').length >= 2);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    daemon.child.kill('SIGTERM');
    expect(await daemon.exit).toBe(0);
    expect(metrics).toMatch(/^meeting_tokens_runs_total\{job="fast",status="done"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^meeting_tokens_tokens_written_total\{job="fast"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^meeting_tokens_rows_rejected_total\{job="fast"\} 0$/m);
    expect(metrics).toMatch(/^meeting_tokens_duplicate_rows_total\{job="fast"\} [1-9]\d*$/m);
    const finished = daemon
      .stderr()
      .split('\n')
      .find((l) => l.includes('"msg":"run finished"') && l.includes('"slot"'));
    expect(JSON.parse(finished!)).toMatchObject({ job: 'fast', tokens: 2, duplicates: 1 });
    expect(metrics).toMatch(/^meeting_tokens_last_success_timestamp_seconds\{job="fast"\} \d+/m);
    expect(metrics).toMatch(/^meeting_tokens_run_duration_seconds_count\{job="fast"\} [1-9]/m);
  });

  it('refuses to start when any job file is invalid, one line per problem', async () => {
    const dir = project({
      good: 'schedule: "0 9 * * *"\n',
      badcron: 'schedule: "61 * * * *"\n',
      badzone: 'schedule: "0 9 * * *"\ntimezone: Mars/Olympus\n',
    });
    // Output into the roster's own directory: caught at start, not when the slot comes.
    writeFileSync(join(dir, 'jobs', 'inroster.yaml'), `roster: ../roster.csv\nout: ..\ndomain_id: ${DOMAIN_ID}\nschedule: "0 9 * * *"\n`);
    writeFileSync(join(dir, 'jobs', 'rosterdir.yaml'), `roster: ../jobs\nout: ../out\ndomain_id: ${DOMAIN_ID}\nschedule: "0 9 * * *"\n`);
    const result = await runCli(['schedule'], { cwd: dir });
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/badcron\.yaml: schedule: "61 \* \* \* \*" is not a valid cron schedule \(minute: /);
    expect(lines[1]).toMatch(/badzone\.yaml: timezone: "Mars\/Olympus" is not an IANA time zone/);
    expect(lines[2]).toMatch(
      /inroster\.yaml: out: .* holds the roster roster\.csv: published files and retention could replace or delete it/,
    );
    expect(lines[3]).toMatch(/rosterdir\.yaml: roster: .*\/jobs is a directory, not a CSV file$/);
  });

  it('catches up a slot missed while it was down, once; not with catch_up: false; not for a job that never ran', async () => {
    const dir = project({
      monthly: 'schedule: "0 0 1 * *"\n',
      nocatch: 'schedule: "0 0 1 * *"\ncatch_up: false\n',
      fresh: 'schedule: "0 0 1 * *"\n',
    });
    mkdirSync(join(dir, 'state'));
    // Last run three months ago: the slots of the two months after it were missed.
    const then = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() - 3, 1));
    const old = { slot: then.toISOString(), start: then.toISOString(), end: then.toISOString(), status: 'done' };
    writeFileSync(join(dir, 'state', 'monthly.history.jsonl'), JSON.stringify({ job: 'monthly', ...old }) + '\n');
    writeFileSync(join(dir, 'state', 'nocatch.history.jsonl'), JSON.stringify({ job: 'nocatch', ...old }) + '\n');
    const daemon = startDaemon(dir);
    await until(() => history(dir, 'monthly').length >= 2);
    await until(() => daemon.stderr().includes('"msg":"scheduler started"'));
    daemon.child.kill('SIGTERM');
    expect(await daemon.exit).toBe(0); // a stop waits for every run begun, so the counts below are final
    // The latest missed slot only (the 1st of this month), not one per missed month.
    const latest = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1)).toISOString();
    expect(history(dir, 'monthly')).toHaveLength(2);
    expect(history(dir, 'monthly')[1]).toMatchObject({ slot: latest, status: 'done' });
    expect(manifests(dir)).toEqual([{ job: 'monthly', slot: latest, status: 'done' }]);
    expect(daemon.stderr().match(/"msg":"catching up a slot missed while the daemon was down"/g)).toHaveLength(1);
    expect(history(dir, 'nocatch')).toHaveLength(1);
    expect(history(dir, 'fresh')).toEqual([]);
  });

  it('a slot published but missing from the history (kill -9 between manifest and history line) is not caught up again', async () => {
    const dir = project({ monthly: 'schedule: "0 0 1 * *"\n' });
    mkdirSync(join(dir, 'state'));
    const then = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() - 3, 1)).toISOString();
    const old = JSON.stringify({ job: 'monthly', slot: then, start: then, end: then, status: 'done' }) + '\n';
    writeFileSync(join(dir, 'state', 'monthly.history.jsonl'), old);
    const first = startDaemon(dir);
    await until(() => history(dir, 'monthly').length >= 2);
    first.child.kill('SIGTERM');
    expect(await first.exit).toBe(0);
    expect(manifests(dir)).toHaveLength(1);
    // The state a kill -9 leaves after the manifest and before the history line: the batch is
    // published, the history does not know.
    writeFileSync(join(dir, 'state', 'monthly.history.jsonl'), old);
    const second = startDaemon(dir);
    await until(() => second.stderr().includes('"msg":"scheduler started"'));
    second.child.kill('SIGTERM');
    expect(await second.exit).toBe(0);
    expect(manifests(dir)).toHaveLength(1);
    expect(history(dir, 'monthly')).toHaveLength(1);
    expect(second.stderr()).not.toContain('catching up');
  });

  it('logs only pino JSON lines, also when node-cron blocks an overlapping slot; nothing on stdout', async () => {
    // Each run waits 2.5 s for a slow Daily (the domain lookup) with an idle event loop, so the
    // next second's slot always finds it running, however loaded the machine is.
    const daily = await startFakeDaily(KEY, DOMAIN_ID, 'acme');
    daily.delayMs = 2_500;
    try {
      const dir = project({});
      writeFileSync(join(dir, 'jobs', 'slow.yaml'), 'roster: ../roster.csv\nout: ../out\nschedule: "* * * * * *"\n');
      const daemon = startDaemon(dir, [], { DAILY_API_URL: daily.url });
      await until(() => daemon.stderr().includes('slot skipped: the previous run is still going'));
      daemon.child.kill('SIGTERM');
      expect(await daemon.exit).toBe(0);
      expect(daily.requests.length).toBeGreaterThan(0);
      expect(daemon.stdout()).toBe('');
      const lines = daemon.stderr().trimEnd().split('\n');
      for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
      expect(daemon.stderr()).not.toContain('NODE-CRON');
    } finally {
      await daily.close();
    }
  });

  it('SIGTERM with a run in progress: aborted after the grace period, nothing published, lock released, exit 0', async () => {
    const dir = project({ big: 'schedule: "* * * * * *"\n' }, '');
    const out = createWriteStream(join(dir, 'roster.csv'));
    out.write('email,room,name\n');
    for (let i = 0; i < 400_000; i++) if (!out.write(`user${i}@example.com,room-${i % 100},Name ${i}\n`)) await once(out, 'drain');
    out.end();
    await once(out, 'finish');
    const daemon = startDaemon(dir, ['--grace', '0']);
    await until(() => existsSync(join(dir, 'out')) && readdirSync(join(dir, 'out')).some((f) => f.endsWith('.tmp')));
    daemon.child.kill('SIGTERM');
    expect(await daemon.exit).toBe(0);
    expect(readdirSync(join(dir, 'out'))).toEqual([]);
    expect(history(dir, 'big')).toMatchObject([{ status: 'aborted', error: { code: 'ABORTED' } }]);
    expect(existsSync(join(dir, 'state', 'big.lock'))).toBe(false);
  }, 60_000);
});
