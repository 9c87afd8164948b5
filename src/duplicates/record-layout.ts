/**
 * The duplicate check's record: four 32-bit words per token row that has a user_id,
 * [hash high, hash low, line low, line high], where the hash is the row's (room, user_id)
 * `pairHash` and the line is its roster line (over 2^32 lines is possible in a streamed roster,
 * so the line takes two words). Chunks write records, the counter sorts them, spills them to
 * disk as these bytes and merges them back; this file is the one place that knows the layout.
 */
import { pairHash } from './pair-hash.js';

/** 32-bit words per record. */
export const WORDS = 4;
/** Bytes per record, in memory and in the spill file (host byte order: the file lives for one run). */
export const RECORD_BYTES = WORDS * 4;
/** Word offsets within a record. */
export const HASH_HIGH = 0;
export const HASH_LOW = 1;
const LINE_LOW = 2;
const LINE_HIGH = 3;

const TWO_TO_32 = 2 ** 32;

/** Writes record number `index` of `records`: the hash of (room, userId) and `line`. */
export function writeRecord(records: Uint32Array, index: number, room: string, userId: string, line: number): void {
  const at = index * WORDS;
  pairHash(room, userId, records, at + HASH_HIGH);
  records[at + LINE_LOW] = line % TWO_TO_32;
  records[at + LINE_HIGH] = Math.floor(line / TWO_TO_32);
}

/** A record unpacked: what the merge compares. */
export interface UnpackedRecord {
  high: number;
  low: number;
  line: number;
}

/** Unpacks record number `index` of `words` into `into`. */
export function readRecord<T extends UnpackedRecord>(words: Uint32Array, index: number, into: T): T {
  const at = index * WORDS;
  into.high = words[at + HASH_HIGH]!;
  into.low = words[at + HASH_LOW]!;
  into.line = words[at + LINE_LOW]! + words[at + LINE_HIGH]! * TWO_TO_32;
  return into;
}

/** Record order: hash, then line (so a pair's first row comes first). */
export function recordBefore(a: UnpackedRecord, b: UnpackedRecord): boolean {
  return a.high !== b.high ? a.high < b.high : a.low !== b.low ? a.low < b.low : a.line < b.line;
}
