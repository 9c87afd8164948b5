import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { StagedFile } from '../../src/output/staged-file.js';
import { writeFully } from '../../src/files/temp-file.js';
import { tempDir } from '../helpers.js';
import { useTmpfs } from '../tmpfs.js';

/** A file handle whose writes take at most `most` bytes at a time, as write(2) may. */
function stingy(handle: FileHandle, most: number): FileHandle {
  return {
    write: (buffer: Uint8Array, offset: number, length: number, position: number | null) =>
      handle.write(buffer, offset, Math.min(length, most), position),
  } as unknown as FileHandle;
}

describe('short writes', () => {
  it('are continued until every byte is written, at the current position or a given one', async () => {
    const dir = tempDir();
    const path = join(dir, 'file');
    const handle = await open(path, 'w+');
    try {
      const text = Buffer.from('0123456789abcdefghijklmnopqrstuvwxyz');
      await writeFully(stingy(handle, 5), text, null, dir);
      await writeFully(stingy(handle, 3), Buffer.from('TAIL'), null, dir);
      await writeFully(stingy(handle, 4), Buffer.from('ABCDEFGHIJ'), 10, dir);
    } finally {
      await handle.close();
    }
    expect(readFileSync(path, 'utf8')).toBe('0123456789ABCDEFGHIJklmnopqrstuvwxyzTAIL');
  });

  it('a write that makes no progress is a full disk: one line, naming the directory', async () => {
    const dir = tempDir();
    const handle = await open(join(dir, 'file'), 'w');
    try {
      await expect(writeFully(stingy(handle, 0), Buffer.from('tokens'), null, dir)).rejects.toMatchObject({
        code: 'WRITE_FAILED',
        message: `cannot write to ${dir}: the disk is full; nothing was published`,
      });
    } finally {
      await handle.close();
    }
  });
});

// The short write for real: a tmpfs with less room than one write needs; write(2) takes what
// fits and says how much.
const disk = useTmpfs('64k', 'short-write test');

describe('a staged file on a disk that fills up in the middle of a write', () => {
  it('fails the write and publishes nothing, never a truncated file', async (ctx) => {
    const why = disk.skipWhy();
    if (why) ctx.skip(why);
    const mountPoint = disk.path;
    writeFileSync(join(mountPoint, 'filler'), Buffer.alloc(40 * 1024, 1)); // 24 KiB left
    const file = await StagedFile.create(mountPoint, 'tokens.csv');
    try {
      await expect(file.write(Buffer.alloc(100 * 1024, 'x'))).rejects.toMatchObject({
        code: 'WRITE_FAILED',
        message: `cannot write to ${mountPoint}: the disk is full; nothing was published`,
      });
    } finally {
      await file.discard();
    }
    expect(readdirSync(mountPoint)).toEqual(['filler']);
  });
});
