import { describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir, writeFile, DOMAIN_ID } from '../helpers.js';

describe('job files in the jobs directory', () => {
  it('two files for one job (a.yaml beside a.yml): run, schedule and status name both', async () => {
    const dir = tempDir();
    const jobs = join(dir, 'jobs');
    mkdirSync(jobs);
    writeFile(dir, 'r.csv', 'room\ndemo\n');
    const job = `roster: ../r.csv\nout: ../out\ndomain_id: ${DOMAIN_ID}\nschedule: "0 7 * * mon"\n`;
    writeFile(jobs, 'a.yaml', job);
    writeFile(jobs, 'a.yml', job);
    const both = `job a: two files for one job, ${join(jobs, 'a.yaml')} and ${join(jobs, 'a.yml')}; keep one`;

    const run = await runCli(['run', 'a', '--jobs', jobs, '--log-level', 'silent'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`meeting-tokens: ${both}\n`);

    const schedule = await runCli(['schedule', '--jobs', jobs, '--log-level', 'silent'], { cwd: dir });
    expect(schedule.code).toBe(2);
    expect(schedule.stderr).toBe(`meeting-tokens: ${both}\n`);

    const status = await runCli(['status', '--jobs', jobs], { cwd: dir });
    expect(status.code).toBe(0);
    const lines = status.stdout.trim().split('\n');
    // One row for the job (listed once), its problem named below the table.
    expect(lines.filter((line) => /^a /.test(line))).toHaveLength(1);
    expect(lines[1]).toMatch(/^a {2}.* invalid job file /);
    expect(lines).toContain(`  ${both}`);
  });
});
