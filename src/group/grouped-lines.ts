/**
 * The lines of a file with one row per recipient: the recipient's own columns once (from their
 * first row), then each link's columns numbered (`room_name_1`, `join_url_1`, ...,
 * `join_url_5`), empty past the recipient's last link. Cells arrive already written as the file
 * writes them (CSV-quoted, or JSON), so a line is made by copying bytes.
 */
import { csvCell } from '../output/csv-writer.js';
import { jsonString } from '../output/json-writer.js';
import { PLAIN_SOURCES } from '../output/sources.js';
import type { GroupRows, TailOf } from './group-record.js';

/** An output column: its name in the file and where its value comes from (a tokens-file column, `roster`, `email`). */
export interface OutputColumn {
  readonly name: string;
  readonly source: string;
}

export type LineFormat = 'csv' | 'jsonl';

/** Sources whose value belongs to the recipient, not to one link: written once a row. */
export const RECIPIENT_SOURCES: ReadonlySet<string> = new Set(['roster', 'email', 'user_name', 'user_id']);

export interface GroupedLayout {
  /** Column names of the file. */
  names: string[];
  /** For each column of the file: which of the recipient's rows (0 = first) and which cell of it. */
  slots: { row: number; cell: number }[];
}

/**
 * The file's columns. `numbered`: the recipient's own columns, then `maxLinks` numbered sets of
 * the per-link columns; otherwise the columns as they are, from each recipient's one row.
 */
export function groupedLayout(columns: readonly OutputColumn[], maxLinks: number, numbered: boolean): GroupedLayout {
  if (!numbered) return { names: columns.map((c) => c.name), slots: columns.map((_, cell) => ({ row: 0, cell })) };
  const layout: GroupedLayout = { names: [], slots: [] };
  columns.forEach((column, cell) => {
    if (!RECIPIENT_SOURCES.has(column.source)) return;
    layout.names.push(column.name);
    layout.slots.push({ row: 0, cell });
  });
  for (let n = 1; n <= maxLinks; n++) {
    columns.forEach((column, cell) => {
      if (RECIPIENT_SOURCES.has(column.source)) return;
      layout.names.push(`${column.name}_${n}`);
      layout.slots.push({ row: n - 1, cell });
    });
  }
  return layout;
}

/** One cell as the file writes it: CSV (formula-escaped when asked, quoted when it must be) or a JSON string. */
export function cellText(format: LineFormat, value: string, escapeFormulas: boolean): string {
  return format === 'jsonl' ? jsonString(value) : csvCell(value, escapeFormulas);
}

/** For each column, the function that writes its cells (cellText, or the plain path above). */
export function cellWriters(format: LineFormat, escapeFormulas: boolean, columns: readonly OutputColumn[]): ((value: string) => string)[] {
  const plain = format === 'jsonl' ? (value: string): string => `"${value}"` : (value: string): string => value;
  const general = (value: string): string => cellText(format, value, escapeFormulas);
  return columns.map((column) => (PLAIN_SOURCES.has(column.source) ? plain : general));
}

/**
 * The join link's cell ends with the token's cell as the file writes them (past the token's
 * opening quote in JSON): stored once in a group record. Undefined without both columns.
 */
export function joinUrlTail(format: LineFormat, columns: readonly OutputColumn[]): TailOf | undefined {
  const cell = columns.findIndex((column) => column.source === 'join_url');
  const from = columns.findIndex((column) => column.source === 'token');
  return cell < 0 || from < 0 ? undefined : { cell, from, skip: format === 'jsonl' ? 1 : 0 };
}

/** Writes recipients' lines into a buffer the caller empties with `take`. */
export class GroupedLineWriter {
  private buffer = Buffer.allocUnsafeSlow(1 << 20);
  private used = 0;
  private ends = new Uint32Array(4096);
  private lines = 0;
  /** What goes before each cell (separator, JSON key), and after the last: the line end. */
  private readonly literals: Buffer[];
  private readonly empty: Buffer;
  private readonly rows: Int32Array;
  private readonly cells: Int32Array;

  constructor(layout: GroupedLayout, format: LineFormat, lineEnding: string) {
    const { names } = layout;
    const text =
      format === 'jsonl'
        ? [...names.map((name, i) => `${i === 0 ? '{' : ','}${jsonString(name)}:`), '}\n']
        : [...names.map((_, i) => (i === 0 ? '' : ',')), lineEnding];
    this.literals = text.map((t) => Buffer.from(t, 'utf8'));
    this.empty = Buffer.from(format === 'jsonl' ? '""' : '', 'utf8');
    this.rows = Int32Array.from(layout.slots, (s) => s.row);
    this.cells = Int32Array.from(layout.slots, (s) => s.cell);
  }

  /** Bytes waiting to be taken. */
  get size(): number {
    return this.used;
  }

  write(group: GroupRows): void {
    const { bytes, count } = group;
    const { literals, rows, cells } = this;
    for (let i = 0; i < rows.length; i++) {
      this.put(literals[i]!, 0, literals[i]!.length);
      const row = rows[i]!;
      if (row < count) {
        const cell = cells[i]!;
        this.put(bytes, group.cellStart(row, cell), group.cellEnd(row, cell));
        this.put(bytes, group.tailStart(row, cell), group.tailEnd(row, cell));
      } else this.put(this.empty, 0, this.empty.length);
    }
    const end = literals[rows.length]!;
    this.put(end, 0, end.length);
    if (this.lines === this.ends.length) {
      const more = new Uint32Array(this.ends.length * 2);
      more.set(this.ends);
      this.ends = more;
    }
    this.ends[this.lines++] = this.used;
  }

  /** The lines written since the last take and where each ends (valid until the next write). */
  take(): [Buffer, Uint32Array] {
    const out: [Buffer, Uint32Array] = [this.buffer.subarray(0, this.used), this.ends.subarray(0, this.lines)];
    this.used = 0;
    this.lines = 0;
    return out;
  }

  private put(from: Buffer, start: number, end: number): void {
    const length = end - start;
    if (this.used + length > this.buffer.length) {
      const next = Buffer.allocUnsafeSlow(Math.max(this.buffer.length * 2, this.used + length));
      this.buffer.copy(next, 0, 0, this.used);
      this.buffer = next;
    }
    if (length < 16) {
      for (let i = 0; i < length; i++) this.buffer[this.used + i] = from[start + i]!;
      this.used += length;
    } else this.used += from.copy(this.buffer, this.used, start, end);
  }
}
