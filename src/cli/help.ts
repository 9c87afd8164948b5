/** `--help` texts. Kept in step with the README (sections "CLI" and "Exit codes"). */
export const MAIN_HELP = `meeting-tokens: sign Daily meeting tokens in bulk from a roster CSV

Usage:
  meeting-tokens run <job> [options]            run the batch in jobs/<job>.yaml
  meeting-tokens run --roster <csv> --out <dir> --domain-id <uuid> [options]
  meeting-tokens verify <tokens.csv>            check every token of an output file
  meeting-tokens decode <token|->               print a token's claims with long names
  meeting-tokens domain [--write-job <job>]     look up the domain id and name at Daily
  meeting-tokens schedule                       run every job on its schedule (long-running)
  meeting-tokens status                         every job with its last run
  meeting-tokens <command> --help               options of one command

The API key comes from DAILY_API_KEY, or DAILY_API_KEY_FILE (a file holding it).
Daily's API is https://api.daily.co/v1 unless DAILY_API_URL says otherwise;
DAILY_API_TIMEOUT_MS sets the per-request timeout (default 10000).

Exit codes: 0 done (rejected rows allowed), 1 failure, 2 usage or configuration error,
            3 too many rejected rows (over max_reject_ratio: rejects and manifest published, no tokens),
            4 the job is already running (another run holds its lock),
            5 published, but its line in the run history could not be written (do not run it again)
`;

export const RUN_HELP = `Usage:
  meeting-tokens run <job> [options]
  meeting-tokens run --roster <csv> --out <dir> --domain-id <uuid> [options]

Reads the roster, signs one token per row and publishes into the output directory:
  <job>-<yyyymmddThhmmssZ>.csv            tokens and join links (mode 0600)
  <job>-<yyyymmddThhmmssZ>.rejects.csv    rows that could not become tokens, with line and reason
  <job>-<yyyymmddThhmmssZ>.manifest.json  counts, checksums, status; written last
A run without a job file is named after the roster file. Rows that repeat an earlier row's
(room, user_id) get their tokens too; they are counted in the manifest (duplicates) and warned about.

Options (they override the job file):
  --jobs <dir>              where job files live (default: ./jobs)
  --state <dir>             per-job locks and run history (default: ./state)
  --roster <file>           roster CSV (UTF-8; header row required)
  --out <dir>               output directory (created 0700 when missing; its parent must exist;
                            never the roster's own directory)
  --domain-id <uuid>        Daily domain id; without it (here or in the job) it is looked up
                            at Daily once at the start of the run
  --domain-name <name>      subdomain for join links https://<name>.daily.co/<room>?t=<token>
  --ttl <duration>          token lifetime when a row has no expires_at (default 1d), e.g. 90m 36h 7d 2w
  --max-ttl <duration>      no token expires later than this after issue (default 30d)
  --allow-all-rooms         sign rows without a room as tokens valid for every room of the domain
  --max-reject-ratio <0-1>  fail the run when more rows than this are rejected (default 0.5)
  --offline                 never call Daily: a missing domain id is an error instead
  --now <ISO 8601>          the run's clock (iat and file names), for reproducible runs
  --allow-weak-key          accept an API key shorter than 32 characters
  --workers <n>             signing threads; 0 signs on the main thread (default: one per core
                            for rosters of 2 MB or more, else 0). Output is identical either way
  --log-level <level>       fatal, error, warn, info (default), debug, silent
  -h, --help                this help
`;

export const VERIFY_HELP = `Usage: meeting-tokens verify <tokens.csv> [--now <ISO 8601>] [--online [--sample N]]

Checks every token of an output file with jose and the API key (DAILY_API_KEY or
DAILY_API_KEY_FILE): the signature, and that its claims match the row (room, user name,
user id, owner, exp, join link). Expired tokens are counted but are not a failure.

  --online        also ask Daily (GET /meeting-tokens/:token) about a random sample of
                  tokens and report which it accepted, with the properties it read
  --sample <n>    how many tokens --online asks about (default 5)

Exits 1 on any bad signature or mismatch, or a token Daily refused.
`;

export const DOMAIN_HELP = `Usage: meeting-tokens domain [--write-job <job>] [--jobs <dir>]

Asks Daily (GET /, with the API key) for the domain's id and name and prints them.
  --write-job <job>   also store them as domain_id and domain_name in jobs/<job>.yaml,
                      keeping the file's comments and layout
`;

export const DECODE_HELP = `Usage: meeting-tokens decode <token>
       meeting-tokens decode -          (read the token from standard input)

Prints the token's claims with Daily's long property names and times in ISO 8601.
Does not check the signature (use verify for that).
`;

export const STATUS_HELP = `Usage: meeting-tokens status [--jobs <dir>] [--state <dir>]

Lists every job file in the jobs directory (default ./jobs): its schedule and time zone (or
manual), its next run (UTC and the job's local time), and its last run from the history in the state directory (default
./state): time, status, tokens, rejects, output.
A job file that does not validate is listed with its first problem.
`;

export const SCHEDULE_HELP = `Usage: meeting-tokens schedule [--jobs <dir>] [--state <dir>] [--grace <seconds>]
                               [--metrics-port <n> [--metrics-host <address>]]

The long-running worker: runs every job of the jobs directory (default ./jobs) that has a
schedule: (cron, 5 fields or 6 with seconds; in its timezone:, default UTC). Every job file is
checked first; any problem stops the start, one line each. One run per job at a time (the job's
lock in the state directory, default ./state). A slot missed while the worker was down runs once
at start (catch_up: true, the default), unless a manifest in the job's output directory shows it
ran. A slot that cannot start within 5 s of its time is skipped, never run late.

SIGTERM or SIGINT: no new runs; runs in progress get --grace seconds (default 25) to finish,
then are aborted (nothing published, history says aborted); exit 0. Restart to reload job files.

Replicas: with REDIS_URL set (redis://host:port), several workers share the schedule and each
slot of each job runs on exactly one of them; an election Redis does not answer within 2 s skips
the slot. Without REDIS_URL, the host lock applies.

--metrics-port serves Prometheus metrics on /metrics and a liveness answer on /healthz, on
127.0.0.1 unless --metrics-host says otherwise (0.0.0.0 in a container).
`;
