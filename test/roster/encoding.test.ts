import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalEncoding, createTranscoder, sniffEncoding, refuseWorkbook } from '../../src/roster/encoding.js';
import { readChunks } from '../../src/roster/chunker.js';
import { decodeRoster, NOT_UTF8 } from '../../src/roster/utf8.js';
import { tempDir, writeFile } from '../helpers.js';
import { encodeSingleByte, encodeUtf16 } from '../encode.js';

/** Transcodes `bytes` read in pieces of `size`, as the chunker does. */
function transcode(encoding: string, bytes: Buffer, size: number): string {
  const t = createTranscoder(encoding)!;
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(t(bytes.subarray(i, i + size), false));
  out.push(t(Buffer.alloc(0), true));
  return decodeRoster(Buffer.concat(out)).text;
}

describe('roster encodings', () => {
  it('a byte-order mark decides UTF-8 and UTF-16 whatever was declared; without one, the declaration (default UTF-8)', () => {
    const sniff = (bytes: number[], declared?: 'windows-1252' | 'latin1' | 'utf-16le') => {
      const { encoding, bom, skip } = sniffEncoding(Buffer.from(bytes), declared);
      return [encoding, bom, skip];
    };
    expect(sniff([0xef, 0xbb, 0xbf, 0x61], 'windows-1252')).toEqual(['utf-8', true, 0]);
    expect(sniff([0xff, 0xfe, 0x61, 0x00])).toEqual(['utf-16le', true, 2]);
    expect(sniff([0xfe, 0xff, 0x00, 0x61], 'windows-1252')).toEqual(['utf-16be', true, 2]);
    expect(sniff([0x61])).toEqual(['utf-8', false, 0]);
    expect(sniff([0x61], 'latin1')).toEqual(['windows-1252', false, 0]);
    expect(sniff([0x61, 0x00], 'utf-16le')).toEqual(['utf-16le', false, 0]);
    expect(createTranscoder('utf-8')).toBeUndefined();
  });

  it('a byte-order mark counts only whole: any one of its bytes changed, the declaration decides', () => {
    for (const mark of [
      [0xef, 0xbb, 0xbf],
      [0xff, 0xfe],
      [0xfe, 0xff],
    ]) {
      for (let k = 0; k < mark.length; k++) {
        const bytes = mark.map((b, i) => (i === k ? 0x41 : b));
        expect(sniffEncoding(Buffer.from([...bytes, 0x41, 0x41]), 'iso-8859-1'), bytes.join()).toEqual({
          encoding: 'windows-1252',
          bom: false,
          skip: 0,
        });
      }
    }
  });

  it('latin1 and iso-8859-1 are read as windows-1252; the other labels as they are', () => {
    expect(canonicalEncoding('latin1')).toBe('windows-1252');
    expect(canonicalEncoding('iso-8859-1')).toBe('windows-1252');
    expect(canonicalEncoding('iso-8859-15')).toBe('iso-8859-15');
  });

  it('UTF-16 keeps back a high surrogate at the end of a read, U+DBFF too, for the low one that follows', () => {
    expect(transcode('utf-16le', encodeUtf16('a\u{10FFFF}b\u{D800}\u{DC00}', false, false), 2)).toBe('a\u{10FFFF}b\u{10000}');
  });

  it('windows-1252 is decoded as Windows-1252, 0x80-0x9F included (euro sign, curly quotes, dashes, Š)', () => {
    const bytes = Buffer.from([0x80, 0x20, 0x93, 0x61, 0x94, 0x20, 0x96, 0x20, 0x8a, 0xe9, 0xdf]);
    expect(transcode('windows-1252', bytes, 3)).toBe('€ “a” – Šéß');
    expect(transcode('iso-8859-15', Buffer.from([0xa4, 0xe9]), 1)).toBe('€é');
    expect(transcode('windows-1251', encodeSingleByte('Мария', 'windows-1251'), 2)).toBe('Мария');
  });

  it('a byte its code page leaves unassigned marks its row, never becomes U+FFFD text', () => {
    expect(transcode('windows-1252', Buffer.from([0x61, 0x81, 0x62]), 2)).toBe(`a${NOT_UTF8}b`);
  });

  it('UTF-16 in either byte order, read in pieces of any size, gives the same text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.boolean(), fc.integer({ min: 1, max: 9 }), (text, be, size) => {
        expect(transcode(be ? 'utf-16be' : 'utf-16le', encodeUtf16(text, be, false), size)).toBe(text);
      }),
      { numRuns: 300, seed: 16 },
    );
  });

  it('an unpaired surrogate or an odd last byte in UTF-16 marks its place rather than become U+FFFD', () => {
    const lone = Buffer.from([0x61, 0x00, 0x00, 0xd8, 0x62, 0x00]); // a, lone high surrogate, b
    expect(transcode('utf-16le', lone, 1)).toBe(`a${NOT_UTF8}b`);
    expect(transcode('utf-16le', Buffer.from([0x61, 0x00, 0x62]), 2)).toBe(`a${NOT_UTF8}`);
    expect(transcode('utf-16le', Buffer.from([0x00, 0xdc, 0x61, 0x00]), 4)).toBe(`${NOT_UTF8}a`);
  });

  it('the chunker hashes the bytes of the file and hands on UTF-8 chunks without the byte-order mark', async () => {
    const text = 'room\tname\r\n' + Array.from({ length: 300 }, (_, i) => `r${i}\tZoë 🎉 ${i}`).join('\r\n') + '\r\n';
    const file = encodeUtf16(text, false);
    const reader = readChunks(writeFile(tempDir(), 'u.txt', file), { chunkSize: 33 });
    const chunks = [];
    for await (const chunk of reader.chunks) chunks.push(chunk);
    expect(reader.format()).toEqual({ encoding: 'utf-16le', bom: true, delimiter: '\t' });
    expect(Buffer.concat(chunks.map((c) => c.bytes)).toString()).toBe(text);
    expect(reader.summary().bytes).toBe(file.length);
    // Progress goes by the file's bytes, not the UTF-8 ones.
    expect(Math.abs(chunks.reduce((sum, c) => sum + c.sourceBytes, 0) - file.length)).toBeLessThan(chunks.length);
  });

  it('a spreadsheet workbook is refused with what to do', () => {
    const refuse = (bytes: number[]) => () => refuseWorkbook(Buffer.from(bytes), 'r.xlsx');
    expect(refuse([0x50, 0x4b, 0x03, 0x04, 0x14])).toThrow(
      'roster r.xlsx: this is an Excel workbook (.xlsx, a ZIP file), not CSV text: save it as CSV UTF-8',
    );
    expect(refuse([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])).toThrow(
      'roster r.xlsx: this is an Excel workbook (.xls, Excel 97-2003), not CSV text: save it as CSV UTF-8',
    );
    expect(refuse([0x50, 0x4b, 0x2c])).not.toThrow();
    expect(refuse([0x50, 0x4b, 0x03, 0x04])).toThrow(expect.objectContaining({ code: 'ROSTER_HEADER', context: { file: 'r.xlsx' } }));
  });
});
