import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli, tempDir, readCsv, hmacValid, payloadOf, DOMAIN_ID, NOW, KEY } from '../helpers.js';

// Rosters as spreadsheets and CRMs export them, damaged on purpose: fixtures/bad/, one case each,
// with the outcome this tool promises.
const BAD = join(ROOT, 'fixtures', 'bad');
const STAMP = '20261127T100000Z';

async function run(fixture: string, logLevel = 'silent', extra: string[] = []) {
  const dir = tempDir();
  const out = join(dir, 'out');
  const result = await runCli([
    'run',
    '--roster',
    join(BAD, fixture),
    '--out',
    out,
    '--domain-id',
    DOMAIN_ID,
    '--now',
    NOW,
    '--log-level',
    logLevel,
    '--max-reject-ratio',
    '1',
    ...extra,
  ]);
  const base = join(out, fixture.replace(/\.csv$/, '') + `-${STAMP}`);
  const files = (() => {
    try {
      return readdirSync(out);
    } catch {
      return [];
    }
  })();
  return {
    ...result,
    files,
    tokensPath: `${base}.csv`,
    tokens: () => readCsv(`${base}.csv`),
    rejects: () => readCsv(`${base}.rejects.csv`),
    manifest: () => JSON.parse(readFileSync(`${base}.manifest.json`, 'utf8')) as Record<string, unknown>,
  };
}

const reasons = (rows: Record<string, string>[]) => rows.map((r) => [r['line'], r['reason']]);

describe('bad rosters (fixtures/bad)', () => {
  it('empty file: exit 2, "empty", nothing published', async () => {
    const r = await run('empty.csv');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/empty\.csv is empty; the first line must be a header row\n$/);
    expect(r.files).toEqual([]);
  });

  it('header only: exit 3, one line, nothing published (an export that broke upstream)', async () => {
    const r = await run('header-only.csv');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /^meeting-tokens: roster \S+header-only\.csv has a header and no rows; nothing was published \(allow_empty: true in the job, or --allow-empty, publishes an empty batch\)\n$/,
    );
    expect(r.files).toEqual([]);
  });

  it('header only with --allow-empty, or allow_empty: true in the job: done, 0 rows, a tokens file with just its header', async () => {
    const r = await run('header-only.csv', 'silent', ['--allow-empty']);
    expect(r.code).toBe(0);
    expect(r.manifest()).toMatchObject({ status: 'done', rows_read: 0, tokens_written: 0, rows_rejected: 0 });
    expect(r.tokens()).toEqual([]);

    const dir = tempDir();
    const job = join(dir, 'empty-ok.yaml');
    writeFileSync(job, `roster: ${join(BAD, 'header-only.csv')}\nout: out\ndomain_id: ${DOMAIN_ID}\nallow_empty: true\n`);
    const fromJob = await runCli(['run', job, '--now', NOW, '--log-level', 'silent', '--json'], { cwd: dir });
    expect(fromJob.code).toBe(0);
    expect(JSON.parse(fromJob.stdout)).toMatchObject({ status: 'done', rows_read: 0, tokens_written: 0 });
    writeFileSync(job, `roster: ${join(BAD, 'header-only.csv')}\nout: out\ndomain_id: ${DOMAIN_ID}\n`);
    const strict = await runCli(['run', job, '--now', NOW, '--log-level', 'silent'], { cwd: dir });
    expect(strict.code).toBe(3);
    expect(readdirSync(join(dir, 'out')).filter((f) => f.endsWith('.manifest.json'))).toHaveLength(1); // the first run's only
  });

  it('no usable header: exit 2 naming the columns expected', async () => {
    const r = await run('no-usable-header.csv');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'meeting-tokens: roster header: none of the expected columns (room_name or room, user_name or name, user_id or id, is_owner or owner); the first line must be a header row\n',
    );
  });

  it('duplicate header for a known column, or for a passthrough column: exit 2, naming both, nothing published', async () => {
    const known = await run('duplicate-known-header.csv');
    expect(known.code).toBe(2);
    expect(known.stderr).toMatch(/columns 1 \("room"\) and 3 \("room_name"\) both give room_name; keep one/);
    // The output header never holds one name twice: a consumer would take one of the two values.
    const passthrough = await run('duplicate-passthrough-header.csv');
    expect(passthrough.code).toBe(2);
    expect(passthrough.stderr).toBe(
      'meeting-tokens: roster header: columns 3 ("email") and 4 ("email") would pass through under one name; rename it in the roster\n',
    );
    expect(passthrough.files).toEqual([]);
  });

  it('BOM and CRLF: read like any other file, line breaks inside quotes kept', async () => {
    const r = await run('bom-crlf.csv');
    expect(r.code).toBe(0);
    expect(r.tokens().map((t) => [t['note'], t['user_name']])).toEqual([
      ['one line', 'Ada'],
      ['two\r\nlines', 'Bob'],
    ]);
    expect(Object.keys(r.tokens()[0]!)[0]).toBe('note'); // no BOM glued to a header name
  });

  it('bytes that are not UTF-8 in a third of the rows, encoding not declared: exit 2 naming the likely encoding, nothing published', async () => {
    const r = await run('invalid-utf8.csv');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `meeting-tokens: roster ${join(BAD, 'invalid-utf8.csv')}: 1 of 3 rows have bytes that are not UTF-8 (more than 1%): ` +
        'looks like Windows-1252; set encoding: windows-1252 (in the job, or --encoding windows-1252); nothing was published\n',
    );
    expect(r.files).toEqual([]);
  });

  it('bytes that are not UTF-8 in a roster declared UTF-8: that row is rejected with its line and the likely encoding, the others are signed', async () => {
    const r = await run('invalid-utf8.csv', 'silent', ['--encoding', 'utf-8']);
    expect(r.code).toBe(0);
    expect(reasons(r.rejects())).toEqual([['3', 'bytes that are not UTF-8 (looks like Windows-1252; set encoding: windows-1252)']]);
    expect(r.tokens().map((t) => t['user_name'])).toEqual(['Ada', 'Cy']);
  });

  it('a quote never closed at the end: exit 1 with its line, nothing published', async () => {
    const r = await run('unclosed-quote-at-end.csv');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('meeting-tokens: roster line 3: a quoted field opened here is never closed; fix the file and run again\n');
    expect(r.files).toEqual([]);
  });

  it('too many and too few fields: rejected with their lines', async () => {
    const r = await run('field-count.csv');
    expect(reasons(r.rejects())).toEqual([
      ['3', 'expected 2 fields as in the header, found 1'],
      ['4', 'expected 2 fields as in the header, found 3'],
    ]);
    expect(r.manifest()).toMatchObject({ rows_read: 4, tokens_written: 2, rows_rejected: 2 });
  });

  it('NUL bytes: a name with one is rejected; a passthrough column keeps it', async () => {
    const r = await run('nul-bytes.csv');
    expect(reasons(r.rejects())).toEqual([['3', 'name: contains a line break or another control character']]);
    expect(r.tokens().map((t) => t['note'])).toEqual(['ok', 'te\u0000xt']);
  });

  it('rows of separators only: rejected (no room), never dropped', async () => {
    const r = await run('only-separators.csv');
    expect(reasons(r.rejects())).toEqual([
      ['3', 'room: empty; every token needs a room (a job may set allow_all_rooms: true to sign tokens for every room)'],
      ['4', 'expected 2 fields as in the header, found 4'],
    ]);
    expect(r.manifest()).toMatchObject({ rows_read: 4, tokens_written: 2, rows_rejected: 2 });
  });

  it('formula-looking values: neutralised in every output cell, original in the token', async () => {
    const r = await run('formulas.csv');
    const [ada, bob] = r.tokens();
    expect([ada!['email'], ada!['note'], bob!['email'], bob!['user_name'], bob!['note']]).toEqual([
      "'=1+1",
      "'+SUM(A1)",
      "'@cmd",
      "'-Bob",
      '\'=HYPERLINK("http://evil")',
    ]);
    expect(payloadOf(bob!['token']!)['u']).toBe('-Bob');
  });

  it('right-to-left and emoji names: signed exactly', async () => {
    const r = await run('rtl-emoji.csv');
    const rows = r.tokens();
    expect(rows.map((t) => payloadOf(t['token']!)['u'])).toEqual(['مريم العلي', 'Zoë 🎉👍🏽']);
    for (const row of rows) expect(hmacValid(row['token']!, KEY)).toBe(true);
  });

  it('the same (room, user_id) many times: every row gets its token, repeats are counted in the manifest and warned about', async () => {
    const r = await run('duplicate-pairs.csv', 'info');
    expect(r.code).toBe(0);
    // Line 4 and 8 repeat line 2 (demo, u-1); line 10 repeats line 3 (demo, u-2). Not repeats: another
    // room (5), no user_id (6, 7), a rejected row (9), a user_id that differs in case (11).
    const duplicates = {
      rows: 3,
      pairs: 2,
      first: [
        { line: 4, same_as_line: 2 },
        { line: 8, same_as_line: 2 },
        { line: 10, same_as_line: 3 },
      ],
    };
    expect(r.manifest()).toMatchObject({ status: 'done', rows_read: 10, tokens_written: 9, rows_rejected: 1, duplicates });
    expect(reasons(r.rejects()).map(([line]) => line)).toEqual(['9']);
    expect(r.tokens().map((t) => payloadOf(t['token']!)['ud'] ?? '')).toEqual(['u-1', 'u-2', 'u-1', 'u-1', '', '', 'u-1', 'u-2', 'U-1']);
    expect(r.stdout).toMatch(/^done: 9 tokens, 1 rejected, 3 repeat an earlier \(room, user_id\) -> /);
    const warning = r.stderr.split('\n').find((l) => l.includes('"level":40'));
    expect(JSON.parse(warning!)).toMatchObject({
      ...duplicates,
      msg: '3 rows repeat the (room, user_id) of an earlier row (2 pairs; signed all the same): line 4 repeats line 2, line 8 repeats line 2, line 10 repeats line 3',
    });
    expect(warning).not.toContain('u-1'); // line numbers only: no roster value in the log
  });

  it('stray quotes: the row is rejected naming the field; no row lost or invented', async () => {
    const r = await run('stray-quotes.csv');
    expect(reasons(r.rejects())).toEqual([
      ['3', 'name: a stray quote; quote the whole field and double the quotes inside it'],
      ['4', 'name: a stray quote; quote the whole field and double the quotes inside it'],
    ]);
    expect(r.tokens().map((t) => t['user_name'])).toEqual(['Ada', 'Dee']);
  });
});

describe('a single 50 MB field', () => {
  it('fails with its line once the record passes 1 MiB (memory stays bounded by that limit)', async () => {
    const dir = tempDir();
    const path = join(dir, 'huge.csv');
    writeFileSync(path, `room,name\ndemo,Ada\ndemo,"${'x'.repeat(50 * 1024 * 1024)}"\n`);
    const result = await runCli([
      'run',
      '--roster',
      path,
      '--out',
      join(dir, 'out'),
      '--domain-id',
      DOMAIN_ID,
      '--log-level',
      'silent',
      '--workers',
      '0',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'meeting-tokens: roster line 3: a record longer than 1 MiB (is a quote left open?); fix the file and run again\n',
    );
    expect(readdirSync(join(dir, 'out'))).toEqual([]);
  }, 60_000);
});
