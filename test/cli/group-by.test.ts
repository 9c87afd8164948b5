import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { runCli, tempDir, DOMAIN_ID, NOW } from '../helpers.js';

const STAMP = '20261127T100000Z';

type Table = Record<string, string>[];

async function run(dir: string, roster: string, ...extra: string[]) {
  const path = join(dir, 'roster.csv');
  writeFileSync(path, roster);
  const out = join(dir, `out-${readdirSync(dir).length}`);
  const args = [
    'run',
    '--roster',
    path,
    '--out',
    out,
    '--domain-id',
    DOMAIN_ID,
    '--domain-name',
    'acme',
    '--now',
    NOW,
    '--log-level',
    'warn',
  ];
  const result = await runCli([...args, ...extra]);
  const read = (suffix: string): string => readFileSync(join(out, `roster-${STAMP}${suffix}`), 'utf8');
  const table = (suffix: string): Table => parse(read(suffix), { columns: true }) as Table;
  return { result, out, read, table, manifest: () => JSON.parse(read('.manifest.json')) as Record<string, unknown> };
}

describe('group_by: one row per recipient', () => {
  it('a person in three rooms, rows apart and unsorted, is one row with room_name_1..3 in roster order; recipients by first row', async () => {
    const roster = [
      'email,room,name',
      'ann@example.com,zeta,Ann',
      'bob@example.com,alpha,Bob',
      'Ann@Example.COM ,mid,Ann Again', // the same address: case and spaces do not count
      'cy@example.com,beta,Cy',
      'ann@example.com,alpha,Ann',
    ].join('\n');
    const { result, table, manifest } = await run(tempDir(), roster + '\n', '--group-by', 'email');
    expect(result.code).toBe(0);
    const rows = table('.csv');
    expect(rows.map((r) => r['email'])).toEqual(['ann@example.com', 'bob@example.com', 'cy@example.com']);
    const ann = rows[0]!;
    expect([ann['room_name_1'], ann['room_name_2'], ann['room_name_3'], ann['room_name_4']]).toEqual(['zeta', 'mid', 'alpha', '']);
    expect(ann['user_name']).toBe('Ann'); // the recipient's own columns come from their first row
    expect(ann['join_url_2']).toBe(`https://acme.daily.co/mid?t=${ann['token_2']}`);
    expect(Object.keys(ann)).toContain('join_url_5');
    expect(Object.keys(ann)).not.toContain('join_url_6');
    expect(manifest()).toMatchObject({
      rows_read: 5,
      tokens_written: 5,
      rows_rejected: 0,
      group_by: { column: 'email', max_links_per_recipient: 5, recipients: 3, rows_over_limit: 0 },
    });
  });

  it('rows past max_links_per_recipient, and rows without the key, go to rejects with a reason', async () => {
    const roster = ['email,room', 'a@x.io,r1', 'a@x.io,r2', ',r9', 'A@x.io,r3', 'b@x.io,r4', 'a@x.io,r5'].join('\n') + '\n';
    const { result, table, manifest } = await run(tempDir(), roster, '--group-by', 'email', '--max-links-per-recipient', '2');
    expect(result.code).toBe(0);
    expect(table('.csv').map((r) => [r['email'], r['room_name_1'], r['room_name_2']])).toEqual([
      ['a@x.io', 'r1', 'r2'],
      ['b@x.io', 'r4', ''],
    ]);
    expect(table('.rejects.csv')).toEqual([
      { line: '4', reason: 'email: empty; group_by: email needs it in every row to know whose row a link goes in', email: '', room: 'r9' },
      {
        line: '5',
        reason:
          "email a@x.io: more than 2 links (max_links_per_recipient: 2; the recipient's first row is line 2); raise max_links_per_recipient or split the roster",
        email: 'A@x.io',
        room: 'r3',
      },
      {
        line: '7',
        reason:
          "email a@x.io: more than 2 links (max_links_per_recipient: 2; the recipient's first row is line 2); raise max_links_per_recipient or split the roster",
        email: 'a@x.io',
        room: 'r5',
      },
    ]);
    expect(manifest()).toMatchObject({ rows_read: 6, tokens_written: 3, rows_rejected: 3, invariant_ok: true });
  });

  it('a mailer profile keyed on email, without group_by, rejects a repeated address and says to use group_by', async () => {
    const roster = ['email,room', 'ann@x.io,b', 'bob@x.io,a', 'ANN@x.io,c', ',d', ',e'].join('\n') + '\n';
    const { result, table, manifest } = await run(tempDir(), roster, '--profile', 'mailchimp');
    expect(result.code).toBe(0);
    // Rows without an email are no repeat of each other (the profile's own rules judge them).
    expect(table('.csv').map((r) => r['EMAIL'])).toEqual(['ann@x.io', 'bob@x.io', '', '']);
    expect(table('.rejects.csv')).toEqual([
      {
        line: '4',
        reason:
          'email ann@x.io repeats line 2: Mailchimp keeps one row per email; use group_by: email for one row per recipient with all their links',
        email: 'ANN@x.io',
        room: 'c',
      },
    ]);
    expect(manifest()).toMatchObject({ rows_read: 5, tokens_written: 4, rows_rejected: 1 });
    // With group_by the same roster gives ann one row with both links.
    const grouped = await run(tempDir(), roster, '--profile', 'mailchimp', '--group-by', 'email');
    expect(grouped.table('.csv')[0]).toMatchObject({
      EMAIL: 'ann@x.io',
      JOINURL_1: expect.stringContaining('/b?t='),
      JOINURL_2: expect.stringContaining('/c?t='),
    });
  });

  it('a group_by column the roster does not have fails at start, exit 2, naming it', async () => {
    const { result } = await run(tempDir(), 'email,room\na@x.io,r\n', '--group-by', 'emial');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'meeting-tokens: output.group_by emial: the roster has no such column (did you mean email?); name a roster column or user_id\n',
    );
  });

  it('every row lands in exactly one recipient row or in rejects; recipients in first-row order, each links in roster order (property)', async () => {
    const dir = tempDir();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom('a@x.io', 'A@X.io', ' b@x.io', 'c@x.io', 'd@x.io', ''), fc.boolean()), {
          minLength: 1,
          maxLength: 40,
        }),
        fc.integer({ min: 1, max: 3 }),
        async (picks, max) => {
          // Each row's room names its line, so every link can be traced to its row; some rows are bad (a space in the room).
          const lines = picks.map(([email, bad], i) => `${email},${bad ? 'bad room' : `r${i + 2}`}`);
          const { result, table } = await run(
            dir,
            ['email,room', ...lines].join('\n') + '\n',
            '--group-by',
            'email',
            '--max-links-per-recipient',
            String(max),
            '--max-reject-ratio',
            '1',
          );
          expect(result.code).toBe(0);
          const seen = new Map<number, string>();
          const keys: string[] = [];
          for (const row of table('.csv')) {
            const key = row['email']!.trim().toLowerCase();
            keys.push(key);
            let previous = 0;
            for (let n = 1; n <= max; n++) {
              const room = row[`room_name_${n}`]!;
              if (room === '') continue;
              const line = Number(room.slice(1));
              expect(seen.has(line)).toBe(false);
              expect(line).toBeGreaterThan(previous);
              expect(picks[line - 2]![0].trim().toLowerCase()).toBe(key);
              seen.set(line, 'token');
              previous = line;
            }
          }
          expect(new Set(keys).size).toBe(keys.length);
          const firstLines = keys.map((key) => 2 + picks.findIndex(([email, bad]) => !bad && email.trim().toLowerCase() === key));
          expect(firstLines).toEqual([...firstLines].sort((a, b) => a - b));
          for (const reject of table('.rejects.csv')) {
            expect(seen.has(Number(reject['line']))).toBe(false);
            seen.set(Number(reject['line']), 'reject');
          }
          expect([...seen.keys()].sort((a, b) => a - b)).toEqual(picks.map((_, i) => i + 2));
        },
      ),
      { numRuns: 15 },
    );
  }, 120_000);

  it.each([
    ['CSV', []],
    ['JSONL', ['--format', 'jsonl']],
  ])('%s: gives byte-identical files with 0, 1, 2 and 4 worker threads', { timeout: 240_000 }, async (_name, flags) => {
    const lines = ['email,room,name'];
    // Names with quotes, commas, backslashes and emoji; some rows over the limit of 2 links.
    for (let i = 0; i < 30_000; i++) lines.push(`user${(i * 7919) % 12_000}@example.com,room-${i % 300},"Name, ${i} \\ ""q"" 😀"`);
    const dir = tempDir();
    const roster = lines.join('\n') + '\n';
    const files: [string, string][] = [];
    const extension = flags.length > 0 ? '.jsonl' : '.csv';
    for (const workers of ['0', '1', '2', '4']) {
      const { result, read } = await run(
        dir,
        roster,
        '--group-by',
        'email',
        '--max-links-per-recipient',
        '2',
        '--workers',
        workers,
        ...flags,
      );
      expect(result.code).toBe(0);
      files.push([read(extension), read('.rejects.csv')]);
    }
    for (const other of files.slice(1)) expect(other).toEqual(files[0]);
    const recipients = files[0]![0].split('\n').filter((line) => line !== '');
    expect(recipients.length - (extension === '.csv' ? 1 : 0)).toBe(12_000);
    if (extension === '.jsonl')
      expect(JSON.parse(recipients[0]!)).toMatchObject({ email: 'user0@example.com', user_name: 'Name, 0 \\ "q" 😀' });
    expect(files[0]![1].split('\n').length - 2).toBe(30_000 - 12_000 * 2);
  });
});
