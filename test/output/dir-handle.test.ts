import { describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { DirHandle } from '../../src/output/dir-handle.js';
import { StagedFile } from '../../src/output/staged-file.js';
import { tempDir } from '../helpers.js';

describe('an output directory renamed while a file is staged in it', () => {
  it('the commit fails with one line and publishes nothing; discard removes the temporary file where the directory went', async () => {
    const root = tempDir();
    const out = join(root, 'out');
    mkdirSync(out);
    const dir = await DirHandle.open(out);
    const file = await StagedFile.create(dir, 'final.csv');
    await file.write('token\n');
    renameSync(out, join(root, 'moved'));
    mkdirSync(out); // a new directory under the old name is not the one the run checked
    await expect(file.commit()).rejects.toMatchObject({
      code: 'OUTPUT_DIR',
      message: `output directory ${out} was renamed, moved or deleted during the run; nothing was published, run again`,
    });
    await file.discard();
    await dir.close();
    expect(readdirSync(join(root, 'moved'))).toEqual([]);
    expect(readdirSync(out)).toEqual([]);
  });
});
