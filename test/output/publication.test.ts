import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Publication } from '../../src/output/publication.js';
import { batchNames } from '../../src/job/batch-name.js';
import { DirHandle } from '../../src/output/dir-handle.js';
import { StagedFile } from '../../src/output/staged-file.js';
import { checkRosterOutsideOutputDir, rosterInOutputDir } from '../../src/output/output-dir.js';
import type { Manifest } from '../../src/output/manifest.js';
import { tempDir } from '../helpers.js';

const openFds = () => readdirSync('/proc/self/fd').length;
const names = batchNames('weekly', '20261127T100000Z');

describe('publication', () => {
  it('publishes tokens, rejects and then the manifest', async () => {
    const dir = tempDir();
    const pub = await Publication.open(dir, names);
    await pub.tokens.write('token\n');
    await pub.rejects.write('line,reason\n');
    const files = await pub.commitFiles(false);
    expect(files).toEqual({
      tokens: { name: names.tokens, bytes: 6, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
      rejects: { name: names.rejects, bytes: 12, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
    const manifest = { job: 'weekly' } as Manifest;
    await pub.commitManifest(manifest);
    await pub.close();
    expect(readdirSync(dir).sort()).toEqual([names.tokens, names.manifest, names.rejects].sort());
    expect(readFileSync(join(dir, names.manifest), 'utf8')).toBe(JSON.stringify(manifest, null, 2) + '\n');
  });

  it('leaves no descriptor open, published or discarded (a scheduler publishes many batches)', async () => {
    const before = openFds();
    for (let i = 0; i < 10; i++) {
      const pub = await Publication.open(tempDir(), names);
      await pub.commitFiles(false);
      await pub.close();
      const file = await StagedFile.create(tempDir(), 'x.csv');
      await file.write('partial');
      await file.discard();
    }
    expect(openFds()).toBeLessThanOrEqual(before + 2); // a leak would be 10 or more
  });

  it('without tokens (too many rejects): only the rejects file is published', async () => {
    const dir = tempDir();
    const pub = await Publication.open(dir, names);
    await pub.tokens.write('token\n');
    expect((await pub.commitFiles(true)).tokens).toBeNull();
    await pub.close();
    expect(readdirSync(dir)).toEqual([names.rejects]);
  });

  it('a rollback removes what was published and returns the error, with or without a signal', async () => {
    const dir = tempDir();
    const pub = await Publication.open(dir, names);
    await pub.commitFiles(false);
    const error = new Error('manifest failed');
    expect(await pub.rollback(error)).toBe(error);
    await pub.close();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a rollback after the directory was moved reports the move, not what failed after it', async () => {
    const root = tempDir();
    const dir = join(root, 'out');
    mkdirSync(dir);
    const pub = await Publication.open(dir, names);
    renameSync(dir, join(root, 'moved'));
    const rolled = await pub.rollback(new Error('ENOENT'));
    await pub.close();
    expect(rolled).toMatchObject({
      code: 'OUTPUT_DIR',
      message: expect.stringContaining('was renamed, moved or deleted'),
      context: { file: dir },
    });
    expect(readdirSync(join(root, 'moved'))).toEqual([]);
  });

  it('a staged file whose directory (given by path) was deleted: one line saying so, nothing published', async () => {
    const dir = join(tempDir(), 'spill');
    mkdirSync(dir);
    const file = await StagedFile.create(dir, 'final.csv');
    await file.write('x');
    rmSync(dir, { recursive: true });
    await expect(file.commit()).rejects.toMatchObject({
      code: 'WRITE_FAILED',
      message: `cannot write to ${dir}: it does not exist (renamed or deleted during the run?); nothing was published`,
    });
    await file.discard();
  });

  it('a staged file committed into a deleted directory fails with one line', async () => {
    const root = tempDir();
    const dir = join(root, 'out');
    mkdirSync(dir);
    const handle = await DirHandle.open(dir);
    const file = await StagedFile.create(handle, 'final.csv');
    rmSync(dir, { recursive: true });
    await expect(file.commit()).rejects.toMatchObject({
      code: 'OUTPUT_DIR',
      message: expect.stringContaining('was renamed, moved or deleted'),
    });
    await file.discard();
    await handle.close();
  });
});

describe('the output directory and the roster', () => {
  it('refuses an output directory that holds the roster, or is it, also through a symlink', async () => {
    expect(rosterInOutputDir('/srv/out', '/srv/out')).toBe('/srv/out is the roster itself; choose a directory for the output');
    expect(rosterInOutputDir('/srv/out/roster.csv', '/srv/out')).toMatch(/^\/srv\/out holds the roster roster\.csv: published files/);
    expect(rosterInOutputDir('/srv/rosters/roster.csv', '/srv/out')).toBeUndefined();
    const dir = tempDir();
    const roster = join(dir, 'roster.csv');
    writeFileSync(roster, 'room\n');
    await expect(checkRosterOutsideOutputDir(roster, dir)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringMatching(new RegExp(`^output directory ${dir}: ${dir} holds the roster roster\\.csv`)),
      context: { file: dir },
    });
    const link = join(tempDir(), 'out-link');
    symlinkSync(dir, link);
    await expect(checkRosterOutsideOutputDir(roster, link)).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    await expect(checkRosterOutsideOutputDir(join(dir, 'missing.csv'), dir)).resolves.toBeUndefined();
    await expect(checkRosterOutsideOutputDir(roster, tempDir())).resolves.toBeUndefined();
  });
});
