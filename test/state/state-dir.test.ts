import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir, writeFile, DOMAIN_ID, NOW } from '../helpers.js';

// A real small tmpfs per test (root only); where mounting is not allowed the test says why and is not run.
const mounted: string[] = [];
function mountTmpfs(options: string): string | undefined {
  const point = join(tempDir('mt-state-'), 'fs');
  mkdirSync(point);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', point], { stdio: 'pipe' });
  } catch (error) {
    console.warn(`state directory test not run: cannot mount a tmpfs here (${(error as Error).message.split('\n')[0]})`);
    return undefined;
  }
  mounted.push(point);
  return point;
}
afterEach(() => {
  for (const point of mounted.splice(0)) execFileSync('umount', [point]);
});

async function runWithState(state: string) {
  const dir = tempDir();
  const roster = writeFile(dir, 'roster.csv', 'room,name\ndemo,Ada\n');
  const args = ['run', '--roster', roster, '--out', join(dir, 'out'), '--domain-id', DOMAIN_ID, '--now', NOW];
  return { ...(await runCli([...args, '--state', state, '--log-level', 'silent'])), dir };
}

describe('a state directory that cannot be written', () => {
  it('full: exit 1, one line naming it, no lock file left, nothing published', async (ctx) => {
    const fs = mountTmpfs('size=64k');
    if (!fs) return ctx.skip('no tmpfs');
    const state = join(fs, 'state');
    mkdirSync(state);
    try {
      writeFileSync(join(fs, 'filler'), Buffer.alloc(1024 * 1024));
    } catch {
      // full now
    }
    const result = await runWithState(state);
    expect(result.stderr).toBe(`meeting-tokens: cannot use the state directory ${state}: the disk is full\n`);
    expect(result.code).toBe(1);
    expect(readdirSync(state)).toEqual([]);
    expect(readdirSync(result.dir)).toEqual(['roster.csv']);
  });

  it('out of inodes: the same', async (ctx) => {
    const fs = mountTmpfs('size=1m,nr_inodes=16');
    if (!fs) return ctx.skip('no tmpfs');
    const state = join(fs, 'state');
    mkdirSync(state);
    try {
      for (let i = 0; i < 100; i++) writeFileSync(join(fs, `f${i}`), '');
    } catch {
      // no inode left
    }
    const result = await runWithState(state);
    expect(result.stderr).toBe(`meeting-tokens: cannot use the state directory ${state}: the disk is full\n`);
    expect(result.code).toBe(1);
    expect(readdirSync(state)).toEqual([]);
  });

  it('read-only, existing or to be created: the same', async (ctx) => {
    const fs = mountTmpfs('size=64k');
    if (!fs) return ctx.skip('no tmpfs');
    mkdirSync(join(fs, 'state'));
    execFileSync('mount', ['-o', 'remount,ro', fs]);
    for (const state of [join(fs, 'state'), join(fs, 'new-state')]) {
      const result = await runWithState(state);
      expect(result.stderr).toBe(`meeting-tokens: cannot use the state directory ${state}: the file system is read-only\n`);
      expect(result.code).toBe(1);
    }
    expect(readdirSync(join(fs, 'state'))).toEqual([]);
  });

  it('a path that is a file: one line naming it', async () => {
    const dir = tempDir();
    const state = writeFile(dir, 'state', 'not a directory');
    const result = await runWithState(state);
    expect(result.stderr).toBe(`meeting-tokens: cannot use the state directory ${state}: not a directory\n`);
    expect(result.code).toBe(1);
  });
});
