/**
 * An external sort of variable-length records by a 64-bit key, stable, in memory that does not
 * grow with the input: the duplicate counter's way (radix-sorted runs spilled to an unlinked
 * temporary file, merged back through a heap) for records of any size. A record is
 * `[u32 length][u32 key high][u32 key low][payload]` (little-endian, `length` counting the
 * header); records of one key come back in the order they were added.
 */
import { unlink, type FileHandle } from 'node:fs/promises';
import { abortError } from '../errors.js';
import { openTempFile, writeFully } from '../files/temp-file.js';
import { sortRecords } from '../duplicates/sort-records.js';
import { MinHeap } from '../duplicates/min-heap.js';
import { fileSource, memorySource, type Source, type SortedRecord } from './run-file.js';

export { HEADER_BYTES, type SortedRecord } from './run-file.js';

export interface RunSorterSizes {
  /** Bytes of records in one run (8 MiB). */
  runBytes: number;
  /** Records in one run (131,072: 2 MiB of sort entries and as much scratch). */
  runRecords: number;
  /** Runs merged at once; more are merged in steps, so the merge's buffers stay fixed. */
  fanIn: number;
}

export const RUN_SIZES: RunSorterSizes = { runBytes: 8 << 20, runRecords: 1 << 17, fanIn: 128 };
/**
 * Read buffers of the runs being merged share 8 MiB, 64 KiB to 1 MiB each: a read costs a trip
 * through the thread pool, so larger blocks merge faster (400 MB read in 64 KiB blocks took 8x
 * as long as in 1 MiB blocks on a loaded 2-core machine).
 */
const MERGE_BYTES = 8 << 20;
const MIN_BLOCK_BYTES = 64 << 10;
const MAX_BLOCK_BYTES = 1 << 20;
/** The buffer spilled runs are written through. */
const WRITE_BYTES = 1 << 20;

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
  /** The buffer runs are written through, one run at a time. */
  private staged: Buffer | undefined;

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
        await this.appendRun(view.subarray(at, at + length));
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
          await this.merge(await this.fileSources(group), (record) => writer.write(record.bytes, record.start, record.end), signal);
          longer.push(await writer.close());
        }
      }
      this.runs = longer;
    }
    const sources = await this.fileSources(this.runs);
    if (this.count > 0) sources.push(memorySource(this.buffer, this.entries, this.count, sources.length));
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
    this.staged = undefined;
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
    const writer = this.runWriter();
    const { buffer, entries } = this;
    for (let i = 0; i < this.count; i++) {
      const at = entries[i * 4 + 2]!;
      const pending = writer.write(buffer, at, at + entries[i * 4 + 3]!);
      if (pending !== undefined) await pending;
    }
    this.runs.push(await writer.close());
    this.count = 0;
    this.used = 0;
  }

  private async appendRun(part: Buffer): Promise<void> {
    const writer = this.runWriter();
    await writer.write(part, 0, part.length);
    this.runs.push(await writer.close());
  }

  /** Writes one run at the end of the spill file, through a buffer (one run at a time). */
  private runWriter(): {
    write(from: Buffer, start: number, end: number): Promise<void> | undefined;
    close(): Promise<{ offset: number; bytes: number }>;
  } {
    const offset = this.spillBytes;
    const staged = (this.staged ??= Buffer.allocUnsafeSlow(WRITE_BYTES));
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
      write: (from, start, end) => {
        if (fill + end - start <= staged.length) {
          fill += from.copy(staged, fill, start, end);
          return undefined;
        }
        return (async () => {
          if (fill > 0) await flush(staged.subarray(0, fill));
          fill = 0;
          if (end - start > staged.length) await flush(from.subarray(start, end));
          else fill = from.copy(staged, 0, start, end);
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

  private async fileSources(runs: readonly { offset: number; bytes: number }[]): Promise<Source[]> {
    const sources: Source[] = [];
    const block = Math.min(MAX_BLOCK_BYTES, Math.max(MIN_BLOCK_BYTES, Math.floor(MERGE_BYTES / Math.max(1, runs.length))));
    for (const [ordinal, run] of runs.entries()) {
      const source = fileSource(this.spill!, this.dir, run, ordinal, block);
      if (await source.refill()) sources.push(source);
    }
    return sources;
  }
}
