import { constants } from 'node:os';

/**
 * One error type for everything the tool reports to a user. `code` is stable (tests and
 * scripts match on it); the message is one line that says what is wrong and what to do.
 * Messages never carry the API key, a token or a whole roster row.
 */
export type ErrorCode =
  | 'USAGE'
  | 'CONFIG_INVALID'
  | 'JOB_NOT_FOUND'
  | 'KEY_MISSING'
  | 'KEY_WEAK'
  | 'KEY_INVALID'
  | 'ROSTER_UNREADABLE'
  | 'ROSTER_HEADER'
  | 'ROSTER_PARSE'
  | 'ROSTER_ENCODING'
  | 'OUTPUT_DIR'
  | 'OUTPUT_EXISTS'
  | 'WRITE_FAILED'
  | 'INVARIANT'
  | 'TOO_MANY_REJECTS'
  | 'ROSTER_EMPTY'
  | 'VERIFY_FAILED'
  | 'TOKEN_INVALID'
  | 'ABORTED'
  | 'INTERNAL'
  | 'DAILY_AUTH'
  | 'DAILY_UNREACHABLE'
  | 'DAILY_BAD_ANSWER'
  | 'JOB_RUNNING'
  | 'ROSTER_CHANGED'
  | 'SLOT_PUBLISHED'
  | 'HISTORY_UNRECORDED'
  | 'TOKENS_EXPIRED'
  | 'LOCK_LOST'
  | 'STATE_FAILED'
  | 'LINKS_NOT_FOUND';

export interface ErrorContext {
  job?: string;
  /** The signal that aborted a run (SIGINT, SIGTERM, SIGHUP): the process exits 128 + its number. */
  signal?: string;
  file?: string;
  line?: number;
  column?: string;
}

export class MeetingTokensError extends Error {
  override readonly name = 'MeetingTokensError';
  readonly code: ErrorCode;
  readonly context: ErrorContext;

  constructor(code: ErrorCode, message: string, context: ErrorContext = {}, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.context = context;
  }
}

/** Process exit codes, documented in the README and `--help`. */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  /** Too many rows rejected, or a roster with no rows (an upstream export that broke). */
  tooManyRejects: 3,
  alreadyRunning: 4,
  /** The batch was published (its manifest is the record), but its history line could not be written. */
  publishedUnrecorded: 5,
} as const;

/** What shells and supervisors expect from a process a signal stopped: 128 + its number (SIGINT 130, SIGTERM 143, SIGHUP 129). */
export function signalExitCode(signal: string): number | undefined {
  const number = (constants.signals as Record<string, number | undefined>)[signal];
  return number === undefined ? undefined : 128 + number;
}

/** The error of a run stopped through `signal` (its reason names the process signal, if any). */
export function abortError(signal: AbortSignal): MeetingTokensError {
  const reason = typeof signal.reason === 'string' ? signal.reason : undefined;
  return new MeetingTokensError(
    'ABORTED',
    `run aborted (${reason ?? 'interrupted'}); nothing was published`,
    reason ? { signal: reason } : {},
  );
}

export function exitCodeFor(error: unknown): number {
  if (!(error instanceof MeetingTokensError)) return EXIT.failure;
  switch (error.code) {
    case 'USAGE':
    case 'CONFIG_INVALID':
    case 'JOB_NOT_FOUND':
    case 'KEY_MISSING':
    case 'KEY_WEAK':
    case 'KEY_INVALID':
    case 'ROSTER_HEADER':
    case 'ROSTER_ENCODING':
    case 'TOKENS_EXPIRED':
      return EXIT.usage;
    case 'TOO_MANY_REJECTS':
    case 'ROSTER_EMPTY':
      return EXIT.tooManyRejects;
    case 'JOB_RUNNING':
      return EXIT.alreadyRunning;
    case 'HISTORY_UNRECORDED':
      return EXIT.publishedUnrecorded;
    case 'ABORTED':
      return (error.context.signal !== undefined ? signalExitCode(error.context.signal) : undefined) ?? EXIT.failure;
    default:
      return EXIT.failure;
  }
}
