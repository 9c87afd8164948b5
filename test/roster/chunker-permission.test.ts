/**
 * A roster the process may not read. The tests run as root, whom the kernel never refuses a read,
 * so opening the file is made to fail here with the code a user without permission gets.
 */
import { describe, expect, it, vi } from 'vitest';
import { Readable } from 'node:stream';
import { readChunks } from '../../src/roster/chunker.js';

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const refused = (path: unknown) =>
    new Readable({
      read() {
        this.destroy(Object.assign(new Error(`EACCES: permission denied, open '${String(path)}'`), { code: 'EACCES' }));
      },
    });
  const createReadStream = ((path: string, options: object) =>
    path.endsWith('refused.csv') ? refused(path) : fs.createReadStream(path, options)) as typeof fs.createReadStream;
  return { ...fs, createReadStream, default: { ...fs, createReadStream } };
});

describe('a roster the process may not read', () => {
  it('says permission denied, naming the file', async () => {
    await expect(readChunks('/data/refused.csv').chunks.next()).rejects.toMatchObject({
      code: 'ROSTER_UNREADABLE',
      message: 'roster /data/refused.csv: permission denied',
      context: { file: '/data/refused.csv' },
    });
  });
});
