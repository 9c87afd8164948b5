// The manifest, the run's JSON result and check describe the rows that were published: a row
// rejected after signing (over max_links_per_recipient, an email a mailer keeps once, a cell over
// the profile's limit) counts as a reject and its exp is not in exp_min / exp_max.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { DOMAIN_ID, NOW, payloadOf, readCsv, runCli, tempDir, writeFile } from '../helpers.js';
import { join } from 'node:path';

const iso = (exp: number): string => new Date(exp * 1000).toISOString().replace('.000Z', 'Z');
const ARGS = ['--domain-id', DOMAIN_ID, '--domain-name', 'acme', '--ttl', '7d', '--max-ttl', '30d', '--now', NOW, '--log-level', 'silent'];

// Ada's first row and Bob's are published; Ada's later rows (the latest and the earliest exp of the
// roster) are over a limit of one link, or repeat her email for a mailer that keeps one row per address.
const ROSTER = [
  'email,room,expires_at',
  'ada@example.com,room-a,2026-12-04T10:00:00Z',
  'bob@example.com,room-b,2026-11-30T10:00:00Z',
  'ADA@example.com,room-c,2026-12-20T10:00:00Z',
  'ada@example.com,room-d,2026-11-28T10:00:00Z',
].join('\n');

async function runAndCheck(roster: string, extra: string[]) {
  const dir = tempDir();
  writeFile(dir, 'roster.csv', roster + '\n');
  const args = ['--roster', join(dir, 'roster.csv'), ...ARGS, ...extra];
  const run = await runCli(['run', '--out', join(dir, 'out'), '--json', ...args]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const result = JSON.parse(run.stdout);
  const manifest = JSON.parse(readFileSync(result.manifest ?? result.files?.manifest ?? findManifest(run.stdout), 'utf8'));
  const check = await runCli(['check', '--json', ...args]);
  expect(check.code).toBe(0);
  return { manifest, result, check: JSON.parse(check.stdout), out: join(dir, 'out') };
}

function findManifest(stdout: string): string {
  return /"([^"]+\.manifest\.json)"/.exec(stdout)![1]!;
}

/** The exp of every token in a published CSV: from its exp columns, else from the tokens in its join links. */
function publishedExps(file: string): number[] {
  const rows = readCsv(file);
  const withExp = Object.keys(rows[0] ?? {}).some((column) => /^exp(_\d+)?$/.test(column));
  const exps: number[] = [];
  for (const row of rows) {
    for (const [column, value] of Object.entries(row)) {
      if (value === '') continue;
      if (withExp && /^exp(_\d+)?$/.test(column)) exps.push(Number(value));
      else if (!withExp && /^join_?url(_\d+)?$/i.test(column)) exps.push(payloadOf(value.slice(value.indexOf('?t=') + 3))['exp'] as number);
    }
  }
  return exps;
}

function expectAgree(manifest: Record<string, unknown>, check: Record<string, unknown>, exps: number[]): void {
  expect(exps.length).toBe(manifest['tokens_written']);
  expect(manifest['exp_min']).toBe(iso(Math.min(...exps)));
  expect(manifest['exp_max']).toBe(iso(Math.max(...exps)));
  expect(check['exp_min']).toBe(manifest['exp_min']);
  expect(check['exp_max']).toBe(manifest['exp_max']);
  expect(check['would_get_tokens']).toBe(manifest['tokens_written']);
  expect(check['rows_rejected']).toBe(manifest['rows_rejected']);
  expect(manifest['rows_read']).toBe((manifest['tokens_written'] as number) + (manifest['rows_rejected'] as number));
}

describe('exp_min / exp_max and the counts describe only published rows', () => {
  it('group_by email, max_links_per_recipient 1: the rows over the limit are in neither count nor exp range', async () => {
    const { manifest, check, out } = await runAndCheck(ROSTER, ['--group-by', 'email', '--max-links-per-recipient', '1']);
    const exps = publishedExps(join(out, manifest.files.tokens.name));
    expect(exps.map(iso).sort()).toEqual(['2026-11-30T10:00:00Z', '2026-12-04T10:00:00Z']);
    expectAgree(manifest, check, exps);
    expect(manifest).toMatchObject({ tokens_written: 2, rows_rejected: 2 });
    expect(manifest.group_by).toMatchObject({ recipients: 2, rows_over_limit: 2 });
  });

  it('sendgrid without group_by: repeats of an email are rejected, and their exps left out', async () => {
    const { manifest, check, out } = await runAndCheck(ROSTER, ['--profile', 'sendgrid', '--max-reject-ratio', '1']);
    const exps = publishedExps(join(out, manifest.files.tokens.name));
    expect(exps.map(iso).sort()).toEqual(['2026-11-30T10:00:00Z', '2026-12-04T10:00:00Z']);
    expectAgree(manifest, check, exps);
    const rejects = readFileSync(join(out, manifest.files.rejects.name), 'utf8');
    expect(rejects).toContain('group_by: email');
  });

  it('mailchimp: a row whose cell is over 255 bytes is rejected, and its exp left out', async () => {
    const roster = [
      'email,room,expires_at,name,id',
      'ada@example.com,room-a,2026-12-04T10:00:00Z,,',
      'bob@example.com,room-b,2026-12-20T10:00:00Z,Bob Builder,9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f',
    ].join('\n');
    const { manifest, check, out } = await runAndCheck(roster, ['--profile', 'mailchimp', '--max-reject-ratio', '1']);
    const exps = publishedExps(join(out, manifest.files.tokens.name));
    expect(exps).toHaveLength(1);
    expectAgree(manifest, check, exps);
    expect(manifest.exp_max).toBe('2026-12-04T10:00:00Z');
  });
});
