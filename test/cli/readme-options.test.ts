import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers.js';
import { buildProgram } from '../../src/cli/program.js';
import { REFERENCE_END, REFERENCE_START, renderReference, withReference } from '../../src/cli/reference.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

describe("README's command and option lists", () => {
  it('are the ones rendered from the declarations (npm run docs:cli rewrites them)', () => {
    const reference = renderReference(buildProgram());
    expect(withReference(README, reference)).toBe(README);
  });

  it('name every command and every option of every command', () => {
    const section = README.slice(README.indexOf(REFERENCE_START), README.indexOf(REFERENCE_END));
    const program = buildProgram();
    for (const command of program.commands) {
      expect(section).toContain(`meeting-tokens ${command.name()} `);
      for (const option of command.options) expect(section).toContain(`| \`${option.flags}\` |`);
    }
  });

  it('a changed declaration no longer matches the README', () => {
    const program = buildProgram();
    program.commands.find((c) => c.name() === 'run')!.option('--colour <name>', 'a flag the README does not list');
    expect(withReference(README, renderReference(program))).not.toBe(README);
  });
});
