import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadJob } from '../../src/config/load-job.js';
import { buildRunConfig } from '../../src/config/run-config.js';
import { exitCodeFor } from '../../src/errors.js';
import { runCli, tempDir, writeFile, DOMAIN_ID, NOW } from '../helpers.js';

function job(yaml: string) {
  return loadJob(writeFile(tempDir(), 'batch.yaml', yaml));
}

const BASE = `roster: r.csv\nout: out\ndomain_id: ${DOMAIN_ID}\n`;

describe('job files: the output: block', () => {
  it.each([
    [
      'an unknown profile, with the nearest one',
      'output: { profile: mailchimpp }',
      'output.profile: unknown profile "mailchimpp" (did you mean mailchimp?); profiles: generic, spreadsheet, mailchimp, sendgrid, ses, postmark, hubspot, braze',
    ],
    [
      'a profile nothing is near',
      'output: { profile: pigeon }',
      'output.profile: unknown profile "pigeon"; profiles: generic, spreadsheet',
    ],
    [
      'an unknown key, with the nearest one',
      'output: { profile: sendgrid, formt: csv }',
      'output.formt: unknown key (did you mean output.format?)',
    ],
    ['an unknown split key', 'output: { split: { row: 50 } }', 'output.split.row: unknown key (did you mean output.split.rows?)'],
    ['an unknown format', 'output: { format: xml }', 'output.format: Invalid option: expected one of "csv"|"jsonl"'],
    ['an empty split', 'output: { split: {} }', 'output.split: needs rows, bytes or both'],
    [
      'a column name the mailer refuses',
      'output: { profile: mailchimp, columns: { email: EMAIL, join_url: join_url } }',
      'output.columns: column 2 ("join_url"): Mailchimp merge tags are 1 to 10 characters: upper-case letters, digits and _ (e.g. JOINURL)',
    ],
    [
      'no email column where the mailer needs one',
      'output: { profile: sendgrid, columns: { join_url: join_url } }',
      "output.columns: no email column: SendGrid needs the recipient's email address; map the roster's email column to email in columns:",
    ],
    [
      'parts larger than the mailer takes',
      'output: { profile: hubspot, split: { rows: 1048576 } }',
      'output.split.rows: 1048576 rows and a header line are more than the 1048576 lines HubSpot takes a file',
    ],
    [
      'parts of more bytes than the mailer takes',
      'output: { profile: braze, split: { bytes: 600000000 } }',
      'output.split.bytes: 600000000 bytes are more than the 500000000 Braze takes a file',
    ],
  ])('refuses %s with a line naming the file and key', (_name, yaml, message) => {
    expect(() => job(`${BASE}${yaml}\n`)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    expect(() => job(`${BASE}${yaml}\n`)).toThrow(message);
  });

  it('takes a block the profile accepts, with defaults filled in', () => {
    expect(
      job(`${BASE}output: { profile: mailchimp, columns: { email: EMAIL, join_url: JOINURL }, split: { rows: 5000 } }\n`).job.output,
    ).toEqual({
      profile: 'mailchimp',
      format: 'csv',
      columns: { email: 'EMAIL', join_url: 'JOINURL' },
      split: { rows: 5000 },
    });
    expect(job(`${BASE}output: {}\n`).job.output).toEqual({ profile: 'generic', format: 'csv' });
  });

  it('merges --profile and --format over the block, and checks split against the profile the flag names (exit 2)', () => {
    const loaded = job(`${BASE}output: { profile: postmark, format: jsonl, split: { rows: 1048576 } }\n`);
    expect(buildRunConfig(loaded, {}).output).toEqual({
      profile: 'postmark',
      format: 'jsonl',
      columns: undefined,
      split: { rows: 1048576 },
      fileLimits: {},
    });
    // A dimension split: leaves out is the profile's file limit.
    expect(buildRunConfig(loaded, { profile: 'braze' }).output.split).toEqual({ rows: 1048576, bytes: 500_000_000 });
    expect(buildRunConfig(loaded, { format: 'csv' }).output.format).toBe('csv');
    let error: unknown;
    try {
      buildRunConfig(loaded, { profile: 'hubspot' });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({
      code: 'CONFIG_INVALID',
      message: `${loaded.file}: output.split: rows: 1048576 rows and a header line are more than the 1048576 lines HubSpot takes a file`,
    });
    expect(exitCodeFor(error)).toBe(2);
  });

  it("runs with a block that asks for today's file", () => {
    expect(buildRunConfig(job(`${BASE}output: { profile: generic, format: csv }\n`), {})).toMatchObject({ escapeFormulas: true });
  });

  it('the built CLI refuses a column name the profile named by --profile breaks, before signing anything: exit 2, one line', async () => {
    const dir = tempDir();
    writeFile(dir, 'r.csv', 'email,room\nada@example.com,demo\n');
    writeFile(dir, 'batch.yaml', `${BASE}domain_name: acme\noutput: { columns: { email: EMAIL, join_url: join_url } }\n`);
    const result = await runCli(['run', join(dir, 'batch.yaml'), '--profile', 'mailchimp', '--now', NOW, '--log-level', 'silent']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('batch.yaml: output: columns: column 2 ("join_url"): Mailchimp merge tags are 1 to 10 characters');
    expect(readdirSync(dir).sort()).toEqual(['batch.yaml', 'r.csv']);
  });
});
