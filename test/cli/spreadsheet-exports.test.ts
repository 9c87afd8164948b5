import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli, tempDir, readCsv, hmacValid, payloadOf, DOMAIN_ID, NOW, NOW_S, KEY } from '../helpers.js';

// Rosters as spreadsheets export them (test/fixtures/exports/): each beside its expected
// delimiter, encoding, tokens and rejects (<name>.expected.json).
const EXPORTS = join(ROOT, 'test', 'fixtures', 'exports');
const STAMP = '20261127T100000Z';

interface Expected {
  args: string[];
  roster: { delimiter: string; encoding: string; bom: boolean };
  tokens: Record<string, string>[];
  rejects: [string, string][];
}

const FIXTURES = ['excel-csv-utf8-accents.csv', 'excel-german-semicolon-1252.csv', 'excel-unicode-text-utf16le.txt'];

async function run(roster: string, args: string[], workers = '0') {
  const out = join(tempDir(), 'out');
  const common = ['--out', out, '--domain-id', DOMAIN_ID, '--now', NOW, '--log-level', 'silent', '--workers', workers];
  const result = await runCli(['run', '--roster', roster, ...common, ...args]);
  const base = join(out, roster.replace(/^.*\//, '').replace(/\.\w+$/, '') + `-${STAMP}`);
  return {
    ...result,
    out,
    tokens: () => readCsv(`${base}.csv`),
    rejects: () => readCsv(`${base}.rejects.csv`).map((r) => [r['line'], r['reason']]),
    manifest: () => JSON.parse(readFileSync(`${base}.manifest.json`, 'utf8')) as { roster: Expected['roster'] },
  };
}

describe('rosters as spreadsheets export them', () => {
  it.each(FIXTURES.flatMap((f) => [[f, '0'] as const, [f, '2'] as const]))('%s (workers %s)', async (fixture, workers) => {
    const expected = JSON.parse(readFileSync(join(EXPORTS, fixture.replace(/\.\w+$/, '.expected.json')), 'utf8')) as Expected;
    const r = await run(join(EXPORTS, fixture), expected.args, workers);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.manifest().roster).toMatchObject(expected.roster);
    const tokens = r.tokens();
    expect(tokens.map((t) => Object.fromEntries(Object.keys(expected.tokens[0]!).map((k) => [k, t[k]])))).toEqual(expected.tokens);
    for (const [i, t] of tokens.entries()) {
      expect(hmacValid(t['token']!, KEY)).toBe(true);
      const want = expected.tokens[i]!;
      expect(payloadOf(t['token']!)).toMatchObject({ r: want['room_name'], u: want['user_name'], ud: want['user_id'], iat: NOW_S });
    }
    expect(r.rejects()).toEqual(expected.rejects);
  });

  it('the German export without encoding declared: exit 2 naming Windows-1252, nothing published', async () => {
    const roster = join(EXPORTS, 'excel-german-semicolon-1252.csv');
    const r = await run(roster, []);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `meeting-tokens: roster ${roster}: 4 of 5 rows have bytes that are not UTF-8 (more than 1%): ` +
        'looks like Windows-1252; set encoding: windows-1252 (in the job, or --encoding windows-1252); nothing was published\n',
    );
    expect(readdirSync(r.out)).toEqual([]);
  });

  it('delimiter: and encoding: in a job file read the German export; --delimiter overrides detection', async () => {
    const dir = tempDir();
    const job = join(dir, 'schulung.yaml');
    const roster = join(EXPORTS, 'excel-german-semicolon-1252.csv');
    writeFileSync(job, `roster: ${roster}\nout: ${join(dir, 'out')}\ndomain_id: ${DOMAIN_ID}\ndelimiter: ";"\nencoding: Windows-1252\n`);
    const r = await runCli(['run', job, '--now', NOW, '--log-level', 'info'], { cwd: dir });
    expect(r.code).toBe(0);
    const started = r.stderr.split('\n').find((l) => l.includes('run started'))!;
    expect(JSON.parse(started)).toMatchObject({
      delimiter: 'semicolon',
      encoding: 'windows-1252',
      bom: false,
      msg: 'run started: roster windows-1252, semicolon-delimited',
    });
    const manifest = readdirSync(join(dir, 'out')).find((f) => f.endsWith('.manifest.json'))!;
    expect(JSON.parse(readFileSync(join(dir, 'out', manifest), 'utf8'))).toMatchObject({
      roster: { delimiter: 'semicolon', encoding: 'windows-1252', bom: false },
      tokens_written: 4,
    });
    // Read as comma-separated, the header is one column named after all of it: no room column.
    const forced = await run(join(EXPORTS, 'excel-csv-utf8-accents.csv'), ['--delimiter', 'tab']);
    expect(forced.code).toBe(2);
    expect(forced.stderr).toMatch(/room/);
  });

  it('a byte-order mark wins over a declared encoding, with a warning naming both', async () => {
    const r = await run(join(EXPORTS, 'excel-csv-utf8-accents.csv'), ['--encoding', 'windows-1252', '--log-level', 'warn']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('the roster starts with a utf-8 byte-order mark: read as utf-8, not as the declared windows-1252');
    expect(r.manifest().roster).toMatchObject({ encoding: 'utf-8', bom: true });
    expect(r.tokens().map((t) => t['user_name'])).toContain('Zoë Ångström');
  });

  it('an .xlsx given as the roster: exit 2, save it as CSV UTF-8', async () => {
    const dir = tempDir();
    const roster = join(dir, 'roster.xlsx');
    writeFileSync(roster, Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(60)]));
    const r = await run(roster, []);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `meeting-tokens: roster ${roster}: this is an Excel workbook (.xlsx, a ZIP file), not CSV text: save it as CSV UTF-8\n`,
    );
  });

  it('bad delimiter: and encoding: values in a job are one line each, exit 2', async () => {
    const dir = tempDir();
    const job = join(dir, 'j.yaml');
    writeFileSync(job, `roster: r.csv\nout: out\ndomain_id: ${DOMAIN_ID}\ndelimiter: ":"\nencoding: ebcdic\n`);
    const r = await runCli(['run', job, '--log-level', 'silent'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('delimiter: must be one of ",", "comma", ";", "semicolon", "tab", "|", "pipe"');
    expect(r.stderr).toContain('encoding: must be one of utf-8, utf-16le, utf-16be, windows-1252, latin1');
  });
});
