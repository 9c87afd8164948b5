import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { planColumns } from '../../src/claims/column-plan.js';
import { createChunkContext, processRecords, type ChunkSpec } from '../../src/pipeline/process-chunk.js';
import { buildLayout, type OutputFormat } from '../../src/output/layout.js';
import { fileHead, rowCells } from '../../src/output/row-cells.js';
import { PROFILES, type ProfileName } from '../../src/output/profiles.js';
import { DOMAIN_ID, KEY } from '../helpers.js';

const IAT = 1795773600;
const JOIN_BASE = 'https://acme.daily.co/';
const HEADER = ['email', 'room', 'name', 'note'];

// Names and notes of any Unicode (emoji, combining marks, RTL, quotes, commas, line breaks, formula
// starts, control characters, backslashes). No lone surrogates: roster text is decoded from bytes
// and never holds one (the JSON writer's own test covers them).
const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ unit: 'grapheme-ascii', maxLength: 20 }),
  fc.constantFrom(
    'a,b',
    'say "hi"',
    'back\\slash',
    'tab\tbell\u0007',
    'two\nlines',
    'x\r\ny',
    '=1+1',
    '+49 30 1234',
    '-5',
    '@x',
    '',
    '__proto__',
  ),
);
const row = fc.record({ email: fc.emailAddress(), room: fc.stringMatching(/^[a-z0-9-]{1,12}$/), name: text, note: text });

function spec(profile: ProfileName, format: OutputFormat, columns?: Record<string, string>, escape = true): ChunkSpec {
  const plan = planColumns(HEADER, { roomOptional: false });
  return {
    plan,
    settings: { domainId: DOMAIN_ID, iat: IAT, ttlSeconds: 86400, maxTtlSeconds: 30 * 86400, allowAllRooms: false, defaults: new Map() },
    joinBase: JOIN_BASE,
    escapeFormulas: escape,
    layout: buildLayout({ profile, format, columns, escapeFormulas: escape, plan, joinBase: JOIN_BASE }),
    apiKey: KEY,
    delimiter: 44,
    encoding: 'utf-8',
  };
}

function run(rows: string[][], s: ChunkSpec) {
  const records = rows.map((fields, i) => ({ fields, line: i + 2, endLine: i + 2, stray: -1 }));
  return processRecords(records, createChunkContext(s));
}

const ALL_COLUMNS = {
  email: 'email',
  room_name: 'room',
  user_name: 'name',
  note: 'note',
  user_id: 'id',
  is_owner: 'owner',
  token: 'token',
  join_url: 'link',
  not_before: 'nbf',
  expires_at: 'expires',
  exp: 'exp',
};

describe('output layout (property)', () => {
  it('for every profile and both formats: rows read = rows written + rejected, and JSONL objects carry exactly the CSV cells', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 12 }), fc.constantFrom(...(Object.keys(PROFILES) as ProfileName[])), (rows, profile) => {
        const fields = rows.map((r) => [r.email, r.room, r.name, r.note]);
        // Mailer profiles take the columns their header rule allows: upper case for Mailchimp.
        const columns =
          profile === 'mailchimp'
            ? { email: 'EMAIL', user_name: 'FNAME', note: 'NOTE', join_url: 'JOINURL' }
            : profile === 'braze'
              ? { user_id: 'external_id', email: 'email', user_name: 'name', note: 'note', join_url: 'join_url' }
              : { email: 'email', user_name: 'name', note: 'note', join_url: 'join_url', expires_at: 'expires_at' };
        const csv = run(fields, spec(profile, 'csv', columns, false));
        const jsonl = run(fields, spec(profile, 'jsonl', columns, false));
        expect(csv.written + csv.rejected).toBe(rows.length);
        expect(jsonl.written + jsonl.rejected).toBe(rows.length);
        expect(jsonl.written).toBe(csv.written);
        expect(jsonl.rejects).toBe(csv.rejects);
        const names = Object.values(columns);
        const csvText = Buffer.from(csv.tokens).toString();
        const csvRows = parse(csvText, { relax_quotes: false, record_delimiter: ['\r\n', '\n'] }) as string[][];
        const jsonRows = Buffer.from(jsonl.tokens)
          .toString()
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => JSON.parse(line) as Record<string, string>);
        expect(jsonRows.map((o) => Object.keys(o))).toEqual(jsonRows.map(() => names));
        expect(jsonRows.map((o) => Object.values(o))).toEqual(csvRows);
      }),
      { numRuns: 200, seed: 13 },
    );
  });

  it('generic CSV with its own columns is byte-identical to the hand-written row writer, formula escapes included', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 12 }), fc.boolean(), (rows, escape) => {
        const fields = rows.map((r) => [r.email, r.room, r.name, r.note]);
        const plain = spec('generic', 'csv', undefined, escape);
        expect(plain.layout!.plain).toBe(true);
        // The same columns, named by hand: the general cell path.
        const named = Object.fromEntries(plain.layout!.columns.map((c) => [c.source === 'roster' ? HEADER[c.index!]! : c.source, c.name]));
        const general = spec('generic', 'csv', named, escape);
        expect(general.layout!.plain).toBe(false);
        expect(fileHead(general.layout!)).toBe(fileHead(plain.layout!));
        expect(Buffer.from(run(fields, general).tokens).toString()).toBe(Buffer.from(run(fields, plain).tokens).toString());
      }),
      { numRuns: 200, seed: 17 },
    );
  });

  it('every source a job can name gives its cell, in the order the job names them', () => {
    const fields = ['ada@example.com', 'demo', 'Ada', 'n'];
    const s = spec('generic', 'csv', ALL_COLUMNS, false);
    const row = {
      fields,
      room: 'demo',
      claims: { u: 'Ada', ud: 'u1', o: true },
      token: 't',
      joinBase: JOIN_BASE,
      nbf: 4,
      exp: 5,
      expIso: 'E',
      line: 2,
    };
    expect(rowCells(s.layout!, row)).toEqual([
      'ada@example.com',
      'demo',
      'Ada',
      'n',
      'u1',
      'true',
      't',
      `${JOIN_BASE}demo?t=t`,
      '1970-01-01T00:00:04Z',
      'E',
      '5',
    ]);
    expect(s.layout!.columns.map((c) => c.name)).toEqual(Object.values(ALL_COLUMNS));
  });
});
