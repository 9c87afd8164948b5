import { describe, expect, it } from 'vitest';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { readChunks, type ChunkOptions } from '../../src/roster/chunker.js';
import { DETECT_WITHIN } from '../../src/roster/header-record.js';
import { tempDir, writeFile } from '../helpers.js';
import { encodeUtf16 } from '../encode.js';

async function read(content: string | Buffer, options: ChunkOptions = {}) {
  const reader = readChunks(writeFile(tempDir(), 'r.csv', content), options);
  const chunks = [];
  for await (const chunk of reader.chunks) chunks.push(chunk);
  const bytes = Buffer.concat(chunks.map((c) => c.bytes));
  return { chunks, format: reader.format(), bytes, text: bytes.toString() };
}

describe('roster chunks: the delimiter found in the header row', () => {
  it('is decided on the whole header row, not on the first read of it', async () => {
    const { format, text } = await read('a,b,c;d;e;f;g\nx;y\n', { chunkSize: 4 });
    expect(format.delimiter).toBe(';');
    expect(text).toBe('a,b,c;d;e;f;g\nx;y\n');
  });

  it('is decided on the first 64 KiB when the header row runs longer', async () => {
    // Commas within the first DETECT_WITHIN bytes, more semicolons right after them.
    const head = 'a,b,c,';
    const header = head + 'x'.repeat(DETECT_WITHIN - head.length) + ';'.repeat(10) + '\n';
    expect((await read(header + 'r\n', { chunkSize: 1024 })).format.delimiter).toBe(',');
  });

  it('is found in a header row without a line break at the end of the file', async () => {
    const { chunks, format } = await read('room;name');
    expect(format.delimiter).toBe(';');
    expect(chunks.map((c) => c.bytes.toString())).toEqual(['room;name']);
  });

  it('of an empty roster, or before reading: comma, and the declared encoding', async () => {
    expect((await read('', { encoding: 'latin1' })).format).toEqual({ encoding: 'windows-1252', bom: false, delimiter: ',' });
    expect((await read('')).format).toEqual({ encoding: 'utf-8', bom: false, delimiter: ',' });
    const unread = readChunks(writeFile(tempDir(), 'r.csv', 'a;b\n'), { encoding: 'utf-16le' });
    expect(unread.format()).toEqual({ encoding: 'utf-16le', bom: false, delimiter: ',' });
  });
});

describe('roster chunks: sizes and ends', () => {
  it('count the bytes each chunk came from: for UTF-8, exactly its own', async () => {
    const { chunks } = await read(`room,name\n${'r,n\n'.repeat(40)}`, { chunkSize: 16, maxChunkLines: 2 });
    expect(chunks.length).toBeGreaterThan(10);
    for (const chunk of chunks) expect(chunk.sourceBytes).toBe(chunk.bytes.length);
  });

  it('take a record of exactly the record limit, and refuse one byte more', async () => {
    const options = { chunkSize: 8, maxRecordSize: 40 };
    expect((await read(`room\n${'x'.repeat(40)}`, options)).text).toBe(`room\n${'x'.repeat(40)}`);
    await expect(read(`room\n${'x'.repeat(41)}`, options)).rejects.toMatchObject({ code: 'ROSTER_PARSE', context: { line: 2 } });
  });

  it('cut blank lines between records away: many of them never add up to one "record too long"', async () => {
    const text = `room\n${'\n'.repeat(100)}a\n${'\r\n'.repeat(100)}b\n`;
    expect((await read(text, { chunkSize: 8, maxRecordSize: 40 })).text).toBe(text);
  });

  it('mark an odd last byte or a high surrogate at the end of a UTF-16 roster, where the parser rejects its row', async () => {
    // The transcoder's mark for input it cannot decode: a byte that is never UTF-8.
    const MARKED = Buffer.concat([Buffer.from('room\nab'), Buffer.of(0xff)]);
    const odd = Buffer.concat([encodeUtf16('room\nab', false), Buffer.of(0x63)]);
    expect((await read(odd, { chunkSize: 3 })).bytes).toEqual(MARKED);
    const high = Buffer.concat([encodeUtf16('room\nab', false), Buffer.of(0x00, 0xd8)]);
    expect((await read(high, { chunkSize: 3 })).bytes).toEqual(MARKED);
  });

  it('a roster that cannot be opened for another reason names the file and the code', async () => {
    const dir = tempDir();
    const loop = join(dir, 'loop.csv');
    symlinkSync(loop, loop);
    await expect(readChunks(loop).chunks.next()).rejects.toMatchObject({
      code: 'ROSTER_UNREADABLE',
      message: `roster ${loop}: cannot be read (ELOOP)`,
      context: { file: loop },
    });
  });
});
