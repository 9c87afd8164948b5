import { describe, expect, it } from 'vitest';
import { buildManifest, type ManifestInput } from '../../src/output/manifest.js';
import { TOOL } from '../../src/version.js';
import { NOW_S } from '../helpers.js';

const input = (extra: Partial<ManifestInput> = {}): ManifestInput => ({
  job: 'weekly',
  rosterPath: '/srv/rosters/weekly.csv',
  domainId: '9cb738e1-5a95-37f1-a517-0a18cf328a39',
  domainName: 'acme',
  escapeFormulas: true,
  keyFingerprint: 'abcd1234',
  keySource: 'DAILY_API_KEY',
  slot: '2026-11-27T10:00:00.000Z',
  startedAt: new Date('2026-11-27T10:00:00.500Z'),
  iat: NOW_S,
  roster: { bytes: 42, sha256: 'f'.repeat(64), delimiter: 'semicolon', encoding: 'windows-1252', bom: false },
  rosterColumns: { columns: { room_name: 'Room' }, passthrough: ['Owner'] },
  counts: { read: 3, written: 2, rejected: 1, expMin: NOW_S + 60, expMax: NOW_S + 120 },
  duplicates: { rows: 0, pairs: 0, first: [] },
  invariantOk: true,
  files: { tokens: { name: 't.csv', bytes: 10, sha256: 'a'.repeat(64) }, rejects: { name: 'r.csv', bytes: 5, sha256: 'b'.repeat(64) } },
  output: {
    profile: 'mailchimp',
    format: 'csv',
    columns: [{ name: 'EMAIL', source: 'email' }],
    escape_formulas: false,
    bom: false,
    line_ending: 'lf',
    split: { rows: 500, bytes: null },
  },
  ...extra,
});

describe('manifest fields', () => {
  it('a batch that was published: done, its counts, roster, expiry range, key by fingerprint only', () => {
    const m = buildManifest(input());
    expect(m).toEqual({
      job: 'weekly',
      run_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      slot: '2026-11-27T10:00:00.000Z',
      status: 'done',
      started_at: '2026-11-27T10:00:00.500Z',
      finished_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      issued_at: '2026-11-27T10:00:00Z',
      roster: {
        path: '/srv/rosters/weekly.csv',
        bytes: 42,
        sha256: 'f'.repeat(64),
        delimiter: 'semicolon',
        encoding: 'windows-1252',
        bom: false,
        columns: { room_name: 'Room' },
        passthrough: ['Owner'],
      },
      rows_read: 3,
      tokens_written: 2,
      rows_rejected: 1,
      duplicates: { rows: 0, pairs: 0, first: [] },
      invariant_ok: true,
      files: input().files,
      output: input().output,
      exp_min: '2026-11-27T10:01:00Z',
      exp_max: '2026-11-27T10:02:00Z',
      domain_id: '9cb738e1-5a95-37f1-a517-0a18cf328a39',
      domain_name: 'acme',
      key_fingerprint: 'abcd1234',
      key_source: 'DAILY_API_KEY',
      demo_key: false,
      escape_formulas: true,
      rooms: null,
      group_by: null,
      links: null,
      tool: TOOL,
    });
    expect(m).not.toHaveProperty('error');
    expect(buildManifest(input()).run_id).not.toBe(m.run_id);
  });

  it('too many rejects: failed, with the error; no token written: no expiry range; no domain name: null', () => {
    const m = buildManifest(
      input({
        tooManyMessage: '3 of 3 rows rejected',
        counts: { read: 3, written: 0, rejected: 3, expMin: Infinity, expMax: -Infinity },
        domainName: undefined,
      }),
    );
    expect(m).toMatchObject({
      status: 'failed',
      error: { code: 'TOO_MANY_REJECTS', message: '3 of 3 rows rejected' },
      exp_min: null,
      exp_max: null,
      domain_name: null,
    });
  });

  it('a batch signed with the demo key says so', () => {
    expect(buildManifest(input({ keySource: 'demo' })).demo_key).toBe(true);
  });
});
