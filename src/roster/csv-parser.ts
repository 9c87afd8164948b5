/**
 * RFC 4180 record parser for roster text, written for the hot path: csv-parse measured about
 * 220k rows/s on one core here (about 100k/s with the per-record line numbers we need), which
 * alone would cap a batch below its throughput target. Both this parser and the chunker's
 * byte scanner (`chunker.ts`) implement the same four-state machine, so a chunk cut by the
 * scanner always starts at a record boundary of this parser.
 *
 * The delimiter is a parameter (comma by default; `;`, tab and `|` for what spreadsheets export
 * elsewhere): comparing against a value held in a local costs the comma path nothing measurable.
 *
 * States: at field start, in an unquoted field, in a quoted field, just after a quote inside a
 * quoted field. Rules beyond RFC 4180, each chosen so that no record is ever invented or lost:
 * - line breaks are LF, CRLF or a lone CR; a line with no characters is skipped (but counted);
 * - a quote inside an unquoted field, or text after a closing quote, is kept as text and marks
 *   the record `stray` (the run rejects it, naming the field);
 * - a quoted field still open at the end of the text is an error (`UnclosedQuote`).
 */

export interface ParsedRecord {
  /** Line where the record starts (1-based). */
  line: number;
  /** Line where it ends: later than `line` when a quoted field holds line breaks. */
  endLine: number;
  fields: string[];
  /** Index of the first field with a stray quote, or -1. */
  stray: number;
}

/**
 * A record as the parser makes it. A class instance, and its fields a `slice` of a scratch array:
 * V8 keeps an allocation site for each object and array literal and, when nearly everything one
 * site makes outlives a scavenge (a chunk's records live until the chunk is signed), it can start
 * allocating that site's objects straight in the old generation. Then every chunk's records are
 * old garbage that holds its young field strings past scavenges, and a worker's heap grows by
 * tens of MB between mark-compacts. Instances and slices have no allocation site.
 */
class Parsed implements ParsedRecord {
  constructor(
    public line: number,
    public endLine: number,
    public fields: string[],
    public stray: number,
  ) {}
}

export class UnclosedQuote extends Error {
  constructor(readonly line: number) {
    super(`a quoted field opened at line ${line} is never closed`);
  }
}

const QUOTE = 34;
/** The comma's char code: the default delimiter. */
export const COMMA = 44;
const LF = 10;
const CR = 13;

/**
 * Parses every record of `text`, whose first character is on line `firstLine`; `delimiter` is
 * the char code that separates fields.
 */
export function parseRecords(text: string, firstLine: number, delimiter: number = COMMA): ParsedRecord[] {
  const records: ParsedRecord[] = [];
  const scratch: string[] = [];
  const n = text.length;
  // A byte-order mark can only open the file, never a later chunk.
  let i = firstLine === 1 && text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = firstLine;

  while (i < n) {
    let c = text.charCodeAt(i);
    if (c === LF || c === CR) {
      // An empty line: skipped, counted.
      i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      line++;
      continue;
    }
    const start = line;
    let count = 0; // fields of this record so far, in scratch
    let stray = -1;
    for (;;) {
      let value: string;
      c = text.charCodeAt(i);
      if (c === QUOTE) {
        // Quoted field: find the closing quote, unfolding "" and counting line breaks inside.
        i++;
        value = '';
        let from = i;
        for (;;) {
          const q = text.indexOf('"', i);
          if (q === -1) throw new UnclosedQuote(start);
          line += countLineBreaks(text, i, q);
          if (text.charCodeAt(q + 1) === QUOTE) {
            value += text.slice(from, q + 1);
            i = q + 2;
            from = i;
            continue;
          }
          value += text.slice(from, q);
          i = q + 1;
          break;
        }
        c = text.charCodeAt(i);
        if (i < n && c !== delimiter && c !== LF && c !== CR) {
          // Text after the closing quote: keep it, mark the record.
          if (stray < 0) stray = count;
          const from2 = i;
          while (i < n && (c = text.charCodeAt(i)) !== delimiter && c !== LF && c !== CR) i++;
          value += text.slice(from2, i);
        }
      } else {
        const from = i;
        while (i < n && (c = text.charCodeAt(i)) !== delimiter && c !== LF && c !== CR) {
          if (c === QUOTE && stray < 0) stray = count;
          i++;
        }
        value = text.slice(from, i);
      }
      scratch[count++] = value;
      if (i >= n) {
        // The text ended without a final line break.
        records.push(new Parsed(start, line, scratch.slice(0, count), stray));
        break;
      }
      c = text.charCodeAt(i);
      i++;
      if (c === delimiter) {
        if (i < n) continue;
        scratch[count++] = ''; // "a,b," at the very end: a last, empty field
        records.push(new Parsed(start, line, scratch.slice(0, count), stray));
        break;
      }
      if (c === CR && text.charCodeAt(i) === LF) i++;
      records.push(new Parsed(start, line, scratch.slice(0, count), stray));
      line++;
      break;
    }
  }
  return records;
}

/** Line breaks (LF, CRLF, lone CR) in text[from, to). */
function countLineBreaks(text: string, from: number, to: number): number {
  let count = 0;
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c === LF) count++;
    else if (c === CR) {
      count++;
      if (k + 1 < to && text.charCodeAt(k + 1) === LF) k++;
    }
  }
  return count;
}
