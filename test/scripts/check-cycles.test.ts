import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';

const script = join(import.meta.dirname, '..', '..', 'scripts', 'check-cycles.mjs');
const dirs: string[] = [];

/** A source tree from `files` (path -> content), checked by the script. */
function check(files: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const root = mkdtempSync(join(tmpdir(), 'cycles-'));
  dirs.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  const run = spawnSync(process.execPath, [script, root], { encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the import-cycle check', () => {
  it('passes on src/ as it is', () => {
    const run = spawnSync(process.execPath, [script], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('passes when folders import each other one way only', () => {
    const run = check({
      'a/one.ts': "import { two } from '../b/two.js';\nexport const one = two;\n",
      'b/two.ts': "import { three } from './three.js';\nexport const two = three;\n",
      'b/three.ts': 'export const three = 3;\n',
    });
    expect(run.status).toBe(0);
  });

  it('fails on a cycle between folders, naming them and a file on each edge', () => {
    const run = check({
      'a/one.ts': "import { two } from '../b/two.js';\nexport const one = two;\n",
      'b/two.ts': "import type { three } from '../c/three.js';\nexport const two = 2;\n",
      'c/three.ts': "export { one as three } from '../a/one.js';\n",
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('import cycle between folders: a, b, c');
    expect(run.stderr).toContain('a -> b (e.g. a/one.ts)');
    expect(run.stderr).toContain('c -> a (e.g. c/three.ts)');
  });
});
