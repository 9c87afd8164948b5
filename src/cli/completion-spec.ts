/**
 * What a shell should complete, read from the declared commands: each command's flags, and for
 * each flag or argument the kind of value it takes (its choices, a job name, a file, a directory).
 */
import type { Argument, Command, Option } from 'commander';

/** How a value is completed: fixed words, job names (and .yaml files), files, directories, or nothing. */
export type ValueKind = { words: string[] } | 'job' | 'file' | 'dir' | 'none';

export interface CompletedCommand {
  name: string;
  summary: string;
  /** Every flag, long and short forms. */
  flags: { names: string[]; description: string; value: ValueKind | undefined }[];
  /** What the command's first argument takes. */
  argument: ValueKind;
}

/** A value's kind from its declaration: choices first, else its placeholder (`<job>`, `<file>`, `<dir>`). */
function kindOf(placeholder: string, choices: readonly string[] | undefined): ValueKind {
  if (choices) return { words: [...choices] };
  if (placeholder === 'job') return 'job';
  if (placeholder === 'file' || placeholder === 'csv') return 'file';
  if (placeholder === 'dir') return 'dir';
  return 'none';
}

function flagOf(option: Option): CompletedCommand['flags'][number] {
  const placeholder = /<(\w+)>/.exec(option.flags)?.[1];
  return {
    names: [option.long, option.short].filter((n): n is string => n !== undefined),
    description: option.description,
    value: placeholder === undefined ? undefined : kindOf(placeholder, option.argChoices),
  };
}

function argumentOf(argument: Argument | undefined): ValueKind {
  return argument ? kindOf(argument.name(), argument.argChoices) : 'none';
}

/** Every command of `program` as its completion needs it; `-h, --help` included. */
export function completionSpec(program: Command): CompletedCommand[] {
  return program.commands.map((command) => ({
    name: command.name(),
    summary: command.summary(),
    flags: [
      ...command.options.filter((o) => !o.hidden).map(flagOf),
      { names: ['--help', '-h'], description: 'show this help', value: undefined },
    ],
    argument: argumentOf(command.registeredArguments[0]),
  }));
}
