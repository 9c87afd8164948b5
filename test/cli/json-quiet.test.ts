import { describe, expect, it } from 'vitest';
import { readFileSync, mkdirSync, writeFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli, tempDir, writeFile, signRoster, DOMAIN_ID, NOW } from '../helpers.js';

const STAMP = '20261127T100000Z';

function adHoc(dir: string, extra: string[] = []): string[] {
  return ['run', '--roster', join(dir, 'roster.csv'), '--out', join(dir, 'out'), '--domain-id', DOMAIN_ID, '--now', NOW, ...extra];
}

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const RESULTS = README.slice(README.indexOf('### Results for scripts'), README.indexOf('The key comes from'));

/** README's "Results for scripts" names every field of `object` (one level down for objects). */
function documented(object: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(object)) {
    expect(RESULTS, key).toContain(`\`${key}\``);
    if (value && typeof value === 'object' && !Array.isArray(value)) documented(value as Record<string, unknown>);
  }
}

/** stdout holds exactly one JSON object on one line. */
function oneObject(stdout: string): Record<string, unknown> {
  expect(stdout.endsWith('\n')).toBe(true);
  expect(stdout.trim().split('\n')).toHaveLength(1);
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe('results for scripts: --json and --quiet', () => {
  it('run --json prints one object matching the manifest, with the warnings', async () => {
    const dir = tempDir();
    writeFile(dir, 'roster.csv', 'room,name,id\ndemo,Ada,u-1\ndemo,Ada again,u-1\nbad room,Bob,u-2\n');
    const result = await runCli(adHoc(dir, ['--json']));
    expect(result.code).toBe(0);
    const out = join(dir, 'out');
    const manifest = JSON.parse(readFileSync(join(out, `roster-${STAMP}.manifest.json`), 'utf8'));
    expect(oneObject(result.stdout)).toEqual({
      status: 'done',
      exit_code: 0,
      job: 'roster',
      run_id: manifest.run_id,
      rows_read: 3,
      tokens_written: 2,
      rows_rejected: 1,
      duplicate_rows: 1,
      files: {
        manifest: join(out, `roster-${STAMP}.manifest.json`),
        tokens: join(out, `roster-${STAMP}.csv`),
        rejects: join(out, `roster-${STAMP}.rejects.csv`),
      },
      warnings: [expect.stringContaining('1 row repeats the (room, user_id) of an earlier row')],
      error: null,
      deliveries: [],
    });
    expect(manifest).toMatchObject({ rows_read: 3, tokens_written: 2, rows_rejected: 1, duplicates: { rows: 1 } });
    documented(oneObject(result.stdout));
  });

  it('run --json over max_reject_ratio: the failed result on stdout (exit 3), the error one line on stderr', async () => {
    const dir = tempDir();
    writeFile(dir, 'roster.csv', 'room\nbad room\nbad/room\ngood\n');
    const result = await runCli(adHoc(dir, ['--json', '--log-level', 'silent']));
    expect(result.code).toBe(3);
    expect(oneObject(result.stdout)).toMatchObject({
      status: 'failed',
      exit_code: 3,
      tokens_written: 1,
      rows_rejected: 2,
      files: { tokens: null, rejects: join(dir, 'out', `roster-${STAMP}.rejects.csv`) },
      error: { code: 'TOO_MANY_REJECTS' },
    });
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^meeting-tokens: 2 of 3 rows rejected/);
  });

  it('run --quiet prints nothing on success, and only the error when it fails', async () => {
    const dir = tempDir();
    writeFile(dir, 'roster.csv', 'room,name,id\ndemo,Ada,u-1\ndemo,Ada,u-1\n');
    const done = await runCli(adHoc(dir, ['--quiet']));
    expect(done).toMatchObject({ code: 0, stdout: '', stderr: '' });
    writeFile(dir, 'roster.csv', 'room\n"demo\n');
    const failed = await runCli(adHoc(dir, ['-q']));
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toBe('meeting-tokens: roster line 2: a quoted field opened here is never closed; fix the file and run again\n');
  });

  it('verify --json gives the counts and the bad lines; --quiet nothing but the error', async () => {
    const { result, tokensFile } = await signRoster('room,name\ndemo,Ada\ndemo,Bob\n', ['--domain-id', DOMAIN_ID, '--now', NOW]);
    expect(result.code).toBe(0);
    const good = await runCli(['verify', tokensFile, '--now', NOW, '--json']);
    expect(good.code).toBe(0);
    expect(oneObject(good.stdout)).toEqual({
      file: tokensFile,
      ok: true,
      tokens: 2,
      valid: 2,
      bad_signatures: 0,
      claim_mismatches: 0,
      expired: 0,
      not_yet_valid: 0,
      bad_lines: [],
      online: null,
    });
    // Without its manifest: with it, verify would fail the edited file before reading a token.
    unlinkSync(tokensFile.replace(/\.csv$/, '.manifest.json'));
    writeFileSync(tokensFile, readFileSync(tokensFile, 'utf8').replace(',Bob,', ',Eve,'));
    const bad = await runCli(['verify', tokensFile, '--now', NOW, '--json']);
    expect(bad.code).toBe(1);
    expect(oneObject(bad.stdout)).toMatchObject({
      ok: false,
      tokens: 2,
      valid: 1,
      claim_mismatches: 1,
      bad_lines: [{ line: 3, problem: expect.stringMatching(/^token claims differ from the row: user_name/) }],
    });
    documented(oneObject(bad.stdout));
    const quiet = await runCli(['verify', tokensFile, '--now', NOW, '--quiet']);
    expect(quiet.code).toBe(1);
    expect(quiet.stdout).toBe('');
    expect(quiet.stderr).toMatch(/1 of 2 tokens failed verification\n$/);
  });

  it('status --json lists every job; decode --json prints the claims on one line', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'jobs'));
    writeFile(join(dir, 'jobs'), 'weekly.yaml', `roster: r.csv\nout: ../out\ndomain_id: ${DOMAIN_ID}\nschedule: "0 7 * * mon"\n`);
    writeFile(join(dir, 'jobs'), 'broken.yaml', 'roster: r.csv\n');
    const status = await runCli(['status', '--jobs', join(dir, 'jobs'), '--json']);
    expect(status.code).toBe(0);
    // No scheduler runs these jobs: no next run is promised.
    expect(oneObject(status.stdout)).toEqual({
      scheduler: { running: false },
      jobs: [
        { job: 'broken', schedule: null, next_run: null, invalid: expect.stringContaining('out: is required'), last_run: null },
        { job: 'weekly', schedule: '0 7 * * mon (UTC)', next_run: null, invalid: null, last_run: null },
      ],
    });
    documented((oneObject(status.stdout)['jobs'] as Record<string, unknown>[])[0]!);
    expect((await runCli(['status', '--jobs', join(dir, 'jobs'), '-q'])).stdout).toBe('');

    const { tokensFile } = await signRoster('room,name\ndemo,Ada\n', ['--domain-id', DOMAIN_ID, '--now', NOW]);
    const token = readFileSync(tokensFile, 'utf8').split('\n')[1]!.split(',')[4]!;
    const decoded = await runCli(['decode', token, '--json']);
    expect(oneObject(decoded.stdout)).toMatchObject({ room_name: 'demo', user_name: 'Ada', domain_id: DOMAIN_ID });
  });
});
