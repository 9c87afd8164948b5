/**
 * Every command and option of `meeting-tokens`, declared once. Parsing, validation, `--help`,
 * "did you mean", shell completion and the README's option lists all come from here. Each action
 * loads its command's own modules only when that command runs: the scheduler's Redis and
 * Prometheus clients cost a run about 30 MB it never used.
 */
import { Argument, Command, Option } from 'commander';
import {
  allowWeakKeyOption,
  delimiterOption,
  encodingOption,
  localTimeOptions,
  jobsOption,
  jsonOption,
  logLevelOption,
  nowOption,
  quietOption,
  stateOption,
  wholeNumber,
  numberFrom,
} from './options.js';
import { JOB_DEFAULTS, TOKEN_LENGTH_RANGE } from '../config/job-defaults.js';
import { PROFILE_NAMES } from '../output/profiles.js';
import { DEFAULT_MAX_LINKS, MAX_LINKS_LIMIT } from '../config/output-limits.js';
// Types only (erased at build): the modules themselves load in the actions.
import type { RunValues } from './run-command.js';
import type { CheckValues } from './check-command.js';
import type { VerifyValues } from './verify-command.js';
import type { OutputFlags } from './output.js';
import type { DomainValues } from './domain-command.js';
import type { StatusValues } from './status-command.js';
import type { ScheduleValues } from './schedule-command.js';
import type { DeliverValues } from './deliver-command.js';
import type { RevokeValues, UnopenedValues } from './links-command.js';
import type { ServeValues } from './serve-command.js';

/** Receives each action's exit code. */
export type ExitSink = (code: Promise<number>) => Promise<void>;

/**
 * The batch settings `run` and `check` share (a check reads them as the run would, publishing
 * nothing); `--out` and `--domain-id` say what each command does with them.
 */
function batchOptions(command: 'run' | 'check'): Option[] {
  return [
    new Option('--roster <file>', 'roster CSV (header row required)'),
    delimiterOption(),
    encodingOption(),
    command === 'run'
      ? new Option('--out <dir>', "output directory (created 0700 when missing; its parent must exist; never the roster's own directory)")
      : new Option(
          '--out <dir>',
          "output directory to check as a run would (its parent must exist; never the roster's own directory); nothing is written",
        ),
    command === 'run'
      ? new Option('--domain-id <uuid>', 'Daily domain id; without it (here or in the job) it is looked up at Daily once at the start')
      : new Option('--domain-id <uuid>', 'Daily domain id; without it (here or in the job) a placeholder signs, and the report says so'),
    new Option('--domain-name <name>', 'subdomain for join links https://<name>.daily.co/<room>?t=<token>'),
    new Option('--ttl <duration>', `token lifetime when a row has no expires_at (job default ${JOB_DEFAULTS.ttl}), e.g. 90m 36h 7d 2w`),
    new Option('--max-ttl <duration>', `no token expires later than this after issue (job default ${JOB_DEFAULTS.max_ttl}, at most 366d)`),
    new Option('--allow-all-rooms', 'sign rows without a room as tokens valid for every room of the domain'),
    new Option(
      '--max-reject-ratio <ratio>',
      `fail the run (exit 3) when more rows than this share are rejected, 0 to 1 (job default ${JOB_DEFAULTS.max_reject_ratio})`,
    ),
    new Option(
      '--column <column=header>',
      'read a known column from another header, e.g. --column user_name="Full Name" (repeatable; over the job\'s columns:)',
    ).argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]),
    new Option(
      '--strict-columns',
      'fail (exit 2) when a column passing through looks meant for a known one (Display Nmae, Meeting ID), instead of warning',
    ),
    new Option(
      '--profile <name>',
      "the mailing system the tokens file is for: its columns, header rule, cell limits, BOM, line ending, formula escaping (over the job's output.profile; default generic)",
    ).choices(PROFILE_NAMES),
    new Option(
      '--format <format>',
      "tokens file as csv, or jsonl (one JSON object a row) (over the job's output.format; default csv)",
    ).choices(['csv', 'jsonl']),
    new Option('--allow-empty', 'publish an empty batch for a roster with a header and no rows, instead of failing with exit 3'),
    new Option(
      '--max-token-length <n>',
      `reject a row whose token is longer than this many characters, ${TOKEN_LENGTH_RANGE.min} to ${TOKEN_LENGTH_RANGE.max} (job default ${JOB_DEFAULTS.max_token_length}, Daily's advice)`,
    ).argParser(wholeNumber('max-token-length', TOKEN_LENGTH_RANGE.min, TOKEN_LENGTH_RANGE.max)),
    new Option(
      '--check-rooms',
      command === 'run'
        ? "list the domain's rooms at Daily first; reject rows whose room does not exist or expires before the token, warn once per public room"
        : "list the domain's rooms at Daily (needs the API key) and check each row as run would: missing or expiring room rejected, public rooms listed",
    ),
    new Option(
      '--ensure-rooms',
      command === 'run'
        ? "like --check-rooms, and first create the missing rooms (private, expiring with the batch's latest token); the manifest lists them"
        : 'like --check-rooms, and list the missing rooms a run would create (private); check creates none, their rows pass',
    ),
    ...localTimeOptions(),
    new Option(
      '--group-by <column>',
      'one row per recipient: rows with the same value in this column (email, user_id, a roster column) become one row with numbered link columns (room_name_1, join_url_1, ...); emails compare ignoring case',
    ),
    new Option(
      '--max-links-per-recipient <n>',
      `with --group-by: links per recipient row, 1 to ${MAX_LINKS_LIMIT} (default ${DEFAULT_MAX_LINKS}); a recipient's rows past this are rejected`,
    ).argParser(wholeNumber('max-links-per-recipient', 1, MAX_LINKS_LIMIT)),
  ];
}

function withOptions(command: Command, options: Option[]): Command {
  for (const option of options) command.addOption(option);
  return command;
}

const allowExpiredOption = (): Option =>
  new Option(
    '--allow-expired',
    'publish even when every token has expired by then (--now in the past); without it such a run fails before signing, exit 2',
  );

const workersOption = (): Option =>
  new Option(
    '--workers <n>',
    'signing threads; 0 signs on the main thread (default: one per core for rosters of 2 MB or more, else 0); output is identical either way',
  ).argParser(wholeNumber('workers', 0, 64));

export function runCommandSpec(done: ExitSink): Command {
  return withOptions(
    new Command('run')
      .summary('sign one batch: a job file, or a roster given by flags')
      .description(
        'Reads the roster, signs one token per row and publishes the files below into the output directory. ' +
          "A run without a job file is named after the roster file. Rows that repeat an earlier row's (room, user_id) " +
          'get their tokens too; they are counted in the manifest (duplicates) and warned about. One run of a job at a time: ' +
          "the job's lock in the state directory is held by a live run (exit 4) or recovered from a dead one; a run checks " +
          'it still holds the lock right before publishing, and one that lost it (state directory deleted, say) publishes ' +
          'nothing (exit 1). Options override the job file.',
      )
      .addArgument(new Argument('[job]', 'a job name (<jobs>/<job>.yaml) or the path of a .yaml/.yml job file'))
      .addOption(jobsOption())
      .addOption(stateOption()),
    batchOptions('run'),
  )
    .addOption(new Option('--offline', 'never call Daily: a missing domain id is an error instead'))
    .addOption(
      new Option('--no-deliver', "publish locally only: skip the job's deliver: destinations (meeting-tokens deliver sends later)"),
    )
    .addOption(
      new Option(
        '--links-base-url <url>',
        "short links: every token row gets short_url <url>/j/<id>, its record in the link store (over the job's links.base_url; needs --domain-name)",
      ),
    )
    .addOption(
      new Option(
        '--links-db <file>',
        "the link store's SQLite file (over the job's links.db; default links.db in the output directory); LINKS_REDIS_URL, or REDIS_URL without this, stores links in Redis",
      ),
    )
    .addOption(nowOption("the run's clock (iat and file names), for reproducible runs"))
    .addOption(allowExpiredOption())
    .addOption(allowWeakKeyOption())
    .addOption(workersOption())
    .addOption(
      new Option(
        '--pushgateway <url>',
        "push the run's metrics to this Prometheus Pushgateway (pushAdd, grouped by job) when it ends; a failed push is a warning",
      ).env('MEETING_TOKENS_PUSHGATEWAY'),
    )
    .addOption(logLevelOption())
    .addOption(jsonOption('the result (counts, files, exit status, warnings)'))
    .addOption(quietOption())
    .addHelpText(
      'after',
      '\nPublished files:\n' +
        '  <job>-<yyyymmddThhmmssZ>.csv            tokens and join links (mode 0600)\n' +
        '  <job>-<yyyymmddThhmmssZ>.rejects.csv    rows that could not become tokens, with line and reason\n' +
        '  <job>-<yyyymmddThhmmssZ>.manifest.json  counts, checksums, status; written last\n' +
        'A later run of the job stamped in the same second adds _02, _03, ... to the stamp.\n' +
        '\nJob keys notify: (Standard Webhooks-signed summaries) and heartbeat: (/start, then the URL or /<exit code>)\n' +
        'report each run when it ends; a failed notification is a warning and never changes the exit code.\n' +
        '\nExamples:\n' +
        '  meeting-tokens run weekly-standup               jobs/weekly-standup.yaml (or $MEETING_TOKENS_JOBS/...)\n' +
        '  meeting-tokens run ~/events/demo.yaml           that job file\n' +
        '  meeting-tokens run --roster rooms.csv --out out/ --domain-id <uuid> --ttl 7d\n',
    )
    .action(async (job: string | undefined, values: RunValues) => {
      await import('./heap.js'); // before the batch's modules allocate
      await done((await import('./run-command.js')).runCommand(job, values));
    });
}

export function checkCommandSpec(done: ExitSink): Command {
  return withOptions(
    new Command('check')
      .summary('preflight: read and sign the whole roster as run would, publish nothing')
      .description(
        'Validates the job (or the flags) as run does, then reads the whole roster through the same reader, parser, ' +
          "mapper and worker threads, signing with a throwaway random key (so the tokens are as long as a run's). " +
          'Publishes nothing and writes nothing: no output file, no lock, no history; needs no API key and no network ' +
          '(without a domain id a placeholder signs), except with check_rooms or ensure_rooms (or their flags): then it ' +
          "lists the domain's rooms at Daily with the API key, as run does, and creates none. " +
          'Prints the column mapping, delimiter and encoding, rows read, rows ' +
          'that would get tokens, rejects grouped by reason (count and first five lines of each; the 20 largest groups, ' +
          'the rest as "other"), rows repeating an earlier (room, user_id), the exp range and, when rooms are checked, the ' +
          'public rooms and those a run would create. Exits 0 when a run would ' +
          'publish, 3 when it would reject more than max_reject_ratio, 2 on a configuration problem (job, flags, roster ' +
          'header, or every token expired), 1 when the roster or the output directory cannot be used (or Daily when rooms are checked), as for run. ' +
          'Options override the job file.',
      )
      .addArgument(new Argument('[job]', 'a job name (<jobs>/<job>.yaml) or the path of a .yaml/.yml job file'))
      .addOption(jobsOption()),
    batchOptions('check'),
  )
    .addOption(nowOption("the run's clock to check against (iat, so every exp)"))
    .addOption(allowExpiredOption())
    .addOption(allowWeakKeyOption())
    .addOption(workersOption())
    .addOption(logLevelOption())
    .addOption(jsonOption('the report (mapping, counts, rejects by reason, repeats, exp range)'))
    .addOption(quietOption())
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  meeting-tokens check weekly-standup              the job, before its schedule fires\n' +
        '  meeting-tokens check --roster rooms.csv --ttl 7d a roster without a job file\n',
    )
    .action(async (job: string | undefined, values: CheckValues) => {
      await import('./heap.js');
      await done((await import('./check-command.js')).checkCommand(job, values));
    });
}

export function verifyCommandSpec(done: ExitSink): Command {
  return new Command('verify')
    .summary('check every token of an output file')
    .description(
      'First, when the batch manifest is beside the file (<name>.manifest.json) or given with --manifest: the file ' +
        'must have the bytes and SHA-256 the manifest records (a truncated or edited copy fails, saying what differs) ' +
        'and, once read, as many tokens as it records. Then checks every token with jose and the API key ' +
        '(DAILY_API_KEY or DAILY_API_KEY_FILE): the signature, and that its claims match the row (room, user name, ' +
        "user id, owner, exp, join link, the manifest's domain id). Tokens that do not verify with the key are one " +
        'summary line, naming the key the manifest names when it is another (by fingerprint, or "the demo key"). ' +
        "Expired tokens are counted but are not a failure. With --online, each sampled token's properties as Daily reads " +
        'them are compared with the claims signed. Exits 1 on a file that differs from its manifest, any bad ' +
        'signature or mismatch, a token Daily refused, or a property Daily reads otherwise than signed.',
    )
    .addArgument(new Argument('<file>', 'a published tokens CSV'))
    .addOption(new Option('--manifest <file>', 'the batch manifest, for a tokens file that is not beside its own'))
    .addOption(nowOption('check expiry against this time instead of now'))
    .addOption(allowWeakKeyOption())
    .addOption(
      new Option(
        '--online',
        'also ask Daily (GET /meeting-tokens/:token) about a random sample of tokens and compare what it reads with what was signed',
      ),
    )
    .addOption(new Option('--sample <n>', 'how many tokens --online asks about (default 5)').argParser(wholeNumber('sample', 1, 1000)))
    .addOption(jsonOption('the counts and the bad lines'))
    .addOption(quietOption())
    .action(async (file: string, values: VerifyValues) => {
      await import('./heap.js');
      await done((await import('./verify-command.js')).verifyCommand(file, values));
    });
}

export function decodeCommandSpec(done: ExitSink): Command {
  return new Command('decode')
    .summary("print a token's claims with Daily's long names")
    .description(
      "Prints the token's claims with Daily's long property names and times in ISO 8601. " +
        'Does not check the signature (use verify for that). Takes a token, or a join link ' +
        '(https://<team>.daily.co/<room>?t=<token>) whose t parameter is the token.',
    )
    .addArgument(new Argument('<token>', 'a token or a join link, or - to read one from standard input'))
    .addOption(jsonOption('the claims on one line'))
    .addOption(quietOption())
    .action(async (token: string, values: OutputFlags) => {
      await done((await import('./decode-command.js')).decodeCommand(token, values));
    });
}

export function domainCommandSpec(done: ExitSink): Command {
  return new Command('domain')
    .summary('look up the domain id and name at Daily')
    .description("Asks Daily (GET /, with the API key) for the domain's id and name and prints them.")
    .addOption(
      new Option('--write-job <job>', 'also store them as domain_id and domain_name in that job file, keeping its comments and layout'),
    )
    .addOption(jobsOption())
    .addOption(allowWeakKeyOption())
    .addOption(jsonOption('the domain id and name'))
    .addOption(quietOption())
    .action(async (values: DomainValues) => {
      await done((await import('./domain-command.js')).domainCommand(values));
    });
}

export function deliverCommandSpec(done: ExitSink): Command {
  return new Command('deliver')
    .summary("send a published batch to its job's deliver: destinations again")
    .description(
      "Re-sends the batch of a published manifest to the destinations in its job file's deliver: list (or those " +
        "given with --to), as a run does after publishing: the data files, then the manifest. Takes the job's lock; " +
        "records the outcome in the delivery record beside the manifest and in the job's history. Exit 1 when a " +
        'delivery failed.',
    )
    .addArgument(new Argument('<manifest>', 'the batch manifest (<job>-<stamp>.manifest.json)'))
    .addOption(
      new Option('--to <url>', "only this destination of the job's deliver: list (repeatable)").argParser(
        (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
      ),
    )
    .addOption(jobsOption())
    .addOption(stateOption())
    .addOption(logLevelOption())
    .addOption(jsonOption('each destination: status, attempts, error'))
    .addOption(quietOption())
    .action(async (manifest: string, values: DeliverValues) => {
      await done((await import('./deliver-command.js')).deliverCommand(manifest, values));
    });
}

export function statusCommandSpec(done: ExitSink): Command {
  return new Command('status')
    .summary('every job: schedule, next run, last run; is a scheduler running')
    .description(
      'Lists every job file in the jobs directory: its schedule and time zone (or manual), its next run ' +
        "(UTC and the job's local time) while a scheduler runs it, and its last run from the history in the " +
        'state directory: time, status, tokens, rejects, output. Below the table: whether a scheduler is ' +
        'running for these jobs (from the heartbeat `schedule` keeps in the state directory), and the problems ' +
        'of job files that do not validate.',
    )
    .addOption(jobsOption())
    .addOption(stateOption())
    .addOption(jsonOption('every job'))
    .addOption(quietOption())
    .action(async (values: StatusValues) => {
      await done((await import('./status-command.js')).statusCommand(values));
    });
}

export function scheduleCommandSpec(done: ExitSink): Command {
  return new Command('schedule')
    .summary('run every job on its schedule (long-running)')
    .description(
      'The long-running worker: runs every job of the jobs directory that has a schedule: (cron, 5 fields ' +
        `or 6 with seconds; in its timezone:, default ${JOB_DEFAULTS.timezone}). Every job file is checked first; any problem ` +
        "stops the start, one line each. One run per job at a time (the job's lock in the state directory). " +
        `A slot missed while the worker was down runs once at start (catch_up: true${JOB_DEFAULTS.catch_up ? ', the default' : ''}), unless a manifest in ` +
        "the job's output directory shows it ran. A slot that cannot start within 5 s of its time is skipped, never run late.",
    )
    .addOption(jobsOption())
    .addOption(stateOption())
    .addOption(
      new Option('--grace <seconds>', 'on SIGTERM, SIGINT or SIGHUP, how long runs in progress may finish')
        .argParser(numberFrom('grace', 0, 3600, 'seconds'))
        .default(25),
    )
    .addOption(
      new Option('--metrics-port <n>', 'serve Prometheus metrics on /metrics and liveness on /healthz').argParser(
        wholeNumber('metrics-port', 0, 65535, 'a port number'),
      ),
    )
    .addOption(new Option('--metrics-host <address>', 'address for --metrics-port (0.0.0.0 in a container)').default('127.0.0.1'))
    .addOption(logLevelOption())
    .addOption(quietOption())
    .addHelpText(
      'after',
      '\nSIGTERM, SIGINT or SIGHUP: no new runs; runs in progress get --grace seconds to finish, then are aborted\n' +
        '(nothing published, history says aborted); exit 0. Restart to reload job files.\n' +
        'Replicas: with REDIS_URL set (redis://host:port), several workers share the schedule and each slot\n' +
        'of each job runs on exactly one of them; an election Redis does not answer within 2 s skips the slot.\n' +
        'Without REDIS_URL, the host lock applies.\n',
    )
    .action(async (values: ScheduleValues) => {
      await import('./heap.js');
      await done((await import('./schedule-command.js')).scheduleCommand(values));
    });
}

export function linksCommandSpec(done: ExitSink): Command {
  const links = new Command('links')
    .summary('short links of published batches: revoke, opens, who has not opened')
    .description(
      'Manages the short links a run with links: (or --links-base-url) made. The store is the one the ' +
        "batch's manifest names: its SQLite file, or Redis through LINKS_REDIS_URL (or REDIS_URL), which the " +
        'manifest names without a password. Nothing prints a link or its id.',
    );
  links.addCommand(
    new Command('revoke')
      .summary('revoke the links of a batch, of a user id, or one link')
      .description('Revoked links answer 410 from serve and are left out of links unopened. Exits 1 when nothing live matched.')
      .addOption(new Option('--manifest <file>', 'every link of that batch (the store its manifest names)'))
      .addOption(new Option('--user-id <id>', 'every live link of that user id, in every batch of the store'))
      .addOption(new Option('--id <link>', 'one link: the short link or its id'))
      .addOption(
        new Option(
          '--links-db <file>',
          'the SQLite store, for --user-id and --id (LINKS_REDIS_URL, else REDIS_URL, names a Redis instead)',
        ),
      )
      .addOption(jsonOption('how many links were revoked'))
      .addOption(quietOption())
      .action(async (values: RevokeValues) => {
        await done((await import('./links-command.js')).revokeCommand(values));
      }),
  );
  links.addCommand(
    new Command('stats')
      .summary('each link of a batch: opens, first and last open')
      .description(
        "Prints a CSV of the batch's links in roster order: line, user_id, opens, first_open, last_open (UTC), revoked; " +
          'the totals go to stderr.',
      )
      .addArgument(new Argument('<manifest>', "the batch's manifest"))
      .action(async (manifest: string) => {
        await done((await import('./links-command.js')).statsCommand(manifest));
      }),
  );
  links.addCommand(
    new Command('unopened')
      .summary("the batch's rows whose link is not opened yet, for a reminder mail")
      .description(
        "Writes the rows of the batch's tokens file (its columns, format and profile, as published) whose link is " +
          "live and has not been opened; revoked links are left out. Needs the batch's file with its short_url column.",
      )
      .addArgument(new Argument('<manifest>', "the batch's manifest"))
      .addOption(new Option('--out <file>', 'write to this new file (mode 0600) instead of stdout'))
      .action(async (manifest: string, values: UnopenedValues) => {
        await done((await import('./links-command.js')).unopenedCommand(manifest, values));
      }),
  );
  return links;
}

export function serveCommandSpec(done: ExitSink): Command {
  return new Command('serve')
    .summary('answer short join links, signing each token when its link is opened (long-running)')
    .description(
      'Answers GET /j/<id> from the link store: a token signed now from the stored claims with the API key ' +
        '(DAILY_API_KEY or DAILY_API_KEY_FILE; iat now, nbf and exp as stored), or the token the batch signed when its job ' +
        'says mint: stored, and a redirect to ' +
        'https://<domain>.daily.co/<room>?t=<token>. An expired link answers 410 with a page giving its expiry, a revoked ' +
        'one 410, an unknown one 404 (past --not-found-limit per address and minute: 429). HEAD answers whether a link is ' +
        'alive without signing or counting an open. Also /healthz and Prometheus /metrics. The store: Redis when ' +
        'LINKS_REDIS_URL (or REDIS_URL) is set, else the SQLite file of --links-db.',
    )
    .addOption(
      new Option('--port <n>', 'port to listen on (0: any free port)')
        .argParser(wholeNumber('port', 0, 65535, 'a port number'))
        .default(8080),
    )
    .addOption(new Option('--host <address>', 'address to listen on (0.0.0.0 in a container)').default('127.0.0.1'))
    .addOption(new Option('--links-db <file>', 'the SQLite link store (when neither LINKS_REDIS_URL nor REDIS_URL is set)'))
    .addOption(
      new Option('--domain-name <name>', "the Daily subdomain links open, https://<name>.daily.co/<room> (default: each link's batch's)"),
    )
    .addOption(
      new Option(
        '--page <mode>',
        'redirect: GET goes to the room; join: GET shows a page whose button does (prefetching scanners open nothing)',
      )
        .choices(['redirect', 'join'])
        .default('redirect'),
    )
    .addOption(
      new Option('--not-found-limit <n>', 'unknown links answered per address and minute before 429')
        .argParser(wholeNumber('not-found-limit', 1, 1_000_000))
        .default(60),
    )
    .addOption(new Option('--trust-proxy', "take the client's address from the last X-Forwarded-For entry (behind an ingress or a proxy)"))
    .addOption(
      new Option('--grace <seconds>', 'on SIGTERM, SIGINT or SIGHUP, how long open requests may finish')
        .argParser(numberFrom('grace', 0, 3600, 'seconds'))
        .default(10),
    )
    .addOption(allowWeakKeyOption())
    .addOption(logLevelOption())
    .addOption(quietOption())
    .addHelpText(
      'after',
      '\nKey rotation: rotate the key at Daily, then restart serve with the new key; every link keeps working\n' +
        "(tokens are signed when opened). Links of a batch with mint: stored serve the old key's token: they stop working.\n" +
        'Replicas: several serve processes (hosts) share one Redis store; each answers any link.\n',
    )
    .action(async (values: ServeValues) => {
      await import('./heap.js');
      await done((await import('./serve-command.js')).serveCommand(values));
    });
}

export function completionCommandSpec(done: ExitSink, root: () => Command): Command {
  return new Command('completion')
    .summary('print a shell completion script')
    .description('Prints a script that completes commands, options, their values and job names.')
    .addArgument(new Argument('<shell>', 'the shell to complete in').choices(['bash', 'zsh', 'fish']))
    .addHelpText(
      'after',
      '\nInstall:\n' +
        '  bash: source <(meeting-tokens completion bash)          (in ~/.bashrc)\n' +
        '  zsh:  source <(meeting-tokens completion zsh)           (in ~/.zshrc)\n' +
        '  fish: meeting-tokens completion fish > ~/.config/fish/completions/meeting-tokens.fish\n',
    )
    .action(async (shell: 'bash' | 'zsh' | 'fish') => {
      await done((await import('./completion.js')).completionCommand(shell, root()));
    });
}
