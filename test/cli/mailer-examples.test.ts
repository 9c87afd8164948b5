import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TOKEN_COLUMNS } from '../../src/output/columns.js';
import { importTextField, mergeTags } from '../mailers/mailchimp-merge.js';
import { hmacValid, runCli, tempDir, KEY, NOW, ROOT } from '../helpers.js';

// The example jobs the README's "Feeding a mailing system" shows, run as a user would: each must
// publish every row of the roster in the columns its section describes, and the README must show
// each file as it is.
// Today's columns: the roster's passthrough columns, then the tokens file's own.
const TODAY = ['Email', 'First Name', 'Last Name', 'Time Zone', ...TOKEN_COLUMNS.filter((column) => column !== 'short_url')]; // short_url only with links:
const EXAMPLES: Record<string, { header: string[]; jsonl?: boolean; bom?: boolean; crlf?: boolean }> = {
  generic: { header: TODAY },
  spreadsheet: {
    header: TODAY,
    bom: true,
    crlf: true,
  },
  mailchimp: { header: ['EMAIL', 'FNAME', 'ROOM', 'TOKEN', 'JOINEXP'] },
  sendgrid: { header: ['email', 'first_name', 'join_url', 'join_expires'] },
  ses: { header: ['email', 'name', 'join_url', 'join_expires'], jsonl: true },
  postmark: { header: ['email', 'name', 'join_url', 'join_expires'], jsonl: true },
  hubspot: { header: ['Email', 'First Name', 'join_url', 'join_expires'] },
  braze: { header: ['external_id', 'email', 'first_name', 'room', 'token', 'join_expires'] },
};
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

describe('the example job of each profile', () => {
  it('has one file per profile, each shown in the README as it is', () => {
    expect(readdirSync(join(ROOT, 'jobs', 'examples')).sort()).toEqual(
      Object.keys(EXAMPLES)
        .map((name) => `${name}.yaml`)
        .sort(),
    );
    for (const name of Object.keys(EXAMPLES)) {
      const text = readFileSync(join(ROOT, 'jobs', 'examples', `${name}.yaml`), 'utf8');
      expect(README, `jobs/examples/${name}.yaml in the README`).toContain('```yaml\n' + text + '```');
    }
  });

  it.each(Object.entries(EXAMPLES))('%s publishes every row in the columns its section names', async (name, expected) => {
    const out = tempDir();
    const result = await runCli([
      'run',
      join(ROOT, 'jobs', 'examples', `${name}.yaml`),
      '--out',
      out,
      '--now',
      NOW,
      '--log-level',
      'silent',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('done: 5 tokens, 0 rejected');
    const file = readdirSync(out).find((f) => /Z(\.part-\d+)?\.(csv|jsonl)$/.test(f) && !f.includes('rejects'))!;
    const text = readFileSync(join(out, file), 'utf8');
    let rows: Record<string, string>[];
    if (expected.jsonl) {
      rows = text
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, string>);
      expect(Object.keys(rows[0]!)).toEqual(expected.header);
    } else {
      expect(text.startsWith('\uFEFF')).toBe(expected.bom === true);
      const eol = expected.crlf ? '\r\n' : '\n';
      const lines = text.replace(/^\uFEFF/, '').split(eol);
      expect(lines[0]).toBe(expected.header.join(','));
      expect(lines).toHaveLength(7);
      rows = lines.slice(1, 6).map((line) => Object.fromEntries(expected.header.map((h, i) => [h, line.split(',')[i]!])));
    }
    expect(rows).toHaveLength(5);
    if (name === 'mailchimp') {
      // The template the README gives, after Mailchimp's import: the link the email carries is whole.
      for (const row of rows) {
        const imported = Object.fromEntries(Object.entries(row).map(([tag, value]) => [tag, importTextField(value)]));
        expect(mergeTags('https://acme.daily.co/*|ROOM|*?t=*|TOKEN|*', imported)).toBe(`https://acme.daily.co/demo?t=${row['TOKEN']}`);
      }
    }
    // Every token the file carries verifies, however the template puts the link together.
    for (const row of rows) {
      const token = row['token'] ?? row['TOKEN'] ?? new URL(row['join_url']!).searchParams.get('t')!;
      expect(hmacValid(token, KEY)).toBe(true);
    }
  });
});
