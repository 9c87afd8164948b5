import { describe, expect, it, beforeAll } from 'vitest';
import { readFileSync, readdirSync, statSync, existsSync, mkdirSync, writeFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir, writeFile, readCsv, KEY, DOMAIN_ID, NOW, NOW_S, hmacValid, payloadOf, CLI } from '../helpers.js';

const STAMP = '20261127T100000Z';
const ROSTER = [
  'email,room,name,id,owner,lang,start_video_off',
  'ada@example.com,demo,Ada Lovelace,u-1,yes,,',
  'bob@example.com,demo,"Bob, the ""builder""",u-2,no,de,true',
  'eve@example.com,bad room,Eve,u-3,no,,',
  '"=HYPERLINK(""http://evil"")",demo,=1+1,u-4,no,,',
  'zoe@example.com,demo,Zoë 🎉,u-5,false,fr,no',
].join('\n');

function adHoc(dir: string, extra: string[] = []): string[] {
  return [
    'run',
    '--roster',
    join(dir, 'roster.csv'),
    '--out',
    join(dir, 'out'),
    '--domain-id',
    DOMAIN_ID,
    '--domain-name',
    'acme',
    '--ttl',
    '7d',
    '--now',
    NOW,
    '--log-level',
    'silent',
    ...extra,
  ];
}

describe('meeting-tokens run (built CLI, real files)', () => {
  beforeAll(() => {
    expect(existsSync(CLI)).toBe(true);
  });

  it('publishes tokens, rejects and manifest, 0600, and every token verifies independently against its row', async () => {
    const dir = tempDir();
    writeFile(dir, 'roster.csv', ROSTER);
    const result = await runCli(adHoc(dir));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^done: 4 tokens, 1 rejected -> .*roster-20261127T100000Z\.manifest\.json\n$/);

    const out = join(dir, 'out');
    expect(readdirSync(out).sort()).toEqual([`roster-${STAMP}.csv`, `roster-${STAMP}.manifest.json`, `roster-${STAMP}.rejects.csv`]);
    for (const f of readdirSync(out)) expect(statSync(join(out, f)).mode & 0o777).toBe(0o600);
    expect(statSync(out).mode & 0o777).toBe(0o700);

    const tokens = readCsv(join(out, `roster-${STAMP}.csv`));
    expect(Object.keys(tokens[0]!)).toEqual([
      'email',
      'room_name',
      'user_name',
      'user_id',
      'is_owner',
      'token',
      'join_url',
      'not_before',
      'expires_at',
      'exp',
    ]);
    expect(tokens.map((t) => t['user_id'])).toEqual(['u-1', 'u-2', 'u-4', 'u-5']); // roster order
    for (const row of tokens) {
      const token = row['token']!;
      expect(hmacValid(token, KEY)).toBe(true);
      const claims = payloadOf(token);
      expect(claims['r']).toBe(row['room_name']);
      expect(claims['ud']).toBe(row['user_id']);
      expect(claims['d']).toBe(DOMAIN_ID);
      expect(claims['iat']).toBe(NOW_S);
      expect(claims['exp']).toBe(NOW_S + 7 * 86400);
      expect(String(claims['exp'])).toBe(row['exp']);
      expect(row['expires_at']).toBe('2026-12-04T10:00:00Z');
      expect(row['join_url']).toBe(`https://acme.daily.co/demo?t=${token}`);
    }
    expect(payloadOf(tokens[0]!['token']!)).toMatchObject({ u: 'Ada Lovelace', o: true });
    expect(payloadOf(tokens[1]!['token']!)).toMatchObject({ u: 'Bob, the "builder"', uil: 'de', vo: true });
    expect(payloadOf(tokens[3]!['token']!)).toMatchObject({ u: 'Zoë 🎉', uil: 'fr', vo: false });

    // Formula guard: cells neutralised in the CSV, claims keep the original value.
    expect(tokens[2]!['email']).toBe('\'=HYPERLINK("http://evil")');
    expect(tokens[2]!['user_name']).toBe("'=1+1");
    expect(payloadOf(tokens[2]!['token']!)['u']).toBe('=1+1');

    const rejects = readCsv(join(out, `roster-${STAMP}.rejects.csv`));
    expect(rejects).toEqual([
      {
        line: '4',
        reason: 'room: "bad room" has characters Daily does not allow in a room name (only A-Z a-z 0-9 - _)',
        email: 'eve@example.com',
        room: 'bad room',
        name: 'Eve',
        id: 'u-3',
        owner: 'no',
        lang: '',
        start_video_off: '',
      },
    ]);

    const manifest = JSON.parse(readFileSync(join(out, `roster-${STAMP}.manifest.json`), 'utf8'));
    expect(manifest).toMatchObject({
      job: 'roster',
      status: 'done',
      rows_read: 5,
      tokens_written: 4,
      rows_rejected: 1,
      invariant_ok: true,
      issued_at: '2026-11-27T10:00:00Z',
      exp_min: '2026-12-04T10:00:00Z',
      exp_max: '2026-12-04T10:00:00Z',
      domain_id: DOMAIN_ID,
      key_source: 'DAILY_API_KEY',
      tool: { name: 'bulk-meeting-tokens' },
    });
    expect(manifest.rows_read).toBe(manifest.tokens_written + manifest.rows_rejected);
    expect(manifest.key_fingerprint).toMatch(/^[0-9a-f]{8}$/);
    expect(manifest.roster.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.files.tokens.bytes).toBe(statSync(join(out, `roster-${STAMP}.csv`)).size);
    expect(JSON.stringify(manifest)).not.toContain(KEY);
  });

  it('omits join_url when no domain name is set', async () => {
    const dir = tempDir();
    writeFile(dir, 'roster.csv', 'room,name\ndemo,Ada\n');
    const args = adHoc(dir).filter((a, i, all) => a !== '--domain-name' && all[i - 1] !== '--domain-name');
    expect((await runCli(args)).code).toBe(0);
    const tokens = readCsv(join(dir, 'out', `roster-${STAMP}.csv`));
    expect(Object.keys(tokens[0]!)).not.toContain('join_url');
  });

  it('exit 3 when rejects exceed max_reject_ratio: rejects and a failed manifest, no tokens file', async () => {
    const dir = tempDir();
    writeFile(dir, 'roster.csv', 'room,name\nbad room,A\nbad/room,B\ngood,C\n');
    const result = await runCli(adHoc(dir, ['--max-reject-ratio', '0.5']));
    expect(result.code).toBe(3);
    // An error like any other: one line on stderr, nothing on stdout.
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^meeting-tokens: 2 of 3 rows rejected, more than max_reject_ratio 0.5; no tokens were published.* -> .*\.manifest\.json\n$/,
    );
    const out = join(dir, 'out');
    expect(readdirSync(out).sort()).toEqual([`roster-${STAMP}.manifest.json`, `roster-${STAMP}.rejects.csv`]);
    const manifest = JSON.parse(readFileSync(join(out, `roster-${STAMP}.manifest.json`), 'utf8'));
    expect(manifest).toMatchObject({ status: 'failed', rows_read: 3, tokens_written: 1, rows_rejected: 2, files: { tokens: null } });
    expect(manifest.error.code).toBe('TOO_MANY_REJECTS');
  });

  it('rejects a record whose field count is off, naming the lines an unbalanced quote spans', async () => {
    const dir = tempDir();
    writeFile(dir, 'roster.csv', 'room,name\ndemo,Ada\ndemo\ndemo,Bob,extra\ndemo,"Cy\nx,y\nz,"w\ndemo,Dee\n');
    const result = await runCli(adHoc(dir, ['--max-reject-ratio', '1']));
    expect(result.code).toBe(0);
    const rejects = readCsv(join(dir, 'out', `roster-${STAMP}.rejects.csv`));
    expect(rejects.map((r) => [r['line'], r['reason']])).toEqual([
      ['3', 'expected 2 fields as in the header, found 1'],
      ['4', 'expected 2 fields as in the header, found 3'],
      [
        '5',
        'name: a stray quote; quote the whole field and double the quotes inside it (the record runs over lines 5-7: is a quote left open?)',
      ],
    ]);
    expect(readCsv(join(dir, 'out', `roster-${STAMP}.csv`)).map((r) => r['user_name'])).toEqual(['Ada', 'Dee']);
  });

  it('exit 1 on a quote never closed, with nothing under a final name and no temporary file left', async () => {
    const dir = tempDir();
    writeFile(dir, 'roster.csv', 'room,name\ndemo,Ada\ndemo,"Bob\ndemo,Cy\n');
    const result = await runCli(adHoc(dir));
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('meeting-tokens: roster line 3: a quoted field opened here is never closed; fix the file and run again\n');
    expect(readdirSync(join(dir, 'out'))).toEqual([]);
  });

  it.each([
    [
      'no domain id, with --offline',
      (a: string[]) => [...a.filter((x, i) => x !== '--domain-id' && a[i - 1] !== '--domain-id'), '--offline'],
      /no domain id: give --domain-id/,
    ],
    ['a bad domain id', (a: string[]) => a.map((x) => (x === DOMAIN_ID ? 'not-a-uuid' : x)), /--domain-id: must be a UUID/],
    ['a bad ttl', (a: string[]) => [...a, '--ttl', 'soon'], /--ttl: "soon" is not a duration/],
    ['ttl over max_ttl', (a: string[]) => [...a, '--ttl', '40d'], /--ttl: 40d is longer than max_ttl 30d/],
    ['a bad --now', (a: string[]) => [...a, '--now', 'yesterday'], /--now: "yesterday" is not an ISO 8601 time/],
    ['an unknown option', (a: string[]) => [...a, '--frobnicate'], /Unknown option '--frobnicate'; see --help/],
  ])('exit 2 on %s, one line on stderr', async (_name, change, message) => {
    const dir = tempDir();
    writeFile(dir, 'roster.csv', 'room\ndemo\n');
    const result = await runCli(change(adHoc(dir)));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('exit 2 without a key, with a weak key, and with a roster that has no usable header', async () => {
    const dir = tempDir();
    writeFile(dir, 'roster.csv', 'room\ndemo\n');
    const noKey = await runCli(adHoc(dir), { env: { DAILY_API_KEY: undefined } });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/no API key: set DAILY_API_KEY/);
    const weak = await runCli(adHoc(dir), { env: { DAILY_API_KEY: 'short-key-123' } });
    expect(weak.code).toBe(2);
    expect(weak.stderr).toMatch(/the key has 13 characters, at least 32 are required/);
    expect(weak.stderr).not.toContain('short-key-123');
    expect((await runCli(adHoc(dir, ['--allow-weak-key']), { env: { DAILY_API_KEY: 'short-key-123' } })).code).toBe(0);

    writeFile(dir, 'roster.csv', 'email,phone\na@b.c,123\n');
    const header = await runCli(adHoc(dir, ['--now', '2026-11-27T11:00:00Z']));
    expect(header.code).toBe(2);
    expect(header.stderr).toMatch(/none of the expected columns/);
  });

  it('reads the key from DAILY_API_KEY_FILE (trailing newline ignored)', async () => {
    const dir = tempDir();
    writeFile(dir, 'roster.csv', 'room\ndemo\n');
    const keyFile = writeFile(dir, 'key', `${KEY}\n`);
    const result = await runCli(adHoc(dir), { env: { DAILY_API_KEY: undefined, DAILY_API_KEY_FILE: keyFile } });
    expect(result.code).toBe(0);
    const [row] = readCsv(join(dir, 'out', `roster-${STAMP}.csv`));
    expect(hmacValid(row!['token']!, KEY)).toBe(true);
  });

  it('never replaces a published file: a second run in the same second publishes under the next name, sorting after the first', async () => {
    const dir = tempDir();
    writeFile(dir, 'roster.csv', 'room\ndemo\n');
    expect((await runCli(adHoc(dir))).code).toBe(0);
    const before = readFileSync(join(dir, 'out', `roster-${STAMP}.csv`));
    const again = await runCli(adHoc(dir));
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^done: 1 token, 0 rejected -> .*roster-20261127T100000Z_02\.manifest\.json\n$/);
    expect(readFileSync(join(dir, 'out', `roster-${STAMP}.csv`))).toEqual(before);
    // Listed in name order, the batches come in the order they were published.
    expect(readdirSync(join(dir, 'out')).sort()).toEqual([
      `roster-${STAMP}.csv`,
      `roster-${STAMP}.manifest.json`,
      `roster-${STAMP}.rejects.csv`,
      `roster-${STAMP}_02.csv`,
      `roster-${STAMP}_02.manifest.json`,
      `roster-${STAMP}_02.rejects.csv`,
    ]);
    const manifest = JSON.parse(readFileSync(join(dir, 'out', `roster-${STAMP}_02.manifest.json`), 'utf8')) as Record<string, unknown>;
    expect(manifest['files']).toMatchObject({
      tokens: { name: `roster-${STAMP}_02.csv` },
      rejects: { name: `roster-${STAMP}_02.rejects.csv` },
    });
  });

  it('exit 2 before reading a row when the output directory holds the roster, by name or through a symlink', async () => {
    const dir = tempDir();
    writeFile(dir, 'roster.csv', 'room\ndemo\n');
    const args = (out: string) => ['run', '--roster', join(dir, 'roster.csv'), '--out', out, '--domain-id', DOMAIN_ID, '--now', NOW];
    const same = await runCli(args(dir));
    expect(same.code).toBe(2);
    expect(same.stderr).toBe(
      `meeting-tokens: --out: ${dir} holds the roster roster.csv: published files and retention could replace or delete it, and whatever collects the output would take it too; keep rosters in another directory\n`,
    );
    const itself = await runCli(args(join(dir, 'roster.csv')));
    expect(itself.code).toBe(2);
    expect(itself.stderr).toBe(
      `meeting-tokens: --out: ${join(dir, 'roster.csv')} is the roster itself; choose a directory for the output\n`,
    );
    symlinkSync(dir, join(dir, 'link'));
    const linked = await runCli(args(join(dir, 'link')));
    expect(linked.code).toBe(2);
    expect(linked.stderr).toMatch(/^meeting-tokens: output directory .*\/link: .* holds the roster roster\.csv: /);
    expect(readdirSync(dir).sort()).toEqual(['link', 'roster.csv']);
    expect(readFileSync(join(dir, 'roster.csv'), 'utf8')).toBe('room\ndemo\n');
  });

  it('exit 2 when the roster is a directory', async () => {
    const dir = tempDir();
    const result = await runCli(['run', '--roster', dir, '--out', join(dir, 'out'), '--domain-id', DOMAIN_ID]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`meeting-tokens: --roster: ${dir} is a directory, not a CSV file\n`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('runs a job file, with paths relative to the job file, columns mapping and defaults', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'jobs'));
    mkdirSync(join(dir, 'data'));
    writeFile(join(dir, 'data'), 'people.csv', 'Meeting,Full name,Badge\nboard,Ada,b-1\n,Bob,b-2\n');
    writeFileSync(
      join(dir, 'jobs', 'standup.yaml'),
      [
        'roster: ../data/people.csv',
        'out: ../published',
        `domain_id: ${DOMAIN_ID}`,
        'domain_name: acme',
        'ttl: 36h',
        'columns: { room_name: Meeting, user_name: Full name, user_id: Badge }',
        'defaults:',
        '  room_name: lobby',
        '  start_audio_off: true',
        '  permissions: { hasPresence: true, canSend: [audio] }',
      ].join('\n'),
    );
    const result = await runCli(['run', 'standup', '--jobs', join(dir, 'jobs'), '--now', NOW, '--log-level', 'silent'], { cwd: tempDir() });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const tokens = readCsv(join(dir, 'published', `standup-${STAMP}.csv`));
    expect(tokens.map((t) => payloadOf(t['token']!))).toEqual([
      { r: 'board', d: DOMAIN_ID, iat: NOW_S, exp: NOW_S + 36 * 3600, ud: 'b-1', u: 'Ada', ao: true, p: { hp: true, cs: 'a' } },
      { r: 'lobby', d: DOMAIN_ID, iat: NOW_S, exp: NOW_S + 36 * 3600, ud: 'b-2', u: 'Bob', ao: true, p: { hp: true, cs: 'a' } },
    ]);
  });

  it('--help explains every option of run', async () => {
    const result = await runCli(['run', '--help']);
    expect(result.code).toBe(0);
    for (const option of [
      '--jobs',
      '--roster',
      '--out',
      '--domain-id',
      '--domain-name',
      '--ttl',
      '--max-ttl',
      '--allow-all-rooms',
      '--max-reject-ratio',
      '--now',
      '--allow-weak-key',
      '--log-level',
      '--offline',
      '--workers',
    ]) {
      expect(result.stdout).toContain(option);
    }
  });
});
