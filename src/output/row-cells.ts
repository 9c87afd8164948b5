/**
 * A signed row through the output layout: its cells, the check of every cell against the profile's
 * limit, and the cells as one CSV or JSONL line. Kept apart so a later stage (grouping rows per
 * recipient) can take the cells of many rows, arrange them and write them with the same formatter.
 */
import { csvCell } from './csv-writer.js';
import { jsonEscaped, jsonString } from './json-writer.js';
import type { ByteWriter } from './byte-writer.js';
import type { OutputFormat, OutputLayout } from './layout.js';
import { cellLimitProblem } from './profile-rules.js';
import { PROFILES } from './profiles.js';
import { SOURCES, type SignedRow } from './sources.js';

/** The row's output cells, one per layout column, in order. */
export function rowCells(layout: OutputLayout, row: SignedRow): string[] {
  const { columns } = layout;
  const cells = new Array<string>(columns.length);
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i]!;
    cells[i] = SOURCES[column.source]!(row, column);
  }
  return cells;
}

/**
 * Null when every cell fits the profile's cell limit, else the reject reason for the first that
 * does not: the column, its length, the limit and the remedy. Values are checked as the mailer
 * stores them, before CSV quoting.
 */
export function cellsProblem(layout: OutputLayout, names: readonly string[], cells: readonly string[]): string | null {
  if (layout.cellLimit === undefined) return null;
  const profile = PROFILES[layout.profile];
  for (let i = 0; i < cells.length; i++) {
    const problem = cellLimitProblem(profile, names[i]!, cells[i]!);
    if (problem !== null) return problem;
  }
  return null;
}

/** How lines are written: what `formatLine` needs of a layout. */
export type LineFormat = Pick<OutputLayout, 'format' | 'escapeFormulas' | 'lineEnding'>;

/**
 * `cells` as one line of the file, its line ending included: a CSV record (formula-escaped and
 * quoted as the layout says), or a JSON object whose keys are `names` in order. JSON is built
 * key by key, so a column named `__proto__` is a key like any other.
 */
export function formatLine(format: LineFormat, names: readonly string[], cells: readonly string[]): string {
  if (format.format === 'jsonl') {
    if (cells.length === 0) return '{}\n';
    const between = jsonBetween(names);
    let line = '';
    for (let i = 0; i < cells.length; i++) line += between[i]! + jsonEscaped(cells[i]!);
    return line + between[cells.length]!;
  }
  let line = csvCell(cells[0] ?? '', format.escapeFormulas);
  for (let i = 1; i < cells.length; i++) line += ',' + csvCell(cells[i]!, format.escapeFormulas);
  return line + format.lineEnding;
}

/**
 * `formatLine` written straight into `out`: a JSON line as the bytes between its cells (`{"email":"`,
 * `","room":"`, `"}`) and each cell's escaped text, without building the line as a string first
 * (a JSONL batch spent a fifth of its time there). `plain[i]`: cell i comes from one of the
 * `PLAIN_SOURCES`, whose values never need an escape.
 */
export function writeLine(
  out: ByteWriter,
  format: LineFormat,
  names: readonly string[],
  cells: readonly string[],
  plain?: readonly boolean[],
): void {
  if (format.format !== 'jsonl' || cells.length === 0) {
    out.write(formatLine(format, names, cells));
    return;
  }
  const between = jsonBetween(names);
  for (let i = 0; i < cells.length; i++) {
    out.write(between[i]!);
    out.write(plain?.[i] === true ? cells[i]! : jsonEscaped(cells[i]!));
  }
  out.write(between[cells.length]!);
}

const betweenOf = new WeakMap<readonly string[], string[]>();

/** What a JSON line has before each cell's escaped text, with the opening quote, and after the last. */
function jsonBetween(names: readonly string[]): string[] {
  let between = betweenOf.get(names);
  if (between === undefined) {
    between = [...names.map((name, i) => `${i === 0 ? '{' : '",'}${jsonString(name)}:"`), '"}\n'];
    betweenOf.set(names, between);
  }
  return between;
}

/** The file's first bytes: the BOM when the layout has one, and the CSV header line (JSONL has none). */
export function fileHead(layout: OutputLayout, names: readonly string[] = layout.columns.map((c) => c.name)): string {
  if (layout.format === 'jsonl') return '';
  return (layout.bom ? '\uFEFF' : '') + formatLine(layout, names, names);
}

/** The format a file of this layout has, for names and the manifest. */
export function fileExtension(format: OutputFormat): string {
  return format === 'jsonl' ? '.jsonl' : '.csv';
}
