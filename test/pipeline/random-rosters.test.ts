import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { jwtVerify } from 'jose';
import { readChunks } from '../../src/roster/chunker.js';
import { parseRecords } from '../../src/roster/csv-parser.js';
import { planColumns } from '../../src/claims/column-plan.js';
import { createChunkContext, processChunk, type ChunkSpec } from '../../src/pipeline/process-chunk.js';
import { escapeFormula } from '../../src/output/csv-writer.js';
import { tempDir, writeFile, KEY, DOMAIN_ID } from '../helpers.js';

const IAT = 1795773600;

// One roster row: good, or bad in a way the mapper must catch. `note` is free text that passes
// through (commas, quotes, line breaks, formulas, any unicode).
const note = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 15 }),
  fc.constantFrom('a,b', 'say "hi"', 'two\nlines', 'x\r\ny', '=1+1', '-5', '@x', ''),
);
const name = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 20 })
  // eslint-disable-next-line no-control-regex -- names never hold control characters (the mapper rejects them)
  .filter((s) => !/[\u0000-\u001f\u007f\uFFFD]/.test(s) && s.trim() === s && s !== '');
const good = fc.record({
  kind: fc.constant('good' as const),
  room: fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/),
  name,
  id: fc.stringMatching(/^[a-z0-9-]{1,36}$/),
  owner: fc.constantFrom('yes', 'no', 'TRUE', '0', ''),
  note,
});
const bad = fc.oneof(
  good.map((r) => ({ ...r, kind: 'bad' as const, room: `${r.room} x` })),
  good.map((r) => ({ ...r, kind: 'bad' as const, id: 'i'.repeat(37) })),
  good.map((r) => ({ ...r, kind: 'bad' as const, owner: 'maybe' })),
);
const roster = fc.record({
  rows: fc.array(fc.oneof({ weight: 4, arbitrary: good }, { weight: 1, arbitrary: bad }), { maxLength: 25 }),
  newline: fc.constantFrom('\n', '\r\n'),
  quoteAll: fc.boolean(),
  chunkSize: fc.integer({ min: 8, max: 300 }),
  maxChunkLines: fc.integer({ min: 1, max: 6 }),
});

function cell(value: string, quoteAll: boolean): string {
  return quoteAll || /[",\r\n]/.test(value) || value.startsWith(' ') ? `"${value.replaceAll('"', '""')}"` : value;
}

describe('random rosters (property)', () => {
  it('rows read = tokens + rejects; tokens verify and carry their row; passthrough survives; rejects are exactly the bad rows', async () => {
    await fc.assert(
      fc.asyncProperty(roster, async ({ rows, newline, quoteAll, chunkSize, maxChunkLines }) => {
        const header = ['note', 'room', 'name', 'id', 'owner'];
        const lines = [
          header.join(','),
          ...rows.map((r) => [r.note, r.room, r.name, r.id, r.owner].map((v) => cell(v, quoteAll)).join(',')),
        ];
        const path = writeFile(tempDir(), 'roster.csv', lines.join(newline) + newline);

        const reader = readChunks(path, { chunkSize, maxChunkLines });
        const first = await reader.chunks.next();
        const plan = planColumns(parseRecords(first.value!.bytes.toString(), 1)[0]!.fields, { roomOptional: false });
        const spec: ChunkSpec = {
          plan,
          settings: {
            domainId: DOMAIN_ID,
            iat: IAT,
            ttlSeconds: 86400,
            maxTtlSeconds: 30 * 86400,
            allowAllRooms: false,
            defaults: new Map(),
          },
          joinBase: 'https://acme.daily.co/',
          escapeFormulas: true,
          apiKey: KEY,
          delimiter: 44,
          encoding: 'utf-8',
        };
        const ctx = createChunkContext(spec);
        let tokensText = '';
        let rejectsText = '';
        let read = 0;
        for await (const chunk of reader.chunks) {
          const out = processChunk(chunk.bytes, chunk.firstLine, ctx);
          tokensText += Buffer.from(out.tokens).toString();
          rejectsText += out.rejects;
          read += out.read;
        }
        const tokens = parse(tokensText) as string[][];
        const rejects = parse(rejectsText, { relax_column_count: true }) as string[][];
        expect(read).toBe(rows.length);
        expect(tokens.length + rejects.length).toBe(read);

        const goodRows = rows.filter((r) => r.kind === 'good');
        expect(tokens).toHaveLength(goodRows.length);
        for (const [i, row] of goodRows.entries()) {
          const [noteOut, room, userName, userId, isOwner, token] = tokens[i]!;
          expect(noteOut).toBe(escapeFormula(row.note));
          const { payload } = await jwtVerify(token!, new TextEncoder().encode(KEY), { currentDate: new Date(IAT * 1000) });
          expect(payload).toMatchObject({ r: row.room, u: row.name, ud: row.id, d: DOMAIN_ID, iat: IAT, exp: IAT + 86400 });
          expect([room, userName, userId]).toEqual([escapeFormula(row.room), escapeFormula(row.name), escapeFormula(row.id)]);
          expect(isOwner).toBe(['yes', 'TRUE'].includes(row.owner) ? 'true' : 'false');
        }
        // The rejects name exactly the bad rows, by the line where each starts.
        let line = 2;
        const badLines: string[] = [];
        for (const row of rows) {
          if (row.kind === 'bad') badLines.push(String(line));
          line += 1 + (row.note.match(/\r\n|\n|\r/g)?.length ?? 0) + (row.name.match(/\r\n|\n|\r/g)?.length ?? 0);
        }
        expect(rejects.map((r) => r[0])).toEqual(badLines);
      }),
      { numRuns: 150, seed: 5 },
    );
  });
});
