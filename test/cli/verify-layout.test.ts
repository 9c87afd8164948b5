// verify on batches written with an output layout: JSONL, split into parts, a mailer's own columns.
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { DOMAIN_ID, NOW, runCli, tempDir, writeFile } from '../helpers.js';

const ROSTER = [
  'email,room,name,id,owner',
  ...Array.from({ length: 9 }, (_, i) => `u${i}@example.com,demo,Name ${i},id-${i},${i % 2 ? 'yes' : 'no'}`),
].join('\n');

async function publish(block: string): Promise<{ out: string; files: string[]; manifest: string }> {
  const dir = tempDir();
  writeFile(dir, 'roster.csv', ROSTER + '\n');
  const job = writeFile(dir, 'batch.yaml', `roster: roster.csv\nout: out\noutput: ${block}\n`);
  const result = await runCli([
    'run',
    job,
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
  ]);
  expect(result.code).toBe(0);
  const out = join(dir, 'out');
  const files = readdirSync(out).sort();
  return {
    out,
    files,
    manifest: join(
      out,
      files.find((f) => f.endsWith('.manifest.json'))!,
    ),
  };
}

/** Records `file`'s new bytes and SHA-256 in the manifest, as if it had been published so. */
function rerecord(manifestPath: string, file: string): void {
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const bytes = readFileSync(file);
  const entry = [manifest.files.tokens, ...(manifest.files.parts ?? [])].find((f) => f && file.endsWith(f.name));
  entry.bytes = bytes.length;
  entry.sha256 = createHash('sha256').update(bytes).digest('hex');
  writeFileSync(manifestPath, JSON.stringify(manifest));
}

const verify = (file: string) => runCli(['verify', file, '--now', '2026-11-28T00:00:00Z']);

describe('verify with an output layout', () => {
  it('a split JSONL batch: given a part or the manifest, every part is checked against the manifest and every token verified', async () => {
    const { out, files, manifest } = await publish('{ profile: sendgrid, format: jsonl, split: { rows: 4 } }');
    const parts = files.filter((f) => f.includes('.part-'));
    expect(parts).toHaveLength(3);
    for (const given of [join(out, parts[1]!), manifest]) {
      const result = await verify(given);
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe(`${given}: 9 tokens, 9 valid, 0 bad signatures, 0 claim mismatches, 0 expired, 0 not yet valid\n`);
      expect(result.code).toBe(0);
    }
  });

  it('an edited part fails on its checksum; a JSONL name that is not what the token says fails as a claim mismatch', async () => {
    const { out, files, manifest } = await publish('{ profile: postmark, format: jsonl, split: { rows: 4 } }');
    const last = join(out, files.filter((f) => f.includes('.part-')).at(-1)!);
    writeFileSync(last, readFileSync(last, 'utf8').replace('Name 8', 'Name X'));
    const edited = await verify(manifest);
    expect(edited.code).toBe(1);
    expect(edited.stderr).toContain(`${last} is not the file ${manifest} records (truncated or edited?)`);
    rerecord(manifest, last);
    const mismatch = await verify(manifest);
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toContain(`${last} line 1: token claims differ from the row: user_name`);
    expect(mismatch.stdout).toContain('9 tokens, 8 valid, 0 bad signatures, 1 claim mismatch');
  });

  it("a CSV with a mail merge's columns (EMAIL, FNAME, JOINURL) verifies: the token is read from the join link, FNAME compared with the token's name", async () => {
    const { out, files } = await publish('{ columns: { email: EMAIL, user_name: FNAME, join_url: JOINURL } }');
    const tokens = join(
      out,
      files.find((f) => /Z\.csv$/.test(f))!,
    );
    const result = await verify(tokens);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('9 tokens, 9 valid');
    const manifestPath = join(
      out,
      files.find((f) => f.endsWith('.manifest.json'))!,
    );
    // Without the manifest's columns the same file is not a tokens file verify can read.
    writeFileSync(join(out, 'copy.csv'), readFileSync(tokens));
    const copy = await verify(join(out, 'copy.csv'));
    expect(copy.code).toBe(1);
    expect(copy.stderr).toContain('is not a tokens file');
    // A name changed in the file is a claim mismatch, after the manifest's checksum is set right.
    writeFileSync(tokens, readFileSync(tokens, 'utf8').replace(',Name 1,', ',Name Y,'));
    rerecord(manifestPath, tokens);
    const changed = await verify(tokens);
    expect(changed.code).toBe(1);
    expect(changed.stderr).toContain('token claims differ from the row: user_name');
  });
});
