import { describe, expect, it } from 'vitest';
import { appendFileSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync, symlinkSync, linkSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { appendHistory, lastRun } from '../../src/state/history.js';
import { tempDir } from '../helpers.js';

const base = { job: 'weekly', slot: null, start: '2026-11-27T10:00:00.000Z', end: '2026-11-27T10:00:01.000Z' };

describe('run history', () => {
  it('appends one line per run and reads back the last one', async () => {
    const state = tempDir();
    expect(await lastRun(state, 'weekly')).toBeUndefined();
    await appendHistory(state, { ...base, status: 'done', tokens_written: 5 });
    await appendHistory(state, { ...base, status: 'failed', error: { code: 'ROSTER_PARSE', message: 'roster line 3: ...' } });
    expect(readFileSync(join(state, 'weekly.history.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
    expect(await lastRun(state, 'weekly')).toMatchObject({ status: 'failed', error: { code: 'ROSTER_PARSE' } });
  });

  it.each([
    ['a symlink', 'is a symbolic link', (victim: string, at: string) => symlinkSync(victim, at)],
    ['a hard link', 'has another hard link', (victim: string, at: string) => linkSync(victim, at)],
  ])('is never appended through %s planted at its name: the victim is unchanged, a clear error', async (_kind, problem, plant) => {
    const state = tempDir();
    const victim = join(state, 'victim'); // a hard link needs the same file system
    writeFileSync(victim, 'root:x:0:0::/root:/bin/sh\n');
    const path = join(state, 'weekly.history.jsonl');
    plant(victim, path);
    await expect(appendHistory(state, { ...base, status: 'done' })).rejects.toMatchObject({
      code: 'STATE_FAILED',
      message: `state file ${path} ${problem}; refusing to use it (nothing was written to it): remove it if it is not the tool's own`,
      context: { file: path },
    });
    expect(readFileSync(victim, 'utf8')).toBe('root:x:0:0::/root:/bin/sh\n');
  });

  it('is never read through a symlink, nor opened on a FIFO (which would hang)', async () => {
    const state = tempDir();
    symlinkSync(join(tempDir(), 'elsewhere.jsonl'), join(state, 'weekly.history.jsonl'));
    await expect(lastRun(state, 'weekly')).rejects.toMatchObject({
      code: 'STATE_FAILED',
      message: expect.stringContaining('symbolic link'),
    });
    execFileSync('mkfifo', [join(state, 'fifo.history.jsonl')]);
    await expect(appendHistory(state, { ...base, job: 'fifo', status: 'done' })).rejects.toMatchObject({
      code: 'STATE_FAILED',
      message: expect.stringContaining('is not a regular file'),
    });
  });

  it('reads back a single run, and skips a last line cut by a crash mid-append', async () => {
    const state = tempDir();
    await appendHistory(state, { ...base, status: 'done', tokens_written: 1 });
    expect(await lastRun(state, 'weekly')).toMatchObject({ status: 'done', tokens_written: 1 });
    appendFileSync(join(state, 'weekly.history.jsonl'), '{"job":"weekly","slot":null,"sta');
    expect(await lastRun(state, 'weekly')).toMatchObject({ status: 'done', tokens_written: 1 });
    writeFileSync(join(state, 'other.history.jsonl'), '{"job":"other","sta\n');
    expect(await lastRun(state, 'other')).toBeUndefined();
  });

  it('creates a missing state directory, parents included, private to its owner', async () => {
    const state = join(tempDir(), 'a', 'state');
    await appendHistory(state, { ...base, status: 'done' });
    expect(statSync(state).mode & 0o777).toBe(0o700);
    expect(readdirSync(state)).toEqual(['weekly.history.jsonl']);
    expect(statSync(join(state, 'weekly.history.jsonl')).mode & 0o777).toBe(0o600);
    const direct = join(tempDir(), 'state');
    await appendHistory(direct, { ...base, status: 'done' });
    expect(statSync(direct).mode & 0o777).toBe(0o700);
  });

  it('a state path that is a file: one clear error naming it, for reading and for appending', async () => {
    const state = join(tempDir(), 'state');
    writeFileSync(state, 'not a directory');
    const error = { code: 'STATE_FAILED', message: `cannot use the state directory ${state}: not a directory`, context: { file: state } };
    await expect(lastRun(state, 'weekly')).rejects.toMatchObject(error);
    await expect(appendHistory(state, { ...base, status: 'done' })).rejects.toMatchObject(error);
  });

  it('a directory planted at its name is refused, not read', async () => {
    const state = tempDir();
    mkdirSync(join(state, 'weekly.history.jsonl'));
    await expect(lastRun(state, 'weekly')).rejects.toMatchObject({
      code: 'STATE_FAILED',
      message: expect.stringMatching(/weekly\.history\.jsonl is not a regular file; refusing to use it/),
    });
  });

  it('reads a history file that has another hard link (a backup made with hard links)', async () => {
    const state = tempDir();
    await appendHistory(state, { ...base, status: 'done' });
    linkSync(join(state, 'weekly.history.jsonl'), join(state, 'backup.jsonl'));
    expect(await lastRun(state, 'weekly')).toMatchObject({ status: 'done' });
  });

  it('reading the last run leaves no file open (the scheduler reads it at every start and slot)', async () => {
    const state = tempDir();
    await appendHistory(state, { ...base, status: 'done' });
    const before = readdirSync('/proc/self/fd').length;
    for (let i = 0; i < 20; i++) await lastRun(state, 'weekly');
    expect(readdirSync('/proc/self/fd').length).toBeLessThanOrEqual(before + 2); // a leak would be 20
  });
});
