import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
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

describe('link ids', () => {
  it('verifiers are drawn at random: 100,000, all distinct, every character used in every position, evenly', () => {
    const ids = new LinkVerifiers(64);
    const seen = new Set<string>();
    const positions = Array.from({ length: LINK_ID_LENGTH }, () => new Set<string>());
    for (let i = 0; i < 100_000; i++) {
      const id = ids.verifier();
      seen.add(id);
      expect(id).toMatch(/^[0-9A-Za-z]{22}$/);
      for (let p = 0; p < LINK_ID_LENGTH; p++) positions[p]!.add(id[p]!);
    }
    expect(seen.size).toBe(100_000);
    for (let p = 0; p < LINK_ID_LENGTH; p++) expect(positions[p]!.size).toBe(62);
    // Evenly: over 2.2M characters each of the 62 comes within 5% of its share.
    const counts = new Map<string, number>();
    for (const id of seen) for (const c of id) counts.set(c, (counts.get(c) ?? 0) + 1);
    for (const n of counts.values()) expect(Math.abs(n / ((100_000 * 22) / 62) - 1)).toBeLessThan(0.05);
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
