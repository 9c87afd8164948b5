/**
 * The command line parsed against the declarations (commands.ts) and its command run; a mistake
 * in it becomes a usage error (usage-error.ts). Returns the command's exit code.
 */
import { CommanderError } from 'commander';
import { EXIT } from '../errors.js';
import { buildProgram } from './program.js';
import { usageFromCommander } from './usage-error.js';

export async function runCommandLine(argv: string[]): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram(async (code) => {
    exitCode = await code;
  });
  if (argv.length === 0) {
    process.stderr.write(program.helpInformation());
    return EXIT.usage;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    // --help and --version end here too, with exit code 0.
    if (error.exitCode === 0) return EXIT.ok;
    const command = program.commands.find((c) => c.name() === argv[0]);
    throw usageFromCommander(error, command ? `meeting-tokens ${command.name()}` : 'meeting-tokens');
  }
  return exitCode;
}
