/**
 * Sorting of duplicate-check records (layout in record-layout.ts) by hash. LSD radix sort in six
 * passes of 10-11 bits: stable, so records of one hash keep the order they were added in (roster
 * order), and linear time: about 16 ms for 131,072
 * records on a 2-core build machine (16-bit digits: 19 ms; Array#sort with a comparator over
 * the packed words: about 100 ms; a native BigUint64Array sort cannot carry the line along).
 */

import { HASH_HIGH, HASH_LOW, WORDS } from './record-layout.js';

/** [word, shift, bits]: 11, 11 and 10 bits of each hash word, low word first; 2,048 counters fit in L1. */
const PASSES = [
  [HASH_LOW, 0, 11],
  [HASH_LOW, 11, 11],
  [HASH_LOW, 22, 10],
  [HASH_HIGH, 0, 11],
  [HASH_HIGH, 11, 11],
  [HASH_HIGH, 22, 10],
] as const;

/** Sorts the first `count` records of `records` in place; `scratch` is as large as `records`. */
export function sortRecords(records: Uint32Array, scratch: Uint32Array, count: number): void {
  const starts = new Uint32Array(1 << 11);
  let from = records;
  let to = scratch;
  for (const [word, shift, bits] of PASSES) {
    const digits = 1 << bits;
    const mask = digits - 1;
    starts.fill(0);
    for (let i = 0; i < count; i++) starts[(from[i * WORDS + word]! >>> shift) & mask]!++;
    let sum = 0;
    for (let d = 0; d < digits; d++) {
      const n = starts[d]!;
      starts[d] = sum;
      sum += n;
    }
    for (let i = 0; i < count; i++) {
      // The whole record moves (WORDS = 4 words).
      const at = i * WORDS;
      const j = starts[(from[at + word]! >>> shift) & mask]!++ * WORDS;
      to[j] = from[at]!;
      to[j + 1] = from[at + 1]!;
      to[j + 2] = from[at + 2]!;
      to[j + 3] = from[at + 3]!;
    }
    [from, to] = [to, from];
  }
  // An even number of passes: the sorted records are back in `records`.
}
