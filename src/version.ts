import { readFileSync } from 'node:fs';

/** This package's name and version, read from package.json beside dist/ and src/. */
export const TOOL: { name: string; version: string } = (() => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
  return { name: pkg.name, version: pkg.version };
})();

/** The options that print the version, as commander declares them (cli/program.ts). */
export const VERSION_FLAGS = '-V, --version';
