/**
 * Counts the rows that repeat the (room, user_id) pair of an earlier row, in memory that does
 * not grow with the roster: records (a 64-bit pair hash and the row's line, 16 bytes) gather in
 * runs of 131,072 (2 MiB); a full run is sorted and appended to a spill file in the output
 * directory, unlinked as soon as it is opened so that a crash leaves nothing behind; at the end
 * the sorted runs are merged and equal hashes counted. Rosters under one run never touch disk.
 */
import { unlink, type FileHandle } from 'node:fs/promises';
import { openTempFile, writeFully } from '../files/temp-file.js';
import { MeetingTokensError } from '../errors.js';
import { sortRecords } from './sort-records.js';
import { MinHeap } from './min-heap.js';
import { RECORD_BYTES, WORDS, readRecord, recordBefore, type UnpackedRecord } from './record-layout.js';

/** Records in one run: 2 MiB of records plus as much scratch space for sorting. */
export const RUN_RECORDS = 1 << 17;
/** Bytes of read buffers shared by the runs during the merge. */
const MERGE_BUFFER_BYTES = 2 << 20;
/** How many repeating rows the summary names. */
const FIRST_SHOWN = 5;

export interface DuplicateSummary {
  /** Rows whose (room, user_id) pair an earlier row of the roster already had. */
  rows: number;
  /** Distinct pairs that occur more than once. */
  pairs: number;
  /** The first repeating rows in roster order, each with the line of its pair's first row. */
  first: { line: number; same_as_line: number }[];
}

/** A sorted run being merged; its current record unpacked (the fields of UnpackedRecord). */
interface Source extends UnpackedRecord {
  words: Uint32Array;
  /** Record index of the current record in `words`. */
  pos: number;
  end: number;
  /** Loads the next block; false when the source is used up. */
  refill(): Promise<boolean>;
}

export class DuplicateCounter {
  private readonly records: Uint32Array;
  private scratch: Uint32Array | undefined;
  private count = 0;
  private spill: FileHandle | undefined;
  private readonly runs: { offset: number; count: number }[] = [];
  private spillBytes = 0;

  constructor(
    private readonly dir: string,
    private readonly runRecords = RUN_RECORDS,
  ) {
    this.records = new Uint32Array(runRecords * WORDS);
  }

  /** Adds a chunk's records (record-layout.ts). */
  async add(added: Uint32Array): Promise<void> {
    let from = 0;
    while (from < added.length) {
      if (this.count === this.runRecords) await this.spillRun();
      const take = Math.min(added.length - from, (this.runRecords - this.count) * WORDS);
      this.records.set(added.subarray(from, from + take), this.count * WORDS);
      this.count += take / WORDS;
      from += take;
    }
  }

  /** Merges the runs and counts; the counter is closed afterwards. */
  async finish(signal?: AbortSignal): Promise<DuplicateSummary> {
    try {
      return await this.merge(signal);
    } finally {
      await this.discard();
    }
  }

  /** Closes the spill file (already unlinked); never throws. */
  async discard(): Promise<void> {
    const spill = this.spill;
    this.spill = undefined;
    await spill?.close().catch(() => undefined);
  }

  private sortRun(): void {
    this.scratch ??= new Uint32Array(this.records.length);
    sortRecords(this.records, this.scratch, this.count);
  }

  private async spillRun(): Promise<void> {
    this.sortRun();
    if (!this.spill) {
      const { path, handle } = await openTempFile(this.dir, 'wx+');
      this.spill = handle;
      await unlink(path).catch(() => undefined);
    }
    const bytes = new Uint8Array(this.records.buffer, 0, this.count * RECORD_BYTES);
    await writeFully(this.spill, bytes, this.spillBytes, this.dir);
    this.runs.push({ offset: this.spillBytes, count: this.count });
    this.spillBytes += bytes.length;
    this.count = 0;
  }

  private async merge(signal: AbortSignal | undefined): Promise<DuplicateSummary> {
    this.sortRun();
    const sources: Source[] = [];
    if (this.count > 0) {
      sources.push(load({ words: this.records, pos: 0, end: this.count, high: 0, low: 0, line: 0, refill: () => Promise.resolve(false) }));
    }
    const blockRecords = Math.max(256, Math.floor(MERGE_BUFFER_BYTES / RECORD_BYTES / Math.max(1, this.runs.length)));
    for (const run of this.runs) {
      const source = this.fileSource(run, blockRecords);
      if (await source.refill()) sources.push(load(source));
    }

    const summary: DuplicateSummary = { rows: 0, pairs: 0, first: [] };
    const heap = new MinHeap(sources, recordBefore);
    let have = false;
    let prevHigh = 0;
    let prevLow = 0;
    let groupLine = 0;
    let groupSize = 0;
    for (let seen = 1; heap.size > 0; seen++) {
      if ((seen & 0xffff) === 0 && signal?.aborted) throw new MeetingTokensError('ABORTED', 'run aborted; nothing was published');
      const source = heap.top();
      const { high, low, line } = source;
      if (have && high === prevHigh && low === prevLow) {
        summary.rows++;
        if (groupSize === 1) summary.pairs++;
        groupSize++;
        noteFirst(summary.first, line, groupLine);
      } else {
        have = true;
        prevHigh = high;
        prevLow = low;
        groupLine = line;
        groupSize = 1;
      }
      source.pos++;
      if (source.pos < source.end || (await source.refill())) {
        load(source);
        heap.siftDown();
      } else heap.pop();
    }
    return summary;
  }

  private fileSource(run: { offset: number; count: number }, blockRecords: number): Source {
    const spill = this.spill!;
    const words = new Uint32Array(blockRecords * WORDS);
    const bytes = new Uint8Array(words.buffer);
    let next = 0;
    const source: Source = {
      words,
      pos: 0,
      end: 0,
      high: 0,
      low: 0,
      line: 0,
      async refill(): Promise<boolean> {
        const take = Math.min(blockRecords, run.count - next);
        if (take <= 0) return false;
        const length = take * RECORD_BYTES;
        let read = 0;
        while (read < length) {
          const { bytesRead } = await spill.read(bytes, read, length - read, run.offset + next * RECORD_BYTES + read);
          if (bytesRead <= 0) throw new MeetingTokensError('INTERNAL', 'internal error: the duplicate check read past its own file');
          read += bytesRead;
        }
        next += take;
        source.pos = 0;
        source.end = take;
        return true;
      },
    };
    return source;
  }
}

/** Keeps the FIRST_SHOWN repeating rows with the lowest lines, in line order. */
function noteFirst(first: DuplicateSummary['first'], line: number, sameAs: number): void {
  if (first.length === FIRST_SHOWN && line > first[FIRST_SHOWN - 1]!.line) return;
  let i = first.length;
  while (i > 0 && first[i - 1]!.line > line) i--;
  first.splice(i, 0, { line, same_as_line: sameAs });
  if (first.length > FIRST_SHOWN) first.pop();
}

/** Unpacks the source's current record. */
function load(source: Source): Source {
  return readRecord(source.words, source.pos, source);
}
