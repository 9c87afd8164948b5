import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { readChunks, lastRecordEnd, countLineBreaks, type Chunk } from '../../src/roster/chunker.js';
import { parseRecords } from '../../src/roster/csv-parser.js';
import { tempDir, writeFile } from '../helpers.js';

async function chunksOf(text: string | Buffer, chunkSize: number, maxRecordSize?: number, maxChunkLines?: number): Promise<Chunk[]> {
  const path = writeFile(tempDir(), 'r.csv', text);
  const out: Chunk[] = [];
  const options = { chunkSize, ...(maxRecordSize ? { maxRecordSize } : {}), ...(maxChunkLines ? { maxChunkLines } : {}) };
  for await (const chunk of readChunks(path, options).chunks) out.push({ ...chunk, bytes: Buffer.from(chunk.bytes) });
  return out;
}

// Hostile CSV text: quotes anywhere, every kind of line break, empty lines, unicode.
const piece = fc.constantFrom('a', 'Zoë', '🎉', ',', '"', '""', '\n', '\r\n', '\r', ' ', 'x"y', '"q"', '', '\n\n');
const hostile = fc.array(piece, { maxLength: 80 }).map((parts) => `room,name\n${parts.join('')}`);

describe('roster chunker', () => {
  it('yields the header alone first, then chunks that reassemble the file exactly', async () => {
    const text = '\n\nroom,name\n' + Array.from({ length: 500 }, (_, i) => `r${i},"N ${i}\nx"`).join('\r\n') + '\n';
    const chunks = await chunksOf(text, 64);
    expect(chunks[0]!.bytes.toString()).toBe('\n\nroom,name\n');
    expect(chunks.length).toBeGreaterThan(10);
    expect(Buffer.concat(chunks.map((c) => c.bytes)).toString()).toBe(text);
  });

  it('splits a read of many short rows into chunks of at most 1,536 lines, each with its true first line', async () => {
    const text = 'room,id\n' + Array.from({ length: 10_000 }, (_, i) => `r,${i}`).join('\n') + '\n'; // ~6 bytes a row
    const chunks = await chunksOf(text, 64 * 1024);
    const rows = chunks.slice(1).map((c) => countLineBreaks(c.bytes, 0, c.bytes.length));
    expect(Math.max(...rows)).toBeLessThanOrEqual(1536);
    expect(rows.reduce((a, b) => a + b)).toBe(10_000);
    expect(Buffer.concat(chunks.map((c) => c.bytes)).toString()).toBe(text);
    for (const c of chunks.slice(1)) expect(c.bytes.toString().split('\n')[0]).toBe(`r,${c.firstLine - 2}`);
  });

  it('cuts only at record boundaries: parsing chunk by chunk equals parsing the whole file (property)', async () => {
    await fc.assert(
      fc.asyncProperty(hostile, fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 4 }), async (text, size, maxLines) => {
        let whole;
        try {
          whole = parseRecords(text, 1);
        } catch {
          return; // a quote never closed: the run fails on it either way
        }
        const chunks = await chunksOf(text, size, undefined, maxLines);
        expect(Buffer.concat(chunks.map((c) => c.bytes)).toString()).toBe(text);
        const pieces = chunks.flatMap((c) => parseRecords(c.bytes.toString(), c.firstLine));
        expect(pieces).toEqual(whole);
      }),
      { numRuns: 400, seed: 64 },
    );
  });

  it('finds the header record after a byte-order mark, whatever the header holds (property)', async () => {
    const withBom = fc
      .tuple(fc.array(piece, { minLength: 1, maxLength: 12 }), fc.array(piece, { maxLength: 30 }))
      .map(([header, rows]) => `\uFEFF${header.join('')}\n${rows.join('')}`);
    await fc.assert(
      fc.asyncProperty(withBom, fc.integer({ min: 1, max: 40 }), async (text, size) => {
        let whole;
        try {
          whole = parseRecords(text, 1);
        } catch {
          return;
        }
        const chunks = await chunksOf(text, size);
        expect(Buffer.concat(chunks.map((c) => c.bytes)).toString()).toBe(text);
        if (whole.length > 0) expect(parseRecords(chunks[0]!.bytes.toString(), 1)).toEqual(whole.slice(0, 1));
        expect(chunks.flatMap((c) => parseRecords(c.bytes.toString(), c.firstLine))).toEqual(whole);
      }),
      { numRuns: 400, seed: 65 },
    );
    const chunks = await chunksOf('\uFEFF\nroom,"a\nb"\nx,y\n', 2);
    expect(chunks[0]!.bytes.toString()).toBe('\uFEFF\nroom,"a\nb"\n');
  });

  it('never cuts inside a quoted field or between CR and LF', () => {
    expect(lastRecordEnd(Buffer.from('a,"x\ny'))).toBe(-1);
    expect(lastRecordEnd(Buffer.from('a\nb,"x\ny'))).toBe(2);
    expect(lastRecordEnd(Buffer.from('a\r'))).toBe(-1);
    expect(lastRecordEnd(Buffer.from('a\r\nb\rc'))).toBe(5);
    expect(lastRecordEnd(Buffer.from('a,"x""\ny",z\nq'))).toBe(12);
    expect(lastRecordEnd(Buffer.from('a,b"\nc'))).toBe(5); // a quote inside an unquoted field is text
    expect(countLineBreaks(Buffer.from('a\r\nb\rc\nd'), 0, 8)).toBe(3);
  });

  it('fails on a record longer than the limit, naming its line', async () => {
    await expect(chunksOf(`room,name\na,b\nc,"${'x'.repeat(5000)}`, 512, 2048)).rejects.toMatchObject({
      code: 'ROSTER_PARSE',
      message: expect.stringMatching(/^roster line 3: a record longer than/),
    });
  });

  it('reports bytes and SHA-256 of what it read, and names a missing roster or a directory', async () => {
    const text = 'room\na\n';
    const path = writeFile(tempDir(), 'r.csv', text);
    const reader = readChunks(path);
    for await (const _ of reader.chunks) void _;
    expect(reader.summary()).toEqual({ bytes: 7, sha256: createHash('sha256').update(text).digest('hex') });
    const drain = async (p: string) => {
      for await (const _ of readChunks(p).chunks) void _;
    };
    const dir = tempDir();
    await expect(drain(`${dir}/nope.csv`)).rejects.toMatchObject({
      code: 'ROSTER_UNREADABLE',
      message: expect.stringMatching(/does not exist/),
    });
    await expect(drain(dir)).rejects.toMatchObject({ code: 'ROSTER_UNREADABLE', message: expect.stringMatching(/is a directory/) });
  });
});
