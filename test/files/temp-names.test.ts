import { describe, expect, it } from 'vitest';
import { readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { TEMP_PREFIX, TEMP_SUFFIX, openTempFile, removeStaleTemps } from '../../src/files/temp-file.js';
import { tempDir } from '../helpers.js';

describe('temporary names', () => {
  it('three names in a row already taken: fails saying so; a fourth is never tried', async () => {
    const dir = tempDir();
    const planted = ['a.tmp', 'b.tmp', 'c.tmp'];
    for (const name of planted) writeFileSync(join(dir, name), 'planted');
    const names = [...planted, 'free.tmp'];
    let i = 0;
    await expect(openTempFile(dir, 'wx', () => names[i++]!)).rejects.toMatchObject({
      code: 'WRITE_FAILED',
      message: `cannot write to ${dir}: 3 temporary names in a row were already taken (planted files?); nothing was published`,
    });
    expect(i).toBe(3);
    i = 1;
    const opened = await openTempFile(dir, 'wx', () => names[i++]!); // two taken, then a free one
    await opened.handle.close();
    expect(opened.path).toBe(join(dir, 'free.tmp'));
  });

  it('only files named exactly like a dead run of this host are taken for its leftovers', async () => {
    const dir = tempDir();
    const dead = `${hostname()}.999999999.0123456789abcdef`;
    const kept = [
      `${TEMP_PREFIX}${dead}${TEMP_SUFFIX}.bak`, // the prefix without the suffix
      `x${TEMP_PREFIX}${dead}${TEMP_SUFFIX}`, // the suffix without the prefix
      `${TEMP_PREFIX}${hostname()}.notapid.0123456789abcdef${TEMP_SUFFIX}`, // no pid
      `${TEMP_PREFIX}other-${hostname()}.999999999.0123456789abcdef${TEMP_SUFFIX}`, // another host
    ];
    for (const name of [...kept, `${TEMP_PREFIX}${dead}${TEMP_SUFFIX}`]) writeFileSync(join(dir, name), 'x');
    expect(await removeStaleTemps(dir)).toEqual([`${TEMP_PREFIX}${dead}${TEMP_SUFFIX}`]);
    expect(readdirSync(dir).sort()).toEqual(kept.sort());
  });

  it('never removes a file not named like a temporary file, however old', async () => {
    const dir = tempDir();
    const names = ['notes.txt', `${TEMP_PREFIX}keep`, `keep${TEMP_SUFFIX}`, `${TEMP_PREFIX}elsewhere.1.0123456789abcdef${TEMP_SUFFIX}`];
    const old = new Date(Date.now() - 3 * 24 * 3600_000);
    for (const name of names) {
      writeFileSync(join(dir, name), 'x');
      utimesSync(join(dir, name), old, old);
    }
    expect(await removeStaleTemps(dir)).toEqual([names[3]]);
    expect(readdirSync(dir).sort()).toEqual(names.slice(0, 3).sort());
  });
});
