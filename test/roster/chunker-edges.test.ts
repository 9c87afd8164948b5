import { describe, expect, it } from 'vitest';
import { readChunks, type Chunk } from '../../src/roster/chunker.js';
import { tempDir, writeFile } from '../helpers.js';

async function read(text: string, options: { chunkSize: number; maxRecordSize?: number; maxChunkLines?: number }): Promise<Chunk[]> {
  const path = writeFile(tempDir(), 'r.csv', text);
  const out: Chunk[] = [];
  for await (const chunk of readChunks(path, options).chunks) out.push(chunk);
  return out;
}

describe('roster chunks: edges', () => {
  it('are numbered 0, 1, 2 ... in file order (workers put their output back in that order)', async () => {
    const chunks = await read(`room,name\n${'a,b\n'.repeat(50)}c,d`, { chunkSize: 16, maxChunkLines: 3 });
    expect(chunks.length).toBeGreaterThan(5);
    expect(chunks.map((c) => c.index)).toEqual(chunks.map((_, i) => i));
  });

  it('many short records of quoted fields never add up to one "record too long"', async () => {
    const text = `room,name\n${'"ab","cd"\n'.repeat(300)}`;
    const chunks = await read(text, { chunkSize: 7, maxRecordSize: 40 });
    expect(Buffer.concat(chunks.map((c) => c.bytes)).toString()).toBe(text);
  });

  it('the record limit is named in MiB, with the line', async () => {
    const path = writeFile(tempDir(), 'r.csv', `room,name\na,"${'x'.repeat(600 * 1024)}`);
    const drain = async () => {
      for await (const _ of readChunks(path, { maxRecordSize: 512 * 1024 }).chunks) void _;
    };
    await expect(drain()).rejects.toMatchObject({
      code: 'ROSTER_PARSE',
      message: 'roster line 2: a record longer than 0.5 MiB (is a quote left open?); fix the file and run again',
      context: { line: 2 },
    });
  });

  it('its size and hash are asked for only once it was read to the end', async () => {
    const path = writeFile(tempDir(), 'r.csv', 'room\na\n');
    const reader = readChunks(path);
    expect(() => reader.summary()).toThrow('roster summary asked before the roster was read to the end');
    await reader.chunks.next();
    expect(() => reader.summary()).toThrow('roster summary asked before the roster was read to the end');
  });

  it('a missing roster or a directory names the file in the error', async () => {
    const dir = tempDir();
    const drain = async (p: string) => {
      for await (const _ of readChunks(p).chunks) void _;
    };
    await expect(drain(`${dir}/nope.csv`)).rejects.toMatchObject({ context: { file: `${dir}/nope.csv` } });
    await expect(drain(dir)).rejects.toMatchObject({ context: { file: dir } });
  });
});
