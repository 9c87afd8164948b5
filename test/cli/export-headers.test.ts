import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli, tempDir, readCsv, payloadOf, hmacValid, DOMAIN_ID, NOW, KEY } from '../helpers.js';

// Rosters as spreadsheets, CRMs and registration tools export them (test/fixtures/exports/): each
// with the mapping it must get, the tokens it must give and the rows it must reject.
const EXPORTS = join(ROOT, 'test', 'fixtures', 'exports');

interface Expected {
  columns: Record<string, string>;
  passthrough: string[];
  /** Claims of each token other than d, iat, exp (and nbf). */
  tokens: Record<string, unknown>[];
  rejects: [string, string][];
  /** The near-miss columns warned about. */
  warned: string[];
}

const CASES: Record<string, Expected> = {
  // HubSpot's contact export: no room (the job gives one), first and last name joined.
  'crm-contacts.csv': {
    columns: { user_id: 'Record ID', user_name: 'First Name + Last Name' },
    passthrough: [
      'First Name',
      'Last Name',
      'Email',
      'Phone Number',
      'Contact owner',
      'Primary Associated Company ID',
      'Last Activity Date',
      'Lead Status',
      'Marketing contact status',
      'Create Date',
      'Associated Company',
    ],
    tokens: [
      { r: 'weekly-demo', ud: '51', u: 'Ada Lovelace' },
      { r: 'weekly-demo', ud: '52', u: 'Grace' },
      { r: 'weekly-demo', ud: '54' },
    ],
    rejects: [['4', 'First Name + Last Name: contains a line break or another control character']],
    warned: ['Contact owner', 'Primary Associated Company ID'],
  },
  'registrants.csv': {
    columns: { user_name: 'Full Name', user_id: 'User ID', room_name: 'Meeting', is_owner: 'Host' },
    passthrough: ['Email', 'Registration Time', 'Approval Status'],
    tokens: [
      { r: 'weekly-demo', ud: 'u-1001', u: 'Alan Turing', o: true },
      { r: 'weekly-demo', ud: 'u-1002', u: 'Joan Clarke' },
    ],
    rejects: [
      ['4', 'Meeting: "Team Sync" has characters Daily does not allow in a room name (only A-Z a-z 0-9 - _)'],
      ['5', 'Host: "maybe" is not a boolean; use true/false, yes/no, y/n, t/f or 1/0'],
    ],
    warned: [],
  },
  'google-sheets.csv': {
    columns: { user_name: 'Name', room_name: 'Room', is_owner: 'Is Host', lang: 'Lang' },
    passthrough: ['E-mail'],
    tokens: [
      { r: 'orbit-room', u: 'Katherine Johnson', o: true, uil: 'en' },
      { r: 'orbit-room', u: 'Dorothy Vaughan', uil: 'fr' },
    ],
    rejects: [
      ['4', `Lang: "xx" is not one of Daily's values (da, de, en, es, fi, fr, it, jp, ka, nl, no, pt, pt-BR, pl, ru, sv, tr, user)`],
    ],
    warned: [],
  },
  'libreoffice.csv': {
    columns: { user_name: 'Display Name', room_name: 'Room Name', user_id: 'User-ID', is_owner: 'Moderator', expires_at: 'Expires At' },
    passthrough: ['Notes'],
    tokens: [
      { r: 'salon-1', ud: 'ec-1', u: 'Émilie du Châtelet', o: true, exp: Date.parse('2026-11-30T17:00:00Z') / 1000 },
      { r: 'salon-1', ud: 'sg-2', u: 'Sophie Germain' },
    ],
    rejects: [['4', 'Room Name: "salon 2" has characters Daily does not allow in a room name (only A-Z a-z 0-9 - _)']],
    warned: [],
  },
  'excel-csv-utf8.csv': {
    columns: { user_name: 'First Name + Last Name', room_name: 'Room', is_owner: 'Owner' },
    passthrough: ['First Name', 'Last Name', 'E-mail Address'],
    tokens: [
      { r: 'lab-7', u: 'Hedy Lamarr', o: true },
      { r: 'lab-7', u: 'Rosalind Franklin' },
    ],
    rejects: [],
    warned: [],
  },
};

async function runExport(fixture: string) {
  const dir = tempDir();
  const job = join(dir, 'export.yaml');
  const roster = join(EXPORTS, fixture);
  writeFileSync(job, `roster: ${roster}\nout: out\ndomain_id: ${DOMAIN_ID}\nmax_reject_ratio: 1\ndefaults: { room_name: weekly-demo }\n`);
  const result = await runCli(['run', job, '--now', NOW, '--json']);
  const out = join(dir, 'out');
  const base = join(
    out,
    readdirSync(out)
      .find((f) => f.endsWith('.manifest.json'))!
      .replace(/\.manifest\.json$/, ''),
  );
  return {
    result,
    json: JSON.parse(result.stdout) as { warnings: string[]; exit_code: number },
    manifest: JSON.parse(readFileSync(`${base}.manifest.json`, 'utf8')) as { roster: Record<string, unknown> },
    tokens: readCsv(`${base}.csv`),
    rejects: readCsv(`${base}.rejects.csv`),
    log: result.stderr,
  };
}

describe('rosters as exports write them (test/fixtures/exports)', () => {
  it.each(Object.entries(CASES))('%s: mapping, tokens, rejects and warnings', async (fixture, expected) => {
    const run = await runExport(fixture);
    expect(run.result.code).toBe(0);
    expect(run.manifest.roster).toMatchObject({ columns: expected.columns, passthrough: expected.passthrough });
    // Keys in roster order, as the log line and a check print them.
    expect(Object.keys(run.manifest.roster['columns'] as object)).toEqual(Object.keys(expected.columns));
    const claims = run.tokens.map((row) => {
      expect(hmacValid(row['token']!, KEY)).toBe(true);
      const { d, iat, exp, nbf, ...rest } = payloadOf(row['token']!);
      expect([d, iat, nbf]).toEqual([DOMAIN_ID, Date.parse(NOW) / 1000, undefined]);
      return 'exp' in (expected.tokens[run.tokens.indexOf(row)] ?? {}) ? { ...rest, exp } : rest;
    });
    expect(claims).toEqual(expected.tokens);
    expect(run.rejects.map((r) => [r['line'], r['reason']!.replace(/ \(the record runs over lines .*\)$/, '')])).toEqual(expected.rejects);
    const warned = run.json.warnings.filter((w) => w.includes('passes through unchanged')).map((w) => /^roster column "(.*?)"/.exec(w)![1]);
    expect(warned).toEqual(expected.warned);
    // The mapping is logged on every run.
    expect(run.log).toContain(`"columns":${JSON.stringify(expected.columns)}`);
  });
});

/** Signs `roster` by flags alone (no job file), logging at info; the tokens file's rows when one was published. */
async function sign(roster: string, args: string[]) {
  const dir = tempDir();
  writeFileSync(join(dir, 'r.csv'), roster);
  const out = join(dir, 'out');
  const result = await runCli(['run', '--roster', join(dir, 'r.csv'), '--out', out, '--domain-id', DOMAIN_ID, ...args]);
  const published = () => readdirSync(out).filter((f) => !f.startsWith('.'));
  return {
    result,
    published,
    tokens: () =>
      readCsv(
        join(
          out,
          published().find((f) => /Z\.csv$/.test(f))!,
        ),
      ),
  };
}

describe('header matching end to end', () => {
  it('Email Address,Room,Full Name,User ID gives tokens with u and ud', async () => {
    const { result, tokens } = await sign('Email Address,Room,Full Name,User ID\nada@example.org,demo,Ada Lovelace,u-1\n', []);
    expect(result.code).toBe(0);
    const [row] = tokens();
    expect(payloadOf(row!['token']!)).toMatchObject({ r: 'demo', u: 'Ada Lovelace', ud: 'u-1' });
    expect(row).toMatchObject({ 'Email Address': 'ada@example.org', user_name: 'Ada Lovelace', user_id: 'u-1' });
  });

  it('Email Address,Room,Display Nmae warns about Display Nmae; --strict-columns makes it exit 2 with nothing published', async () => {
    const roster = 'Email Address,Room,Display Nmae\nada@example.org,demo,Ada\n';
    const warned = await sign(roster, ['--json']);
    expect(warned.result.code).toBe(0);
    expect(JSON.parse(warned.result.stdout).warnings).toEqual([
      'roster column "Display Nmae" passes through unchanged but looks like user_name; to use it, give --column user_name="Display Nmae" (columns: { user_name: "Display Nmae" } in a job), or rename it in the roster',
    ]);

    const strict = await sign(roster, ['--strict-columns']);
    expect(strict.result.code).toBe(2);
    expect(strict.result.stderr.trim().split('\n').at(-1)).toBe(
      'meeting-tokens: strict_columns: roster column "Display Nmae" passes through unchanged but looks like user_name; to use it, give --column user_name="Display Nmae" (columns: { user_name: "Display Nmae" } in a job), or rename it in the roster',
    );
    expect(strict.published()).toEqual([]);

    const dir = tempDir();
    writeFileSync(join(dir, 'r.csv'), roster);
    writeFileSync(join(dir, 'strict.yaml'), `roster: r.csv\nout: out\ndomain_id: ${DOMAIN_ID}\nstrict_columns: true\n`);
    expect((await runCli(['run', join(dir, 'strict.yaml'), '--log-level', 'silent'])).code).toBe(2);
  });

  it('--column maps a header without a job file; a bad --column is one line, exit 2', async () => {
    const roster = 'Email,Room,Display Nmae,Badge\nada@example.org,demo,Ada,b-7\n';
    const { result, tokens } = await sign(roster, ['--column', 'user_name=Display Nmae', '--column', 'user_id=badge', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).warnings).toEqual([]);
    expect(payloadOf(tokens()[0]!['token']!)).toMatchObject({ u: 'Ada', ud: 'b-7' });

    for (const [flag, message] of [
      ['user_nme=Name', '--column user_nme=Name: "user_nme" is not a known column (did you mean user_name?)'],
      ['user_name=', '--column user_name=: no header; give user_name=<header>'],
      ['user_name=Nobody', 'columns.user_name: the roster has no column "Nobody"'],
    ] as const) {
      const bad = await sign(roster, ['--log-level', 'silent', '--column', flag]);
      expect(bad.result.code).toBe(2);
      expect(bad.result.stderr).toContain(`meeting-tokens: ${message}`);
      expect(bad.result.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('a roster column named like an output column is still refused when matching maps another header', async () => {
    const { result } = await sign('Meeting,room_name,Name\ndemo,x,Ada\n', ['--log-level', 'silent', '--column', 'room_name=Meeting']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `meeting-tokens: roster header: column 2 ("room_name") would pass through under the name of the tokens file's own room_name column; rename it in the roster\n`,
    );
    const ambiguous = await sign('Meeting,room_name,Name\ndemo,x,Ada\n', ['--log-level', 'silent']);
    expect(ambiguous.result.code).toBe(2);
    expect(ambiguous.result.stderr).toContain('columns 1 ("Meeting") and 2 ("room_name") both give room_name');
  });
});
