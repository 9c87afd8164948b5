#!/usr/bin/env node
/**
 * meeting-tokens: entry point. Dispatches to one command and turns every error into one line on
 * stderr and a documented exit code.
 */
import './cli/heap.js'; // first: sizes the heap before anything allocates
import { MeetingTokensError, exitCodeFor, EXIT } from './errors.js';
import { MAIN_HELP } from './cli/help.js';
import { TOOL } from './version.js';

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  // Each command loads only its own modules: the scheduler's (Redis client, Prometheus) cost a
  // run about 30 MB of memory it never used.
  switch (command) {
    case 'run':
      return (await import('./cli/run-command.js')).runCommand(rest);
    case 'verify':
      return (await import('./cli/verify-command.js')).verifyCommand(rest);
    case 'decode':
      return (await import('./cli/decode-command.js')).decodeCommand(rest);
    case 'domain':
      return (await import('./cli/domain-command.js')).domainCommand(rest);
    case 'status':
      return (await import('./cli/status-command.js')).statusCommand(rest);
    case 'schedule':
      return (await import('./cli/schedule-command.js')).scheduleCommand(rest);
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
