#!/usr/bin/env node
/**
 * meeting-tokens: entry point. Dispatches to one command and turns every error into one line on
 * stderr and a documented exit code.
 */
import './cli/heap.js'; // first: sizes the heap before anything allocates
import { MeetingTokensError, exitCodeFor, EXIT } from './errors.js';
import { runCommand } from './cli/run-command.js';
import { verifyCommand } from './cli/verify-command.js';
import { decodeCommand } from './cli/decode-command.js';
import { domainCommand } from './cli/domain-command.js';
import { statusCommand } from './cli/status-command.js';
import { scheduleCommand } from './cli/schedule-command.js';
import { MAIN_HELP } from './cli/help.js';
import { TOOL } from './version.js';

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'run':
      return runCommand(rest);
    case 'verify':
      return verifyCommand(rest);
    case 'decode':
      return decodeCommand(rest);
    case 'domain':
      return domainCommand(rest);
    case 'status':
      return statusCommand(rest);
    case 'schedule':
      return scheduleCommand(rest);
    case '--version':
    case '-v':
      process.stdout.write(`${TOOL.version}\n`);
      return EXIT.ok;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(MAIN_HELP);
      return command === undefined ? EXIT.usage : EXIT.ok;
    default:
      throw new MeetingTokensError('USAGE', `unknown command "${command}"; see meeting-tokens --help`);
  }
}

function report(error: unknown): number {
  if (error instanceof MeetingTokensError) {
    process.stderr.write(`meeting-tokens: ${error.message}\n`);
  } else if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    // node:util parseArgs: unknown option or missing value.
    const first = (error as Error).message.split('. ')[0];
    process.stderr.write(`meeting-tokens: ${first}; see --help\n`);
    return EXIT.usage;
  } else {
    // Unexpected: name the kind, not the details (they could quote roster content).
    const name =
      error instanceof Error ? `${error.name}${(error as { code?: string }).code ? ` ${(error as { code?: string }).code}` : ''}` : 'error';
    process.stderr.write(`meeting-tokens: internal error (${name}); please report it with the log\n`);
    if (process.env['MEETING_TOKENS_DEBUG'] && error instanceof Error) process.stderr.write(`${error.stack ?? ''}\n`);
  }
  return exitCodeFor(error);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.exitCode = report(error);
  },
);
