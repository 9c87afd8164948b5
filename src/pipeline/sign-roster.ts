/**
 * The stage `run` and `check` share: every chunk of an open roster parsed, mapped and signed
 * (sign-chunks.ts), counted, and checked for repeated (room, user_id) pairs. What becomes of each
 * chunk's output is the caller's `collect`: the staged files of a publication for `run`, a tally
 * for `check`. So a check reads a roster exactly as a run would, and at a run's speed.
 */
import { availableParallelism } from 'node:os';
import { MeetingTokensError, abortError } from '../errors.js';
import type { RunConfig } from '../config/run-config.js';
import type { OpenRoster } from '../roster/open-roster.js';
import type { Logger } from 'pino';
import type { ChunkFormat } from '../roster/chunker.js';
import { delimiterName } from '../roster/delimiter.js';
import { canonicalEncoding, type EncodingLabel } from '../roster/encoding.js';
import { UndecodableRows } from '../roster/undecodable-rows.js';
import { planColumns } from '../claims/column-plan.js';
import { checkOutputHeaders } from '../output/columns.js';
import { buildLayout, type OutputLayout } from '../output/layout.js';
import { PROFILES } from '../output/profiles.js';
import { DuplicateCounter, type DuplicateSummary } from '../duplicates/duplicate-counter.js';
import { plural } from '../plural.js';
import type { ChunkResult, ChunkSpec } from './process-chunk.js';
import { groupKeySpec, type GroupKeySpec } from '../group/group-key.js';
import { groupedFileLayout } from '../group/group-output.js';
import { checkHeaderNames } from '../output/profile-rules.js';
import type { ColumnPlan } from '../claims/column-plan.js';
import { RecipientGrouper, type GroupSink, type GroupSummary } from '../group/recipient-grouper.js';
import { signChunks } from './sign-chunks.js';

/** The settings a roster is signed with: a run's, without where its output goes. */
export type BatchSettings = Omit<RunConfig, 'outDir'>;

/** Below this roster size, starting threads costs more than it saves. */
const PARALLEL_FROM_BYTES = 2 * 1024 * 1024;

/** Signing threads: as asked, else one per core (at most 8) for rosters of 2 MB or more, else none. */
export function workerCount(requested: number | undefined, roster: OpenRoster): number {
  return requested ?? ((roster.sizeBefore ?? 0) >= PARALLEL_FROM_BYTES ? Math.min(availableParallelism(), 8) : 0);
}

/** How the roster is written, as the log line and the manifest's `roster` name it. */
export interface RosterFormatFields {
  /** `comma`, `semicolon`, `tab` or `pipe`. */
  delimiter: string;
  encoding: string;
  bom: boolean;
}

/** The roster's delimiter and encoding as logs and the manifest name them. */
export function rosterFormat(roster: OpenRoster): RosterFormatFields {
  return { delimiter: delimiterName(roster.format.delimiter), encoding: roster.format.encoding, bom: roster.format.bom };
}

/** Warns when a byte-order mark overrode the encoding the job or a flag declared. */
export function warnBomOverride(format: RosterFormatFields, declared: EncodingLabel | undefined, job: string, log: Logger): void {
  if (!format.bom || declared === undefined || canonicalEncoding(declared) === format.encoding) return;
  log.warn(
    { job, declared, encoding: format.encoding },
    `the roster starts with a ${format.encoding} byte-order mark: read as ${format.encoding}, not as the declared ${declared}`,
  );
}

/** What every chunk is signed with: the column plan from the roster's header and the run's settings. */
export function chunkSpec(
  config: BatchSettings,
  apiKey: string,
  domainId: string,
  iat: number,
  headers: string[],
  format: ChunkFormat,
): ChunkSpec & { layout: OutputLayout } {
  const plan = planColumns(headers, {
    columns: config.columns,
    roomOptional: config.allowAllRooms || config.defaultRoom !== undefined,
  });
  const joinBase = config.domainName !== undefined ? `https://${config.domainName}.daily.co/` : undefined;
  const { output } = config;
  // Today's columns pass roster columns through under their own names: those must not clash.
  if ((output.columns ?? PROFILES[output.profile].columns) === undefined) checkOutputHeaders(plan);
  const layout = buildLayout({
    ...output,
    escapeFormulas: config.escapeFormulas,
    plan,
    joinBase,
    localTime: config.localTime,
    links: config.links !== undefined,
  });
  return {
    plan,
    settings: {
      domainId,
      iat,
      ttlSeconds: config.ttlSeconds,
      maxTtlSeconds: config.maxTtlSeconds,
      allowAllRooms: config.allowAllRooms,
      defaultRoom: config.defaultRoom,
      defaultNotBefore: config.notBefore,
      defaults: config.defaults,
    },
    joinBase,
    escapeFormulas: config.escapeFormulas,
    layout,
    rowEnds: output.split !== undefined,
    apiKey,
    maxTokenLength: config.maxTokenLength,
    delimiter: format.delimiter.charCodeAt(0),
    encoding: format.encoding,
    group: recipientKey(config, plan, layout),
  };
}

/**
 * How rows are keyed by recipient: `group_by` (one row per recipient), else the column the
 * profile's mailer keeps one row per value of (repeats rejected); undefined for neither. The
 * grouped file's header names are checked against the profile's rule at start.
 */
function recipientKey(config: BatchSettings, plan: ColumnPlan, layout: OutputLayout): GroupKeySpec | undefined {
  const profile = PROFILES[config.output.profile];
  const key = config.group
    ? groupKeySpec(config.group.column, plan, config.group.maxLinks)
    : profile.uniqueBy !== undefined
      ? groupKeySpec(profile.uniqueBy, plan, 1, profile.label)
      : undefined;
  if (key?.uniqueFor === undefined && key !== undefined) {
    const { names } = groupedFileLayout(key, layout);
    const email = layout.columns.find((column) => column.source === 'email')?.name;
    const problems = checkHeaderNames(profile, names, email ?? profile.columns?.['email']);
    if (problems.length > 0) throw new MeetingTokensError('CONFIG_INVALID', `output: group_by ${key.column}: ${problems.join('; ')}`);
  }
  return key;
}

export interface Counts {
  read: number;
  /** Roster bytes read, the header's included. */
  bytes: number;
  written: number;
  rejected: number;
  expMin: number;
  expMax: number;
}

/** More rows rejected than `max_reject_ratio` allows: a run publishes no tokens and exits 3. */
export function overRejectRatio(counts: Counts, maxRejectRatio: number): boolean {
  return counts.read > 0 && counts.rejected / counts.read > maxRejectRatio;
}

export interface SignRosterOptions {
  roster: OpenRoster;
  spec: ChunkSpec;
  workers: number;
  /** Where the duplicate check may spill its sorted runs (an unlinked file; nothing stays). */
  spillDir: string;
  job: string;
  /** The roster's path, for the message when too many rows are not in its encoding. */
  rosterPath: string;
  /** The job or a flag declared the encoding: rows that do not decode then never fail the batch. */
  encodingDeclared: boolean;
  signal?: AbortSignal | undefined;
  /** After each chunk, in roster order: rows and roster bytes read so far. */
  onProgress?: ((rowsRead: number, bytesRead: number) => void) | undefined;
  /** Receives each chunk's output in roster order, before it is counted. */
  collect: (output: ChunkResult) => Promise<void>;
  /**
   * With `spec.group`: receives the recipients once every row is signed, and the rows over a
   * recipient's limit (counted as rejected, no longer as written).
   */
  group?: GroupSink | undefined;
}

export interface SignedRoster {
  counts: Counts;
  duplicates: DuplicateSummary;
  /** With `spec.group`: recipients and their rows; else undefined. */
  recipients: GroupSummary | undefined;
  /** The roster's bytes and SHA-256 as read. */
  roster: { bytes: number; sha256: string };
}

/**
 * Signs the whole roster, then checks that it did not change while it was read and that every
 * row read became a token or a reject (INVARIANT otherwise), and that an undeclared UTF-8 roster
 * has no more than 1% of rows that are not UTF-8 (ROSTER_ENCODING otherwise).
 */
export async function signRoster(options: SignRosterOptions): Promise<SignedRoster> {
  const { roster, signal } = options;
  const counts: Counts = { read: 0, bytes: roster.headerBytes, written: 0, rejected: 0, expMin: Infinity, expMax: -Infinity };
  const duplicateCounter = new DuplicateCounter(options.spillDir);
  const undecodable = new UndecodableRows();
  const groupSpec = options.spec.group;
  const grouper = groupSpec && new RecipientGrouper(options.spillDir, groupSpec.maxRows, undefined, groupSpec.uniqueFor !== undefined);
  try {
    const collect = async (output: ChunkResult, chunkBytes: number): Promise<void> => {
      await options.collect(output);
      if (grouper !== undefined && output.groupRecords.byteLength > 0) await grouper.add(output.groupRecords);
      await duplicateCounter.add(output.duplicateRecords);
      undecodable.add(output.undecodable, output.likelyEncoding);
      addCounts(counts, output, chunkBytes);
      options.onProgress?.(counts.read, counts.bytes);
    };
    await signChunks({ chunks: roster.chunks, spec: options.spec, workers: options.workers, signal, collect });
    if (signal?.aborted) throw abortError(signal);
    const rosterSummary = roster.summary();
    await roster.checkUnchanged(rosterSummary.bytes);
    const duplicates = await duplicateCounter.finish(signal).catch((error: unknown) => {
      throw signal?.aborted ? abortError(signal) : error;
    });
    let recipients: GroupSummary | undefined;
    if (grouper !== undefined) {
      const sink = options.group;
      if (sink === undefined) throw new Error('a grouped batch without a group sink');
      const published = { min: Infinity, max: -Infinity };
      recipients = await grouper.finish(withExpRange(sink, published), signal).catch((error: unknown) => {
        throw signal?.aborted ? abortError(signal) : error;
      });
      counts.written -= recipients.over;
      counts.rejected += recipients.over;
      // The rows over a limit were signed but are not published: the exp range is the published rows'.
      counts.expMin = published.min;
      counts.expMax = published.max;
    }
    if (counts.read !== counts.written + counts.rejected) {
      throw new MeetingTokensError(
        'INVARIANT',
        `internal error: ${plural(counts.read, 'row')} read but ${plural(counts.written, 'token')} + ${plural(counts.rejected, 'reject')}; nothing was published`,
        { job: options.job },
      );
    }
    undecodable.check(counts.read, options.rosterPath, roster.format.encoding, options.encodingDeclared);
    return { counts, duplicates, recipients, roster: rosterSummary };
  } finally {
    await duplicateCounter.discard();
    await grouper?.discard();
  }
}

/** `sink`, taking the exp range of the rows it publishes on the way (rows over a limit are not among them). */
function withExpRange(sink: GroupSink, range: { min: number; max: number }): GroupSink {
  return {
    recipient(rows) {
      for (let r = 0; r < rows.count; r++) {
        const exp = rows.exp(r);
        if (exp < range.min) range.min = exp;
        if (exp > range.max) range.max = exp;
      }
      return sink.recipient(rows);
    },
    over: (member, firstLine) => sink.over(member, firstLine),
    end: () => sink.end?.() ?? Promise.resolve(),
  };
}

function addCounts(counts: Counts, output: ChunkResult, chunkBytes: number): void {
  counts.read += output.read;
  counts.written += output.written;
  counts.rejected += output.rejected;
  if (output.expMin < counts.expMin) counts.expMin = output.expMin;
  if (output.expMax > counts.expMax) counts.expMax = output.expMax;
  counts.bytes += chunkBytes;
}
