/**
 * The recipients of a batch who have not opened their link: the batch's own rows (its columns,
 * format and line endings), kept when their link is live and unopened. The tokens file and the
 * store both hold the batch in roster order, so the two are read side by side: memory stays flat
 * whatever the batch's size.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import { MeetingTokensError } from '../errors.js';
import { formatLine, type LineFormat } from '../output/row-cells.js';
import type { LinkedBatch } from './batch-manifest.js';
import type { LinkOpens } from './link-store.js';
import { VERIFIER_LENGTH } from './link-id.js';

export interface UnopenedCounts {
  links: number;
  unopened: number;
  revoked: number;
}

/** One row of a tokens file: its cells (CSV) or its JSON line, and its short link. */
interface FileRow {
  cells: string[] | undefined;
  json: string | undefined;
  shortUrl: string;
}

/** Writes the unopened rows through `write` (header first, for CSV); returns the counts. */
export async function writeUnopened(
  batch: LinkedBatch,
  opens: AsyncIterable<LinkOpens>,
  write: (text: string) => Promise<void>,
): Promise<UnopenedCounts> {
  const output = batch.manifest.output;
  const column = output.columns.find((c) => c.source === 'short_url')?.name;
  if (column === undefined) {
    throw new MeetingTokensError(
      'USAGE',
      "the batch's file has no short_url column (its output.columns left it out): its rows cannot be matched to links",
    );
  }
  const format: LineFormat = { format: output.format, escapeFormulas: false, lineEnding: output.line_ending === 'crlf' ? '\r\n' : '\n' };
  const names = output.columns.map((c) => c.name);
  if (output.format === 'csv') await write((output.bom ? '\uFEFF' : '') + formatLine(format, names, names));
  const links = opens[Symbol.asyncIterator]();
  const counts: UnopenedCounts = { links: 0, unopened: 0, revoked: 0 };
  for (const file of batch.files) {
    for await (const row of readRows(file, output.format, names.indexOf(column), column)) {
      if (row.shortUrl === '') continue;
      const next = await links.next();
      // Matched by line: the store keeps each link's locator (its key: run and roster line), not its id.
      if (next.done === true || !sameLink(row.shortUrl, next.value.locator)) {
        throw new MeetingTokensError('INVARIANT', `${file}: its links and the link store's records of run ${batch.manifest.run_id} differ`);
      }
      counts.links++;
      if (next.value.revoked) counts.revoked++;
      else if (next.value.opens === 0) {
        counts.unopened++;
        await write(row.json !== undefined ? row.json + '\n' : formatLine(format, names, row.cells!));
      }
    }
  }
  return counts;
}

/** Whether `url` is the short link whose locator is `locator` (an id: locator, then 22 verifier characters). */
function sameLink(url: string, locator: string): boolean {
  const id = url.slice(url.lastIndexOf('/j/') + 3);
  return id.length === locator.length + VERIFIER_LENGTH && id.startsWith(locator);
}

async function* readRows(file: string, format: 'csv' | 'jsonl', index: number, column: string): AsyncIterable<FileRow> {
  if (format === 'jsonl') {
    for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
      if (line === '') continue;
      const value = (JSON.parse(line) as Record<string, unknown>)[column];
      yield { cells: undefined, json: line, shortUrl: typeof value === 'string' ? value : '' };
    }
    return;
  }
  let header = true;
  for await (const record of createReadStream(file).pipe(parse({ bom: true, relax_column_count: false }))) {
    if (header) {
      header = false;
      continue;
    }
    const cells = record as string[];
    yield { cells, json: undefined, shortUrl: cells[index] ?? '' };
  }
}
