import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir, writeFile, DOMAIN_ID, NOW } from '../helpers.js';

/** A project: jobs/<name>.yaml signing data/r.csv into out/. */
function project(name = 'acme'): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'jobs'));
  mkdirSync(join(dir, 'data'));
  writeFile(join(dir, 'data'), 'r.csv', 'room\ndemo\n');
  writeFile(join(dir, 'jobs'), `${name}.yaml`, `roster: ../data/r.csv\nout: ../out\ndomain_id: ${DOMAIN_ID}\n`);
  return dir;
}

const quiet = ['--now', NOW, '--log-level', 'silent'];

describe('finding jobs and state: flag, else environment, else ./jobs and ./state', () => {
  it('run <name> looks in $MEETING_TOKENS_JOBS and keeps state in $MEETING_TOKENS_STATE', async () => {
    const dir = project();
    const env = { MEETING_TOKENS_JOBS: join(dir, 'jobs'), MEETING_TOKENS_STATE: join(dir, 'state') };
    const result = await runCli(['run', 'acme', ...quiet], { env, cwd: tempDir() });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(readdirSync(join(dir, 'state'))).toEqual(['acme.history.jsonl']);
    // status reads the same places
    const status = await runCli(['status', '--json'], { env, cwd: tempDir() });
    expect(JSON.parse(status.stdout).jobs[0]).toMatchObject({ job: 'acme', last_run: { status: 'done', tokens_written: 1 } });
  });

  it('--jobs and --state win over the environment', async () => {
    const dir = project();
    const elsewhere = tempDir();
    const env = { MEETING_TOKENS_JOBS: elsewhere, MEETING_TOKENS_STATE: join(elsewhere, 'state') };
    const result = await runCli(['run', 'acme', '--jobs', join(dir, 'jobs'), '--state', join(dir, 'st'), ...quiet], { env });
    expect(result.code).toBe(0);
    expect(existsSync(join(dir, 'st', 'acme.history.jsonl'))).toBe(true);
    expect(existsSync(join(elsewhere, 'state'))).toBe(false);
  });

  it('run path/to/job.yaml (or .yml) runs that file, relative to the working directory', async () => {
    const dir = project('weekly');
    const result = await runCli(['run', 'jobs/weekly.yaml', ...quiet], { cwd: dir });
    expect(result.code).toBe(0);
    writeFile(join(dir, 'jobs'), 'other.yml', `roster: ../data/r.csv\nout: ../out2\ndomain_id: ${DOMAIN_ID}\n`);
    expect((await runCli(['run', join(dir, 'jobs', 'other.yml'), ...quiet])).code).toBe(0);
    expect(readdirSync(join(dir, 'out2'))).toHaveLength(3);
  });

  it('"not found" names the absolute directory it looked in and how to point elsewhere', async () => {
    const dir = project();
    const cwd = tempDir();
    const byName = await runCli(['run', 'acme'], { cwd });
    expect(byName.code).toBe(2);
    expect(byName.stderr).toBe(
      `meeting-tokens: no job "acme" in ${join(cwd, 'jobs')}/ (looked for acme.yaml); ` +
        'give --jobs <dir> or set MEETING_TOKENS_JOBS, or run a job file by its path (ending in .yaml or .yml)\n',
    );
    const byPath = await runCli(['run', 'acme.yaml'], { cwd: dir });
    expect(byPath.code).toBe(2);
    expect(byPath.stderr).toBe(
      `meeting-tokens: job file ${join(dir, 'acme.yaml')} does not exist; ${join(dir, 'jobs', 'acme.yaml')} exists: run it by name, acme\n`,
    );
    const status = await runCli(['status'], { cwd });
    expect(status.stderr).toBe(
      `meeting-tokens: no job files (*.yaml) in ${join(cwd, 'jobs')}/; give --jobs <dir> or set MEETING_TOKENS_JOBS\n`,
    );
    const schedule = await runCli(['schedule'], { cwd, env: { MEETING_TOKENS_JOBS: 'nowhere' } });
    expect(schedule.code).toBe(2);
    expect(schedule.stderr).toBe(
      `meeting-tokens: no job files (*.yaml) in ${join(cwd, 'nowhere')}/; give --jobs <dir> or set MEETING_TOKENS_JOBS\n`,
    );
  });
});
