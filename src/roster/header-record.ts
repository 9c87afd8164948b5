/**
 * Where the header record ends in the roster's first bytes, and which delimiter it uses: the
 * candidate that splits it into the most fields outside quotes (ties go to comma, the first).
 * Works on UTF-8 bytes (every delimiter is ASCII), with the state machine of `csv-parser.ts`.
 */
import { DELIMITERS, type Delimiter } from './delimiter.js';

const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_SEEN = 3;
const QUOTE = 34;
const LF = 10;
const CR = 13;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export interface HeaderRecord {
  /** Offset after the header record (the first record with content), or -1 if not complete yet. */
  end: number;
  /** Its fields, counted outside quotes (so far, when it is not complete). */
  fields: number;
}

/**
 * The header record in `data` with `delimiter` (a char code). `data` starts at the file's first
 * byte, so a byte-order mark there is skipped, as the parser skips it.
 */
export function headerRecord(data: Buffer, delimiter: number): HeaderRecord {
  let state = FIELD_START;
  let content = false;
  let fields = 1;
  const incomplete = (): HeaderRecord => ({ end: -1, fields });
  // A BOM's first bytes alone hold no line break: the loop waits for the rest.
  // Stryker disable next-line EqualityOperator: a step past the end reads undefined, which ends no record
  for (let i = data.subarray(0, 3).equals(BOM) ? 3 : 0; i < data.length; i++) {
    const b = data[i]!;
    if (state === QUOTED) {
      if (b === QUOTE) state = QUOTE_SEEN;
      continue;
    }
    if (b === LF || b === CR) {
      if (b === CR && (i + 1 >= data.length || data[i + 1] === LF)) {
        // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: read as a CRLF's CR, a last CR ends nothing either
        if (i + 1 >= data.length) return incomplete();
        continue;
      }
      if (content) return { end: i + 1, fields };
      state = FIELD_START;
      continue;
    }
    content = true;
    if (b === QUOTE) state = state === FIELD_START || state === QUOTE_SEEN ? QUOTED : UNQUOTED;
    else if (b === delimiter) {
      state = FIELD_START;
      fields++;
    } else state = UNQUOTED;
  }
  return incomplete();
}

/** Past this many bytes without a complete header row, the delimiter is decided on what is there. */
export const DETECT_WITHIN = 64 * 1024;

/**
 * The delimiter of the header in `data`, or undefined while it cannot be told yet. A candidate
 * whose header is not complete is waited for, unless `settle` (the data is all there is, or more
 * than `DETECT_WITHIN`): then its fields so far count (the parser then reports a quote never
 * closed in the header, if that is why).
 */
export function detectDelimiter(data: Buffer, settle: boolean): Delimiter | undefined {
  let best: Delimiter | undefined;
  let bestFields = 0;
  for (const { char } of DELIMITERS) {
    const header = headerRecord(data, char.charCodeAt(0));
    // Stryker disable next-line EqualityOperator: a header's end is -1 or an offset after a line break, never 0
    if (header.end < 0 && !settle) return undefined;
    if (header.fields > bestFields) {
      best = char;
      bestFields = header.fields;
    }
  }
  return best;
}
