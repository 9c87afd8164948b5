import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { appendFileSync, createWriteStream, existsSync, readdirSync, truncateSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { CLI, KEY, DOMAIN_ID, tempDir, runCli } from '../helpers.js';

async function bigRoster(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('email,room,name\n');
  for (let i = 0; i < rows; i++) if (!out.write(`user${i}@example.com,room-${i % 100},Name ${i}\n`)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

/** Starts a run and calls `during` once it is writing (a temporary file of its own exists). */
async function runWhile(dir: string, during: (child: ReturnType<typeof spawn>) => void) {
  const out = join(dir, 'out');
  const child = spawn(
    process.execPath,
    [CLI, 'run', '--roster', join(dir, 'roster.csv'), '--out', out, '--domain-id', DOMAIN_ID, '--log-level', 'silent'],
    {
      cwd: dir,
      env: { ...process.env, DAILY_API_KEY: KEY },
    },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const closed = once(child, 'close');
  const start = Date.now();
  // Its own: a killed earlier run's leftovers are there from the start (and this run removes them).
  const own = `.${child.pid}.`;
  while (!(existsSync(out) && readdirSync(out).some((f) => f.includes(own) && f.endsWith('.tmp')))) {
    if (Date.now() - start > 20_000 || child.exitCode !== null) throw new Error(`the run never started writing: ${stderr}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  during(child);
  const [code, signal] = (await closed) as [number | null, string | null];
  return { code, signal, stderr: () => stderr, files: () => readdirSync(out) };
}

describe('the roster changes during a run', () => {
  it.each([
    [
      'still being written (appended to)',
      (path: string) => appendFileSync(path, 'late@example.com,room-1,Late Row\n'),
      /changed \(\d+ bytes at the start, \d+ read, \d+ now\): is it still being written\?/,
    ],
    ['truncated', (path: string) => truncateSync(path, 1000), /changed \(\d+ bytes at the start, \d+ read, 1000 now\)/],
    ['deleted', (path: string) => unlinkSync(path), /was deleted while it was read/],
  ])(
    '%s: exit 1, one line, nothing published',
    async (_name, change, message) => {
      const dir = tempDir();
      const roster = join(dir, 'roster.csv');
      await bigRoster(roster, 300_000);
      const result = await runWhile(dir, () => change(roster));
      expect(result.code).toBe(1);
      expect(result.stderr()).toMatch(message);
      expect(result.stderr().trim().split('\n')).toHaveLength(1);
      expect(result.files()).toEqual([]);
    },
    60_000,
  );
});

describe('kill -9', () => {
  it('at random points of large runs: never a partial set under final names; the next run cleans up and succeeds', async () => {
    const dir = tempDir();
    await bigRoster(join(dir, 'roster.csv'), 300_000);
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 3; round++) {
      const delay = Math.floor(random() * 400);
      const result = await runWhile(dir, (child) => setTimeout(() => child.kill('SIGKILL'), delay));
      expect(result.signal).toBe('SIGKILL');
      // Killed while writing (within 0.4 s of a run of several seconds): nothing under a final name.
      expect(result.files().filter((f) => !f.endsWith('.tmp'))).toEqual([]);
    }
    expect(readdirSync(join(dir, 'out')).some((f) => f.endsWith('.tmp'))).toBe(true); // leftovers of the killed runs
    const next = await runCli(
      ['run', '--roster', join(dir, 'roster.csv'), '--out', join(dir, 'out'), '--domain-id', DOMAIN_ID, '--log-level', 'silent'],
      { cwd: dir },
    );
    expect(next.code).toBe(0);
    expect(readdirSync(join(dir, 'out')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 120_000);

  it('between publishing the tokens and writing the manifest: the next run of the job removes those orphans', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'roster.csv'), 'room,name\ndemo,Ada\n');
    const out = join(dir, 'out');
    const run = (now: string) =>
      runCli(['run', '--roster', join(dir, 'roster.csv'), '--out', out, '--domain-id', DOMAIN_ID, '--now', now, '--log-level', 'warn'], {
        cwd: dir,
      });
    expect((await run('2026-11-20T09:00:00Z')).code).toBe(0);
    // What a kill -9 in that moment leaves: tokens and rejects under final names, no manifest, and
    // (by the next scheduled run) not written to for a while.
    unlinkSync(join(out, 'roster-20261120T090000Z.manifest.json'));
    const old = new Date(Date.now() - 3600_000);
    for (const name of readdirSync(out)) utimesSync(join(out, name), old, old);
    const next = await run('2026-11-27T09:00:00Z');
    expect(next.code).toBe(0);
    expect(JSON.parse(next.stderr.trim())).toMatchObject({
      level: 40,
      removed: ['roster-20261120T090000Z.csv', 'roster-20261120T090000Z.rejects.csv'],
      msg: 'removed outputs of an interrupted run that never wrote its manifest',
    });
    expect(readdirSync(out).sort()).toEqual([
      'roster-20261127T090000Z.csv',
      'roster-20261127T090000Z.manifest.json',
      'roster-20261127T090000Z.rejects.csv',
    ]);
  });
});
