/**
 * An external sort of variable-length records by a 64-bit key, stable, in memory that does not
 * grow with the input: the duplicate counter's way (radix-sorted runs spilled to an unlinked
 * temporary file, merged back through a heap) for records of any size. A record is
 * `[u32 length][u32 key high][u32 key low][payload]` (little-endian, `length` counting the
 * header); records of one key come back in the order they were added.
 */
import { unlink, type FileHandle } from 'node:fs/promises';
import { MeetingTokensError, abortError } from '../errors.js';
import { openTempFile, writeFully } from '../files/temp-file.js';
import { sortRecords } from '../duplicates/sort-records.js';
import { MinHeap } from '../duplicates/min-heap.js';

/** Bytes of a record's header: length, key high, key low. */
export const HEADER_BYTES = 12;

export interface RunSorterSizes {
  /** Bytes of records in one run (16 MiB). */
  runBytes: number;
  /** Records in one run (131,072: 2 MiB of sort entries and as much scratch). */
  runRecords: number;
  /** Runs merged at once; more are merged in steps, so the merge's buffers stay fixed. */
  fanIn: number;
}

export const RUN_SIZES: RunSorterSizes = { runBytes: 16 << 20, runRecords: 1 << 17, fanIn: 64 };
/**
 * Read buffers of the runs being merged share 16 MiB, 64 KiB to 1 MiB each: a read costs a trip
 * through the thread pool, so larger blocks merge faster (400 MB read in 64 KiB blocks took 8x
 * as long as in 1 MiB blocks on a loaded 2-core machine).
 */
const MERGE_BYTES = 16 << 20;
const MIN_BLOCK_BYTES = 64 << 10;
const MAX_BLOCK_BYTES = 1 << 20;
/** The buffer spilled runs are written through. */
const WRITE_BYTES = 1 << 20;

/** The record a merge is at: `bytes[start, end)`, header included; valid until the next one. */
export interface SortedRecord {
  high: number;
  low: number;
  bytes: Buffer;
  start: number;
  end: number;
}

interface Source extends SortedRecord {
  /** Tie-break: runs in the order they were added, so equal keys keep their order. */
  ordinal: number;
  /** Moves to the next record: 1 there is one, 0 the source is used up, -1 call `refill` first. */
  advance(): number;
  refill(): Promise<boolean>;
}

const before = (a: Source, b: Source): boolean =>
  a.high !== b.high ? a.high < b.high : a.low !== b.low ? a.low < b.low : a.ordinal < b.ordinal;

export class RunSorter {
  private buffer: Buffer;
  private used = 0;
  private readonly entries: Uint32Array;
  private scratch: Uint32Array | undefined;
  private count = 0;
  private spill: FileHandle | undefined;
  private spillBytes = 0;
  private runs: { offset: number; bytes: number }[] = [];

  constructor(
    private readonly dir: string,
    private readonly sizes: RunSorterSizes = RUN_SIZES,
  ) {
    this.buffer = Buffer.allocUnsafeSlow(sizes.runBytes);
    this.entries = new Uint32Array(sizes.runRecords * 4);
  }

  /**
   * Adds the records laid end to end in `bytes` (copied). Returns a promise only when a run has
   * to be written first: a caller adding record by record awaits only then.
   */
  add(bytes: Uint8Array): Promise<void> | undefined {
    const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let at = 0;
    for (; at < view.length;) {
      const length = view.readUInt32LE(at);
      if (this.used + length > this.buffer.length || this.count === this.sizes.runRecords || length > this.buffer.length) break;
      this.copyIn(view, at, length);
      at += length;
    }
    return at < view.length ? this.addSpilling(view, at) : undefined;
  }

  private copyIn(view: Buffer, at: number, length: number): void {
    view.copy(this.buffer, this.used, at, at + length);
    const e = this.count * 4;
    this.entries[e] = view.readUInt32LE(at + 4);
    this.entries[e + 1] = view.readUInt32LE(at + 8);
    this.entries[e + 2] = this.used;
    this.entries[e + 3] = length;
    this.used += length;
    this.count++;
  }

  private async addSpilling(view: Buffer, from: number): Promise<void> {
    for (let at = from; at < view.length;) {
      const length = view.readUInt32LE(at);
      if (this.used + length > this.buffer.length || this.count === this.sizes.runRecords) await this.spillRun();
      if (length > this.buffer.length) {
        // A record larger than a run is a run of its own.
        await this.appendRun([view.subarray(at, at + length)]);
      } else this.copyIn(view, at, length);
      at += length;
    }
  }

  /**
   * Calls `visit` with every record in key order (equal keys in the order added); the sorter is
   * used up afterwards. `visit` may return a promise, which is awaited before the next record.
   */
  async forEach(visit: (record: SortedRecord) => void | Promise<void>, signal?: AbortSignal): Promise<void> {
    this.sortRun();
    while (this.runs.length > this.sizes.fanIn) {
      // Too many runs to read at once: merge neighbours into longer runs (at the end of the file),
      // which keeps the runs in the order they were added.
      const longer: { offset: number; bytes: number }[] = [];
      for (let i = 0; i < this.runs.length; i += this.sizes.fanIn) {
        const group = this.runs.slice(i, i + this.sizes.fanIn);
        if (group.length === 1) longer.push(group[0]!);
        else {
          const writer = this.runWriter();
          await this.merge(
            await this.fileSources(group),
            (record) => writer.write(record.bytes.subarray(record.start, record.end)),
            signal,
          );
          longer.push(await writer.close());
        }
      }
      this.runs = longer;
    }
    const sources = await this.fileSources(this.runs);
    if (this.count > 0) sources.push(this.memorySource(sources.length));
    await this.merge(sources, visit, signal);
    this.release();
  }

  /** Closes the spill file (already unlinked) and frees the buffers; never throws. */
  async discard(): Promise<void> {
    this.release();
    const spill = this.spill;
    this.spill = undefined;
    await spill?.close().catch(() => undefined);
  }

  private release(): void {
    this.buffer = Buffer.alloc(0);
    this.scratch = undefined;
    this.count = 0;
    this.used = 0;
  }

  private sortRun(): void {
    if (this.count === 0) return;
    this.scratch ??= new Uint32Array(this.entries.length);
    sortRecords(this.entries, this.scratch, this.count);
  }

  private async spillRun(): Promise<void> {
    if (this.count === 0) return;
    this.sortRun();
    const parts: Buffer[] = [];
    for (let i = 0; i < this.count; i++) {
      const at = this.entries[i * 4 + 2]!;
      parts.push(this.buffer.subarray(at, at + this.entries[i * 4 + 3]!));
    }
    await this.appendRun(parts);
    this.count = 0;
    this.used = 0;
  }

  private async appendRun(parts: Buffer[]): Promise<void> {
    const writer = this.runWriter();
    for (const part of parts) await writer.write(part);
    this.runs.push(await writer.close());
  }

  /** Writes one run at the end of the spill file, through a buffer. */
  private runWriter(): { write(part: Buffer): Promise<void> | undefined; close(): Promise<{ offset: number; bytes: number }> } {
    const offset = this.spillBytes;
    const staged = Buffer.allocUnsafe(WRITE_BYTES);
    let fill = 0;
    const flush = async (data: Uint8Array): Promise<void> => {
      if (!this.spill) {
        const { path, handle } = await openTempFile(this.dir, 'wx+');
        this.spill = handle;
        await unlink(path).catch(() => undefined);
      }
      await writeFully(this.spill, data, this.spillBytes, this.dir);
      this.spillBytes += data.length;
    };
    return {
      write: (part) => {
        if (fill + part.length <= staged.length) {
          part.copy(staged, fill);
          fill += part.length;
          return undefined;
        }
        return (async () => {
          if (fill > 0) await flush(staged.subarray(0, fill));
          fill = 0;
          if (part.length > staged.length) await flush(part);
          else fill = part.copy(staged, 0);
        })();
      },
      close: async () => {
        if (fill > 0) await flush(staged.subarray(0, fill));
        return { offset, bytes: this.spillBytes - offset };
      },
    };
  }

  private async merge(
    sources: Source[],
    visit: (record: SortedRecord) => void | Promise<void>,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const heap = new MinHeap(sources, before);
    for (let seen = 1; heap.size > 0; seen++) {
      if ((seen & 0xffff) === 0 && signal?.aborted) throw abortError(signal);
      const source = heap.top();
      const pending = visit(source);
      if (pending !== undefined) await pending;
      let next = source.advance();
      if (next < 0) next = (await source.refill()) ? 1 : 0;
      if (next > 0) heap.siftDown();
      else heap.pop();
    }
  }

  private memorySource(ordinal: number): Source {
    const { entries, count } = this;
    let pos = 0;
    const source: Source = {
      high: 0,
      low: 0,
      bytes: this.buffer,
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

  private async fileSources(runs: readonly { offset: number; bytes: number }[]): Promise<Source[]> {
    const sources: Source[] = [];
    const block = Math.min(MAX_BLOCK_BYTES, Math.max(MIN_BLOCK_BYTES, Math.floor(MERGE_BYTES / Math.max(1, runs.length))));
    for (const [ordinal, run] of runs.entries()) {
      const source = this.fileSource(run, ordinal, block);
      if (await source.refill()) sources.push(source);
    }
    return sources;
  }

  private fileSource(run: { offset: number; bytes: number }, ordinal: number, block: number): Source {
    const spill = this.spill!;
    const dir = this.dir;
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
}
