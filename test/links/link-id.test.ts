import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encode128, isLinkId, LinkIds, LINK_ID_LENGTH } from '../../src/links/link-id.js';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function decode(id: string): bigint {
  let n = 0n;
  for (const c of id) n = n * 62n + BigInt(ALPHABET.indexOf(c));
  return n;
}

describe('link ids', () => {
  it('write 128 bits in base62, 22 characters, and read back to the same number', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), (n) => {
        const w = [96n, 64n, 32n, 0n].map((s) => Number((n >> s) & 0xffffffffn)) as [number, number, number, number];
        const id = encode128(...w);
        expect(id).toHaveLength(LINK_ID_LENGTH);
        expect(isLinkId(id)).toBe(true);
        expect(decode(id)).toBe(n);
      }),
    );
    expect(encode128(0, 0, 0, 0)).toBe('0'.repeat(22));
    expect(decode(encode128(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff))).toBe((1n << 128n) - 1n);
  });

  it('are drawn at random: 100,000 ids, all distinct, every character used in every position', () => {
    const ids = new LinkIds(64);
    const seen = new Set<string>();
    const positions = Array.from({ length: LINK_ID_LENGTH }, () => new Set<string>());
    for (let i = 0; i < 100_000; i++) {
      const id = ids.id();
      seen.add(id);
      // The first of 22 base62 digits of a 128-bit number is at most 7 (2^128 / 62^21 < 8).
      for (let p = 1; p < LINK_ID_LENGTH; p++) positions[p]!.add(id[p]!);
    }
    expect(seen.size).toBe(100_000);
    for (let p = 1; p < LINK_ID_LENGTH; p++) expect(positions[p]!.size).toBe(62);
  });

  it('refuses what is not an id', () => {
    for (const text of ['', 'a'.repeat(21), 'a'.repeat(23), 'a'.repeat(21) + '-', '../' + 'a'.repeat(19)])
      expect(isLinkId(text)).toBe(false);
  });
});
