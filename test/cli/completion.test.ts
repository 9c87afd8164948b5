import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir, writeFile } from '../helpers.js';

/**
 * Sources `meeting-tokens completion bash` in a real bash, sets COMP_WORDS/COMP_CWORD as bash
 * would for `line` (the last word is the one being completed), runs the completion function
 * and returns COMPREPLY.
 */
function complete(script: string, line: string[], cwd: string, env: Record<string, string> = {}): string[] {
  const words = line.map((w) => `'${w}'`).join(' ');
  const program = [
    script,
    `COMP_WORDS=(${words}); COMP_CWORD=${line.length - 1}`,
    `_meeting_tokens meeting-tokens "\${COMP_WORDS[COMP_CWORD]}" "\${COMP_WORDS[COMP_CWORD-1]}"`,
    `printf '%s\\n' "\${COMPREPLY[@]}"`,
  ].join('\n');
  const out = execFileSync('bash', ['--norc', '-c', program], { cwd, env: { PATH: process.env['PATH'] ?? '', ...env }, encoding: 'utf8' });
  return out.split('\n').filter((w) => w !== '');
}

describe('meeting-tokens completion', () => {
  it('bash: completes commands, flags, choices and job names', async () => {
    const result = await runCli(['completion', 'bash']);
    expect(result.code).toBe(0);
    const script = result.stdout;
    const cwd = tempDir();
    mkdirSync(join(cwd, 'jobs'));
    writeFile(join(cwd, 'jobs'), 'weekly.yaml', 'roster: r.csv\n');
    writeFile(join(cwd, 'jobs'), 'welcome.yml', 'roster: r.csv\n');
    const other = tempDir();
    writeFile(other, 'monthly.yaml', 'roster: r.csv\n');

    expect(complete(script, ['meeting-tokens', ''], cwd).sort()).toEqual(
      [
        '--help',
        '--version',
        '-V',
        '-h',
        'check',
        'completion',
        'decode',
        'deliver',
        'domain',
        'links',
        'run',
        'schedule',
        'serve',
        'status',
        'verify',
      ].sort(),
    );
    expect(complete(script, ['meeting-tokens', 've'], cwd)).toEqual(['verify']);
    expect(complete(script, ['meeting-tokens', 'run', '--log-'], cwd)).toEqual(['--log-level']);
    expect(complete(script, ['meeting-tokens', 'run', '--log-level', 'd'], cwd)).toEqual(['debug']);
    expect(complete(script, ['meeting-tokens', 'schedule', '--me'], cwd).sort()).toEqual(['--metrics-host', '--metrics-port']);
    expect(complete(script, ['meeting-tokens', 'completion', ''], cwd).sort()).toEqual(['bash', 'fish', 'zsh']);
    // Job names: ./jobs, $MEETING_TOKENS_JOBS, or --jobs on the line (plus .yaml paths and directories).
    expect(complete(script, ['meeting-tokens', 'run', 'we'], cwd).sort()).toEqual(['weekly', 'welcome']);
    expect(complete(script, ['meeting-tokens', 'run', 'mo'], cwd, { MEETING_TOKENS_JOBS: other })).toEqual(['monthly']);
    expect(complete(script, ['meeting-tokens', 'run', '--jobs', other, ''], cwd)).toContain('monthly');
    expect(complete(script, ['meeting-tokens', 'domain', '--write-job', 'wee'], cwd)).toEqual(['weekly']);
    expect(complete(script, ['meeting-tokens', 'check', 'we'], cwd).sort()).toEqual(['weekly', 'welcome']);
    expect(complete(script, ['meeting-tokens', 'check', '--max-r'], cwd)).toEqual(['--max-reject-ratio']);
    expect(complete(script, ['meeting-tokens', 'run', 'jobs/wee'], cwd)).toEqual(['jobs/weekly.yaml']);
    // Sourcing registers the function for the command.
    expect(execFileSync('bash', ['--norc', '-c', `${script}\ncomplete -p meeting-tokens`], { encoding: 'utf8' })).toContain(
      '-F _meeting_tokens meeting-tokens',
    );
    // A value that is not a file or a choice completes to nothing rather than to flags.
    expect(complete(script, ['meeting-tokens', 'run', '--ttl', ''], cwd)).toEqual([]);
  });

  it('zsh and fish scripts name every command and flag; an unknown shell is a usage error', async () => {
    const zsh = (await runCli(['completion', 'zsh'])).stdout;
    expect(zsh).toContain('bashcompinit');
    expect(zsh).toContain('--log-level) COMPREPLY=($(compgen -W "fatal error warn info debug silent"');
    const fish = (await runCli(['completion', 'fish'])).stdout;
    expect(fish).toContain("complete -c meeting-tokens -n __fish_use_subcommand -a verify -d 'check every token of an output file'");
    expect(fish).toContain(
      "complete -c meeting-tokens -n '__fish_seen_subcommand_from run' -l log-level -x -a 'fatal error warn info debug silent'",
    );
    expect(fish).toContain("complete -c meeting-tokens -n '__fish_seen_subcommand_from run' -x -a '(__meeting_tokens_jobs)'");
    const bad = await runCli(['completion', 'tcsh']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^meeting-tokens: .*'tcsh' is invalid .* bash, zsh, fish; see meeting-tokens completion --help\n$/);
  });
});
