import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { runCli, tempDir, writeFile, CLI, KEY, DOMAIN_ID, NOW } from '../helpers.js';

function project(): { dir: string; run: (extra?: string[]) => string[] } {
  const dir = tempDir();
  mkdirSync(join(dir, 'jobs'));
  writeFile(dir, 'roster.csv', 'room,name\ndemo,Ada\ndemo,Bob\n');
  writeFileSync(join(dir, 'jobs', 'weekly.yaml'), `roster: ../roster.csv\nout: ../out\ndomain_id: ${DOMAIN_ID}\n`);
  writeFileSync(join(dir, 'jobs', 'broken.yaml'), `roster: ../roster.csv\nout: ../out\nttl: soon\n`);
  writeFileSync(join(dir, 'jobs', 'inroster.yaml'), `roster: ../roster.csv\nout: ..\n`);
  writeFileSync(join(dir, 'jobs', 'daily.yaml'), `roster: ../roster.csv\nout: ../out\nschedule: "0 9 * * *"\ntimezone: Europe/Berlin\n`);
  const run = (extra: string[] = []) => [
    'run',
    'weekly',
    '--jobs',
    join(dir, 'jobs'),
    '--state',
    join(dir, 'state'),
    '--log-level',
    'silent',
    ...extra,
  ];
  return { dir, run };
}

describe('job lock and history from the CLI', () => {
  it('a run while the job is running exits 4 and names the holder; nothing is written', async () => {
    const { dir, run } = project();
    mkdirSync(join(dir, 'state'));
    // This test process is alive: its lock is not stale.
    writeFileSync(
      join(dir, 'state', 'weekly.lock'),
      JSON.stringify({ pid: process.pid, host: hostname(), since: '2026-11-27T09:00:00.000Z' }),
    );
    const result = await runCli(run(['--now', NOW]));
    expect(result.code).toBe(4);
    expect(result.stderr).toBe(
      `meeting-tokens: job weekly is already running (pid ${process.pid} on ${hostname()} since 2026-11-27T09:00:00.000Z)\n`,
    );
  });

  it('a lock left by a killed run is recovered, and every run lands in the history and in status', async () => {
    const { dir, run } = project();
    mkdirSync(join(dir, 'state'));
    writeFileSync(
      join(dir, 'state', 'weekly.lock'),
      JSON.stringify({ pid: 999_999_999, host: hostname(), since: '2026-11-27T09:00:00.000Z' }),
    );
    expect((await runCli(run(['--now', NOW]))).code).toBe(0);
    // Signed as of January: every token expired before publication, so the run fails.
    const again = await runCli(run(['--now', '2026-01-01T00:00:00Z']), { expiredCheck: true });
    expect(again.code).toBe(2);
    const history = readFileSync(join(dir, 'state', 'weekly.history.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(history).toMatchObject([
      {
        job: 'weekly',
        slot: null,
        status: 'done',
        rows_read: 2,
        tokens_written: 2,
        rows_rejected: 0,
        outputs: ['weekly-20261127T100000Z.csv', 'weekly-20261127T100000Z.rejects.csv', 'weekly-20261127T100000Z.manifest.json'],
      },
      { job: 'weekly', status: 'failed', error: { code: 'TOKENS_EXPIRED' } },
    ]);

    const status = await runCli(['status', '--jobs', join(dir, 'jobs'), '--state', join(dir, 'state')]);
    expect(status.code).toBe(0);
    const lines = status.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^JOB\s+SCHEDULE\s+NEXT RUN \(UTC\)\s+LAST RUN \(UTC\)\s+STATUS\s+TOKENS\s+REJECTS\s+OUTPUT$/);
    expect(lines[1]).toMatch(/^broken\s+-\s+-\s+never\s+invalid job file\s+-/);
    expect(status.stdout).toMatch(/^ {2}.*broken\.yaml: ttl: must be a duration/m);
    // No scheduler runs for these jobs: no next run is promised.
    expect(lines[2]).toMatch(/^daily\s+0 9 \* \* \* \(Europe\/Berlin\)\s+none: no scheduler running\s+never\s+-/);
    expect(lines[3]).toMatch(/^inroster\s+-\s+-\s+never\s+invalid job file\s+-/);
    expect(status.stdout).toMatch(/^ {2}.*inroster\.yaml: out: .* holds the roster roster\.csv/m);
    expect(lines[4]).toMatch(
      /^weekly\s+manual\s+-\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\s+failed\s+-\s+-\s+every token of this run would expire/,
    );
  });
});

describe('a run that loses its lock', () => {
  it('state directory deleted during a run: a second run starts and publishes; the first publishes nothing, exit 1', async () => {
    const { dir, run } = project();
    const out = createWriteStream(join(dir, 'big.csv'));
    out.write('room,name\n');
    for (let i = 0; i < 300_000; i++) if (!out.write(`room-${i % 100},Name ${i}\n`)) await once(out, 'drain');
    out.end();
    await once(out, 'finish');
    const first = spawn(
      process.execPath,
      [CLI, ...run(['--roster', join(dir, 'big.csv'), '--now', NOW, '--allow-expired', '--workers', '0'])],
      {
        cwd: dir,
        env: { ...process.env, DAILY_API_KEY: KEY },
      },
    );
    let stderr = '';
    first.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const closed = once(first, 'close');
    const start = Date.now();
    const own = `.${first.pid}.`;
    while (!(existsSync(join(dir, 'out')) && readdirSync(join(dir, 'out')).some((f) => f.includes(own)))) {
      if (Date.now() - start > 20_000 || first.exitCode !== null) throw new Error(`the run never started writing: ${stderr}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    rmSync(join(dir, 'state'), { recursive: true });
    const second = await runCli(run(['--now', '2026-11-27T11:00:00Z']));
    expect(second.code).toBe(0);
    const [code] = (await closed) as [number | null];
    expect(stderr.replace(/^\{.*"roster columns: .*\n/, '')).toMatch(
      /^meeting-tokens: lost the job's lock during the run \(.*weekly\.lock (was removed|now belongs to pid \d+ on .*)\); nothing was published\n$/,
    );
    expect(code).toBe(1);
    expect(readdirSync(join(dir, 'out')).sort()).toEqual([
      'weekly-20261127T110000Z.csv',
      'weekly-20261127T110000Z.manifest.json',
      'weekly-20261127T110000Z.rejects.csv',
    ]);
  }, 60_000);
});
