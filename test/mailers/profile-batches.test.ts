// For every output profile, a batch written by the built CLI, checked against that mailer's
// documented rules (docs/mailers.md): header names, cell lengths, BOM, formula escaping, line
// endings; and with split, part names and sizes.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { DOMAIN_ID, NOW, runCli, tempDir, writeFile } from '../helpers.js';
import { PROFILE_NAMES, PROFILES, type ProfileName } from '../../src/output/profiles.js';
import { checkHeaderNames } from '../../src/output/profile-rules.js';
import { codePointLength } from '../../src/output/text-length.js';

// Short links (room only: 229 bytes) for most rows; one row with a name, a UUID and owner (324
// bytes, over Mailchimp's 255 bytes and Braze's 255 characters); a name that starts like a formula;
// non-Latin names.
const ROSTER = [
  'email,room,name,id,owner,phone',
  'ada@example.com,demo,,,,+49 30 1234',
  'bob@example.com,demo,Bob Builder,9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f,yes,',
  'cy@example.com,demo,=A1,,,',
  'dee@example.com,demo,Zoë 😀,,,',
  'eve@example.com,demo,,,,',
].join('\n');

async function batch(profile: ProfileName, extra: string[] = [], roster = ROSTER) {
  const dir = tempDir();
  writeFile(dir, 'roster.csv', roster + '\n');
  const out = join(dir, 'out');
  const result = await runCli([
    'run',
    '--roster',
    join(dir, 'roster.csv'),
    '--out',
    out,
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
    '--profile',
    profile,
    ...extra,
  ]);
  const files = readdirSync(out).sort();
  const manifestName = files.find((f) => f.endsWith('.manifest.json'));
  const manifest = manifestName ? JSON.parse(readFileSync(join(out, manifestName), 'utf8')) : undefined;
  return { result, out, files, manifest };
}

const csvRecords = (bytes: Buffer): string[][] => parse(bytes, { bom: true, record_delimiter: ['\r\n', '\n'] }) as string[][];

describe.each(PROFILE_NAMES)('profile %s: a batch the mailer takes as it is', (name) => {
  const profile = PROFILES[name];

  it('header names, BOM, line endings, formula escaping and every cell within the limit; rows over it rejected with the reason', async () => {
    const { result, out, manifest } = await batch(name);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const bytes = readFileSync(join(out, manifest.files.tokens.name));
    // BOM exactly where the profile says.
    expect(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(profile.bom);
    // Every line ends the profile's way: no bare LF in a CRLF file, no CR in an LF file (cells hold no line breaks here).
    const text = bytes.toString('utf8');
    if (profile.lineEnding === '\r\n') expect(text.split('\r\n').every((l) => !l.includes('\n'))).toBe(true);
    else expect(text).not.toContain('\r');
    expect(text.endsWith(profile.lineEnding)).toBe(true);

    const [header, ...rows] = csvRecords(bytes);
    expect(checkHeaderNames(profile, header!)).toEqual([]);
    expect(manifest.output).toMatchObject({ profile: name, format: 'csv', bom: profile.bom, escape_formulas: profile.escapeFormulas });
    expect(manifest.output.columns.map((c: { name: string }) => c.name)).toEqual(header);

    // Every cell of every row fits the profile's limit.
    const limit = profile.cellLimit;
    for (const row of rows) {
      for (const cell of row) {
        if (limit) expect(limit.unit === 'bytes' ? Buffer.byteLength(cell) : codePointLength(cell)).toBeLessThanOrEqual(limit.max);
      }
    }
    // The formula-like name: escaped with a leading ' only where the profile escapes formulas.
    const nameColumn = header!.indexOf(profile.columns?.['user_name'] ?? 'user_name');
    const names = rows.map((r) => r[nameColumn]);
    expect(names).toContain(profile.escapeFormulas ? "'=A1" : '=A1');
    expect(names).toContain('Zoë 😀');

    // Rows over the limit are rejected, never clipped: Bob's 324-byte link under Mailchimp and Braze.
    const rejects = csvRecords(readFileSync(join(out, manifest.files.rejects.name)));
    expect(manifest.rows_read).toBe(manifest.tokens_written + manifest.rows_rejected);
    if (limit && limit.max < 324) {
      const joinColumn = profile.columns!['join_url']!;
      expect(rejects.slice(1)).toEqual([
        [
          '3',
          `${joinColumn}: 324 ${limit.unit}, ${profile.label} ${limit.verb} ${limit.max}; use short links (links:)`,
          'bob@example.com',
          'demo',
          'Bob Builder',
          '9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f',
          'yes',
          '',
        ],
      ]);
      expect(rows).toHaveLength(4);
    } else {
      expect(rejects).toHaveLength(1);
      expect(rows).toHaveLength(5);
    }
  });

  it('split: numbered parts that sort as they are numbered, each within both limits, each with the header; the manifest lists them all', async () => {
    const { result, out, files, manifest } = await batch(name, [], ROSTER);
    expect(result.code).toBe(0);
    const whole = readFileSync(join(out, manifest.files.tokens.name));
    const headLength = whole.indexOf(Buffer.from(profile.lineEnding)) + profile.lineEnding.length;
    const rowBytes = whole.length - headLength;
    const maxBytes = headLength + Math.ceil(rowBytes / 2);
    const dir = tempDir();
    const job = writeFile(
      dir,
      'split.yaml',
      `roster: roster.csv\nout: out\noutput: { profile: ${name}, split: { rows: 2, bytes: ${maxBytes} } }\n`,
    );
    writeFile(dir, 'roster.csv', ROSTER + '\n');
    const split = await runCli([
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
    expect(split.stderr).toBe('');
    expect(split.code).toBe(0);
    const splitOut = join(dir, 'out');
    const splitManifest = JSON.parse(
      readFileSync(
        join(
          splitOut,
          readdirSync(splitOut).find((f) => f.endsWith('.manifest.json'))!,
        ),
        'utf8',
      ),
    );
    const parts: { name: string; bytes: number; sha256: string }[] = splitManifest.files.parts;
    expect(splitManifest.files.tokens).toBeNull();
    expect(parts.length).toBeGreaterThanOrEqual(2);
    expect(parts.map((p) => p.name)).toEqual(
      readdirSync(splitOut)
        .filter((f) => f.includes('.part-'))
        .sort(),
    );
    expect(parts.map((p) => p.name)).toEqual(
      parts.map((_, i) => expect.stringMatching(new RegExp(`\\.part-${String(i + 1).padStart(6, '0')}\\.csv$`))),
    );
    const rows: string[][] = [];
    for (const part of parts) {
      const bytes = readFileSync(join(splitOut, part.name));
      expect(part.bytes).toBe(bytes.length);
      expect(part.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(bytes.length).toBeLessThanOrEqual(maxBytes);
      expect(bytes.subarray(0, headLength).equals(whole.subarray(0, headLength))).toBe(true);
      const [, ...partRows] = csvRecords(bytes);
      expect(partRows.length).toBeGreaterThan(0);
      expect(partRows.length).toBeLessThanOrEqual(2);
      rows.push(...partRows);
    }
    // The parts, read in name order, hold the unsplit file's rows in order (tokens differ by nothing: same clock and key).
    expect(rows).toEqual(csvRecords(whole).slice(1));
    expect(files.filter((f) => f.includes('.part-'))).toEqual([]);
  });
});
