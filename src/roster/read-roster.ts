/**
 * Streams a roster CSV as batches of records, in file order, with the line where each record
 * starts. Memory stays bounded by one read chunk plus one batch, whatever the file's size.
 *
 * csv-parse's `on_record` collects records into a plain array while a chunk is parsed, so no
 * object-mode stream carries one row at a time.
 */
import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';
import { parse, type Options, type Parser, type CsvError, type InfoRecord } from 'csv-parse';
import { MeetingTokensError } from '../errors.js';

export interface RosterRecord {
  /** Line where the record starts (1-based, as an editor shows it). */
  line: number;
  /** Line where it ends: later than `line` when a quoted field holds line breaks. */
  endLine: number;
  fields: string[];
}

export interface RosterSummary {
  bytes: number;
  sha256: string;
}

export interface ReadOptions {
  /** Largest record csv-parse will buffer before giving up: bounds memory on a runaway quote. */
  maxRecordSize?: number;
  /** Read chunk size in bytes. */
  chunkSize?: number;
}

export const MAX_RECORD_SIZE = 1024 * 1024;

// Quotes inside unquoted fields are read as text (relax_quotes), as spreadsheets do: in strict
// mode csv-parse 7 resynchronises badly after such a quote, inventing or swallowing records.
// What is left (a quote never closed, a runaway record) leaves no reliable row boundary after
// it, so those errors fail the run with their line.
const REASONS: Readonly<Record<string, string>> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted field opened here is never closed',
  CSV_MAX_RECORD_SIZE: `a record longer than ${MAX_RECORD_SIZE / 1024 / 1024} MiB (is a quote left open?)`,
};

/**
 * Reads `path`; yields the header row first (as a batch of one record), then batches of
 * entries. `summary()` gives bytes and SHA-256 once the iteration has finished.
 */
export function readRoster(
  path: string,
  options: ReadOptions = {},
): {
  batches: AsyncGenerator<RosterRecord[]>;
  summary: () => RosterSummary;
} {
  const hash = createHash('sha256');
  let bytes = 0;
  let done = false;

  async function* batches(): AsyncGenerator<RosterRecord[]> {
    let queue: RosterRecord[] = [];
    let fatal: MeetingTokensError | undefined;
    let prevEnd = 0; // last line of the previous record, corrected
    let prevEmpty = 0;
    let inflation = 0; // csv-parse counts CRLF inside quoted fields as two lines

    const onRecord = (fields: string[], ctx: InfoRecord): null => {
      if (fatal) return null;
      const line = prevEnd + 1 + (ctx.empty_lines - prevEmpty);
      for (const field of fields) {
        if (field.length > 1 && field.indexOf('\r\n') !== -1) inflation += field.split('\r\n').length - 1;
      }
      prevEnd = ctx.lines - inflation;
      queue.push({ line, endLine: prevEnd, fields });
      prevEmpty = ctx.empty_lines;
      return null;
    };

    const csvOptions: Options = {
      bom: true,
      // Explicit, so a file whose header ends in LF and rows in CRLF (or the reverse) still
      // parses; auto-detection fixes one delimiter from the first line.
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      max_record_size: options.maxRecordSize ?? MAX_RECORD_SIZE,
      on_record: (record, ctx) => onRecord(record as string[], ctx),
    };
    const parser: Parser = parse(csvOptions);
    parser.on('skip', (error: CsvError) => {
      if (fatal) return;
      const ctx = error as unknown as { empty_lines: number };
      const line = prevEnd + 1 + (ctx.empty_lines - prevEmpty);
      // csv-parse messages can quote roster content; ours never do.
      const reason = REASONS[error.code] ?? `unreadable CSV (${error.code})`;
      fatal = new MeetingTokensError('ROSTER_PARSE', `roster line ${line}: ${reason}; fix the file and run again`, { line });
    });
    // Nothing is pushed downstream (on_record returns null), but keep the readable side flowing.
    parser.resume();

    const feed = (chunk: Buffer | undefined): Promise<void> =>
      new Promise((resolve, reject) => {
        const callback = (error?: Error | null): void => (error ? reject(error) : resolve());
        if (chunk) parser.write(chunk, callback);
        else parser.end(callback);
      });

    let stream;
    try {
      stream = createReadStream(path, { highWaterMark: options.chunkSize ?? 256 * 1024 });
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        hash.update(chunk);
        bytes += chunk.length;
        await feed(chunk);
        if (fatal) throw fatal;
        if (queue.length > 0) {
          const batch = queue;
          queue = [];
          yield batch;
        }
      }
      await feed(undefined);
    } catch (error) {
      throw toRosterError(error, path);
    } finally {
      stream?.destroy();
    }
    if (fatal) throw fatal;
    if (queue.length > 0) yield queue;
    done = true;
  }

  return {
    batches: batches(),
    summary: () => {
      if (!done) throw new Error('roster summary asked before the roster was read to the end');
      return { bytes, sha256: hash.digest('hex') };
    },
  };
}

function toRosterError(error: unknown, path: string): MeetingTokensError {
  if (error instanceof MeetingTokensError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new MeetingTokensError('ROSTER_UNREADABLE', `roster ${path} does not exist`, { file: path });
  if (code === 'EISDIR')
    return new MeetingTokensError('ROSTER_UNREADABLE', `roster ${path} is a directory, not a CSV file`, { file: path });
  if (code === 'EACCES') return new MeetingTokensError('ROSTER_UNREADABLE', `roster ${path}: permission denied`, { file: path });
  const what = (error as CsvError).code ?? code ?? 'error';
  return new MeetingTokensError('ROSTER_PARSE', `roster ${path}: cannot be read (${what})`, { file: path });
}
