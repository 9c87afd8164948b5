/**
 * One row per recipient: the signed rows of a roster, keyed by their recipient (an email address,
 * a user id), come out as groups, recipients in the order of their first row, each group's rows
 * in roster order, at most `maxRows` a group; the rows past that come out as `over`, in roster
 * order. Exact in flat memory for any roster: rows are sorted by the key's 64-bit hash in spilled
 * runs (run-sorter.ts), rows of one hash are told apart by their real keys (a collision never
 * joins two recipients), and each recipient's rows, joined, are sorted again by their first line.
 */
import { HEADER_BYTES, RunSorter, RUN_SIZES, type RunSorterSizes, type SortedRecord } from './run-sorter.js';
import { GroupRows, keyRange, readMember, recordKey, recordLine, type GroupMember } from './group-record.js';

export interface GroupSink {
  /** A recipient's rows (1 to `maxRows`), in roster order; valid until the returned promise settles. */
  recipient(rows: GroupRows): void | Promise<void>;
  /** A row past `maxRows` of its recipient, whose first row is on line `firstLine`. */
  over(member: GroupMember, firstLine: number): void | Promise<void>;
  /** After the last recipient and row. */
  end?(): Promise<void>;
}

export interface GroupSummary {
  recipients: number;
  /** Rows in the recipients' groups. */
  rows: number;
  /** Rows past `maxRows`. */
  over: number;
}

const TWO_TO_32 = 2 ** 32;
const GROUP = 0;
const OVER = 1;
/** Bytes of a joined record's own part: header, kind, then a count (GROUP) or the first line (OVER). */
const JOINED_BYTES = HEADER_BYTES + 12;

/** A recipient being gathered: its joined record, written as its rows arrive. */
class Pending {
  buffer: Buffer;
  used = JOINED_BYTES;
  count = 0;
  first = 0;
  keyStart = 0;
  keyEnd = 0;

  constructor(size = 64 * 1024) {
    this.buffer = Buffer.allocUnsafeSlow(size);
  }

  start(record: SortedRecord): void {
    this.used = JOINED_BYTES;
    this.count = 0;
    this.first = recordLine(record.bytes, record.start);
    const [from, to] = keyRange(record.bytes, record.start);
    this.keyStart = JOINED_BYTES + from - record.start;
    this.keyEnd = JOINED_BYTES + to - record.start;
    this.push(record);
  }

  push({ bytes, start, end }: SortedRecord): void {
    if (this.used + end - start > this.buffer.length) {
      const next = Buffer.allocUnsafeSlow(Math.max(this.buffer.length * 2, this.used + end - start));
      this.buffer.copy(next, 0, 0, this.used);
      this.buffer = next;
    }
    this.used += bytes.copy(this.buffer, this.used, start, end);
    this.count++;
  }

  sameKey(record: SortedRecord): boolean {
    const [from, to] = keyRange(record.bytes, record.start);
    return record.bytes.compare(this.buffer, this.keyStart, this.keyEnd, from, to) === 0;
  }

  /** The joined record, keyed by the first line. */
  joined(): Buffer {
    header(this.buffer, this.used, this.first);
    this.buffer.writeUInt32LE(GROUP, HEADER_BYTES);
    this.buffer.writeUInt32LE(this.count, HEADER_BYTES + 4);
    this.buffer.writeUInt32LE(0, HEADER_BYTES + 8);
    return this.buffer.subarray(0, this.used);
  }
}

export class RecipientGrouper {
  private readonly byKey: RunSorter;
  private byFirst: RunSorter | undefined;

  constructor(
    private readonly dir: string,
    private readonly maxRows: number,
    private readonly sizes: RunSorterSizes = RUN_SIZES,
    /** Rows with an empty key are each a recipient of their own (a mailer's unique key, which they lack). */
    private readonly emptyApart = false,
  ) {
    this.byKey = new RunSorter(dir, sizes);
  }

  /** Adds group records (group-record.ts) in roster order. */
  async add(records: Uint8Array): Promise<void> {
    await this.byKey.add(records);
  }

  /** Groups, and hands the groups and the rows over the limit to `sink` in the order above. */
  async finish(sink: GroupSink, signal?: AbortSignal): Promise<GroupSummary> {
    const summary: GroupSummary = { recipients: 0, rows: 0, over: 0 };
    const byFirst = (this.byFirst = new RunSorter(this.dir, this.sizes));
    const joiner = this.joiner(byFirst);
    await this.byKey.forEach(joiner.visit, signal);
    await joiner.end();
    await this.byKey.discard();
    const rows = new GroupRows();
    await byFirst.forEach(({ bytes, start }) => {
      const kind = bytes.readUInt32LE(start + HEADER_BYTES);
      if (kind === OVER) {
        summary.over++;
        const first = bytes.readUInt32LE(start + HEADER_BYTES + 4) + bytes.readUInt32LE(start + HEADER_BYTES + 8) * TWO_TO_32;
        return sink.over(readMember(bytes, start + JOINED_BYTES), first);
      }
      rows.read(bytes, start + JOINED_BYTES, bytes.readUInt32LE(start + HEADER_BYTES + 4));
      summary.recipients++;
      summary.rows += rows.count;
      return sink.recipient(rows);
    }, signal);
    await sink.end?.();
    return summary;
  }

  /** Closes the spill files (already unlinked); never throws. */
  async discard(): Promise<void> {
    await this.byKey.discard();
    await this.byFirst?.discard();
  }

  /**
   * The visitor of the rows in hash order: gathers each recipient's rows (the first key of a hash
   * in a reused buffer; another key of the same hash, a collision, in a map) and adds the joined
   * records, and the rows over the limit, to `byFirst`.
   */
  private joiner(byFirst: RunSorter): { visit: (record: SortedRecord) => Promise<void> | undefined; end: () => Promise<void> } {
    let high = -1;
    let low = -1;
    let any = false;
    const main = new Pending();
    const others = new Map<string, Pending>();
    const over = Buffer.allocUnsafeSlow(64 * 1024);
    const alone = new Pending(1024);
    const flush = async (): Promise<void> => {
      await byFirst.add(main.joined());
      for (const pending of others.values()) await byFirst.add(pending.joined());
      others.clear();
    };
    const visit = (record: SortedRecord): Promise<void> | undefined => {
      if (this.emptyApart && emptyKey(record)) {
        alone.start(record);
        return byFirst.add(alone.joined());
      }
      let pending: Promise<void> | undefined;
      if (record.high !== high || record.low !== low) {
        if (any) pending = others.size > 0 ? flush() : byFirst.add(main.joined());
        high = record.high;
        low = record.low;
        any = true;
        return pending === undefined ? void main.start(record) : pending.then(() => main.start(record));
      }
      let group = main;
      if (!main.sameKey(record)) {
        const key = recordKey(record.bytes, record.start);
        group = others.get(key) ?? new Pending(1024);
        if (!others.has(key)) {
          others.set(key, group);
          group.start(record);
          return undefined;
        }
      }
      if (group.count < this.maxRows) {
        group.push(record);
        return undefined;
      }
      const line = recordLine(record.bytes, record.start);
      const length = JOINED_BYTES + record.end - record.start;
      const out = length <= over.length ? over : Buffer.allocUnsafe(length);
      header(out, length, line);
      out.writeUInt32LE(OVER, HEADER_BYTES);
      out.writeUInt32LE(group.first % TWO_TO_32, HEADER_BYTES + 4);
      out.writeUInt32LE(Math.floor(group.first / TWO_TO_32), HEADER_BYTES + 8);
      record.bytes.copy(out, JOINED_BYTES, record.start, record.end);
      return byFirst.add(out.subarray(0, length));
    };
    return { visit, end: async () => (any ? flush() : undefined) };
  }
}

function emptyKey(record: SortedRecord): boolean {
  const [from, to] = keyRange(record.bytes, record.start);
  return from === to;
}

function header(out: Buffer, length: number, line: number): void {
  out.writeUInt32LE(length, 0);
  out.writeUInt32LE(Math.floor(line / TWO_TO_32), 4);
  out.writeUInt32LE(line % TWO_TO_32, 8);
}
