/**
 * `meeting-tokens completion bash|zsh|fish`: a completion script generated from the declared
 * commands (completion-spec.ts). Job names are listed by the shell itself from the jobs directory
 * (--jobs on the line, else $MEETING_TOKENS_JOBS, else ./jobs), so completing starts no Node.
 */
import type { Command } from 'commander';
import { completionSpec, type CompletedCommand, type ValueKind } from './completion-spec.js';
import { JOBS_ENV } from './options.js';

const words = (list: string[]): string => list.join(' ');

/** bash: the words for a value of `kind`, in COMPREPLY. */
function bashValue(kind: ValueKind, cur = '"$cur"'): string {
  if (kind === 'none') return 'COMPREPLY=()';
  if (kind === 'file') return `COMPREPLY=($(compgen -f -- ${cur}))`;
  if (kind === 'dir') return `COMPREPLY=($(compgen -d -- ${cur}))`;
  if (kind === 'job') {
    return `COMPREPLY=($(compgen -W "$(_meeting_tokens_jobs "$jobs")" -- ${cur}) $(compgen -f -X '!*.yaml' -- ${cur}) $(compgen -f -X '!*.yml' -- ${cur}) $(compgen -d -S / -- ${cur}))`;
  }
  return `COMPREPLY=($(compgen -W "${words(kind.words)}" -- ${cur}))`;
}

function bashCommand(command: CompletedCommand): string {
  const valued = command.flags.filter((f) => f.value !== undefined);
  const valueCases = valued.map((f) => `        ${f.names.join('|')}) ${bashValue(f.value!)}; return ;;`).join('\n');
  return [
    `    ${command.name})`,
    ...(valued.length > 0 ? ['      case "$prev" in', valueCases, '      esac'] : []),
    `      if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "${words(command.flags.flatMap((f) => f.names))}" -- "$cur")); return; fi`,
    `      ${bashValue(command.argument)}`,
    '      ;;',
  ].join('\n');
}

/** The bash completion function; zsh runs the same one through bashcompinit. */
function bashFunction(commands: CompletedCommand[]): string {
  return `_meeting_tokens_jobs() {
  local file
  # zsh stops at a pattern that matches nothing; bash passes it through (skipped below).
  [[ -n "\${ZSH_VERSION-}" ]] && setopt localoptions nullglob
  for file in "$1"/*.yaml "$1"/*.yml; do
    [[ -e "$file" ]] || continue
    file="\${file##*/}"
    printf '%s\\n' "\${file%.*}"
  done
}

_meeting_tokens() {
  # bash and zsh (bashcompinit) both pass the word being completed and the one before it.
  local cur="$2" prev="$3" cmd="" jobs="\${${JOBS_ENV}:-jobs}" word after_jobs=""
  for word in "\${COMP_WORDS[@]:1:$((COMP_CWORD - 1))}"; do
    if [[ -n "$after_jobs" ]]; then jobs="$word"; after_jobs=""; continue; fi
    case "$word" in
      --jobs) after_jobs=1 ;;
      -*) ;;
      *) [[ -z "$cmd" ]] && cmd="$word" ;;
    esac
  done
  COMPREPLY=()
  if [[ -z "$cmd" ]]; then
    COMPREPLY=($(compgen -W "${words(commands.map((c) => c.name))} --help -h --version -V" -- "$cur"))
    return
  fi
  case "$cmd" in
${commands.map(bashCommand).join('\n')}
  esac
}`;
}

function bashScript(commands: CompletedCommand[]): string {
  return `# meeting-tokens completion for bash. Load it with: source <(meeting-tokens completion bash)
${bashFunction(commands)}
complete -o filenames -F _meeting_tokens meeting-tokens
`;
}

function zshScript(commands: CompletedCommand[]): string {
  return `#compdef meeting-tokens
# meeting-tokens completion for zsh. Load it with: source <(meeting-tokens completion zsh)
autoload -U +X bashcompinit && bashcompinit
${bashFunction(commands)}
complete -o filenames -F _meeting_tokens meeting-tokens
`;
}

const fishQuote = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function fishValue(kind: ValueKind): string {
  if (kind === 'none') return '-x';
  if (kind === 'file') return '-r -F';
  if (kind === 'dir') return "-x -a '(__fish_complete_directories)'";
  if (kind === 'job') return "-x -a '(__meeting_tokens_jobs)'";
  return `-x -a ${fishQuote(words(kind.words))}`;
}

function fishScript(commands: CompletedCommand[]): string {
  const lines = [
    '# meeting-tokens completion for fish. Install: meeting-tokens completion fish > ~/.config/fish/completions/meeting-tokens.fish',
    'function __meeting_tokens_jobs',
    `    set -l dir jobs`,
    `    set -q ${JOBS_ENV}; and set dir $${JOBS_ENV}`,
    '    set -l words (commandline -opc)',
    '    for i in (seq (count $words))',
    '        if test "$words[$i]" = --jobs; and test $i -lt (count $words)',
    '            set dir $words[(math $i + 1)]',
    '        end',
    '    end',
    '    for file in $dir/*.yaml $dir/*.yml',
    "        string replace -r '^.*/|\\.ya?ml$' '' -- $file",
    '    end',
    '    __fish_complete_suffix .yaml',
    '    __fish_complete_suffix .yml',
    'end',
    'complete -c meeting-tokens -f',
    "complete -c meeting-tokens -n __fish_use_subcommand -s h -l help -d 'show this help'",
    "complete -c meeting-tokens -n __fish_use_subcommand -s V -l version -d 'print the version'",
  ];
  for (const command of commands) {
    const when = `-n '__fish_seen_subcommand_from ${command.name}'`;
    lines.push(`complete -c meeting-tokens -n __fish_use_subcommand -a ${command.name} -d ${fishQuote(command.summary)}`);
    for (const flag of command.flags) {
      const names = flag.names.map((n) => (n.startsWith('--') ? `-l ${n.slice(2)}` : `-s ${n.slice(1)}`)).join(' ');
      const value = flag.value === undefined ? '' : ` ${fishValue(flag.value)}`;
      lines.push(`complete -c meeting-tokens ${when} ${names}${value} -d ${fishQuote(flag.description)}`);
    }
    const argument = command.argument === 'file' ? '-F' : fishValue(command.argument);
    if (command.argument !== 'none') lines.push(`complete -c meeting-tokens ${when} ${argument}`);
  }
  return lines.join('\n') + '\n';
}

/** Prints the completion script for `shell`, generated from `program`'s declarations. */
export async function completionCommand(shell: 'bash' | 'zsh' | 'fish', program: Command): Promise<number> {
  const commands = completionSpec(program);
  process.stdout.write(shell === 'bash' ? bashScript(commands) : shell === 'zsh' ? zshScript(commands) : fishScript(commands));
  return 0;
}
