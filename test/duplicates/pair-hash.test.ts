import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { pairHash } from '../../src/duplicates/pair-hash.js';

function hash(room: string, userId: string): string {
  const out = new Uint32Array(2);
  pairHash(room, userId, out, 0);
  return `${out[0]!.toString(16)}:${out[1]!.toString(16)}`;
}

describe('pair hash of (room, user_id)', () => {
  it('is a pure function of the pair and writes the same halves into any numeric array', () => {
    expect(hash('demo', 'u-1')).toBe(hash('demo', 'u-1'));
    expect(hash('', '')).toMatch(/^[0-9a-f]+:[0-9a-f]+$/);
    const viaFloat = new Float64Array(3);
    pairHash('demo', 'u-1', viaFloat, 1);
    expect(`${viaFloat[1]!.toString(16)}:${viaFloat[2]!.toString(16)}`).toBe(hash('demo', 'u-1'));
  });

  it('keeps room and user_id apart: moving characters across the separator changes the hash', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string({ minLength: 1 }), (a, b, c) => {
        expect(hash(a + c, b)).not.toBe(hash(a, c + b));
      }),
    );
  });

  it('gives 500,000 realistic pairs (300 rooms, sequential ids) 500,000 different hashes', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500_000; i++) seen.add(hash(`room-${i % 300}`, `user-${i.toString(36)}`));
    expect(seen.size).toBe(500_000);
  });

  it('differs in both halves for pairs that differ in one character', () => {
    const out = new Uint32Array(4);
    let sameHigh = 0;
    let sameLow = 0;
    for (let i = 0; i < 10_000; i++) {
      pairHash('room', `id-${i}`, out, 0);
      pairHash('room', `id-${i + 1}`, out, 2);
      if (out[0] === out[2]) sameHigh++;
      if (out[1] === out[3]) sameLow++;
    }
    expect([sameHigh, sameLow]).toEqual([0, 0]);
  });
});
