import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli } from '../helpers.js';

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** One line on stderr, nothing on stdout, exit 2. */
function usageError(result: { code: number | null; stdout: string; stderr: string }): string {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  return result.stderr;
}

describe('options come from one declaration', () => {
  it.each([['run'], ['schedule']])('%s --log-level verbose exits 2 naming the valid levels', async (command) => {
    const stderr = usageError(await runCli([command, '--log-level', 'verbose']));
    expect(stderr).toBe(
      `meeting-tokens: --log-level: "verbose" is not one of fatal, error, warn, info, debug, silent; see meeting-tokens ${command} --help\n`,
    );
  });

  it('a mistyped flag gets the nearest one', async () => {
    const stderr = usageError(await runCli(['run', '--log-levle', 'debug']));
    expect(stderr).toBe("meeting-tokens: Unknown option '--log-levle' (did you mean --log-level?); see --help\n");
  });

  it('a mistyped command gets the nearest one', async () => {
    const stderr = usageError(await runCli(['verfy', 'x.csv']));
    expect(stderr).toBe('meeting-tokens: unknown command "verfy" (did you mean verify?); see meeting-tokens --help\n');
  });

  it('a bad number, a missing argument and too many arguments are one line each', async () => {
    expect(usageError(await runCli(['run', '--workers', 'many']))).toBe('meeting-tokens: --workers: a whole number from 0 to 64\n');
    expect(usageError(await runCli(['decode']))).toBe(
      "meeting-tokens: missing required argument 'token'; see meeting-tokens decode --help\n",
    );
    expect(usageError(await runCli(['run', 'a', 'b']))).toMatch(/too many arguments for 'run'/);
    expect(usageError(await runCli(['decode', 'x', '--json', '--quiet']))).toMatch(/'--json' cannot be used with option '-q, --quiet'/);
  });

  it('-V and --version both print the version', async () => {
    for (const flag of ['-V', '--version']) {
      const result = await runCli([flag]);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(`${VERSION}\n`);
    }
  });

  it('every command has --help with its options, and no arguments print the overview with exit 2', async () => {
    const status = await runCli(['status', '--help']);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/--jobs <dir> +where job files live \(default: \.\/jobs, env:\s+MEETING_TOKENS_JOBS\)/);
    const help = await runCli(['help', 'verify']);
    expect(help.stdout).toContain('Usage: meeting-tokens verify [options] <file>');
    const none = await runCli([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: meeting-tokens [options] [command]');
  });
});
