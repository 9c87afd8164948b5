// Writes the CLI reference (commands and options, from src/cli/commands.ts) into README.md.
// Run after a build: npm run docs:cli
import { readFileSync, writeFileSync } from 'node:fs';
import { buildProgram } from '../dist/cli/program.js';
import { renderReference, withReference } from '../dist/cli/reference.js';

const path = new URL('../README.md', import.meta.url);
writeFileSync(path, withReference(readFileSync(path, 'utf8'), renderReference(buildProgram())));
