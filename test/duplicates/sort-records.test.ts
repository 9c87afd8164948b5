import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sortRecords } from '../../src/duplicates/sort-records.js';
import { WORDS } from '../../src/duplicates/record-layout.js';

function pack(records: [number, number, number][]): Uint32Array {
  const words = new Uint32Array(records.length * WORDS);
  records.forEach(([high, low, line], i) => words.set([high, low, line % 2 ** 32, Math.floor(line / 2 ** 32)], i * WORDS));
  return words;
}

function unpack(words: Uint32Array, count: number): [number, number, number][] {
  const records: [number, number, number][] = [];
  for (let i = 0; i < count; i++) records.push([words[i * 4]!, words[i * 4 + 1]!, words[i * 4 + 2]! + words[i * 4 + 3]! * 2 ** 32]);
  return records;
}

// Few distinct hash words, so that equal hashes (and equal halves) are common.
const word = fc.oneof(fc.constantFrom(0, 1, 0xffff, 0x10000, 0xffffffff), fc.nat({ max: 0xffffffff }));

describe('radix sort of duplicate-check records', () => {
  it('orders by hash and keeps equal hashes in the order added (stable), like a comparison sort', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(word, word), { maxLength: 300 }), fc.nat(50), (hashes, spare) => {
        // Lines ascend as they do in a roster; some pass 2^32.
        const records = hashes.map(([h, l], i): [number, number, number] => [h, l, i * 40_000_000 + 2]);
        const words = pack(records);
        const padded = new Uint32Array(words.length + spare * WORDS);
        padded.set(words);
        sortRecords(padded, new Uint32Array(padded.length), records.length);
        const expected = [...records].sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
        expect(unpack(padded, records.length)).toEqual(expected);
        expect(padded.subarray(records.length * WORDS).every((w) => w === 0)).toBe(true); // untouched past count
      }),
    );
  });
});
