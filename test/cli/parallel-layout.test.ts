import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir, DOMAIN_ID, NOW } from '../helpers.js';

/** ~1.5 MB: names in many scripts, some over a mailer's limit, a bad row now and then. */
function roster(rows: number): string {
  const names = ['Ada', 'Zoë 😀', '=A1', 'Ωμέγα', '"Lovelace, Ada"', '李小龍', 'A'.repeat(40)];
  const lines = ['email,room,name,owner'];
  for (let i = 0; i < rows; i++) {
    const room = i % 499 === 1 ? 'bad room' : `room-${i % 300}`;
    lines.push(`user${i}@example.com,${room},${names[i % names.length]},${i % 50 === 0 ? 'yes' : 'no'}`);
  }
  return lines.join('\n') + '\n';
}

describe('parallel signing with an output layout', () => {
  it.each([
    ['spreadsheet CSV split by rows', ['--profile', 'spreadsheet'], '{ profile: spreadsheet, split: { rows: 3000 } }'],
    ['Mailchimp CSV (rows over 255 bytes rejected)', [], '{ profile: mailchimp }'],
    ['Postmark JSONL split by bytes', [], '{ profile: postmark, format: jsonl, split: { bytes: 400000 } }'],
  ])(
    '%s: byte-identical parts, rejects and file list with 0, 1, 2 and 4 worker threads',
    { timeout: 300_000 },
    async (_name, flags, block) => {
      const dir = tempDir();
      writeFileSync(join(dir, 'roster.csv'), roster(20_000));
      const outputs: Record<string, { files: Record<string, Buffer>; manifest: Record<string, unknown> }> = {};
      for (const workers of ['0', '1', '2', '4']) {
        const out = `out-${workers}`;
        writeFileSync(join(dir, `job-${workers}.yaml`), `roster: roster.csv\nout: ${out}\nmax_reject_ratio: 1\noutput: ${block}\n`);
        const result = await runCli([
          'run',
          join(dir, `job-${workers}.yaml`),
          '--domain-id',
          DOMAIN_ID,
          '--domain-name',
          'acme',
          '--now',
          NOW,
          '--log-level',
          'silent',
          '--workers',
          workers,
          ...flags,
        ]);
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        const names = readdirSync(join(dir, out)).sort();
        const manifestName = names.find((n) => n.endsWith('.manifest.json'))!;
        outputs[workers] = {
          files: Object.fromEntries(
            names.filter((n) => n !== manifestName).map((n) => [n.replace(`job-${workers}`, 'job'), readFileSync(join(dir, out, n))]),
          ),
          manifest: JSON.parse(readFileSync(join(dir, out, manifestName), 'utf8')),
        };
      }
      const single = outputs['0']!;
      expect(single.manifest['rows_read']).toBe(20_000);
      expect(Number(single.manifest['tokens_written']) + Number(single.manifest['rows_rejected'])).toBe(20_000);
      expect(Number(single.manifest['rows_rejected'])).toBeGreaterThan(0);
      for (const [workers, output] of Object.entries(outputs)) {
        expect(Object.keys(output.files), `files with ${workers} workers`).toEqual(Object.keys(single.files));
        for (const [name, bytes] of Object.entries(output.files))
          expect(bytes.equals(single.files[name]!), `${name} with ${workers} workers`).toBe(true);
      }
    },
  );
});
