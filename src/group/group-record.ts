/**
 * A signed row as the recipient grouping carries it: written where the row is signed (a worker
 * thread, or the main thread), sorted and merged as bytes, read back only to be written out.
 * `[u32 length][u32 key hash high][u32 key hash low][u32 line low][u32 line high][u32 cells]
 * [u32 fields][f64 exp]`, then the key, the cells and the roster fields, each `[u32 bytes][UTF-8]`. A
 * cell whose bytes end with an earlier cell's (a join link ends with its token) is stored as
 * `[u32 TAIL | bytes][its first bytes][u32 earlier cell << 16 | bytes of the earlier cell skipped]`:
 * a join link costs its room, not a second copy of its token, in every sort and merge.
 */
import { HEADER_BYTES } from './run-sorter.js';

const TWO_TO_32 = 2 ** 32;
const FIXED_BYTES = HEADER_BYTES + 24;
/** Where a record's token `exp` is: what the batch's exp range is taken from, for rows published only. */
const EXP_AT = HEADER_BYTES + 16;
/** The length word's flag for a cell stored as a start and another cell's tail. */
const TAIL = 0x80000000;

/**
 * Cell `cell` ends with the bytes of cell `from` (an earlier cell) past its first `skip`: so it is
 * stored whenever its bytes do end so, checked byte for byte. A join link ends with its token.
 */
export interface TailOf {
  cell: number;
  from: number;
  skip: number;
}

/** Appends group records to one growing buffer (its memory its own, so it can be transferred). */
export class GroupRecordWriter {
  private buffer: Buffer;
  private length = 0;

  constructor(
    initialSize = 64 * 1024,
    private readonly tail?: TailOf | undefined,
  ) {
    this.buffer = Buffer.allocUnsafeSlow(initialSize);
  }

  /** One row: `hash` is its key's 64-bit hash as [high, low] (pairHash's output); `exp` its token's. */
  add(hash: ArrayLike<number>, line: number, key: string, cells: readonly string[], fields: readonly string[], exp = 0): void {
    let most = FIXED_BYTES + 4 + key.length * 3;
    for (const cell of cells) most += 4 + cell.length * 3;
    for (const field of fields) most += 4 + field.length * 3;
    if (this.length + most > this.buffer.length) this.grow(most);
    const b = this.buffer;
    const start = this.length;
    b.writeUInt32LE(hash[0]!, start + 4);
    b.writeUInt32LE(hash[1]!, start + 8);
    b.writeUInt32LE(line % TWO_TO_32, start + 12);
    b.writeUInt32LE(Math.floor(line / TWO_TO_32), start + 16);
    b.writeUInt32LE(cells.length, start + 20);
    b.writeUInt32LE(fields.length, start + 24);
    b.writeDoubleLE(exp, start + EXP_AT);
    let at = this.text(start + FIXED_BYTES, key);
    const tail = this.tail !== undefined && this.tail.from < this.tail.cell && this.tail.cell < cells.length ? this.tail : undefined;
    let fromAt = 0;
    for (let c = 0; c < cells.length; c++) {
      if (tail !== undefined && c === tail.from) fromAt = at;
      at = tail !== undefined && c === tail.cell ? this.tailed(at, cells[c]!, fromAt, tail) : this.text(at, cells[c]!);
    }
    for (const field of fields) at = this.text(at, field);
    b.writeUInt32LE(at - start, start);
    this.length = at;
  }

  /** The records written so far (a view; the writer must not be used afterwards). */
  bytes(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  private text(at: number, value: string): number {
    const written = value.length === 0 ? 0 : this.buffer.write(value, at + 4, 'utf8');
    this.buffer.writeUInt32LE(written, at);
    return at + 4 + written;
  }

  /**
   * `value` written, then, when its bytes end with the earlier cell's (written at `fromAt`) past
   * `skip`, cut to its first bytes and a reference to that cell. Comparing the written bytes is
   * both exact and cheaper than comparing the strings (a join link is a string not yet flat).
   */
  private tailed(at: number, value: string, fromAt: number, tail: TailOf): number {
    const b = this.buffer;
    const end = this.text(at, value);
    const length = end - at - 4;
    const tailStart = fromAt + 4 + tail.skip;
    const tailLength = fromAt + 4 + b.readUInt32LE(fromAt) - tailStart;
    if (tailLength <= 0 || tailLength > length || b.compare(b, tailStart, tailStart + tailLength, end - tailLength, end) !== 0) return end;
    const written = length - tailLength;
    b.writeUInt32LE((TAIL | written) >>> 0, at);
    b.writeUInt32LE(((tail.from << 16) | tail.skip) >>> 0, at + 4 + written);
    return at + 8 + written;
  }

  private grow(extra: number): void {
    const next = Buffer.allocUnsafeSlow(Math.max(this.buffer.length * 2, this.length + extra));
    this.buffer.copy(next, 0, 0, this.length);
    this.buffer = next;
  }
}

/** One row of a recipient, read back. */
export interface GroupMember {
  line: number;
  key: string;
  /** The row's token's `exp`. */
  exp: number;
  /** The row's output cells. */
  cells: string[];
  /** The row's roster fields (for a reject row), read on demand. */
  fields(): string[];
}

/** The line of the record at `start`. */
export function recordLine(bytes: Buffer, start: number): number {
  return bytes.readUInt32LE(start + 12) + bytes.readUInt32LE(start + 16) * TWO_TO_32;
}

/** The key of the record at `start`. */
export function recordKey(bytes: Buffer, start: number): string {
  const at = start + FIXED_BYTES;
  return bytes.toString('utf8', at + 4, at + 4 + bytes.readUInt32LE(at));
}

/** The record at `start`, decoded (its fields when asked for). */
export function readMember(bytes: Buffer, start: number): GroupMember {
  const cellCount = bytes.readUInt32LE(start + 20);
  const fieldCount = bytes.readUInt32LE(start + 24);
  let at = start + FIXED_BYTES;
  const next = (): string => {
    const length = bytes.readUInt32LE(at);
    const value = length === 0 ? '' : bytes.toString('utf8', at + 4, at + 4 + length);
    at += 4 + length;
    return value;
  };
  const key = next();
  const cells = new Array<string>(cellCount);
  const places: [number, number][] = [];
  for (let i = 0; i < cellCount; i++) {
    const word = bytes.readUInt32LE(at);
    if (word < TAIL) {
      places.push([at + 4, at + 4 + word]);
      cells[i] = next();
    } else {
      // The start and the earlier cell's tail, joined as bytes: the cut may fall inside a character.
      const length = word - TAIL;
      const ref = bytes.readUInt32LE(at + 4 + length);
      const [from, to] = places[ref >>> 16]!;
      places.push([0, 0]);
      cells[i] = Buffer.concat([bytes.subarray(at + 4, at + 4 + length), bytes.subarray(from + (ref & 0xffff), to)]).toString('utf8');
      at += 8 + length;
    }
  }
  const fieldsAt = at;
  return {
    line: recordLine(bytes, start),
    key,
    exp: bytes.readDoubleLE(start + EXP_AT),
    cells,
    fields: () => {
      at = fieldsAt;
      return Array.from({ length: fieldCount }, next);
    },
  };
}

/** Where the key of the record at `start` is in `bytes`: [start, end). */
export function keyRange(bytes: Buffer, start: number): [number, number] {
  const at = start + FIXED_BYTES + 4;
  return [at, at + bytes.readUInt32LE(at - 4)];
}

/**
 * The rows of one recipient as they lie in a merged record: each row's line and the place of each
 * of its cells (its start, and the other cell's tail it ends with, if so), so a line can be
 * written by copying bytes, without decoding a cell.
 */
export class GroupRows {
  bytes: Buffer = Buffer.alloc(0);
  count = 0;
  private starts: number[] = [];
  private stride = 0;
  private cells = new Int32Array(0);

  /** Takes the `count` records laid end to end from `at`. */
  read(bytes: Buffer, at: number, count: number): void {
    this.bytes = bytes;
    this.count = count;
    this.starts.length = 0;
    let stride = 0;
    for (let r = 0, m = at; r < count; r++, m += bytes.readUInt32LE(m)) {
      this.starts.push(m);
      stride = Math.max(stride, bytes.readUInt32LE(m + 20));
    }
    this.stride = stride;
    if (this.cells.length < count * stride * 4) this.cells = new Int32Array(count * stride * 4);
    const cells = this.cells;
    for (let r = 0; r < count; r++) {
      const m = this.starts[r]!;
      const cellCount = bytes.readUInt32LE(m + 20);
      let p = m + FIXED_BYTES;
      p += 4 + bytes.readUInt32LE(p); // the key
      for (let c = 0; c < stride; c++) {
        const i = (r * stride + c) * 4;
        cells[i + 2] = cells[i + 3] = 0;
        if (c < cellCount) {
          const word = bytes.readUInt32LE(p);
          const length = word & ~TAIL;
          cells[i] = p + 4;
          cells[i + 1] = p + 4 + length;
          p += 4 + length;
          if (word >= TAIL) {
            const ref = bytes.readUInt32LE(p);
            const from = (r * stride + (ref >>> 16)) * 4; // an earlier cell of the row
            cells[i + 2] = cells[from]! + (ref & 0xffff);
            cells[i + 3] = cells[from + 1]!;
            p += 4;
          }
        } else cells[i] = cells[i + 1] = 0;
      }
    }
  }

  line(r: number): number {
    return recordLine(this.bytes, this.starts[r]!);
  }

  /** Row `r`'s token's `exp`. */
  exp(r: number): number {
    return this.bytes.readDoubleLE(this.starts[r]! + EXP_AT);
  }

  /** Where cell `c` of row `r` starts in `bytes`. */
  cellStart(r: number, c: number): number {
    return this.cells[(r * this.stride + c) * 4]!;
  }

  /** Where the cell's start ends. */
  cellEnd(r: number, c: number): number {
    return this.cells[(r * this.stride + c) * 4 + 1]!;
  }

  /** Where the other cell's tail the cell ends with starts (equal to `tailEnd` for none). */
  tailStart(r: number, c: number): number {
    return this.cells[(r * this.stride + c) * 4 + 2]!;
  }

  tailEnd(r: number, c: number): number {
    return this.cells[(r * this.stride + c) * 4 + 3]!;
  }

  /** Row `r` decoded (slow: for rejects and tests). */
  member(r: number): GroupMember {
    return readMember(this.bytes, this.starts[r]!);
  }
}
