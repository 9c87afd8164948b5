import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

/** The test suite as `npm run mutate` runs it: spawned CLI processes see the active mutant. */
export default mergeConfig(
  base,
  defineConfig({
    test: {
      setupFiles: ['test/mutation/child-mutants.ts'],
      // Instrumented code at the lowest priority runs several times slower than the plain build.
      testTimeout: 180_000,
    },
  }),
);
