/**
 * A signed row as the recipient grouping carries it: written where the row is signed (a worker
 * thread, or the main thread), sorted and merged as bytes, read back only to be written out.
 * `[u32 length][u32 key hash high][u32 key hash low][u32 line low][u32 line high][u32 cells]
 * [u32 fields][f64 exp]`, then the key, the cells and the roster fields, each `[u32 bytes][UTF-8]`.
 */
import { HEADER_BYTES } from './run-sorter.js';

const TWO_TO_32 = 2 ** 32;
const FIXED_BYTES = HEADER_BYTES + 24;
/** Where a record's token `exp` is: what the batch's exp range is taken from, for rows published only. */
const EXP_AT = HEADER_BYTES + 16;

/** Appends group records to one growing buffer (its memory its own, so it can be transferred). */
export class GroupRecordWriter {
  private buffer: Buffer;
  private length = 0;

  constructor(initialSize = 64 * 1024) {
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
    for (const cell of cells) at = this.text(at, cell);
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
  for (let i = 0; i < cellCount; i++) cells[i] = next();
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
 * of its cells, so a line can be written by copying bytes, without decoding a cell.
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
    if (this.cells.length < count * stride * 2) this.cells = new Int32Array(count * stride * 2);
    for (let r = 0; r < count; r++) {
      const m = this.starts[r]!;
      const cellCount = bytes.readUInt32LE(m + 20);
      let p = m + FIXED_BYTES;
      p += 4 + bytes.readUInt32LE(p); // the key
      for (let c = 0; c < stride; c++) {
        const i = (r * stride + c) * 2;
        if (c < cellCount) {
          const length = bytes.readUInt32LE(p);
          this.cells[i] = p + 4;
          this.cells[i + 1] = p + 4 + length;
          p += 4 + length;
        } else this.cells[i] = this.cells[i + 1] = 0;
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

  cellStart(r: number, c: number): number {
    return this.cells[(r * this.stride + c) * 2]!;
  }

  cellEnd(r: number, c: number): number {
    return this.cells[(r * this.stride + c) * 2 + 1]!;
  }

  /** Row `r` decoded (slow: for rejects and tests). */
  member(r: number): GroupMember {
    return readMember(this.bytes, this.starts[r]!);
  }
}
