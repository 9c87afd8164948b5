/**
 * The roster's header row, from the chunker's first chunk (which holds exactly the header
 * record): its fields, or one line saying why there is no usable header (exit 2).
 */
import { MeetingTokensError } from '../errors.js';
import type { Chunk } from './chunker.js';
import { parseRecords, UnclosedQuote } from './csv-parser.js';
import { decodeRoster } from './utf8.js';

export function headerFields(first: Chunk | undefined, path: string): string[] {
  const problem = (message: string, line?: number): MeetingTokensError =>
    new MeetingTokensError('ROSTER_HEADER', `roster ${path} ${message}`, { file: path, ...(line !== undefined ? { line } : {}) });
  const empty = 'is empty; the first line must be a header row';
  if (first === undefined) throw problem(empty);
  const { text, valid } = decodeRoster(first.bytes);
  if (!valid) throw problem('line 1: the header row has bytes that are not UTF-8; save the roster as UTF-8', first.firstLine);
  let header;
  try {
    header = parseRecords(text, first.firstLine)[0];
  } catch (error) {
    if (!(error instanceof UnclosedQuote)) throw error;
    throw problem(`line ${error.line}: a quoted field of the header row is never closed; fix the header and run again`, error.line);
  }
  if (header === undefined) throw problem(empty);
  return header.fields;
}
