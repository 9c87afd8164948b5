#!/usr/bin/env node
/**
 * meeting-tokens: entry point. Parses the command line against the declarations (cli/commands.ts,
 * through cli/command-line.ts), runs one command, and turns every error into one line on stderr
 * and a documented exit code.
 */
import { MeetingTokensError, exitCodeFor, EXIT } from './errors.js';
import { TOOL, VERSION_FLAGS } from './version.js';
import { tolerateGoneReader } from './stdio.js';

export async function main(argv: string[]): Promise<number> {
  // The version alone is printed without loading commander and the command tree: they cost
  // `--version` 2.5 MB of memory (44 -> 46.5 MB) for one line. Anything else goes to commander.
  if (argv.length === 1 && VERSION_FLAGS.split(', ').includes(argv[0]!)) {
    process.stdout.write(`${TOOL.version}\n`);
    return EXIT.ok;
  }
  return (await import('./cli/command-line.js')).runCommandLine(argv);
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
