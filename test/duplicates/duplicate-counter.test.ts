import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readdirSync } from 'node:fs';
import { DuplicateCounter, type DuplicateSummary } from '../../src/duplicates/duplicate-counter.js';
import { pairHash } from '../../src/duplicates/pair-hash.js';
import { WORDS } from '../../src/duplicates/record-layout.js';
import { tempDir } from '../helpers.js';

type Row = { room: string; userId: string; line: number };

/** A chunk's records as processRecords makes them. */
function keysOf(rows: Row[]): Uint32Array {
  const keys = new Uint32Array(rows.length * WORDS);
  rows.forEach((row, i) => {
    pairHash(row.room, row.userId, keys, i * WORDS);
    keys[i * WORDS + 2] = row.line % 2 ** 32;
    keys[i * WORDS + 3] = Math.floor(row.line / 2 ** 32);
  });
  return keys;
}

/** The obvious way, with a Map of strings: what the counter must agree with. */
function reference(rows: Row[]): DuplicateSummary {
  const firstLine = new Map<string, number>();
  const counts = new Map<string, number>();
  const repeats: { line: number; same_as_line: number }[] = [];
  for (const row of rows) {
    const key = JSON.stringify([row.room, row.userId]);
    const first = firstLine.get(key);
    if (first === undefined) firstLine.set(key, row.line);
    else repeats.push({ line: row.line, same_as_line: first });
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return { rows: repeats.length, pairs: [...counts.values()].filter((n) => n > 1).length, first: repeats.slice(0, 5) };
}

async function count(rows: Row[], runRecords: number, chunkSizes: number[], dir = tempDir()): Promise<DuplicateSummary> {
  const counter = new DuplicateCounter(dir, runRecords);
  let at = 0;
  for (let c = 0; at < rows.length; c++) {
    const size = chunkSizes.length > 0 ? chunkSizes[c % chunkSizes.length]! : rows.length;
    await counter.add(keysOf(rows.slice(at, at + size)));
    at += size;
  }
  return counter.finish();
}

const rowsArbitrary = fc
  .tuple(
    fc.constantFrom(1, 2 ** 32 - 5),
    fc.array(fc.tuple(fc.constantFrom('demo', 'other', ''), fc.constantFrom('u-1', 'u-2', 'U-1', 'ü', '👍'), fc.nat(3)), {
      maxLength: 200,
    }),
  )
  .map(([firstLine, picks]) => {
    let line = firstLine; // lines past 2^32 are stored in two words
    // Lines ascend with gaps (rejected rows, multi-line records), as in a roster.
    return picks.map(([room, userId, gap]): Row => ({ room, userId, line: (line += 1 + gap) }));
  });

describe('duplicate counter', () => {
  it('agrees with a Map of strings, in memory and when runs spill to disk, whatever the chunk sizes', async () => {
    await fc.assert(
      fc.asyncProperty(
        rowsArbitrary,
        fc.constantFrom(1, 3, 16, 1024),
        fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 4 }),
        async (rows, runRecords, chunks) => {
          expect(await count(rows, runRecords, chunks)).toEqual(reference(rows));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('counts 300,000 rows in runs of 4,096 (74 runs merged) exactly, and leaves no file behind', async () => {
    const rows: Row[] = [];
    for (let i = 0; i < 300_000; i++) {
      // Every 100th row repeats a row about 50,000 earlier (one that is no repeat itself): repeats span runs.
      const j = i % 100 === 99 && i >= 50_000 ? i - 49_999 : i;
      rows.push({ room: `room-${j % 300}`, userId: `id-${j}`, line: i + 2 });
    }
    const dir = tempDir();
    const summary = await count(rows, 4096, [1000], dir);
    expect(summary).toEqual(reference(rows));
    expect([summary.rows, summary.pairs]).toEqual([2500, 2500]);
    expect(summary.first[0]).toEqual({ line: 50_101, same_as_line: 102 });
    expect(readdirSync(dir)).toEqual([]); // the spill file was unlinked when opened
  });

  it('counts an empty roster and one without repeats as none', async () => {
    expect(await count([], 8, [])).toEqual({ rows: 0, pairs: 0, first: [] });
    expect(await count([{ room: 'a', userId: 'b', line: 2 }], 1, [1])).toEqual({ rows: 0, pairs: 0, first: [] });
  });

  it('stops a merge when the run is aborted', async () => {
    const rows = Array.from({ length: 70_000 }, (_, i): Row => ({ room: 'r', userId: `${i}`, line: i + 2 }));
    const counter = new DuplicateCounter(tempDir(), 1024);
    await counter.add(keysOf(rows));
    await expect(counter.finish(AbortSignal.abort())).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('fails with one line when its directory cannot be written', async () => {
    const counter = new DuplicateCounter('/nonexistent/out', 2);
    await expect(counter.add(keysOf([1, 2, 3].map((line) => ({ room: 'r', userId: 'u', line }))))).rejects.toMatchObject({
      code: 'WRITE_FAILED',
      message: 'cannot write to /nonexistent/out: it does not exist (renamed or deleted during the run?); nothing was published',
    });
  });
});
