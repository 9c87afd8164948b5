/**
 * The run sorter's merge sources: a sorted run read back from the spill file in blocks, one
 * record at a time, or the last run, still in memory.
 */
import type { FileHandle } from 'node:fs/promises';
import { MeetingTokensError } from '../errors.js';

/** Bytes of a record's header: length, key high, key low. */
export const HEADER_BYTES = 12;

/** The record a merge is at: `bytes[start, end)`, header included; valid until the next one. */
export interface SortedRecord {
  high: number;
  low: number;
  bytes: Buffer;
  start: number;
  end: number;
}

/** A sorted run being merged, at its current record. */
export interface Source extends SortedRecord {
  /** Tie-break: runs in the order they were added, so equal keys keep their order. */
  ordinal: number;
  /** Moves to the next record: 1 there is one, 0 the source is used up, -1 call `refill` first. */
  advance(): number;
  refill(): Promise<boolean>;
}

/** The run at `run.offset` (`run.bytes` long) of `spill`, read in blocks of `block` bytes (more for a larger record). */
export function fileSource(spill: FileHandle, dir: string, run: { offset: number; bytes: number }, ordinal: number, block: number): Source {
  let read = 0; // bytes of the run read into the buffer so far
  let filled = 0;
  const source: Source = {
    high: 0,
    low: 0,
    bytes: Buffer.allocUnsafeSlow(block),
    start: 0,
    end: 0,
    ordinal,
    advance(): number {
      source.start = source.end;
      if (source.start + HEADER_BYTES > filled) return read < run.bytes ? -1 : 0;
      const end = source.start + source.bytes.readUInt32LE(source.start);
      if (end > filled) {
        if (read >= run.bytes)
          throw new MeetingTokensError('INTERNAL', 'internal error: a record of the recipient grouping ends past its run');
        return -1;
      }
      source.end = end;
      source.high = source.bytes.readUInt32LE(source.start + 4);
      source.low = source.bytes.readUInt32LE(source.start + 8);
      return 1;
    },
    async refill(): Promise<boolean> {
      // Keep the partial record at the front, grow the buffer for a record larger than it, read on.
      const rest = filled - source.start;
      const need = rest >= HEADER_BYTES ? source.bytes.readUInt32LE(source.start) : HEADER_BYTES;
      let bytes = source.bytes;
      if (need > bytes.length) bytes = Buffer.allocUnsafeSlow(need);
      source.bytes.copy(bytes, 0, source.start, filled);
      source.bytes = bytes;
      filled = rest;
      source.start = source.end = 0;
      while (read < run.bytes && filled < bytes.length) {
        const take = Math.min(bytes.length - filled, run.bytes - read);
        const { bytesRead } = await spill.read(bytes, filled, take, run.offset + read).catch((error: unknown) => {
          throw new MeetingTokensError('WRITE_FAILED', `cannot read back ${dir}: ${(error as Error).message}; nothing was published`);
        });
        if (bytesRead <= 0) throw new MeetingTokensError('INTERNAL', 'internal error: the recipient grouping read past its own file');
        filled += bytesRead;
        read += bytesRead;
      }
      const next = source.advance();
      if (next < 0) return source.refill();
      return next > 0;
    },
  };
  return source;
}

/** The run in memory: `count` sort entries `[key high, key low, offset, length]` into `buffer`, in order. */
export function memorySource(buffer: Buffer, entries: Uint32Array, count: number, ordinal: number): Source {
  let pos = 0;
  const source: Source = {
    high: 0,
    low: 0,
    bytes: buffer,
    start: 0,
    end: 0,
    ordinal,
    advance(): number {
      if (++pos >= count) return 0;
      source.high = entries[pos * 4]!;
      source.low = entries[pos * 4 + 1]!;
      source.start = entries[pos * 4 + 2]!;
      source.end = source.start + entries[pos * 4 + 3]!;
      return 1;
    },
    refill: () => Promise.resolve(false),
  };
  pos = -1;
  source.advance();
  return source;
}
