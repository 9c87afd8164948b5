/**
 * The README's list of commands and options, rendered from the declarations (commands.ts).
 * `npm run docs:cli` writes it into README.md; a test fails when README and declarations differ.
 */
import type { Command, Option } from 'commander';

/** README.md holds the rendered text between these two lines. */
export const REFERENCE_START = '<!-- cli-reference:start (npm run docs:cli) -->';
export const REFERENCE_END = '<!-- cli-reference:end -->';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function optionRow(option: Option): string {
  const notes = [
    option.argChoices ? `one of ${option.argChoices.map((c) => `\`${c}\``).join(', ')}` : '',
    option.defaultValue !== undefined ? `default \`${String(option.defaultValueDescription ?? option.defaultValue)}\`` : '',
    option.envVar ? `env \`${option.envVar}\`` : '',
  ].filter((n) => n !== '');
  return `| \`${option.flags}\` | ${cell(option.description)}${notes.length > 0 ? ` (${notes.join('; ')})` : ''} |`;
}

/** A command's name as typed: `links revoke` for a subcommand. */
function fullName(command: Command): string {
  const parent = command.parent;
  return parent && parent.parent ? `${parent.name()} ${command.name()}` : command.name();
}

function usage(command: Command): string {
  return `meeting-tokens ${fullName(command)} ${command.usage()}`.trim();
}

/** The commands that run something: a command with subcommands stands for them. */
function leaves(program: Command): Command[] {
  return program.commands.flatMap((c) => (c.commands.length > 0 ? c.commands : [c]));
}

/** Markdown: the commands with their usage and summary, then each command's options as a table. */
export function renderReference(program: Command): string {
  const commands = leaves(program);
  const lines = ['```'];
  const width = Math.max(...commands.map((c) => usage(c).length));
  for (const command of commands) lines.push(`${usage(command).padEnd(width)}   ${command.summary()}`);
  lines.push('```');
  for (const command of commands) {
    const options = command.options.filter((o) => !o.hidden);
    if (options.length === 0) continue;
    lines.push('', `\`${fullName(command)}\` options:`, '', '| option | meaning |', '|---|---|', ...options.map(optionRow));
  }
  return lines.join('\n');
}

/** `readme` with the rendered reference between its markers. */
export function withReference(readme: string, reference: string): string {
  const start = readme.indexOf(REFERENCE_START);
  const end = readme.indexOf(REFERENCE_END);
  if (start < 0 || end < start) throw new Error(`README.md: no ${REFERENCE_START} ... ${REFERENCE_END} section`);
  return `${readme.slice(0, start + REFERENCE_START.length)}\n${reference}\n${readme.slice(end)}`;
}
