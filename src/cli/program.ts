/**
 * The `meeting-tokens` program: the commands of commands.ts under one root, with the settings
 * that make commander report a mistake as one line with exit 2 (see usage-error.ts).
 */
import { Command } from 'commander';
import { TOOL, VERSION_FLAGS } from '../version.js';
import { EXIT } from '../errors.js';
import {
  checkCommandSpec,
  completionCommandSpec,
  decodeCommandSpec,
  domainCommandSpec,
  linksCommandSpec,
  runCommandSpec,
  scheduleCommandSpec,
  deliverCommandSpec,
  serveCommandSpec,
  statusCommandSpec,
  verifyCommandSpec,
  type ExitSink,
} from './commands.js';

const MAIN_NOTES = `
Examples:
  meeting-tokens run <job>                      run the batch in jobs/<job>.yaml
  meeting-tokens run --roster <csv> --out <dir> --domain-id <uuid>
  meeting-tokens check <job>                    read and sign the roster as run would, publish nothing
  meeting-tokens verify <tokens.csv>            check every token of an output file
  meeting-tokens <command> --help               options of one command

The API key comes from DAILY_API_KEY, or DAILY_API_KEY_FILE (a file holding it).
Job files are found in --jobs, else $MEETING_TOKENS_JOBS, else ./jobs; locks and run
history in --state, else $MEETING_TOKENS_STATE, else ./state.
Daily's API is https://api.daily.co/v1 unless DAILY_API_URL says otherwise;
DAILY_API_TIMEOUT_MS sets the per-request timeout (default 10000).

Exit codes: ${EXIT.ok} done (rejected rows allowed), ${EXIT.failure} failure (nothing published; or published, but a
            deliver: destination failed, as its line says), ${EXIT.usage} usage or configuration error,
            ${EXIT.tooManyRejects} too many rejected rows (over max_reject_ratio: rejects and manifest published, no tokens),
            ${EXIT.alreadyRunning} the job is already running (another run holds its lock),
            ${EXIT.publishedUnrecorded} published, but its line in the run history could not be written (do not run it again),
            130/143/129 run interrupted by SIGINT/SIGTERM/SIGHUP (nothing published)
`;

/** Settings every command needs; `addCommand` does not pass them down. */
function configure(command: Command): Command {
  return command
    .exitOverride()
    .showSuggestionAfterError(true)
    .helpOption('-h, --help', 'show this help')
    .configureHelp({ showGlobalOptions: false })
    .configureOutput({
      writeOut: (text) => process.stdout.write(text),
      writeErr: (text) => process.stderr.write(text),
      outputError: () => undefined, // usage-error.ts makes the one line
    });
}

/**
 * The whole command tree. Building it loads no command's modules: `done` receives a command's
 * exit code once its action has run.
 */
export function buildProgram(done: ExitSink = async (code) => void (await code)): Command {
  const program = configure(new Command('meeting-tokens'))
    .description('Sign Daily meeting tokens in bulk from a roster CSV.')
    .version(TOOL.version, VERSION_FLAGS, 'print the version')
    .addHelpText('after', MAIN_NOTES);
  for (const spec of [
    runCommandSpec,
    checkCommandSpec,
    verifyCommandSpec,
    decodeCommandSpec,
    domainCommandSpec,
    deliverCommandSpec,
    statusCommandSpec,
    scheduleCommandSpec,
    linksCommandSpec,
    serveCommandSpec,
  ]) {
    const command = configure(spec(done));
    for (const sub of command.commands) configure(sub);
    program.addCommand(command);
  }
  program.addCommand(configure(completionCommandSpec(done, () => program)));
  return program;
}
