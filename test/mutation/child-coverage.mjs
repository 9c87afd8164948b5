// Preloaded (NODE_OPTIONS=--import) into every process a test spawns during a mutation run: when
// the process ends, it leaves the mutants its instrumented code reached in a file the test's
// process merges into that test's coverage (see child-mutants.ts).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.MUTATION_CHILD_COVERAGE_DIR;
if (dir) {
  process.on('exit', () => {
    const coverage = globalThis.__stryker__?.mutantCoverage;
    if (!coverage) return;
    const hit = { ...coverage.static };
    for (const perTest of Object.values(coverage.perTest)) Object.assign(hit, perTest);
    try {
      writeFileSync(join(dir, `${process.pid}.json`), JSON.stringify(hit));
    } catch {
      // the test's directory is gone: its coverage is lost, not the process's exit code
    }
  });
}
