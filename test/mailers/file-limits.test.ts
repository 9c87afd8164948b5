// A profile's file limits (SendGrid 1,000,000 contacts / 5 GB, HubSpot 1,048,576 lines / 512 MB,
// ...) hold for every published file, with or without split:. The limits are lowered through the
// environment (MEETING_TOKENS_MAX_FILE_ROWS / _BYTES) so that a few rows meet them.
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { DOMAIN_ID, NOW, runCli, tempDir, writeFile } from '../helpers.js';

const EMAILS = ['ada', 'bob', 'cy', 'dee', 'eve', 'fay', 'gus'].map((n) => `${n}@example.com`);
const ROSTER = ['email,room,name', ...EMAILS.map((e, i) => `${e},room-${i},Person ${i}`)].join('\n') + '\n';
const ARGS = ['--domain-id', DOMAIN_ID, '--domain-name', 'acme', '--ttl', '7d', '--now', NOW, '--log-level', 'silent'];

function job(output: string): { dir: string; file: string; out: string } {
  const dir = tempDir();
  writeFile(dir, 'roster.csv', ROSTER);
  return { dir, file: writeFile(dir, 'job.yaml', `roster: roster.csv\nout: out\noutput: ${output}\n`), out: join(dir, 'out') };
}

const published = (out: string): string[] => (existsSync(out) ? readdirSync(out).filter((f) => !f.startsWith('.')) : []);

describe('file limits without split: the run fails before publishing, naming the split: that fits', () => {
  it('hubspot, more rows than a file takes: exit 2, one line with split: { rows: N }, nothing published; check says the same', async () => {
    const { file, out } = job('{ profile: hubspot }');
    const env = { MEETING_TOKENS_MAX_FILE_ROWS: '5' };
    const result = await runCli(['run', file, ...ARGS], { env });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(
      'output: 7 rows and a header line are more than the 5 lines HubSpot takes a file; nothing was published; add split: { rows: 4 } to output:',
    );
    expect(published(out).filter((f) => /\.(csv|json)$/.test(f))).toEqual([]);

    const check = await runCli(['check', file, ...ARGS], { env });
    expect(check.code).toBe(2);
    expect(check.stdout + check.stderr).toContain('add split: { rows: 4 } to output:');

    // At the limit: one file, as ever.
    const fits = await runCli(['run', file, ...ARGS], { env: { MEETING_TOKENS_MAX_FILE_ROWS: '8' } });
    expect(fits.stderr).toBe('');
    expect(fits.code).toBe(0);
  });

  it('sendgrid, more bytes than a file takes: exit 2 naming split: { bytes: N }', async () => {
    const { file, out } = job('{ profile: sendgrid }');
    const result = await runCli(['run', file, ...ARGS], { env: { MEETING_TOKENS_MAX_FILE_BYTES: '1000' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^meeting-tokens: output: the tokens file is \d+ bytes, more than the 1000 SendGrid takes a file; nothing was published; add split: \{ bytes: 1000 \} to output:/m,
    );
    expect(published(out).filter((f) => /\.(csv|json)$/.test(f))).toEqual([]);
  });

  it('with group_by the limit counts recipient rows, not roster rows', async () => {
    const { file } = job('{ profile: hubspot, group_by: email }');
    const result = await runCli(['run', file, ...ARGS], { env: { MEETING_TOKENS_MAX_FILE_ROWS: '7' } });
    expect(result.stderr).toContain('7 rows and a header line are more than the 7 lines HubSpot takes a file');
    expect(result.code).toBe(2);
  });
});

describe('file limits with split: they fill in the dimension split: leaves out', () => {
  it('split: { bytes } alone on hubspot: no part has more lines than HubSpot takes', async () => {
    const { file, out } = job('{ profile: hubspot, split: { bytes: 100000 } }');
    const result = await runCli(['run', file, ...ARGS], { env: { MEETING_TOKENS_MAX_FILE_ROWS: '4' } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const manifest = JSON.parse(
      readFileSync(
        join(
          out,
          published(out).find((f) => f.endsWith('.manifest.json'))!,
        ),
        'utf8',
      ),
    );
    expect(manifest.files.tokens).toBeNull();
    const parts: { name: string }[] = manifest.files.parts;
    expect(parts.map((p) => p.name)).toEqual([1, 2, 3].map((n) => expect.stringMatching(new RegExp(`\\.part-00000${n}\\.csv$`))));
    const lines = parts.map((p) => readFileSync(join(out, p.name), 'utf8').trimEnd().split('\n').length);
    expect(lines).toEqual([4, 4, 2]);
    expect(manifest.output.split).toEqual({ rows: 3, bytes: 100000 });
  });

  it('a split: larger than the lowered limit is refused at start', async () => {
    const { file } = job('{ profile: hubspot, split: { rows: 10 } }');
    const result = await runCli(['run', file, ...ARGS], { env: { MEETING_TOKENS_MAX_FILE_ROWS: '4' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('output.split: rows: 10 rows and a header line are more than the 4 lines HubSpot takes a file');
  });

  it('a limit in the environment that is not a number is an error at start', async () => {
    const { file } = job('{ profile: hubspot }');
    const result = await runCli(['run', file, ...ARGS], { env: { MEETING_TOKENS_MAX_FILE_ROWS: 'many' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('MEETING_TOKENS_MAX_FILE_ROWS: "many" is not a whole number of at least 2');
  });
});
