/**
 * Reads a published JSONL tokens file for `verify` as `readCsv` reads a CSV one: a first record of
 * the column names (the first object's keys), then each object's values in that order, with its
 * line. Every line must be a JSON object of strings with the same keys in the same order.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { MeetingTokensError } from '../errors.js';
import type { CsvRecord } from './read-csv.js';

const BATCH = 1000;

export function readJsonl(path: string): { batches: AsyncGenerator<CsvRecord[]> } {
  async function* batches(): AsyncGenerator<CsvRecord[]> {
    const bad = (line: number, what: string): MeetingTokensError =>
      new MeetingTokensError('VERIFY_FAILED', `${path} line ${line}: ${what}`, { line });
    const stream = createReadStream(path);
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    let keys: string[] | undefined;
    let batch: CsvRecord[] = [];
    let line = 0;
    try {
      for await (const text of lines) {
        line++;
        if (text === '') continue;
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          throw bad(line, 'not valid JSON');
        }
        if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad(line, 'not a JSON object');
        const entries = Object.entries(value as Record<string, unknown>);
        if (keys === undefined) {
          keys = entries.map(([key]) => key);
          batch.push({ line: 0, fields: keys });
        }
        if (entries.length !== keys.length || entries.some(([key], i) => key !== keys![i])) {
          throw bad(line, `keys differ from the first line's (${keys.join(', ')})`);
        }
        if (entries.some(([, cell]) => typeof cell !== 'string')) throw bad(line, 'a value that is not a string');
        batch.push({ line, fields: entries.map(([, cell]) => cell as string) });
        if (batch.length >= BATCH) {
          yield batch;
          batch = [];
        }
      }
    } catch (error) {
      if (error instanceof MeetingTokensError) throw error;
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      throw new MeetingTokensError('VERIFY_FAILED', `${path}: cannot be read (${code})`, { file: path });
    } finally {
      stream.destroy();
    }
    if (batch.length > 0) yield batch;
  }
  return { batches: batches() };
}
