import { afterAll, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './helpers.js';

/**
 * A small tmpfs for the tests of a file, mounted before them and unmounted after (root only): a
 * disk that really fills up. Where mounting is not allowed, `skipWhy()` says why, and each test
 * skips itself with it (and a warning says so once).
 */
export function useTmpfs(size: string, what: string): { path: string; skipWhy: () => string | undefined } {
  const path = join(tempDir('mt-disk-'), 'small');
  let mounted = false;
  let why: string | undefined = 'not mounted yet';
  beforeAll(() => {
    mkdirSync(path);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', path], { stdio: 'pipe' });
      mounted = true;
      why = undefined;
    } catch (error) {
      why = `cannot mount a tmpfs here (${(error as Error).message.split('\n')[0]})`;
      console.warn(`${what} not run: ${why}`);
    }
  });
  afterAll(() => {
    if (mounted) execFileSync('umount', [path]);
  });
  return { path, skipWhy: () => why };
}
