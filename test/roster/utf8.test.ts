import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isUtf8 } from 'node:buffer';
import { decodeRoster, NOT_UTF8 } from '../../src/roster/utf8.js';

describe('roster decoding', () => {
  it('decodes valid UTF-8 exactly, U+FFFD and a BOM included', () => {
    const text = '\uFEFFroom,name\ndemo,Zoë \uFFFD 🎉\n';
    expect(decodeRoster(Buffer.from(text))).toEqual({ text, valid: true });
  });

  it('is valid exactly when Node finds the bytes UTF-8 (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(decodeRoster(bytes).valid).toBe(isUtf8(bytes));
      }),
      { numRuns: 2000, seed: 8 },
    );
  });

  it('marks each byte that is not UTF-8 and keeps the text around it (property)', () => {
    const bad = fc.constantFrom([0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0x80]);
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), bad, fc.string({ unit: 'grapheme' }), (before, bytes, after) => {
        const decoded = decodeRoster(Buffer.concat([Buffer.from(before), Buffer.from(bytes), Buffer.from('\n' + after)]));
        expect(decoded.valid).toBe(false);
        const marks = decoded.text.length - decoded.text.replaceAll(NOT_UTF8, '').length;
        expect(marks).toBeGreaterThan(0);
        expect(marks).toBeLessThanOrEqual(bytes.length);
        expect(decoded.text.startsWith(before + NOT_UTF8)).toBe(true);
        expect(decoded.text.endsWith(NOT_UTF8 + '\n' + after)).toBe(true);
      }),
      { numRuns: 500, seed: 9 },
    );
  });
});
