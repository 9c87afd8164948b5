import { describe, expect, it } from 'vitest';
import { ByteWriter } from '../../src/output/byte-writer.js';
import { checkOutputHeaders, rejectsHeader, tokensHeader, writeTokenRow } from '../../src/output/columns.js';
import type { ColumnPlan } from '../../src/claims/column-plan.js';

const plan = (headers: string[], passthrough: number[]): ColumnPlan => ({
  headers,
  room: 0,
  notBefore: -1,
  expiresAt: -1,
  properties: new Map(),
  userNameParts: undefined,
  passthrough,
});

function row(
  args: Partial<{
    room: string;
    claims: Record<string, unknown>;
    joinBase: string;
    nbf: number;
    escape: boolean;
    fields: string[];
    shortUrl: string;
  }>,
) {
  const out = new ByteWriter(16);
  const p = plan(['room', 'team', 'note'], [1, 2]);
  writeTokenRow(
    out,
    p,
    args.fields ?? ['r1', 'blue', 'hi, there'],
    args.room ?? 'r1',
    args.claims ?? {},
    'TOKEN',
    args.joinBase,
    args.nbf,
    '2026-11-28T10:00:00Z',
    1795860000,
    args.escape ?? true,
    args.shortUrl,
  );
  return out.bytes().toString('utf8');
}

describe('token rows', () => {
  it('the header: passthrough columns, then the token columns, join_url only with a domain', () => {
    const p = plan(['room', 'team'], [1]);
    expect(tokensHeader(p, true)).toEqual([
      'team',
      'room_name',
      'user_name',
      'user_id',
      'is_owner',
      'token',
      'join_url',
      'not_before',
      'expires_at',
      'exp',
    ]);
    expect(tokensHeader(p, false)).toEqual([
      'team',
      'room_name',
      'user_name',
      'user_id',
      'is_owner',
      'token',
      'not_before',
      'expires_at',
      'exp',
    ]);
  });

  it('with links: short_url after join_url, in the header and in the row (empty for a row without a link)', () => {
    const p = plan(['room', 'team'], [1]);
    expect(tokensHeader(p, true, true).slice(5)).toEqual(['token', 'join_url', 'short_url', 'not_before', 'expires_at', 'exp']);
    expect(tokensHeader(p, false, true).slice(5)).toEqual(['token', 'short_url', 'not_before', 'expires_at', 'exp']);
    expect(row({ joinBase: 'https://acme.daily.co/', shortUrl: 'https://j.example/j/abc' })).toBe(
      'blue,"hi, there",r1,,,false,TOKEN,https://acme.daily.co/r1?t=TOKEN,https://j.example/j/abc,,2026-11-28T10:00:00Z,1795860000\n',
    );
    expect(row({ shortUrl: '' })).toBe('blue,"hi, there",r1,,,false,TOKEN,,,2026-11-28T10:00:00Z,1795860000\n');
  });

  it('a row in header order, cells quoted where they must be', () => {
    expect(row({ claims: { u: 'Ada, Lovelace', ud: 'a1', o: true }, joinBase: 'https://acme.daily.co/', nbf: 1795850000 })).toBe(
      'blue,"hi, there",r1,"Ada, Lovelace",a1,true,TOKEN,https://acme.daily.co/r1?t=TOKEN,2026-11-28T07:13:20Z,2026-11-28T10:00:00Z,1795860000\n',
    );
  });

  it('missing name and id are empty cells, an owner only when true, no join link for the token of every room', () => {
    expect(row({ room: '', claims: { o: 'true' }, joinBase: 'https://acme.daily.co/' })).toBe(
      'blue,"hi, there",,,,false,TOKEN,,,2026-11-28T10:00:00Z,1795860000\n',
    );
    expect(row({ claims: { o: false } })).toBe('blue,"hi, there",r1,,,false,TOKEN,,2026-11-28T10:00:00Z,1795860000\n');
  });

  it('formula-looking cells get a leading quote only when asked', () => {
    const fields = ['-r', '=cmd', '@x'];
    expect(row({ room: '-r', fields, claims: { u: '+1' } })).toMatch(/^'=cmd,'@x,'-r,'\+1,,false,/);
    expect(row({ room: '-r', fields, claims: { u: '+1' }, escape: false })).toMatch(/^=cmd,@x,-r,\+1,,false,/);
  });
});

describe('rejects header', () => {
  it("is line and reason, then the roster's own columns", () => {
    expect(rejectsHeader(['room', 'name'])).toEqual(['line', 'reason', 'room', 'name']);
  });

  it('a roster column named like one of them is refused, naming the column', () => {
    expect(() => checkOutputHeaders(plan(['room', 'Reason '], [1]))).toThrow(
      expect.objectContaining({ code: 'ROSTER_HEADER', context: { column: 'Reason ' } }),
    );
  });
});

describe('byte writer', () => {
  it('keeps every byte of text longer than its buffer, multi-byte characters included', () => {
    const out = new ByteWriter(4);
    const parts = ['ab', 'Zoë 🎉', 'x'.repeat(100), '', 'é'.repeat(50), 'end'];
    for (const part of parts) out.write(part);
    expect(out.bytes().toString('utf8')).toBe(parts.join(''));
    expect(out.bytes().length).toBe(Buffer.byteLength(parts.join('')));
  });

  it('starts large enough for a chunk of rows without growing', () => {
    const out = new ByteWriter();
    const text = 'é'.repeat(20_000); // 40,000 bytes
    out.write(text);
    out.write(text.slice(0, 1000));
    expect(out.bytes().toString('utf8')).toBe(text + text.slice(0, 1000));
    expect(out.bytes().buffer.byteLength).toBe(64 * 1024);
  });
});
