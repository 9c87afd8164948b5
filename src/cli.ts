#!/usr/bin/env node
/**
 * meeting-tokens: entry point. Parses the command line against the declarations (cli/commands.ts),
 * runs one command, and turns every error into one line on stderr and a documented exit code.
 */
import { CommanderError } from 'commander';
import { MeetingTokensError, exitCodeFor, EXIT } from './errors.js';
import { buildProgram } from './cli/program.js';
import { usageFromCommander } from './cli/usage-error.js';
import { tolerateGoneReader } from './stdio.js';

export async function main(argv: string[]): Promise<number> {
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

function report(error: unknown): number {
  if (error instanceof MeetingTokensError) {
    process.stderr.write(`meeting-tokens: ${error.message}\n`);
  } else {
    // Unexpected: name the kind, not the details (they could quote roster content).
    const name =
      error instanceof Error ? `${error.name}${(error as { code?: string }).code ? ` ${(error as { code?: string }).code}` : ''}` : 'error';
    process.stderr.write(`meeting-tokens: internal error (${name}); please report it with the log\n`);
    if (process.env['MEETING_TOKENS_DEBUG'] && error instanceof Error) process.stderr.write(`${error.stack ?? ''}\n`);
  }
  return exitCodeFor(error);
}

tolerateGoneReader(process.stdout);
tolerateGoneReader(process.stderr);
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.exitCode = report(error);
  },
);
