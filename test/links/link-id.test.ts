import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  encode128,
  isLinkId,
  lineOfKey,
  linkKey,
  LinkVerifiers,
  locatorOf,
  parseLinkId,
  VERIFIER_LENGTH as LINK_ID_LENGTH,
  verifierHash,
  verifierMatches,
} from '../../src/links/link-id.js';

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
        expect(isLinkId(id)).toBe(false);
        expect(isLinkId('1' + id)).toBe(true);
        expect(decode(id)).toBe(n);
      }),
    );
    expect(encode128(0, 0, 0, 0)).toBe('0'.repeat(22));
    expect(decode(encode128(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff))).toBe((1n << 128n) - 1n);
  });

  it('are drawn at random: 100,000 ids, all distinct, every character used in every position', () => {
    const ids = new LinkVerifiers(64);
    const seen = new Set<string>();
    const positions = Array.from({ length: LINK_ID_LENGTH }, () => new Set<string>());
    for (let i = 0; i < 100_000; i++) {
      const id = ids.verifier();
      seen.add(id);
      // The first of 22 base62 digits of a 128-bit number is at most 7 (2^128 / 62^21 < 8).
      for (let p = 1; p < LINK_ID_LENGTH; p++) positions[p]!.add(id[p]!);
    }
    expect(seen.size).toBe(100_000);
    for (let p = 1; p < LINK_ID_LENGTH; p++) expect(positions[p]!.size).toBe(62);
  });

  it('refuses what is not an id', () => {
    for (const text of ['', 'a'.repeat(22), 'a'.repeat(32), 'a'.repeat(22) + '-', '../' + 'a'.repeat(20), 'z'.repeat(9) + 'a'.repeat(22)])
      expect(isLinkId(text)).toBe(false);
  });

  it('begin with a locator: the record key (run seq, roster line) in base62, read back exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 21 - 1 }), fc.integer({ min: 1, max: 2 ** 32 - 1 }), (seq, line) => {
        const verifier = new LinkVerifiers(1).verifier();
        const key = linkKey(seq, line);
        const parsed = parseLinkId(locatorOf(key) + verifier);
        expect(parsed).toEqual({ key, locator: locatorOf(key), verifier });
        expect(lineOfKey(parsed!.key)).toBe(line);
        expect(Math.floor(parsed!.key / 2 ** 32)).toBe(seq);
      }),
    );
    // A store's first few hundred runs: 7 locator characters, ids of 29 (links of ~56 with a short base URL).
    expect(locatorOf(linkKey(800, 1_000_001))).toHaveLength(7);
    expect(locatorOf(linkKey(1, 2))).toBe('4gfFC6');
  });

  it('check a verifier against the hash the store keeps, never the verifier itself', () => {
    const [a, b] = [new LinkVerifiers(1).verifier(), new LinkVerifiers(1).verifier()];
    const hash = verifierHash(a);
    expect(hash).toHaveLength(32);
    expect(hash.toString('latin1')).not.toContain(a);
    expect(verifierMatches(hash, a)).toBe(true);
    expect(verifierMatches(hash, b)).toBe(false);
    expect(verifierMatches(hash.subarray(0, 16), a)).toBe(false);
  });
});
