/**
 * What the output and state sides do with errors only some file systems or set-ups give (no hard
 * links, permission refused to root, ...): each failing call is made to fail here with that code.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StagedFile } from '../../src/output/staged-file.js';
import { prepareOutputDir } from '../../src/output/output-dir.js';
import { JobLock } from '../../src/state/job-lock.js';
import { tempDir } from '../helpers.js';

/** The error code each call fails with, while set. */
const failing = vi.hoisted(() => ({ link: undefined as string | undefined, mkdir: undefined as string | undefined }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  const fail = (code: string) => Promise.reject(Object.assign(new Error(`${code} (test)`), { code }));
  const link: typeof fs.link = (from, to) => (failing.link ? fail(failing.link) : fs.link(from, to));
  const mkdir = ((path: string, options: object) => (failing.mkdir ? fail(failing.mkdir) : fs.mkdir(path, options))) as typeof fs.mkdir;
  return { ...fs, link, mkdir, default: { ...fs, link, mkdir } };
});

afterEach(() => {
  failing.link = undefined;
  failing.mkdir = undefined;
});

describe('a file system without hard links', () => {
  it.each(['EPERM', 'ENOTSUP', 'ENOSYS', 'EOPNOTSUPP'])('(link fails %s): published by rename, complete', async (code) => {
    failing.link = code;
    const dir = tempDir();
    const file = await StagedFile.create(dir, 'final.csv');
    await file.write('a,b\n');
    expect(await file.commit()).toMatchObject({ name: 'final.csv', bytes: 4 });
    expect(readdirSync(dir)).toEqual(['final.csv']);
    expect(readFileSync(join(dir, 'final.csv'), 'utf8')).toBe('a,b\n');
  });

  it('still never replaces a file already at the final name', async () => {
    failing.link = 'EPERM';
    const dir = tempDir();
    writeFileSync(join(dir, 'final.csv'), 'precious');
    const file = await StagedFile.create(dir, 'final.csv');
    await file.write('a,b\n');
    await expect(file.commit()).rejects.toMatchObject({
      code: 'OUTPUT_EXISTS',
      message: `${join(dir, 'final.csv')} already exists; nothing was replaced, run again`,
    });
    await file.discard();
    expect(readdirSync(dir)).toEqual(['final.csv']);
    expect(readFileSync(join(dir, 'final.csv'), 'utf8')).toBe('precious');
  });

  it('any other link failure fails the commit and publishes nothing', async () => {
    failing.link = 'EMLINK';
    const dir = tempDir();
    const file = await StagedFile.create(dir, 'final.csv');
    await file.write('a,b\n');
    await expect(file.commit()).rejects.toMatchObject({
      code: 'WRITE_FAILED',
      message: `cannot write to ${dir}: EMLINK; nothing was published`,
    });
    await file.discard();
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('an output directory that cannot be created', () => {
  it.each([
    ['EACCES', 'not writable'],
    ['EPERM', 'not writable'],
    ['EROFS', 'not writable'],
    ['ENOTDIR', 'not a directory'],
    ['ENOSPC', 'ENOSPC'],
  ])('%s: one line saying so', async (code, why) => {
    failing.mkdir = code;
    const dir = join(tempDir(), 'out');
    await expect(prepareOutputDir(dir)).rejects.toMatchObject({
      code: 'OUTPUT_DIR',
      message: `output directory ${dir}: ${why}`,
      context: { file: dir },
    });
  });

  it('one that exists already is used as it is', async () => {
    failing.mkdir = 'EEXIST';
    const dir = tempDir();
    await expect(prepareOutputDir(dir)).resolves.toBeUndefined();
    writeFileSync(join(dir, 'file'), '');
    await expect(prepareOutputDir(join(dir, 'file'))).rejects.toMatchObject({
      message: `output directory ${join(dir, 'file')}: not a directory`,
    });
  });
});

describe('a state directory on a file system without hard links', () => {
  it('the job lock cannot be taken: one line saying why, nothing left behind', async () => {
    failing.link = 'EPERM';
    const state = tempDir();
    await expect(JobLock.acquire(state, 'weekly')).rejects.toMatchObject({
      code: 'STATE_FAILED',
      message: `cannot use the state directory ${state}: permission denied`,
    });
    expect(readdirSync(state)).toEqual([]);
  });
});
