import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { DOMAIN_ID, runCli, spawnCli, tempDir } from '../helpers.js';

function project(): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'jobs'));
  writeFileSync(join(dir, 'roster.csv'), 'room\ndemo\n');
  const job = `roster: ../roster.csv\nout: ../out\ndomain_id: ${DOMAIN_ID}\n`;
  writeFileSync(join(dir, 'jobs', 'weekly.yaml'), `${job}schedule: "0 7 * * mon"\n`);
  writeFileSync(join(dir, 'jobs', 'manual.yaml'), job);
  return dir;
}

async function status(dir: string): Promise<string> {
  const result = await runCli(['status'], { cwd: dir });
  expect(result.code).toBe(0);
  return result.stdout;
}

const heartbeatName = (pid: number): string => `scheduler-${hostname()}-${pid}.heartbeat.json`;

async function until(check: () => boolean): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > 30_000) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('meeting-tokens status', () => {
  it('keeps its table intact when a job file is invalid: a short status cell, the problem below the table', async () => {
    const dir = project();
    writeFileSync(join(dir, 'jobs', 'broken.yaml'), 'roster: ../roster.csv\nout: ../out\nsched: "0 7 * * mon"\n');
    const lines = (await status(dir)).split('\n');
    const header = lines[0]!;
    expect(header.indexOf('TOKENS') - header.indexOf('STATUS')).toBe('invalid job file'.length + 2);
    expect(lines[1]).toMatch(/^broken\s+-\s+-\s+never\s+invalid job file\s+-\s+-\s+-$/);
    for (const line of lines.slice(1, 4)) expect(line.indexOf('never')).toBe(header.indexOf('LAST RUN'));
    expect(lines).toContain('invalid job files (run and schedule refuse them):');
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}.*broken\.yaml: sched: unknown key \(did you mean schedule\?\)$/));
  });

  it('without a scheduler: no next run, and says none is running', async () => {
    const dir = project();
    const out = await status(dir);
    expect(out).toMatch(/^weekly\s+0 7 \* \* mon \(UTC\)\s+none: no scheduler running\s+never/m);
    expect(out).toContain(`scheduler: not running for these jobs (no heartbeat in ${join(dir, 'state')});`);
  });

  it('with a scheduler for these jobs: running, its pid, the next run; after it stops, not running again', async () => {
    const dir = project();
    const daemon = spawnCli(dir, ['schedule', '--log-level', 'warn']);
    const beat = join(dir, 'state', heartbeatName(daemon.child.pid!));
    await until(() => existsSync(beat));
    const out = await status(dir);
    expect(out).toMatch(/^weekly\s+0 7 \* \* mon \(UTC\)\s+\d{4}-\d\d-\d\dT07:00:00Z \(\d{4}-\d\d-\d\d 07:00 local\)\s+never/m);
    expect(out).toMatch(
      new RegExp(`^scheduler: running \\(pid ${daemon.child.pid} on ${hostname()}, since .*Z, last heartbeat \\d+ s ago\\)$`, 'm'),
    );
    expect(JSON.parse(readFileSync(beat, 'utf8'))).toMatchObject({ jobs_dir: join(dir, 'jobs'), jobs: { weekly: '0 7 * * mon (UTC)' } });
    const json = JSON.parse((await runCli(['status', '--json'], { cwd: dir })).stdout) as Record<string, unknown>;
    expect(json).toMatchObject({
      scheduler: { running: true, pid: daemon.child.pid, host: hostname() },
      jobs: expect.arrayContaining([expect.objectContaining({ job: 'weekly', next_run: expect.stringMatching(/T07:00:00\.000Z$/) })]),
    });
    daemon.child.kill('SIGTERM');
    expect(await daemon.exit).toBe(0);
    expect(readdirSync(join(dir, 'state'))).toEqual([]);
    expect(await status(dir)).toContain('scheduler: not running for these jobs');
  }, 60_000);

  it('a heartbeat left by a scheduler that died: not running, with when it was last seen', async () => {
    const dir = project();
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    mkdirSync(join(dir, 'state'));
    const beat = { pid: dead, host: hostname(), started_at: new Date().toISOString(), updated_at: new Date().toISOString() };
    writeFileSync(
      join(dir, 'state', heartbeatName(dead)),
      JSON.stringify({ ...beat, interval_s: 20, jobs_dir: join(dir, 'jobs'), jobs: { weekly: '0 7 * * mon (UTC)' } }),
    );
    const out = await status(dir);
    expect(out).toMatch(/none: no scheduler running/);
    expect(out).toMatch(
      new RegExp(`scheduler: not running for these jobs \\(its last heartbeat, from pid ${dead} on ${hostname()}, is \\d+ s ago\\)`),
    );
  });

  it('a symlink planted at the heartbeat name is replaced, never written through; status never reads through one', async () => {
    const dir = project();
    const victim = join(tempDir(), 'victim');
    writeFileSync(victim, 'precious');
    mkdirSync(join(dir, 'state'));
    const daemon = spawnCli(dir, ['schedule', '--log-level', 'warn']);
    const beat = join(dir, 'state', heartbeatName(daemon.child.pid!));
    symlinkSync(victim, beat); // before the scheduler has even loaded its modules
    await until(() => !lstatSync(beat, { throwIfNoEntry: false })?.isSymbolicLink());
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(lstatSync(beat).isFile()).toBe(true);
    daemon.child.kill('SIGTERM');
    expect(await daemon.exit).toBe(0);

    // A live-looking heartbeat reached through a symlink does not count.
    const forged = join(tempDir(), 'forged.json');
    const now = new Date().toISOString();
    writeFileSync(
      forged,
      JSON.stringify({
        pid: process.pid,
        host: hostname(),
        started_at: now,
        updated_at: now,
        interval_s: 20,
        jobs_dir: join(dir, 'jobs'),
        jobs: {},
      }),
    );
    symlinkSync(forged, join(dir, 'state', heartbeatName(process.pid)));
    expect(await status(dir)).toContain('scheduler: not running for these jobs');
  }, 60_000);
});
