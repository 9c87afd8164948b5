/** Turns commander's parse errors into this tool's one-line usage errors (exit 2). */
import type { CommanderError } from 'commander';
import { MeetingTokensError } from '../errors.js';

/** The command line a user would type for help on the command that failed to parse. */
export function usageFromCommander(error: CommanderError, commandPath: string): MeetingTokensError {
  // commander: "error: <what>" and, on its own line, "(Did you mean <x>?)".
  const [first = '', ...rest] = error.message.replace(/^error: /, '').split('\n');
  const guess = /\(Did you mean (.+)\?\)/.exec(rest.join(' '))?.[1];
  const hint = guess ? ` (did you mean ${guess}?)` : '';
  const help = `see ${commandPath} --help`;
  switch (error.code) {
    case 'commander.unknownCommand': {
      const name = /'(.*)'/.exec(first)?.[1] ?? '';
      return new MeetingTokensError('USAGE', `unknown command "${name}"${hint}; ${help}`);
    }
    case 'commander.unknownOption': {
      const flag = /'(.*)'/.exec(first)?.[1] ?? '';
      return new MeetingTokensError('USAGE', `Unknown option '${flag}'${hint}; see --help`);
    }
    case 'commander.invalidArgument': {
      const choices = /option '(--[\w-]+)[^']*' argument '(.*)' is invalid\. Allowed choices are (.*)\./.exec(first);
      if (choices) return new MeetingTokensError('USAGE', `${choices[1]}: "${choices[2]}" is not one of ${choices[3]}; ${help}`);
      return new MeetingTokensError('USAGE', `${first.replace(/\.$/, '')}; ${help}`);
    }
    default:
      return new MeetingTokensError('USAGE', `${first.replace(/\.$/, '')}${hint}; ${help}`);
  }
}
