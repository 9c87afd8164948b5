/**
 * Reads a roster file as byte chunks cut at record boundaries, so that chunks can be parsed
 * and signed independently (in parallel) and still give every record its true line number.
 * The byte scanner mirrors the state machine of `csv-parser.ts`.
 *
 * A roster in another encoding than UTF-8 is transcoded to UTF-8 on the way in (`encoding.ts`), so
 * chunks are always UTF-8; its field delimiter is given or detected from the header row.
 *
 * The first chunk holds exactly the header record (and any empty lines before it). Memory stays
 * bounded by the read size plus one record, and a record larger than `maxRecordSize` (a quote
 * left open, most likely) fails the read instead of growing without bound.
 */
import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';
import { MeetingTokensError } from '../errors.js';
import { COMMA } from './csv-parser.js';
import type { Delimiter } from './delimiter.js';
import { canonicalEncoding, createTranscoder, refuseWorkbook, sniffEncoding, type EncodingLabel, type RosterFormat } from './encoding.js';
import { DETECT_WITHIN, detectDelimiter, headerRecord } from './header-record.js';

export interface Chunk {
  index: number;
  /** UTF-8, whatever the roster's encoding. */
  bytes: Buffer;
  /** Line number of the chunk's first byte. */
  firstLine: number;
  /** About how many of the roster's own bytes it came from (exactly `bytes.length` for UTF-8), for progress. */
  sourceBytes: number;
}

export interface ChunkOptions {
  chunkSize?: number;
  maxRecordSize?: number;
  /** A cut with more lines than this is split at record boundaries. */
  maxChunkLines?: number;
  /** The field delimiter; undefined detects it from the header row. */
  delimiter?: Delimiter | undefined;
  /** The declared encoding, for a roster without a byte-order mark (default UTF-8). */
  encoding?: EncodingLabel | undefined;
}

/** How the roster is written, known once its first chunk is out. */
export interface ChunkFormat extends RosterFormat {
  delimiter: Delimiter;
}

// 64 KiB (about a thousand rows) measured best: larger chunks keep more output alive per
// young-generation GC cycle in the workers and cost more than they save.
export const DEFAULT_CHUNK_SIZE = 64 * 1024;
// What a chunk costs in memory goes with its rows (each becomes a ~300-800 byte output line),
// not its bytes: 64 KiB of 20-byte rows is 3,000 rows, and 5M such rows peaked at 204 MB.
// Such cuts are halved at record boundaries until they hold at most this many lines.
export const MAX_CHUNK_LINES = 1536;
export const MAX_RECORD_SIZE = 1024 * 1024;

const QUOTE = 34;
const LF = 10;
const CR = 13;

export function readChunks(
  path: string,
  options: ChunkOptions = {},
): { chunks: AsyncGenerator<Chunk>; summary: () => { bytes: number; sha256: string }; format: () => ChunkFormat } {
  const hash = createHash('sha256');
  const maxRecordSize = options.maxRecordSize ?? MAX_RECORD_SIZE;
  const maxChunkLines = options.maxChunkLines ?? MAX_CHUNK_LINES;
  const readSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  let total = 0;
  let decodedTotal = 0;
  let done = false;
  let encoding: RosterFormat | undefined;
  let delimiter = options.delimiter;

  /** The roster as UTF-8, read by read: transcoded when it is in another encoding. */
  async function* utf8(stream: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    let transcode;
    for await (const buf of stream) {
      hash.update(buf);
      total += buf.length;
      let bytes = buf;
      if (encoding === undefined) {
        refuseWorkbook(buf, path);
        const sniffed = sniffEncoding(buf, options.encoding);
        encoding = { encoding: sniffed.encoding, bom: sniffed.bom };
        transcode = createTranscoder(sniffed.encoding);
        bytes = buf.subarray(sniffed.skip);
      }
      const out = transcode ? transcode(bytes, false) : bytes;
      decodedTotal += out.length;
      yield out;
    }
    if (transcode) yield transcode(Buffer.alloc(0), true);
  }
  // A transcoded roster's chunks are longer or shorter than the bytes they came from.
  // Stryker disable next-line ConditionalExpression: for UTF-8 the ratio is 1, and length * total / total is exactly length
  const sourceBytes = (length: number): number => (decodedTotal === total ? length : Math.round((length * total) / decodedTotal));

  async function* chunks(): AsyncGenerator<Chunk> {
    let index = 0;
    let headerSent = false;
    let carry: Buffer = Buffer.alloc(0); // bytes after the last cut; always starts a record
    let carryLine = 1; // line of carry's first byte
    let stream;
    try {
      stream = createReadStream(path, { highWaterMark: readSize });
      for await (const buf of utf8(stream as AsyncIterable<Buffer>)) {
        // Stryker disable next-line ConditionalExpression,EqualityOperator: concatenating an empty carry gives the same bytes, only slower
        let data = carry.length > 0 ? Buffer.concat([carry, buf]) : buf;
        if (!headerSent) {
          delimiter ??= detectDelimiter(data, data.length >= DETECT_WITHIN);
          const end = delimiter === undefined ? -1 : headerRecord(data, delimiter.charCodeAt(0)).end;
          // Stryker disable next-line EqualityOperator: headerRecord's end is -1 or an offset after a line break, never 0
          if (end < 0) {
            carry = data;
            checkRecordSize(carry.length, carryLine, maxRecordSize);
            continue;
          }
          headerSent = true;
          yield { index: index++, bytes: data.subarray(0, end), firstLine: carryLine, sourceBytes: sourceBytes(end) };
          carryLine += countLineBreaks(data, 0, end);
          data = data.subarray(end);
        }
        const sep = delimiter!.charCodeAt(0);
        const cut = lastRecordEnd(data, sep);
        for (let start = 0; start < cut;) {
          let end = cut;
          let lines = countLineBreaks(data, start, end);
          // Stryker disable next-line EqualityOperator: halving a cut of exactly the limit too gives smaller chunks of the same records
          while (lines > maxChunkLines) {
            const half = lastRecordEnd(data.subarray(start, start + ((end - start) >> 1)), sep);
            // Stryker disable next-line EqualityOperator: lastRecordEnd is -1 or an offset after a line break, never 0
            if (half <= 0) break; // one record fills the first half: keep the cut as it is
            end = start + half;
            lines = countLineBreaks(data, start, end);
          }
          yield { index: index++, bytes: data.subarray(start, end), firstLine: carryLine, sourceBytes: sourceBytes(end - start) };
          carryLine += lines;
          start = end;
        }
        carry = data.subarray(Math.max(cut, 0));
        checkRecordSize(carry.length, carryLine, maxRecordSize);
      }
      // What is left is the last record(s) (or a header never ended); the parser reports a quote never closed in it.
      delimiter ??= detectDelimiter(carry, true);
      // Stryker disable next-line UpdateOperator: the number after the last chunk is never used
      if (carry.length > 0) yield { index: index++, bytes: carry, firstLine: carryLine, sourceBytes: sourceBytes(carry.length) };
      done = true;
    } catch (error) {
      throw toRosterError(error, path);
    } finally {
      stream?.destroy();
    }
  }

  return {
    chunks: chunks(),
    summary: () => {
      if (!done) throw new Error('roster summary asked before the roster was read to the end');
      return { bytes: total, sha256: hash.digest('hex') };
    },
    format: () => ({
      ...(encoding ?? { encoding: canonicalEncoding(options.encoding ?? 'utf-8'), bom: false }),
      delimiter: delimiter ?? ',',
    }),
  };
}

function checkRecordSize(size: number, line: number, max: number): void {
  if (size > max) {
    throw new MeetingTokensError(
      'ROSTER_PARSE',
      `roster line ${line}: a record longer than ${max / 1024 / 1024} MiB (is a quote left open?); fix the file and run again`,
      { line },
    );
  }
}

/**
 * Offset just after the last record boundary in `data` (which starts a record), or -1. Jumps
 * from quote to quote with indexOf: a quote opens a quoted field only at a field's start (as in
 * the parser); inside one, a doubled quote is text and a single quote closes it. A cut is made
 * only after a line break outside quoted fields, and never between the CR and LF of a CRLF.
 */
export function lastRecordEnd(data: Buffer, delimiter: number = COMMA): number {
  const len = data.length;
  let best = -1;
  let pos = 0;
  for (;;) {
    const q = data.indexOf(QUOTE, pos);
    const end = q === -1 ? len : q;
    const cut = lastLineBreak(data, pos, end);
    // Stryker disable next-line EqualityOperator: taking an equal cut again changes nothing
    if (cut > best) best = cut;
    if (q === -1) return best;
    const prev = q === 0 ? LF : data[q - 1];
    if (prev !== delimiter && prev !== LF && prev !== CR) {
      pos = q + 1; // a quote inside an unquoted field is text
      continue;
    }
    let k = q + 1;
    for (;;) {
      const c = data.indexOf(QUOTE, k);
      // Still inside the quoted field at the end of the data (or undecidable: a quote as the
      // last byte may be the first of a doubled pair): no boundary after `q`.
      // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: a closing quote as the last byte: scanning on from the end finds no break either
      if (c === -1 || c + 1 >= len) return best;
      if (data[c + 1] === QUOTE) {
        k = c + 2;
        continue;
      }
      pos = c + 1;
      break;
    }
  }
}

/** Offset after the last line break in data[from, to) that can be cut after, or -1. */
function lastLineBreak(data: Buffer, from: number, to: number): number {
  if (to <= from) return -1;
  const lf = data.lastIndexOf(LF, to - 1);
  let best = lf >= from ? lf + 1 : -1;
  const cr = data.lastIndexOf(CR, to - 1);
  // A lone CR is a line break too, when the byte after it is known and is not LF.
  if (cr >= from && cr + 1 > best && cr + 1 < data.length && data[cr + 1] !== LF) best = cr + 1;
  return best;
}

/** Line breaks (LF, CRLF or lone CR) in data[from, to). */
export function countLineBreaks(data: Buffer, from: number, to: number): number {
  let count = 0;
  for (let i = data.indexOf(LF, from); i !== -1 && i < to; i = data.indexOf(LF, i + 1)) count++;
  for (let i = data.indexOf(CR, from); i !== -1 && i < to; i = data.indexOf(CR, i + 1)) {
    if (data[i + 1] !== LF || i + 1 >= to) count++;
  }
  return count;
}

function toRosterError(error: unknown, path: string): MeetingTokensError {
  if (error instanceof MeetingTokensError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new MeetingTokensError('ROSTER_UNREADABLE', `roster ${path} does not exist`, { file: path });
  if (code === 'EISDIR')
    return new MeetingTokensError('ROSTER_UNREADABLE', `roster ${path} is a directory, not a CSV file`, { file: path });
  if (code === 'EACCES') return new MeetingTokensError('ROSTER_UNREADABLE', `roster ${path}: permission denied`, { file: path });
  return new MeetingTokensError('ROSTER_UNREADABLE', `roster ${path}: cannot be read (${code ?? 'error'})`, { file: path });
}
