// For every output profile, the rule its mailer's import keys on (docs/mailers.md): Mailchimp,
// SendGrid, SES and HubSpot keep one contact per email address, compared ignoring case; Braze one
// user per external_id; Postmark, generic and spreadsheet files are messages or rows, every one kept.
// The published file never holds two rows the mailer takes for one; the later ones are rejects that
// say to use group_by. The API mailers' JSONL lines carry the same keys, in parts of their batch size.
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { DOMAIN_ID, NOW, runCli, tempDir, writeFile } from '../helpers.js';
import { PROFILE_NAMES, PROFILES, type ProfileName } from '../../src/output/profiles.js';
import { checkHeaderNames } from '../../src/output/profile-rules.js';

// Line 3 repeats Ada's address in other case and with a trailing space; line 4 repeats her user id.
const ROSTER = [
  'email,room,id',
  'ada@example.com,demo,u-1',
  'ADA@example.com ,demo,u-2',
  'bob@example.com,demo,u-1',
  'cy@example.com,demo,u-3',
]
  .join('\n')
  .concat('\n');
const ARGS = ['--domain-id', DOMAIN_ID, '--domain-name', 'acme', '--ttl', '7d', '--now', NOW, '--log-level', 'silent'];

async function batch(profile: ProfileName, output: string) {
  const dir = tempDir();
  writeFile(dir, 'roster.csv', ROSTER);
  const job = writeFile(dir, 'job.yaml', `roster: roster.csv\nout: out\nmax_reject_ratio: 1\noutput: { profile: ${profile}${output} }\n`);
  const result = await runCli(['run', job, ...ARGS]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const out = join(dir, 'out');
  const manifest = JSON.parse(
    readFileSync(
      join(
        out,
        readdirSync(out).find((f) => f.endsWith('.manifest.json'))!,
      ),
      'utf8',
    ),
  );
  const rejects = (parse(readFileSync(join(out, manifest.files.rejects.name))) as string[][]).slice(1);
  return { out, manifest, rejects };
}

/** Which roster lines each profile's file keeps, and which it rejects as a repeat of its key. */
function expected(profile: ProfileName): { kept: number[]; repeats: number[] } {
  switch (PROFILES[profile].uniqueBy) {
    case 'email':
      return { kept: [2, 4, 5], repeats: [3] };
    case 'user_id':
      return { kept: [2, 3, 5], repeats: [4] };
    default:
      return { kept: [2, 3, 4, 5], repeats: [] };
  }
}

describe.each(PROFILE_NAMES)('profile %s: the rows its mailer keys on', (name) => {
  const profile = PROFILES[name];
  const keyColumn = profile.uniqueBy !== undefined ? profile.columns![profile.uniqueBy]! : undefined;

  it('a CSV file with each key once; a repeat is a reject naming group_by', async () => {
    const { out, manifest, rejects } = await batch(name, '');
    const [header, ...rows] = parse(readFileSync(join(out, manifest.files.tokens.name)), { bom: true }) as string[][];
    expect(checkHeaderNames(profile, header!)).toEqual([]);
    const { kept, repeats } = expected(name);
    expect(rows).toHaveLength(kept.length);
    expect(rejects.map((r) => Number(r[0]))).toEqual(repeats);
    for (const reject of rejects) expect(reject[1]).toContain(`group_by: ${profile.uniqueBy}`);
    if (keyColumn !== undefined) {
      const at = header!.indexOf(keyColumn);
      const keys = rows.map((r) => (profile.uniqueBy === 'email' ? r[at]!.trim().toLowerCase() : r[at]!));
      expect(new Set(keys).size).toBe(keys.length);
    }
    expect(manifest).toMatchObject({ rows_read: 4, tokens_written: kept.length, rows_rejected: repeats.length });
  });
});

const API_PROFILES = PROFILE_NAMES.filter((name) => PROFILES[name].apiBatch !== undefined);

describe.each(API_PROFILES)('profile %s: JSONL for its send API', (name) => {
  const profile = PROFILES[name];
  const keyColumn = profile.uniqueBy !== undefined ? profile.columns![profile.uniqueBy]! : undefined;

  it('JSONL in parts of the API batch size: the same keys, each once', async () => {
    const { out, manifest } = await batch(name, `, format: jsonl, split: { rows: ${profile.apiBatch} }`);
    const lines = manifest.files.parts.flatMap((part: { name: string }) =>
      readFileSync(join(out, part.name), 'utf8').trimEnd().split('\n'),
    );
    for (const part of manifest.files.parts) {
      expect(readFileSync(join(out, part.name), 'utf8').trimEnd().split('\n').length).toBeLessThanOrEqual(profile.apiBatch!);
    }
    const objects = lines.map((line: string) => JSON.parse(line) as Record<string, string>);
    expect(objects).toHaveLength(expected(name).kept.length);
    for (const object of objects) expect(checkHeaderNames(profile, Object.keys(object))).toEqual([]);
    if (keyColumn !== undefined) {
      const keys = objects.map((o: Record<string, string>) => o[keyColumn]!.trim().toLowerCase());
      expect(new Set(keys).size).toBe(keys.length);
    }
  });
});
