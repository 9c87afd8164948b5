import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RECORD_BYTES, WORDS, readRecord, recordBefore, writeRecord } from '../../src/duplicates/record-layout.js';
import { pairHash } from '../../src/duplicates/pair-hash.js';
import { sortRecords } from '../../src/duplicates/sort-records.js';

// Lines up to 2^53: a streamed roster may pass 2^32 lines, so the line takes two words.
const line = fc.oneof(
  fc.constantFrom(1, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, Number.MAX_SAFE_INTEGER),
  fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
);

describe('duplicate record layout', () => {
  it('is [hash high, hash low, line low, line high], 16 bytes', () => {
    expect([WORDS, RECORD_BYTES]).toEqual([4, 16]);
    const records = new Uint32Array(2 * WORDS);
    writeRecord(records, 1, 'room-a', 'user-7', 2 ** 32 + 5);
    const hash = new Uint32Array(2);
    pairHash('room-a', 'user-7', hash, 0);
    expect([...records]).toEqual([0, 0, 0, 0, hash[0], hash[1], 5, 1]);
  });

  it('reads back what it wrote, at any index and any line', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), line, fc.nat(5), (room, userId, n, index) => {
        const records = new Uint32Array((index + 1) * WORDS);
        writeRecord(records, index, room, userId, n);
        const hash = new Uint32Array(2);
        pairHash(room, userId, hash, 0);
        expect(readRecord(records, index, { high: -1, low: -1, line: -1 })).toEqual({ high: hash[0], low: hash[1], line: n });
      }),
    );
  });

  it('orders records by hash, then line, as the radix sort does', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.constantFrom('u', 'v')), { maxLength: 50 }), (pairs) => {
        const records = new Uint32Array(pairs.length * WORDS);
        pairs.forEach(([room, userId], i) => writeRecord(records, i, room, userId, i * 1_000_000_000 + 2));
        sortRecords(records, new Uint32Array(records.length), pairs.length);
        const read = pairs.map((_, i) => readRecord(records, i, { high: 0, low: 0, line: 0 }));
        for (let i = 1; i < read.length; i++) {
          expect(recordBefore(read[i - 1]!, read[i]!)).toBe(true);
          expect(recordBefore(read[i]!, read[i - 1]!)).toBe(false);
        }
      }),
    );
  });
});
