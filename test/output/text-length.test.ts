import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { codePointLength, overBytes, overCharacters, utf8Length } from '../../src/output/text-length.js';

// Any UTF-16 code units, lone surrogates too: roster cells are decoded text, but a cell's length
// must never be wrong whatever it holds.
const units = fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 400 }).map((codes) => String.fromCharCode(...codes));
const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 300 }), units);

describe('cell lengths in bytes and characters', () => {
  it('codePointLength is the number of code points, for any string', () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(codePointLength(s)).toBe([...s].length);
      }),
      { numRuns: 2000 },
    );
  });

  it('overBytes and overCharacters agree with the exact counts at every limit, around the boundary too', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 0, max: 1300 }), (s, max) => {
        expect(overBytes(s, max)).toBe(Buffer.byteLength(s, 'utf8') > max);
        expect(overCharacters(s, max)).toBe([...s].length > max);
        const bytes = Buffer.byteLength(s, 'utf8');
        expect(overBytes(s, bytes)).toBe(false);
        if (bytes > 0) expect(overBytes(s, bytes - 1)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('counts each width of UTF-8 at the 255 boundary', () => {
    const cases: [string, number, number][] = [
      ['a'.repeat(255), 255, 255],
      ['a'.repeat(256), 256, 256],
      ['é'.repeat(127) + 'a', 255, 128],
      ['é'.repeat(128), 256, 128],
      ['€'.repeat(85), 255, 85],
      ['€'.repeat(85) + 'a', 256, 86],
      ['🎉'.repeat(63) + 'abc', 255, 66],
      ['🎉'.repeat(64), 256, 64],
    ];
    for (const [s, bytes, characters] of cases) {
      expect(utf8Length(s), s).toBe(bytes);
      expect(codePointLength(s), s).toBe(characters);
      expect(overBytes(s, 255), s).toBe(bytes > 255);
    }
  });
});
