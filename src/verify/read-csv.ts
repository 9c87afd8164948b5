/**
 * Reads a published CSV file for `verify`, with csv-parse: deliberately another parser than the
 * roster's hot path (`roster/csv-parser.ts`), so that verification does not share its bugs.
 * Yields batches of records with the line where each starts.
 */
import { createReadStream } from 'node:fs';
import { parse, type Options, type Parser, type CsvError, type InfoRecord } from 'csv-parse';
import { MeetingTokensError } from '../errors.js';

export interface CsvRecord {
  line: number;
  fields: string[];
}

export function readCsv(path: string): { batches: AsyncGenerator<CsvRecord[]> } {
  async function* batches(): AsyncGenerator<CsvRecord[]> {
    let queue: CsvRecord[] = [];
    let fatal: MeetingTokensError | undefined;
    let prevEnd = 0;
    let prevEmpty = 0;
    let inflation = 0; // csv-parse counts a CRLF inside a quoted field as two lines

    const options: Options = {
      bom: true,
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_record: (record: unknown, ctx: InfoRecord) => {
        const fields = record as string[];
        for (const field of fields) if (field.indexOf('\r\n') !== -1) inflation += field.split('\r\n').length - 1;
        queue.push({ line: prevEnd + 1 + (ctx.empty_lines - prevEmpty), fields });
        prevEnd = ctx.lines - inflation;
        prevEmpty = ctx.empty_lines;
        return null;
      },
    };
    const parser: Parser = parse(options);
    parser.on('skip', (error: CsvError) => {
      const line = prevEnd + 1;
      fatal ??= new MeetingTokensError('VERIFY_FAILED', `${path} line ${line}: not valid CSV (${error.code})`, { line });
    });
    parser.resume(); // records go to the queue; nothing is pushed downstream

    const feed = (chunk: Buffer | undefined): Promise<void> =>
      new Promise((resolve, reject) => {
        const callback = (error?: Error | null): void => (error ? reject(error) : resolve());
        if (chunk) parser.write(chunk, callback);
        else parser.end(callback);
      });

    const stream = createReadStream(path);
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
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
      if (error instanceof MeetingTokensError) throw error;
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      throw new MeetingTokensError('VERIFY_FAILED', `${path}: cannot be read (${code})`, { file: path });
    } finally {
      stream.destroy();
    }
    if (fatal) throw fatal;
    if (queue.length > 0) yield queue;
  }
  return { batches: batches() };
}
