/**
 * A batch checked, not run: the roster read through the same reader, parser, mapper and workers
 * as a run (sign-roster.ts), signed with a throwaway random key so that token lengths are real,
 * and nothing published: no output file, no lock, no history. With `check_rooms` the domain's
 * rooms are listed at Daily as a run lists them (and none is created). What a run would publish is
 * counted instead: rows, would-be tokens, rejects grouped by reason, repeated pairs, exp range.
 */
import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import type { Logger } from 'pino';
import { EXIT, MeetingTokensError } from '../errors.js';
import type { CheckConfig } from '../config/run-config.js';
import { openRoster } from '../roster/open-roster.js';
import type { ColumnMapping } from '../claims/column-plan.js';
import { reportColumns } from './report-columns.js';
import { checkOutputDir, checkRosterOutsideOutputDir } from '../output/output-dir.js';
import { latestPossibleExp, refuseExpiredBatch } from '../output/expired-batch.js';
import type { DuplicateSummary } from '../duplicates/duplicate-counter.js';
import { chunkSpec, overRejectRatio, rosterFormat, signRoster, warnBomOverride, workerCount, type Counts } from './sign-roster.js';
import { RejectGroups, type RejectSummary } from './reject-groups.js';
import type { ApiKey } from '../config/api-key.js';
import { roomsStage } from './rooms-stage.js';
import { checkGroupSink } from '../group/group-output.js';
import { fileLimitProblem } from '../output/file-limits.js';
import { PROFILES } from '../output/profiles.js';

/**
 * Signs when neither the job nor a flag gives a domain id (a run would look it up at Daily): a
 * domain id is a UUID in every token, so the tokens are as long as the run's.
 */
export const PLACEHOLDER_DOMAIN_ID = '00000000-0000-4000-8000-000000000000';

export interface CheckOptions {
  config: CheckConfig;
  /** Lists the domain's rooms when `config.checkRooms`; unused otherwise. */
  apiKey?: ApiKey | undefined;
  /** The run's clock to check against: `iat`, and so every `exp`. */
  now: Date;
  log: Logger;
  signal?: AbortSignal | undefined;
  onProgress?: ((rowsRead: number, bytesRead: number) => void) | undefined;
  workers?: number | undefined;
  /** As for a run: tokens that would all have expired by then are not a problem. */
  allowExpired?: boolean | undefined;
}

export interface CheckReport {
  config: CheckConfig;
  /** How the roster was read and mapped (the manifest's `roster` fields, where a run records them). */
  roster: { path: string; bytes: number; delimiter: string; encoding: string } & ColumnMapping;
  domainId: string;
  /** True when `domainId` is the placeholder: the job and flags give none. */
  placeholderDomain: boolean;
  iat: number;
  counts: Counts;
  overRatio: boolean;
  rejects: RejectSummary;
  duplicates: DuplicateSummary;
  /** With `check_rooms`: rooms listed, those a run would create (`ensure_rooms`), public ones tokens are for; else null. */
  rooms: { listed: number; wouldCreate: string[]; public: string[] } | null;
  /** What would fail a run that got this far (too many rejects, every token expired), or null. */
  problem: { code: string; message: string } | null;
  exitCode: number;
}

export async function checkBatch(options: CheckOptions): Promise<CheckReport> {
  const { config, log, signal } = options;
  const iat = Math.floor(options.now.getTime() / 1000);
  if (config.outDir !== undefined) await checkOutputDir(config.outDir);
  const roster = await openRoster(config.rosterPath, { delimiter: config.delimiter, encoding: config.encoding });
  try {
    if (config.outDir !== undefined && (await stat(config.outDir).catch(() => undefined))) {
      await checkRosterOutsideOutputDir(config.rosterPath, config.outDir);
    }
    const domainId = config.domainId ?? PLACEHOLDER_DOMAIN_ID;
    // Formula escapes change only the output's cells, never a token; without them the rejects'
    // reasons come back as they were written.
    const spec = chunkSpec(
      { ...config, escapeFormulas: false },
      randomBytes(32).toString('hex'),
      domainId,
      iat,
      roster.headers,
      roster.format,
    );
    if (!options.allowExpired) refuseExpiredBatch(latestPossibleExp(spec.plan, spec.settings), Date.now(), 'before signing');
    const mapping = reportColumns(spec.plan, config.job, config.strictColumns, log, false);
    const workers = workerCount(options.workers, roster);
    const format = rosterFormat(roster);
    log.debug({ job: config.job, roster: config.rosterPath, ...format, iat, workers }, 'check started');
    warnBomOverride(format, config.encoding, config.job, log);
    const rejects = new RejectGroups();
    const rooms = config.checkRooms ? await roomsStage(config, requireKey(options.apiKey), spec, log, signal, false) : undefined;
    spec.rooms = rooms?.index;
    const publicRooms = new Set<string>();
    const signed = await signRoster({
      roster,
      spec,
      workers,
      spillDir: tmpdir(),
      job: config.job,
      rosterPath: config.rosterPath,
      encodingDeclared: config.encoding !== undefined,
      signal,
      onProgress: options.onProgress,
      group: spec.group && checkGroupSink(spec.group, (line) => rejects.add(line)),
      collect: (output) => {
        rejects.add(output.rejects);
        for (const room of output.publicRooms) publicRooms.add(room);
        return Promise.resolve();
      },
    });
    const { counts } = signed;
    const overRatio = overRejectRatio(counts, config.maxRejectRatio);
    const problem =
      counts.read === 0 && !config.allowEmpty
        ? {
            code: 'ROSTER_EMPTY',
            message: `roster ${config.rosterPath} has a header and no rows: a run would publish nothing (exit 3); allow_empty: true in the job, or --allow-empty, publishes an empty batch`,
          }
        : overRatio
          ? {
              code: 'TOO_MANY_REJECTS',
              message: `${counts.rejected} of ${counts.read} rows rejected, more than max_reject_ratio ${config.maxRejectRatio}: a run would publish no tokens (exit 3)`,
            }
          : (fileRowsProblem(config, signed.recipients?.recipients ?? counts.written) ?? expiredProblem(counts, options.allowExpired));
    return {
      config,
      // The delimiter as the character, as the JSON result has always given it.
      roster: {
        path: config.rosterPath,
        bytes: signed.roster.bytes,
        delimiter: roster.format.delimiter,
        encoding: format.encoding,
        ...mapping,
      },
      domainId,
      placeholderDomain: config.domainId === undefined,
      iat,
      counts,
      overRatio,
      rejects: rejects.summary(),
      duplicates: signed.duplicates,
      rooms: rooms
        ? {
            listed: rooms.index.rooms.size - rooms.created.length,
            wouldCreate: rooms.created,
            public: [...publicRooms],
          }
        : null,
      problem,
      exitCode: overRatio || problem?.code === 'ROSTER_EMPTY' ? EXIT.tooManyRejects : problem ? EXIT.usage : EXIT.ok,
    };
  } finally {
    await roster.chunks.return(undefined);
  }
}

/** A run fails (exit 2) when one tokens file would hold more lines than the profile's mailer takes; bytes a check does not write. */
function fileRowsProblem(config: CheckConfig, rows: number): CheckReport['problem'] {
  if (config.output.split !== undefined) return null;
  const message = fileLimitProblem(PROFILES[config.output.profile].label, { maxRows: config.output.fileLimits.maxRows }, rows, 0);
  return message === null
    ? null
    : { code: 'CONFIG_INVALID', message: message.replace('nothing was published', 'a run would publish nothing') };
}

function requireKey(apiKey: ApiKey | undefined): ApiKey {
  if (apiKey === undefined) throw new Error('check_rooms without an API key');
  return apiKey;
}

/** A run refuses to publish tokens that have all expired by then (exit 2): the same test, reported. */
function expiredProblem(counts: Counts, allowExpired: boolean | undefined): CheckReport['problem'] {
  if (allowExpired || counts.written === 0) return null;
  try {
    refuseExpiredBatch(counts.expMax, Date.now(), 'after signing');
    return null;
  } catch (error) {
    if (!(error instanceof MeetingTokensError)) throw error;
    return { code: error.code, message: error.message };
  }
}
