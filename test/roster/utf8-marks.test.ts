import { describe, expect, it } from 'vitest';
import { decodeRoster, NOT_UTF8 } from '../../src/roster/utf8.js';

// The first and last code point of each UTF-8 length and lead-byte range (RFC 3629 table).
const EDGES = '\u0080\u07ff\u0800\u0fff\u1000\ud7ff\ue000\uffff\u{10000}\u{3ffff}\u{40000}\u{fffff}\u{100000}\u{10ffff}';

describe('roster decoding: bytes that are not UTF-8', () => {
  it('keeps every valid sequence at the edges of its range in a chunk that also holds a bad byte', () => {
    const bytes = Buffer.concat([Buffer.from(`a${EDGES}`), Buffer.from([0xff]), Buffer.from(`${EDGES}z`)]);
    expect(decodeRoster(bytes)).toEqual({ text: `a${EDGES}${NOT_UTF8}${EDGES}z`, valid: false });
  });

  it.each([
    ['a lead byte below C2 (overlong)', [0xc1, 0xbf], 2],
    ['a lone continuation byte', [0xbf], 1],
    ['four continuation bytes in a row', [0x80, 0x80, 0x80, 0x80], 4],
    ['a lead byte C0 before three continuation bytes', [0xc0, 0x80, 0x80, 0x80], 4],
    ['E0 followed by less than A0 (overlong)', [0xe0, 0x9f, 0xbf], 3],
    ['ED followed by A0 or more (a surrogate)', [0xed, 0xa0, 0x80], 3],
    ['F0 followed by less than 90 (overlong)', [0xf0, 0x8f, 0xbf, 0xbf], 4],
    ['F4 followed by 90 or more (past U+10FFFF)', [0xf4, 0x90, 0x80, 0x80], 4],
    ['a lead byte above F4', [0xf5, 0x80, 0x80, 0x80], 4],
    ['two bytes of three, then text', [0xe2, 0x82], 2],
    ['three bytes of four, then text', [0xf0, 0x9f, 0x8e], 3],
    ['a lead byte of two before a byte below 80', [0xc3], 1],
    ['a lead byte of two before a byte of C0 or more', [0xc3, 0xc3], 2],
  ])('marks each byte of %s and keeps the text around it', (_name, bad, marks) => {
    const decoded = decodeRoster(Buffer.concat([Buffer.from('é,'), Buffer.from(bad), Buffer.from('x€')]));
    expect(decoded).toEqual({ text: `é,${NOT_UTF8.repeat(marks)}x€`, valid: false });
  });

  it('marks a sequence cut short by the end of the chunk', () => {
    expect(decodeRoster(Buffer.from([0x61, 0xff, 0xf0, 0x9f, 0x8e]))).toEqual({ text: `a${NOT_UTF8.repeat(4)}`, valid: false });
    expect(decodeRoster(Buffer.from([0xff, 0xe2, 0x82]))).toEqual({ text: NOT_UTF8.repeat(3), valid: false });
    expect(decodeRoster(Buffer.from([0xff, 0xc3]))).toEqual({ text: NOT_UTF8.repeat(2), valid: false });
  });

  it('reads a chunk that is a view into a larger buffer from its own offset', () => {
    const whole = Buffer.from([0x41, 0x42, 0xff, 0x43, 0xc3, 0xa9, 0x44]);
    expect(decodeRoster(whole.subarray(1, 6))).toEqual({ text: `B${NOT_UTF8}Cé`, valid: false });
  });
});
