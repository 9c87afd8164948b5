import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync, lstatSync, symlinkSync, writeFileSync, utimesSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { StagedFile } from '../../src/output/staged-file.js';
import { TEMP_PREFIX, removeStaleTemps, tempName } from '../../src/files/temp-file.js';
import { prepareOutputDir } from '../../src/output/output-dir.js';
import { removeOrphanedOutputs } from '../../src/job/orphans.js';
import { tempDir } from '../helpers.js';

describe('staged file', () => {
  it('is invisible under its final name until commit, then 0600 with the bytes and hash it reports', async () => {
    const dir = tempDir();
    const file = await StagedFile.create(dir, 'final.csv');
    await file.write('a,b\n');
    await file.write(Buffer.from('1,2\n'));
    expect(existsSync(join(dir, 'final.csv'))).toBe(false);
    expect(readdirSync(dir)).toHaveLength(1);
    expect(readdirSync(dir)[0]).toMatch(new RegExp(`^\\${TEMP_PREFIX}`));
    const published = await file.commit();
    expect(readdirSync(dir)).toEqual(['final.csv']);
    expect(readFileSync(join(dir, 'final.csv'), 'utf8')).toBe('a,b\n1,2\n');
    expect(statSync(join(dir, 'final.csv')).mode & 0o777).toBe(0o600);
    expect(published).toEqual({ name: 'final.csv', bytes: 8, sha256: createHash('sha256').update('a,b\n1,2\n').digest('hex') });
  });

  it('never replaces an existing file or follows a planted symlink at the final name', async () => {
    const dir = tempDir();
    const victim = join(tempDir(), 'victim');
    writeFileSync(victim, 'precious');
    symlinkSync(victim, join(dir, 'final.csv'));
    const file = await StagedFile.create(dir, 'final.csv');
    await file.write('tokens');
    await expect(file.commit()).rejects.toMatchObject({ code: 'OUTPUT_EXISTS' });
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    await file.discard();
    expect(readdirSync(dir)).toEqual(['final.csv']);
  });

  it('never writes through a symlink planted at its temporary name: takes another name, or fails', async () => {
    const dir = tempDir();
    const victim = join(tempDir(), 'victim');
    writeFileSync(victim, 'precious');
    const planted = `${TEMP_PREFIX}${hostname()}.${process.pid}.planted.tmp`;
    symlinkSync(victim, join(dir, planted));
    symlinkSync(join(dir, 'nowhere'), join(dir, `${planted}2`)); // dangling: O_CREAT alone would create its target
    const names = [planted, `${planted}2`, tempName()];
    const file = await StagedFile.create(dir, 'final.csv', () => names.shift()!);
    await file.write('tokens');
    await file.commit();
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(existsSync(join(dir, 'nowhere'))).toBe(false);
    expect(readFileSync(join(dir, 'final.csv'), 'utf8')).toBe('tokens');
    expect(lstatSync(join(dir, 'final.csv')).isSymbolicLink()).toBe(false);

    await expect(StagedFile.create(dir, 'other.csv', () => planted)).rejects.toMatchObject({
      code: 'WRITE_FAILED',
      message: `cannot write to ${dir}: 3 temporary names in a row were already taken (planted files?); nothing was published`,
    });
    expect(readFileSync(victim, 'utf8')).toBe('precious');
  });

  it('discard removes the temporary file', async () => {
    const dir = tempDir();
    const file = await StagedFile.create(dir, 'x.csv');
    await file.write('partial');
    await file.discard();
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('output directory', () => {
  it('is created 0700 when missing (its parent must exist) and refused when it is a file', async () => {
    const base = tempDir();
    await prepareOutputDir(join(base, 'a'));
    expect(statSync(join(base, 'a')).mode & 0o777).toBe(0o700);
    await expect(prepareOutputDir(join(base, 'typo', 'out'))).rejects.toMatchObject({
      code: 'OUTPUT_DIR',
      message: `output directory ${join(base, 'typo', 'out')}: its parent ${join(base, 'typo')} does not exist`,
    });
    writeFileSync(join(base, 'file'), '');
    await expect(prepareOutputDir(join(base, 'file'))).rejects.toMatchObject({
      code: 'OUTPUT_DIR',
      message: expect.stringMatching(/not a directory/),
    });
  });

  it('removes tokens and rejects files that never got their manifest, once not written for ten minutes; nothing else', async () => {
    const dir = tempDir();
    const names = [
      'weekly-20261101T090000Z.csv', // orphan: no manifest
      'weekly-20261101T090000Z.rejects.csv', // orphan
      'weekly-20261108T090000Z.csv', // complete batch
      'weekly-20261108T090000Z.rejects.csv',
      'weekly-20261108T090000Z.manifest.json',
      'weekly-20261115T090000Z.rejects.csv', // failed batch (too many rejects): rejects and manifest, no tokens
      'weekly-20261115T090000Z.manifest.json',
      'weekly-extra-20261101T090000Z.csv', // another job whose name starts the same way
      'weekly-20261101T090000Z.csv.bak', // not a batch file
      'roster.csv',
    ];
    for (const name of names) writeFileSync(join(dir, name), 'x');
    const old = new Date(Date.now() - 11 * 60 * 1000);
    for (const name of names) utimesSync(join(dir, name), old, old);
    writeFileSync(join(dir, 'weekly-20261122T090000Z.csv'), 'x'); // fresh: a run elsewhere may be writing its manifest
    expect((await removeOrphanedOutputs(dir, 'weekly')).sort()).toEqual([
      'weekly-20261101T090000Z.csv',
      'weekly-20261101T090000Z.rejects.csv',
    ]);
    expect(readdirSync(dir).sort()).toEqual([...names.slice(2), 'weekly-20261122T090000Z.csv'].sort());
  });

  it("removes a planted symlink named like a dead run's temporary file, never its target", async () => {
    const dir = tempDir();
    const victim = join(tempDir(), 'victim');
    writeFileSync(victim, 'precious');
    const planted = `${TEMP_PREFIX}${hostname()}.999999999.0123456789abcdef.tmp`;
    symlinkSync(victim, join(dir, planted));
    expect(await removeStaleTemps(dir)).toEqual([planted]);
    expect(readdirSync(dir)).toEqual([]);
    expect(readFileSync(victim, 'utf8')).toBe('precious');
  });

  it('removes temporary files of dead runs on this host and old ones from anywhere, and keeps live ones', async () => {
    const dir = tempDir();
    const dead = `${TEMP_PREFIX}${hostname()}.999999999.0123456789abcdef.tmp`;
    const live = `${TEMP_PREFIX}${hostname()}.${process.pid}.0123456789abcdef.tmp`;
    const otherHostFresh = `${TEMP_PREFIX}elsewhere.1.0123456789abcdef.tmp`;
    const otherHostOld = `${TEMP_PREFIX}elsewhere.2.0123456789abcdef.tmp`;
    for (const name of [dead, live, otherHostFresh, otherHostOld, 'published.csv']) writeFileSync(join(dir, name), 'x');
    const old = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    utimesSync(join(dir, otherHostOld), old, old);
    expect((await removeStaleTemps(dir)).sort()).toEqual([dead, otherHostOld].sort());
    expect(readdirSync(dir).sort()).toEqual([live, otherHostFresh, 'published.csv'].sort());
  });
});
