/**
 * What a command prints on stdout: a line for people, one JSON object for scripts (`--json`), or
 * nothing (`--quiet`). Errors never come through here; they are one line on stderr (cli.ts).
 */

export interface OutputFlags {
  json?: boolean | undefined;
  quiet?: boolean | undefined;
}

/** Prints the command's result: `text` normally, `data` as one JSON line with --json, nothing with --quiet. */
export function printResult(flags: OutputFlags, text: () => string, data: () => unknown): void {
  if (flags.quiet) return;
  process.stdout.write(flags.json ? `${JSON.stringify(data())}\n` : text());
}

/** Prints a line of progress or detail for people: never with --json or --quiet. */
export function printDetail(flags: OutputFlags, text: string): void {
  if (!flags.json && !flags.quiet) process.stdout.write(text);
}

/** Prints `data` as one JSON line with --json (and not --quiet); nothing otherwise. */
export function printJson(flags: OutputFlags, data: () => unknown): void {
  if (flags.json && !flags.quiet) process.stdout.write(`${JSON.stringify(data())}\n`);
}
