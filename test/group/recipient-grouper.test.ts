import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readdirSync } from 'node:fs';
import { RecipientGrouper } from '../../src/group/recipient-grouper.js';
import { GroupRecordWriter, type TailOf } from '../../src/group/group-record.js';
import { pairHash } from '../../src/duplicates/pair-hash.js';
import type { RunSorterSizes } from '../../src/group/run-sorter.js';
import { tempDir } from '../helpers.js';

interface Row {
  line: number;
  key: string;
  cells: string[];
  fields: string[];
}
type Hash = (key: string) => [number, number];
type Event = { recipient: { line: number; key: string; cells: string[] }[] } | { over: number; first: number; fields: string[] };

const realHash: Hash = (key) => {
  const words = new Uint32Array(2);
  pairHash('', key, words, 0);
  return [words[0]!, words[1]!];
};
/** Every key on one of two hashes: most recipients share theirs with others. */
const collidingHash: Hash = (key) => [7, key.length % 2];

/** The obvious way, with a Map of keys: what the grouper must agree with. */
function reference(rows: readonly Row[], maxRows: number): Event[] {
  const groups = new Map<string, Row[]>();
  const events: [number, Event][] = [];
  for (const row of rows) {
    const group = groups.get(row.key);
    if (group === undefined) groups.set(row.key, [row]);
    else if (group.length < maxRows) group.push(row);
    else events.push([row.line, { over: row.line, first: group[0]!.line, fields: row.fields }]);
  }
  for (const group of groups.values()) {
    events.push([group[0]!.line, { recipient: group.map(({ line, key, cells }) => ({ line, key, cells })) }]);
  }
  return events.sort((a, b) => a[0] - b[0]).map(([, event]) => event);
}

async function group(
  rows: readonly Row[],
  maxRows: number,
  options: { hash?: Hash; sizes?: RunSorterSizes | undefined; chunk?: number; dir?: string; tail?: TailOf | undefined } = {},
) {
  const dir = options.dir ?? tempDir();
  const grouper = new RecipientGrouper(dir, maxRows, options.sizes);
  const hash = options.hash ?? realHash;
  const chunk = options.chunk ?? 1000;
  try {
    for (let at = 0; at < rows.length; at += chunk) {
      const writer = new GroupRecordWriter(16, options.tail);
      for (const row of rows.slice(at, at + chunk)) writer.add(hash(row.key), row.line, row.key, row.cells, row.fields);
      await grouper.add(writer.bytes());
    }
    const events: Event[] = [];
    let misplaced = 0;
    const summary = await grouper.finish({
      recipient: (rows) => {
        const members = Array.from({ length: rows.count }, (_, r) => {
          const { line, key, cells } = rows.member(r);
          // The cells where GroupRows places them, for lines written by copying bytes.
          const raw = cells.map((_, c) =>
            Buffer.concat([
              rows.bytes.subarray(rows.cellStart(r, c), rows.cellEnd(r, c)),
              rows.bytes.subarray(rows.tailStart(r, c), rows.tailEnd(r, c)),
            ]).toString('utf8'),
          );
          if (raw.join('\u0000') !== cells.join('\u0000') || rows.line(r) !== line) misplaced++;
          return { line, key, cells };
        });
        events.push({ recipient: members });
      },
      over: (member, first) => {
        events.push({ over: member.line, first, fields: member.fields() });
      },
    });
    expect(misplaced).toBe(0);
    return { events, summary };
  } finally {
    await grouper.discard();
  }
}

const rowsArbitrary = fc
  .tuple(
    fc.constantFrom(1, 2 ** 32 - 5),
    fc.array(
      fc.tuple(
        fc.constantFrom('a@x', 'b@x', 'ab@x', 'c', '', 'ü@x', '👍'),
        fc.array(
          fc.oneof(
            fc.string({ unit: 'grapheme' }),
            fc.constantFrom('"tok"', 'x"tok"', 'tok"', '"', '"\u00e9"', '', '\u00e9"tok"', 'x\u00e9"tok"'),
          ),
          { maxLength: 3 },
        ),
        fc.nat(3),
      ),
      { maxLength: 150 },
    ),
  )
  .map(([firstLine, picks]) => {
    let line = firstLine; // lines past 2^32 are stored in two words
    return picks.map(([key, cells, gap]): Row => ({ line: (line += 1 + gap), key, cells, fields: [key, ...cells, String(line)] }));
  });

const tiny = (runBytes: number, runRecords: number, fanIn: number): RunSorterSizes => ({ runBytes, runRecords, fanIn });

describe('recipient grouper', () => {
  it('agrees with a Map of keys: in memory, in spilled runs merged in steps, with colliding hashes, in any chunks', async () => {
    await fc.assert(
      fc.asyncProperty(
        rowsArbitrary,
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom(undefined, tiny(64, 2, 2), tiny(256, 5, 3), tiny(4096, 16, 2)),
        fc.constantFrom(realHash, collidingHash),
        fc.integer({ min: 1, max: 40 }),
        // A cell stored as its start and the tail of an earlier one (a join link ending with its token), where it has
        // one; a skip of 1 byte may cut a character in two.
        fc.constantFrom(undefined, { cell: 2, from: 1, skip: 1 }, { cell: 2, from: 0, skip: 0 }, { cell: 1, from: 0, skip: 1 }),
        async (rows, maxRows, sizes, hash, chunk, tail) => {
          const { events, summary } = await group(rows, maxRows, { hash, sizes, chunk, tail });
          const expected = reference(rows, maxRows);
          expect(events).toEqual(expected);
          // Every row in exactly one recipient's group or over the limit.
          expect(summary.rows + summary.over).toBe(rows.length);
          expect(summary.recipients).toBe(expected.filter((e) => 'recipient' in e).length);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('groups 200,000 rows in runs of 1,000 (merged 4 at a time) exactly, and leaves no file behind', async () => {
    const rows: Row[] = [];
    for (let i = 0; i < 200_000; i++) {
      // Recipients repeat far apart: recipient k has rows k, k + 70,001 and k + 140,002.
      const k = i % 70_001;
      rows.push({ line: i + 2, key: `user${k}@example.com`, cells: [`room-${i % 97}`, `link ${i}`], fields: [String(i)] });
    }
    const dir = tempDir();
    const { events } = await group(rows, 2, { sizes: tiny(1 << 20, 1000, 4), chunk: 777, dir });
    expect(events).toEqual(reference(rows, 2));
    expect(readdirSync(dir)).toEqual([]);
  }, 60_000);

  it('never joins two recipients whose keys share a hash', async () => {
    const rows: Row[] = ['a', 'b', 'a', 'c', 'b', 'a'].map((key, i) => ({ line: i + 2, key, cells: [key + i], fields: [] }));
    const { events } = await group(rows, 5, { hash: () => [1, 2] });
    expect(events).toEqual([
      {
        recipient: [
          { line: 2, key: 'a', cells: ['a0'] },
          { line: 4, key: 'a', cells: ['a2'] },
          { line: 7, key: 'a', cells: ['a5'] },
        ],
      },
      {
        recipient: [
          { line: 3, key: 'b', cells: ['b1'] },
          { line: 6, key: 'b', cells: ['b4'] },
        ],
      },
      { recipient: [{ line: 5, key: 'c', cells: ['c3'] }] },
    ]);
  });

  it('stores a join link ending with its token as its start and the token, and gives back the same cells and rejects', async () => {
    const token = 'eyJ.' + 'x'.repeat(300);
    const rows: Row[] = [0, 1, 2, 3].map((i) => ({
      line: i + 2,
      key: 'a',
      cells: [`room-${i}`, `"${token}${i}"`, `"https://acme.daily.co/room-${i}?t=${token}${i}"`, i === 3 ? `"other"` : ''],
      fields: [`f${i}`],
    }));
    rows[3]!.cells[2] = '"https://acme.daily.co/room-3?t=different"';
    const tail = { cell: 2, from: 1, skip: 1 };
    const whole = new GroupRecordWriter(16);
    const tailed = new GroupRecordWriter(16, tail);
    for (const row of rows) {
      whole.add(realHash(row.key), row.line, row.key, row.cells, row.fields);
      tailed.add(realHash(row.key), row.line, row.key, row.cells, row.fields);
    }
    // Three of the four links are stored without their 300-character token.
    expect(whole.bytes().length - tailed.bytes().length).toBeGreaterThan(3 * 300);
    const { events } = await group(rows, 3, { tail });
    expect(events).toEqual(reference(rows, 3));
  });

  it('takes a row larger than a whole run', async () => {
    const big = 'x'.repeat(5000);
    const rows: Row[] = [
      { line: 2, key: 'a', cells: ['1'], fields: [] },
      { line: 3, key: 'b', cells: [big], fields: [big] },
      { line: 4, key: 'a', cells: [big], fields: [] },
    ];
    const { events } = await group(rows, 1, { sizes: tiny(1024, 4, 2), chunk: 1 });
    expect(events).toEqual(reference(rows, 1));
  });

  it('stops on an aborted signal while merging', async () => {
    const rows: Row[] = Array.from({ length: 70_000 }, (_, i) => ({ line: i + 2, key: `k${i % 5000}`, cells: [], fields: [] }));
    const dir = tempDir();
    const grouper = new RecipientGrouper(dir, 5, tiny(1 << 16, 1000, 4));
    const writer = new GroupRecordWriter();
    for (const row of rows) writer.add(realHash(row.key), row.line, row.key, row.cells, row.fields);
    await grouper.add(writer.bytes());
    const controller = new AbortController();
    controller.abort('SIGINT');
    await expect(grouper.finish({ recipient: () => undefined, over: () => undefined }, controller.signal)).rejects.toMatchObject({
      code: 'ABORTED',
    });
    await grouper.discard();
    expect(readdirSync(dir)).toEqual([]);
  });
});
