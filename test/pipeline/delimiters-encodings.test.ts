import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { openRoster } from '../../src/roster/open-roster.js';
import { planColumns } from '../../src/claims/column-plan.js';
import { createChunkContext, processChunk, type ChunkSpec } from '../../src/pipeline/process-chunk.js';
import type { EncodingLabel } from '../../src/roster/encoding.js';
import { tempDir, writeFile, KEY, DOMAIN_ID } from '../helpers.js';
import { encodeSingleByte, encodeUtf16 } from '../encode.js';

const IAT = 1795773600;

// Text every encoding below can hold (Windows-1252 the narrowest), with each delimiter, quotes
// and line breaks among it.
const text = (maxLength: number) =>
  fc.string({
    unit: fc.constantFrom('a', 'Z', '0', 'é', 'ß', 'Ö', '€', '“', '”', 'Š', ' ', '"', ',', ';', '|', '\t', '\n', '\r\n'),
    maxLength,
  });
const row = fc.record({
  room: fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/), text(6)),
  name: text(12),
  id: fc.oneof(fc.stringMatching(/^[a-z0-9-]{1,12}$/), fc.constant('i'.repeat(37))),
  note: text(10),
});

function cell(value: string, delimiter: string): string {
  return value.includes(delimiter) || /["\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Ways to write the same text: the bytes of the file, and the encoding a job would declare. */
const WRITERS: [string, (text: string) => Buffer, EncodingLabel | undefined][] = [
  ['utf-8', (t) => Buffer.from(t), undefined],
  ['utf-8 with BOM', (t) => Buffer.from(`\uFEFF${t}`), undefined],
  ['utf-16le with BOM', (t) => encodeUtf16(t, false), undefined],
  ['utf-16be with BOM', (t) => encodeUtf16(t, true), undefined],
  ['utf-16le declared', (t) => encodeUtf16(t, false, false), 'utf-16le'],
  ['windows-1252 declared', (t) => encodeSingleByte(t, 'windows-1252'), 'windows-1252'],
  ['latin1 declared', (t) => encodeSingleByte(t, 'windows-1252'), 'latin1'],
];

/** The tokens and rejects output of a roster file, read as `run` reads it (delimiter detected). */
async function sign(path: string, encoding: EncodingLabel | undefined): Promise<{ tokens: string; rejects: string; delimiter: string }> {
  const roster = await openRoster(path, { encoding });
  const spec: ChunkSpec = {
    plan: planColumns(roster.headers, { roomOptional: false }),
    settings: { domainId: DOMAIN_ID, iat: IAT, ttlSeconds: 86400, maxTtlSeconds: 30 * 86400, allowAllRooms: false, defaults: new Map() },
    joinBase: 'https://acme.daily.co/',
    escapeFormulas: true,
    apiKey: KEY,
    delimiter: roster.format.delimiter.charCodeAt(0),
    encoding: roster.format.encoding,
  };
  const ctx = createChunkContext(spec);
  let tokens = '';
  let rejects = '';
  for await (const chunk of roster.chunks) {
    const out = processChunk(chunk.bytes, chunk.firstLine, ctx);
    tokens += Buffer.from(out.tokens).toString();
    rejects += out.rejects;
  }
  return { tokens, rejects, delimiter: roster.format.delimiter };
}

describe('the same rows in every delimiter and encoding (property)', () => {
  it('give byte-identical tokens and rejects', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 12 }), fc.constantFrom('\n', '\r\n'), async (rows, newline) => {
        const dir = tempDir();
        let reference: { tokens: string; rejects: string } | undefined;
        for (const delimiter of [',', ';', '\t', '|']) {
          const lines = [
            ['note', 'room', 'name', 'id'].join(delimiter),
            ...rows.map((r) => [r.note, r.room, r.name, r.id].map((v) => cell(v, delimiter)).join(delimiter)),
          ];
          const content = lines.join(newline) + newline;
          for (const [label, write, declared] of WRITERS) {
            const path = writeFile(dir, `${label}-${delimiter.charCodeAt(0)}.csv`, write(content));
            const out = await sign(path, declared);
            expect(out.delimiter, label).toBe(delimiter);
            reference ??= out;
            expect({ tokens: out.tokens, rejects: out.rejects }, `${label}, delimiter ${JSON.stringify(delimiter)}`).toEqual({
              tokens: reference.tokens,
              rejects: reference.rejects,
            });
          }
        }
        expect(reference!.tokens.length + reference!.rejects.length).toBeGreaterThan(0);
      }),
      { numRuns: 40, seed: 1252 },
    );
  });
});
