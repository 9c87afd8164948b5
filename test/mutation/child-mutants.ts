/**
 * Vitest setup for mutation runs only (vitest.mutation.config.ts). Most integration tests spawn
 * the built CLI; Stryker's build step compiles the instrumented sources into the sandbox's
 * dist/, but the active mutant and the coverage live in the test's own process. This hands the
 * active mutant to every spawned process (Stryker's instrumented code reads it from
 * `__STRYKER_ACTIVE_MUTANT__`) and, in the dry run, adds the mutants a spawned process reached to
 * the coverage of the test that spawned it, so such mutants are tested (by those tests) instead
 * of reported as not covered.
 */
import { afterEach, beforeEach } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

interface StrykerGlobal {
  activeMutant?: string;
  currentTestId?: string;
  mutantCoverage?: { static: Record<string, number>; perTest: Record<string, Record<string, number>> };
}

const PRELOAD = resolve(import.meta.dirname, 'child-coverage.mjs');
const stryker = (): StrykerGlobal | undefined => (globalThis as { __stryker__?: StrykerGlobal }).__stryker__;
let coverageDir: string | undefined;

beforeEach(() => {
  const active = stryker()?.activeMutant;
  if (active === undefined) delete process.env['__STRYKER_ACTIVE_MUTANT__'];
  else process.env['__STRYKER_ACTIVE_MUTANT__'] = String(active);
  coverageDir = mkdtempSync(join(tmpdir(), 'mt-mutation-'));
  process.env['MUTATION_CHILD_COVERAGE_DIR'] = coverageDir;
  const options = (process.env['NODE_OPTIONS'] ?? '').replace(/--import=\S*child-coverage\.mjs/g, '').trim();
  process.env['NODE_OPTIONS'] = `${options} --import=${PRELOAD}`.trim();
});

// Registered after Stryker's own hooks, so (after-hooks run in reverse) this runs while Stryker
// still knows the current test.
afterEach(() => {
  const ns = stryker();
  const dir = coverageDir;
  coverageDir = undefined;
  if (!dir) return;
  if (ns?.currentTestId !== undefined && ns.activeMutant === undefined) {
    ns.mutantCoverage ??= { static: {}, perTest: {} };
    const mine = (ns.mutantCoverage.perTest[ns.currentTestId] ??= {});
    for (const name of readdirSync(dir)) {
      let hit: Record<string, number>;
      try {
        hit = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Record<string, number>;
      } catch {
        continue; // a process killed while it wrote
      }
      for (const [id, count] of Object.entries(hit)) mine[id] = (mine[id] ?? 0) + count;
    }
  }
  rmSync(dir, { recursive: true, force: true });
});
