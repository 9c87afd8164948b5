/**
 * The roster's header row, from the chunker's first chunk (which holds exactly the header
 * record): its fields, or one line saying why there is no usable header (exit 2).
 */
import { MeetingTokensError } from '../errors.js';
import type { Chunk, ChunkFormat } from './chunker.js';
import { parseRecords, UnclosedQuote } from './csv-parser.js';
import { guessEncoding, notUtf8Hint } from './encoding-guess.js';
import { decodeRoster } from './utf8.js';

export function headerFields(first: Chunk | undefined, path: string, format: ChunkFormat): string[] {
  const problem = (message: string, line?: number): MeetingTokensError =>
    new MeetingTokensError('ROSTER_HEADER', `roster ${path} ${message}`, { file: path, ...(line !== undefined ? { line } : {}) });
  const empty = 'is empty; the first line must be a header row';
  if (first === undefined) throw problem(empty);
  const { text, valid } = decodeRoster(first.bytes);
  if (!valid) {
    const why =
      format.encoding === 'utf-8'
        ? `bytes that are not UTF-8 (${notUtf8Hint(guessEncoding(first.bytes))})`
        : `bytes that are not ${format.encoding}; check the roster's encoding`;
    throw problem(`line ${first.firstLine}: the header row has ${why}`, first.firstLine);
  }
  // UTF-16 without a byte-order mark reads as UTF-8 with a NUL beside every ASCII character.
  const nul = first.bytes.indexOf(0);
  if (nul >= 0 && format.encoding === 'utf-8') {
    const encoding = nul % 2 === 1 ? 'utf-16le' : 'utf-16be';
    throw problem(
      `line ${first.firstLine}: the header row has NUL bytes: looks like ${encoding.toUpperCase()} without a byte-order mark; set encoding: ${encoding}`,
      first.firstLine,
    );
  }
  let header;
  try {
    header = parseRecords(text, first.firstLine, format.delimiter.charCodeAt(0))[0];
  } catch (error) {
    if (!(error instanceof UnclosedQuote)) throw error;
    throw problem(`line ${error.line}: a quoted field of the header row is never closed; fix the header and run again`, error.line);
  }
  if (header === undefined) throw problem(empty);
  return header.fields;
}
