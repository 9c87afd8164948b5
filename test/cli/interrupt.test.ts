import { describe, expect, it } from 'vitest';
import { createWriteStream, readdirSync, existsSync, readFileSync, renameSync, mkdirSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { CLI, DOMAIN_ID, KEY, NOW, keyLeak, tempDir, spawnCli, type SpawnedCli } from '../helpers.js';
import { spawnSync } from 'node:child_process';

async function bigRoster(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('email,room,name,id,owner\n');
  for (let i = 0; i < rows; i++) {
    if (!out.write(`user${i}@example.com,room-${i % 100},"Name ${i}, Jr.",id-${i},${i % 50 === 0 ? 'yes' : 'no'}\n`))
      await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

type Child = SpawnedCli;
const start = spawnCli;

/** Waits until the run is writing: a temporary file exists in `out`. */
async function untilWriting(out: string, run: Child): Promise<void> {
  const started = Date.now();
  while (!(existsSync(out) && readdirSync(out).some((f) => f.endsWith('.tmp')))) {
    if (Date.now() - started > 30_000) throw new Error('the run never started writing');
    if (run.child.exitCode !== null) throw new Error(`the run ended before it could be interrupted: ${run.stderr()}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function history(dir: string, job: string): unknown[] {
  return readFileSync(join(dir, 'state', `${job}.history.jsonl`), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as unknown);
}

async function startRun(dir: string, extra: string[] = []): Promise<{ run: Child; out: string }> {
  await bigRoster(join(dir, 'roster.csv'), 400_000);
  const out = join(dir, 'out');
  const run = start(dir, [
    'run',
    '--roster',
    join(dir, 'roster.csv'),
    '--out',
    out,
    '--domain-id',
    DOMAIN_ID,
    '--now',
    NOW,
    '--allow-expired',
    '--log-level',
    'silent',
    ...extra,
  ]);
  await untilWriting(out, run);
  return { run, out };
}

describe('interrupted run', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)(
    '%s mid-run: exit %i, one line, nothing published, no temporary file left, lock released, history says aborted',
    async (signal, exitCode) => {
      const dir = tempDir();
      const { run, out } = await startRun(dir);
      run.child.kill(signal);
      expect(await run.exit).toBe(exitCode);
      expect(run.stderr()).toBe(`meeting-tokens: run aborted (${signal}); nothing was published\n`);
      expect(readdirSync(out)).toEqual([]);
      // The lock is released and the history says the run was aborted.
      expect(readdirSync(join(dir, 'state'))).toEqual(['roster.history.jsonl']);
      expect(history(dir, 'roster')).toMatchObject([{ job: 'roster', status: 'aborted', error: { code: 'ABORTED' } }]);
    },
    60_000,
  );

  it('SIGINT during a run with group_by (rows spilled for grouping): exit 130, nothing published, no temporary file', async () => {
    const dir = tempDir();
    const { run, out } = await startRun(dir, ['--group-by', 'email']);
    // Past the first 16 MiB of signed rows, so the grouping has spilled a run to its file.
    await new Promise((r) => setTimeout(r, 3000));
    run.child.kill('SIGINT');
    expect(await run.exit).toBe(130);
    expect(run.stderr()).toBe('meeting-tokens: run aborted (SIGINT); nothing was published\n');
    expect(readdirSync(out)).toEqual([]);
    expect(readdirSync(join(dir, 'state'))).toEqual(['roster.history.jsonl']);
  }, 60_000);

  it('a second signal during the clean-up does not cut it short', async () => {
    const dir = tempDir();
    const { run, out } = await startRun(dir);
    run.child.kill('SIGINT');
    // Two signals sent at once are one pending signal: let the first be taken before the second.
    await new Promise((r) => setTimeout(r, 2));
    run.child.kill('SIGINT');
    expect(await run.exit).toBe(130);
    expect(readdirSync(out)).toEqual([]);
    expect(readdirSync(join(dir, 'state'))).toEqual(['roster.history.jsonl']);
  }, 60_000);

  it('the output directory renamed mid-run: one line, exit 1, its temporary files removed where it went, lock released', async () => {
    const dir = tempDir();
    const { run, out } = await startRun(dir);
    renameSync(out, join(dir, 'moved'));
    expect(await run.exit).toBe(1);
    expect(run.stderr()).toBe(
      `meeting-tokens: output directory ${out} was renamed, moved or deleted during the run; nothing was published, run again\n`,
    );
    expect(readdirSync(join(dir, 'moved'))).toEqual([]);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(join(dir, 'state'))).toEqual(['roster.history.jsonl']);
    expect(history(dir, 'roster')).toMatchObject([{ status: 'failed', error: { code: 'OUTPUT_DIR' } }]);
  }, 60_000);
});

describe('a run whose terminal closes', () => {
  it('a run whose stdout and stderr readers are gone (EPIPE) still completes: published, recorded, exit 0', async () => {
    const dir = tempDir();
    await bigRoster(join(dir, 'roster.csv'), 2_000);
    const args = ['run', '--roster', 'roster.csv', '--out', 'out', '--domain-id', DOMAIN_ID, '--now', NOW, '--allow-expired'];
    const run = start(dir, args);
    run.child.stdout!.destroy();
    run.child.stderr!.destroy();
    const [code] = (await once(run.child, 'close')) as [number | null];
    expect(code).toBe(0);
    expect(readdirSync(join(dir, 'out')).filter((f) => f.endsWith('.manifest.json'))).toHaveLength(1);
    expect(history(dir, 'roster')).toMatchObject([{ status: 'done' }]);
    expect(existsSync(join(dir, 'state', 'roster.lock'))).toBe(false);
  });

  it('SIGHUP from a real hang-up (its tmux session killed): the clean-up completes though the terminal is gone', async () => {
    const dir = tempDir();
    await bigRoster(join(dir, 'roster.csv'), 400_000);
    const out = join(dir, 'out');
    const socket = `mt-test-${process.pid}-${Date.now()}`; // a private tmux server, whatever else runs
    const command = [
      `DAILY_API_KEY=${KEY}`,
      ...[
        process.execPath,
        CLI,
        'run',
        '--roster',
        join(dir, 'roster.csv'),
        '--out',
        out,
        '--domain-id',
        DOMAIN_ID,
        '--now',
        NOW,
        '--allow-expired',
      ],
    ].join(' ');
    const tmux = (...args: string[]): number | null => spawnSync('tmux', ['-L', socket, ...args], { cwd: dir }).status;
    expect(tmux('new-session', '-d', '-x', '120', '-y', '30', `cd ${dir} && exec env ${command}`)).toBe(0);
    try {
      // Writing, and the progress line is on the terminal.
      const started = Date.now();
      while (!(existsSync(out) && readdirSync(out).some((f) => f.endsWith('.tmp')))) {
        if (Date.now() - started > 30_000) throw new Error('the run never started writing');
        await new Promise((r) => setTimeout(r, 5));
      }
      await new Promise((r) => setTimeout(r, 1500)); // the progress line has been drawn: the clean-up writes to a dead terminal
    } finally {
      tmux('kill-server'); // closes the terminal: the kernel sends SIGHUP
    }
    const started = Date.now();
    while (!existsSync(join(dir, 'state', 'roster.history.jsonl')) || existsSync(join(dir, 'state', 'roster.lock'))) {
      if (Date.now() - started > 30_000) throw new Error('the run left no history line, or kept its lock');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(history(dir, 'roster')).toMatchObject([
      { status: 'aborted', error: { code: 'ABORTED', message: 'run aborted (SIGHUP); nothing was published' } },
    ]);
    expect(readdirSync(out)).toEqual([]);
    expect(keyLeak(KEY, [], [dir])).toBeUndefined();
  }, 60_000);
});

describe('interrupted scheduler', () => {
  it.each(['SIGHUP', 'SIGINT'] as const)(
    '%s with a run in progress: the run is aborted (nothing published, lock released, history), exit 0',
    async (signal) => {
      const dir = tempDir();
      mkdirSync(join(dir, 'jobs'));
      writeFileSync(
        join(dir, 'jobs', 'big.yaml'),
        `roster: ../roster.csv\nout: ../out\ndomain_id: ${DOMAIN_ID}\nschedule: "* * * * * *"\n`,
      );
      await bigRoster(join(dir, 'roster.csv'), 400_000);
      const daemon = start(dir, ['schedule', '--grace', '0', '--log-level', 'warn']);
      await untilWriting(join(dir, 'out'), daemon);
      daemon.child.kill(signal);
      expect(await daemon.exit).toBe(0);
      expect(readdirSync(join(dir, 'out'))).toEqual([]);
      expect(history(dir, 'big')).toMatchObject([{ status: 'aborted', error: { code: 'ABORTED' } }]);
      expect(existsSync(join(dir, 'state', 'big.lock'))).toBe(false);
    },
    60_000,
  );
});
