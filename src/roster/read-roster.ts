/**
 * Streams a roster CSV as batches of records, in file order, with the line where each record
 * starts. Memory stays bounded by one read chunk plus one batch, whatever the file's size.
 *
 * csv-parse runs with `on_record` and a `skip` listener that both append to one queue: the two
 * fire synchronously in parse order, so records and unreadable records stay in roster order
 * without object-mode stream overhead per row.
 */
import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';
import { parse, type Options, type Parser, type CsvError, type InfoRecord } from 'csv-parse';
import { MeetingTokensError } from '../errors.js';

export interface RosterRecord {
  line: number;
  fields: string[];
}

/** A record the parser could not read but could skip; the run rejects it. */
export interface RosterSkip {
  line: number;
  fields: null;
  reason: string;
}

export type RosterEntry = RosterRecord | RosterSkip;

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

// Only a stray quote inside an unquoted field lets csv-parse resynchronise at the next line;
// after any other error it keeps reading as if inside a quoted field and would swallow good
// rows into the skipped one (seen with csv-parse 7 on `"a"x,...`), so those fail the run.
const RECOVERABLE: ReadonlySet<string> = new Set(['INVALID_OPENING_QUOTE', 'CSV_INVALID_OPENING_QUOTE']);

const REASONS: Readonly<Record<string, string>> = {
  INVALID_OPENING_QUOTE: 'unreadable CSV: a quote inside an unquoted field; quote the whole field and double the inner quotes',
  CSV_INVALID_CLOSING_QUOTE: 'unreadable CSV: text follows a closing quote',
  CSV_QUOTE_NOT_CLOSED: 'unreadable CSV: a quoted field opened here is never closed',
  CSV_MAX_RECORD_SIZE: `unreadable CSV: a record longer than ${MAX_RECORD_SIZE / 1024 / 1024} MiB (is a quote left open?)`,
};

function reasonFor(error: CsvError): string {
  const code = error.code;
  // csv-parse messages can quote roster content; ours never do.
  return REASONS[code] ?? `unreadable CSV (${code})`;
}

/**
 * Reads `path`; yields the header row first (as a batch of one record), then batches of
 * entries. `summary()` gives bytes and SHA-256 once the iteration has finished.
 */
export function readRoster(
  path: string,
  options: ReadOptions = {},
): {
  batches: AsyncGenerator<RosterEntry[]>;
  summary: () => RosterSummary;
} {
  const hash = createHash('sha256');
  let bytes = 0;
  let done = false;

  async function* batches(): AsyncGenerator<RosterEntry[]> {
    let queue: RosterEntry[] = [];
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
      queue.push({ line, fields });
      prevEnd = ctx.lines - inflation;
      prevEmpty = ctx.empty_lines;
      return null;
    };

    const csvOptions: Options = {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      max_record_size: options.maxRecordSize ?? MAX_RECORD_SIZE,
      on_record: (record, ctx) => onRecord(record as string[], ctx),
    };
    const parser: Parser = parse(csvOptions);
    parser.on('skip', (error: CsvError) => {
      if (fatal) return;
      const ctx = error as unknown as { lines: number; empty_lines: number };
      const line = prevEnd + 1 + (ctx.empty_lines - prevEmpty);
      if (!RECOVERABLE.has(error.code)) {
        fatal = new MeetingTokensError('ROSTER_PARSE', `roster line ${line}: ${reasonFor(error)}; fix the file and run again`, { line });
        return;
      }
      queue.push({ line, fields: null, reason: reasonFor(error) });
      prevEnd = ctx.lines - inflation;
      prevEmpty = ctx.empty_lines;
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
