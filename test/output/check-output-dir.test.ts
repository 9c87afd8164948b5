import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkOutputDir } from '../../src/output/output-dir.js';
import { tempDir, writeFile } from '../helpers.js';

/** `check` asks what a run would find in its output directory, and creates nothing. */
describe('checking an output directory without creating it', () => {
  it('passes an existing directory, and leaves it as it was', async () => {
    const dir = tempDir();
    await expect(checkOutputDir(dir)).resolves.toBeUndefined();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('passes a missing directory whose parent a run could create it in, and does not create it', async () => {
    const dir = join(tempDir(), 'out');
    await expect(checkOutputDir(dir)).resolves.toBeUndefined();
    expect(existsSync(dir)).toBe(false);
  });

  it('refuses a missing directory whose parent is missing too, naming the parent', async () => {
    const parent = join(tempDir(), 'nope');
    const dir = join(parent, 'out');
    await expect(checkOutputDir(dir)).rejects.toMatchObject({
      code: 'OUTPUT_DIR',
      message: `output directory ${dir}: its parent ${parent} does not exist`,
      context: { file: dir },
    });
  });

  it('refuses a file given as the directory, or as the parent of a missing one', async () => {
    const file = writeFile(tempDir(), 'file', 'x');
    await expect(checkOutputDir(file)).rejects.toMatchObject({
      code: 'OUTPUT_DIR',
      message: `output directory ${file}: not a directory`,
    });
    const under = join(file, 'out');
    await expect(checkOutputDir(under)).rejects.toMatchObject({
      code: 'OUTPUT_DIR',
      message: `output directory ${under}: not a directory`,
    });
  });
});
