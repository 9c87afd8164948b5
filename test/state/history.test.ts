import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync, symlinkSync, linkSync } from 'node:fs';
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
});
