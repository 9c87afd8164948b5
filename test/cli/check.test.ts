import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli, tempDir, writeFile, DOMAIN_ID, NOW, NOW_S } from '../helpers.js';
import { isoSeconds } from '../../src/output/columns.js';
import { encodeSingleByte } from '../encode.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const RESULTS = README.slice(README.indexOf('- `check`:'), README.indexOf('- `verify`:'));
const NO_KEY = { DAILY_API_KEY: undefined, DAILY_API_KEY_FILE: undefined, DAILY_API_URL: 'http://127.0.0.1:9/' };

/** A job directory: jobs/<name>.yaml with `yaml` (roster and out relative to it) and the roster beside it. */
function jobDir(roster: string, yaml: string, name = 'weekly'): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'jobs'));
  mkdirSync(join(dir, 'rosters'));
  writeFile(join(dir, 'rosters'), 'roster.csv', roster);
  writeFile(join(dir, 'jobs'), `${name}.yaml`, `roster: ../rosters/roster.csv\nout: ../out\n${yaml}`);
  return dir;
}

/** Everything under `dir`, relative, sorted: a check must add nothing. */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

function parseJson(stdout: string): Record<string, unknown> {
  expect(stdout.trim().split('\n')).toHaveLength(1);
  return JSON.parse(stdout) as Record<string, unknown>;
}

/** README's "Results for scripts" names every field of `object` (one level down for objects). */
function documented(object: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(object)) {
    expect(RESULTS, key).toContain(`\`${key}\``);
    if (value && typeof value === 'object' && !Array.isArray(value) && key !== 'columns') documented(value as Record<string, unknown>);
  }
}

const CLEAN = [
  'email,room,name,id,owner',
  'ada@example.com,demo,Ada,u-1,true',
  'bob@example.com,demo,Bob,u-2,no',
  'cy@example.com,lobby,Cy,u-1,',
  'ada2@example.com,demo,Ada again,u-1,',
  'di@example.com,lobby,Di,,',
  '',
].join('\n');

/** 7 rows of one reason, 2 of another, 1 clean: 90% rejected. */
const MOSTLY_BAD = [
  'room,name,id',
  ...Array.from({ length: 7 }, (_, i) => `room ${i % 2},N${i},u-${i}`),
  'ok,Fine,u-9',
  'bad.room,X,u-10',
  'bad.room,Y,u-11',
  '',
].join('\n');

describe('meeting-tokens check', () => {
  it('a clean roster: exit 0, the mapping and counts as a run gets them, nothing written, no key needed', async () => {
    const dir = jobDir(CLEAN, `domain_id: ${DOMAIN_ID}\nttl: 7d\n`);
    const before = tree(dir);
    const check = await runCli(['check', 'weekly', '--now', NOW], { cwd: dir, env: NO_KEY });
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
    const text = check.stdout;
    expect(text).toContain(`job: weekly (${join(dir, 'jobs', 'weekly.yaml')})`);
    expect(text).toContain('delimiter comma, encoding utf-8');
    expect(text).toContain('columns: room_name <- "room", user_name <- "name", user_id <- "id", is_owner <- "owner"');
    expect(text).toContain('passthrough: "email"');
    expect(text).toContain(`domain id: ${DOMAIN_ID}`);
    expect(text).toContain(`output directory: ${join(dir, 'out')} (usable; nothing written)`);
    expect(text).toContain('rows read: 5\nwould get tokens: 5\nrejected: 0 (0.0%; max_reject_ratio 0.5)\n');
    expect(text).toContain('repeated (room, user_id): 1 row (1 pair): line 5 repeats line 2\n');
    expect(text).toContain(`exp: ${isoSeconds(NOW_S + 7 * 86400)} to ${isoSeconds(NOW_S + 7 * 86400)}\n`);
    expect(text).toMatch(/ok: a run would sign 5 tokens and reject 0 rows\n$/);
    // No output directory, no state directory (no lock, no history), no file anywhere.
    expect(tree(dir)).toEqual(before);
    expect(existsSync(join(dir, 'out'))).toBe(false);
    expect(existsSync(join(dir, 'state'))).toBe(false);

    // The same job run for real gets the counts the check printed.
    const run = await runCli(['run', 'weekly', '--now', NOW, '--json'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ rows_read: 5, tokens_written: 5, rows_rejected: 0, duplicate_rows: 1 });
  });

  it('over max_reject_ratio: exit 3, rejects grouped by reason with counts and first five lines, one line on stderr', async () => {
    const dir = jobDir(MOSTLY_BAD, `domain_id: ${DOMAIN_ID}\nmax_reject_ratio: 0.5\n`);
    const check = await runCli(['check', 'weekly', '--now', NOW], { cwd: dir, env: NO_KEY });
    expect(check.code).toBe(3);
    expect(check.stdout).toContain('rows read: 10\nwould get tokens: 1\nrejected: 9 (90.0%; max_reject_ratio 0.5)\n');
    const room0 = 'room: "room 0" has characters Daily does not allow in a room name (only A-Z a-z 0-9 - _)';
    const room1 = 'room: "room 1" has characters Daily does not allow in a room name (only A-Z a-z 0-9 - _)';
    const dotted = 'room: "bad.room" has characters Daily does not allow in a room name (only A-Z a-z 0-9 - _)';
    expect(check.stdout).toContain(`  4  ${room0} (lines 2, 4, 6, 8)\n  3  ${room1} (lines 3, 5, 7)\n  2  ${dotted} (lines 10, 11)\n`);
    expect(check.stdout).toContain('would fail: 9 of 10 rows rejected, more than max_reject_ratio 0.5');
    expect(check.stderr).toBe(
      'meeting-tokens: check: 9 of 10 rows rejected, more than max_reject_ratio 0.5: a run would publish no tokens (exit 3)\n',
    );
    expect(existsSync(join(dir, 'out'))).toBe(false);
    expect(existsSync(join(dir, 'state'))).toBe(false);
  });

  it('--json: one object with the documented fields, the same counts and groups with worker threads as without', async () => {
    const dir = tempDir();
    // 12 rows of one reason (first five lines kept), 25 distinct reasons of one row each (20 shown, the rest "other").
    const rows = ['room,name,id', ...Array.from({ length: 12 }, (_, i) => `r,N,${'x'.repeat(37)}${i}`)];
    for (let i = 0; i < 25; i++) rows.push(`bad room ${i},N,u-${i}`);
    for (let i = 0; i < 300; i++) rows.push(`ok,N${i},u-${i % 150}`);
    writeFile(dir, 'roster.csv', rows.join('\n') + '\n');
    const args = ['check', '--roster', join(dir, 'roster.csv'), '--now', NOW, '--json', '--max-reject-ratio', '0.2'];
    const single = await runCli([...args, '--workers', '0'], { env: NO_KEY });
    const threads = await runCli([...args, '--workers', '2'], { env: NO_KEY });
    expect(single.code).toBe(0);
    expect(threads.stdout).toBe(single.stdout);
    const json = parseJson(single.stdout);
    expect(json).toMatchObject({
      ok: true,
      exit_code: 0,
      job: 'roster',
      job_file: null,
      roster: {
        path: join(dir, 'roster.csv'),
        delimiter: ',',
        encoding: 'utf-8',
        columns: { room_name: 'room', user_name: 'name', user_id: 'id' },
        passthrough: [],
      },
      domain_id_placeholder: true,
      out: null,
      issued_at: NOW,
      rows_read: 337,
      would_get_tokens: 300,
      rows_rejected: 37,
      max_reject_ratio: 0.2,
      duplicates: { rows: 150, pairs: 150 },
      exp_min: isoSeconds(NOW_S + 86400),
      exp_max: isoSeconds(NOW_S + 86400),
      warnings: [],
      error: null,
    });
    const rejects = json['rejects'] as { reason: string; rows: number; lines: number[] }[];
    expect(rejects).toHaveLength(20);
    expect(rejects[0]).toEqual({ reason: 'id: 38 characters, Daily allows at most 36', rows: 10, lines: [2, 3, 4, 5, 6] });
    expect(rejects[1]).toEqual({ reason: 'id: 39 characters, Daily allows at most 36', rows: 2, lines: [12, 13] });
    expect(rejects[2]!.reason).toContain('"bad room 0"');
    expect(rejects[2]!.lines).toEqual([14]);
    // 25 one-row groups: 18 shown, 7 folded into other, with their first lines.
    expect(json['other_rejects']).toEqual({ rows: 7, lines: [32, 33, 34, 35, 36] });
    expect(rejects.reduce((sum, g) => sum + g.rows, 0) + 7).toBe(json['rows_rejected']);
    expect((json['rows_read'] as number) - (json['would_get_tokens'] as number)).toBe(json['rows_rejected']);
    documented(json);
  });

  it('without a domain id: a placeholder signs, and the report says so (no network: DAILY_API_URL points nowhere)', async () => {
    const dir = tempDir();
    writeFile(dir, 'roster.csv', CLEAN);
    const check = await runCli(['check', '--roster', join(dir, 'roster.csv')], { env: NO_KEY });
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('domain id: none in the job or flags; checked with a placeholder');
    expect(check.stdout).toContain('output directory: not given (not checked)');
    expect(readdirSync(dir)).toEqual(['roster.csv']);
  });

  it('a bad job, a bad flag or a bad header: exit 2, one line on stderr, nothing on stdout', async () => {
    const dir = jobDir(CLEAN, `domain_id: ${DOMAIN_ID}\nttl: 7d\nmax_ttl: 1d\nbogus: 1\n`);
    const bad = await runCli(['check', 'weekly'], { cwd: dir, env: NO_KEY });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('bogus: unknown key');

    const flag = await runCli(['check', '--roster', join(dir, 'rosters', 'roster.csv'), '--max-reject-ratio', '2', '--json'], {
      env: NO_KEY,
    });
    expect(flag.code).toBe(2);
    expect(flag.stdout).toBe('');
    expect(flag.stderr).toBe('meeting-tokens: --max-reject-ratio: must be a number from 0 to 1\n');

    const header = tempDir();
    writeFile(header, 'roster.csv', 'email,phone\na@example.com,555\n');
    const noRoom = await runCli(['check', '--roster', join(header, 'roster.csv')], { env: NO_KEY });
    expect(noRoom.code).toBe(2);
    expect(noRoom.stderr).toMatch(/^meeting-tokens: roster header: none of the expected columns/);
  });

  it('every token expired by then: exit 2 as a run would, unless --allow-expired', async () => {
    const dir = tempDir();
    writeFile(dir, 'roster.csv', CLEAN);
    const args = ['check', '--roster', join(dir, 'roster.csv'), '--now', '2020-01-01T00:00:00Z'];
    const expired = await runCli(args, { env: NO_KEY, expiredCheck: true });
    expect(expired.code).toBe(2);
    expect(expired.stderr).toMatch(/every token of this run would expire by 2020-01-02T00:00:00Z/);
    const allowed = await runCli([...args, '--allow-expired'], { env: NO_KEY, expiredCheck: true });
    expect(allowed.code).toBe(0);
  });

  it('an output directory a run could not create: exit 1 naming it, as a run would', async () => {
    const dir = tempDir();
    writeFile(dir, 'roster.csv', CLEAN);
    const check = await runCli(['check', '--roster', join(dir, 'roster.csv'), '--out', join(dir, 'no', 'out')], { env: NO_KEY });
    expect(check.code).toBe(1);
    expect(check.stderr).toBe(`meeting-tokens: output directory ${join(dir, 'no', 'out')}: its parent ${join(dir, 'no')} does not exist\n`);
  });

  it('a ;-separated Windows-1252 roster: the delimiter and encoding it is read with, its rows decoded (none rejected), in the text and --json', async () => {
    const dir = tempDir();
    const rows = ['Room;Name;ID;Betrag', 'demo;Zoë Ångström;u-1;12,50 €', 'demo;José Núñez;u-2;3,00 €', ''].join('\r\n');
    writeFile(dir, 'roster.csv', encodeSingleByte(rows, 'windows-1252'));
    const args = ['check', '--roster', join(dir, 'roster.csv'), '--encoding', 'windows-1252', '--now', NOW];
    const text = await runCli(args, { env: NO_KEY });
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('delimiter semicolon, encoding windows-1252');
    expect(text.stdout).toContain('passthrough: "Betrag"');
    expect(text.stdout).toContain('rows read: 2\nwould get tokens: 2\nrejected: 0');
    const json = parseJson((await runCli([...args, '--json'], { env: NO_KEY })).stdout);
    expect(json).toMatchObject({
      ok: true,
      roster: { delimiter: ';', encoding: 'windows-1252', columns: { room_name: 'Room', user_name: 'Name', user_id: 'ID' } },
      rows_read: 2,
      rows_rejected: 0,
    });
    // Read as the default UTF-8 instead, every row's bytes are not UTF-8: a run would fail (exit 2).
    const undeclared = await runCli(['check', '--roster', join(dir, 'roster.csv'), '--now', NOW], { env: NO_KEY });
    expect(undeclared.code).toBe(2);
    expect(undeclared.stderr).toMatch(/^meeting-tokens: roster .*: 2 of 2 rows have bytes that are not UTF-8 .*looks like Windows-1252/);
  });
});
