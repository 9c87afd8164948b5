/**
 * One batch, end to end: roster file -> claim mapper -> signer -> staged output files ->
 * publication (tokens and rejects, then the manifest). The only place where files, the clock
 * and the logger meet the pure core.
 */
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { MeetingTokensError, EXIT } from '../errors.js';
import type { RunConfig } from '../config/run-config.js';
import type { ApiKey } from '../config/api-key.js';
import { openRoster } from '../roster/open-roster.js';
import { reportColumns } from '../pipeline/report-columns.js';
import { keyFingerprint } from '../sign/fingerprint.js';
import {
  chunkSpec,
  overRejectRatio,
  rosterFormat,
  signRoster,
  warnBomOverride,
  workerCount,
  type Counts,
} from '../pipeline/sign-roster.js';
import { csvRow } from '../output/csv-writer.js';
import { Publication } from '../output/publication.js';
import { prepareOutput } from './prepare-output.js';
import { rejectsHeader } from '../output/columns.js';
import { buildManifest, outputSummary, type Manifest } from '../output/manifest.js';
import { fileHead } from '../output/row-cells.js';
import { partFileName, tokensFileName } from './batch-name.js';
import { latestPossibleExp, refuseExpiredBatch } from '../output/expired-batch.js';
import type { DuplicateSummary } from '../duplicates/duplicate-counter.js';
import type { Logger } from 'pino';
import type { DeliveryOutcome } from '../deliver/outcome.js';
import { plural } from '../plural.js';
import { roomsStage } from '../pipeline/rooms-stage.js';
import { publicRoomWarning } from '../rooms/room-check.js';
import { fileGroupSink, groupedFileLayout } from '../group/group-output.js';
import type { GroupSink } from '../group/recipient-grouper.js';
import { RunLinks } from './run-links.js';
import { refuseOversizedFile } from '../output/file-limits.js';
import { PROFILES } from '../output/profiles.js';

export interface RunOptions {
  config: RunConfig;
  apiKey: ApiKey;
  /** The run's clock: `iat` of every token and the time in the output names. */
  now: Date;
  /** The schedule slot this batch serves (ISO 8601), recorded in its manifest; null for a run by hand. */
  slot?: string | null | undefined;
  log: Logger;
  signal?: AbortSignal | undefined;
  /** After each chunk, in roster order: rows and roster bytes read so far. */
  onProgress?: ((rowsRead: number, bytesRead: number) => void) | undefined;
  /** Worker threads for signing; 0 signs on the main thread; undefined picks by roster size. */
  workers?: number | undefined;
  /** Publish even when every token has expired by the time of publication (`--allow-expired`). */
  allowExpired?: boolean | undefined;
  /** Called once everything is written, right before the first file is published; a throw publishes nothing. */
  beforePublish?: (() => Promise<void>) | undefined;
}

export interface RunResult {
  manifest: Manifest;
  manifestPath: string;
  exitCode: number;
  /** Each destination's delivery of the published batch (job's `deliver:`); absent when it has none. */
  deliveries?: DeliveryOutcome[];
}

export async function runBatch(options: RunOptions): Promise<RunResult> {
  const { config, apiKey, now, log, signal } = options;
  const domainId = config.domainId;
  if (domainId === undefined) throw new MeetingTokensError('USAGE', 'no domain id: give --domain-id <uuid> or domain_id in the job');
  const startedAt = new Date();
  const iat = Math.floor(now.getTime() / 1000);
  const names = await prepareOutput(config.outDir, config.rosterPath, config.job, now, log);
  const roster = await openRoster(config.rosterPath, { delimiter: config.delimiter, encoding: config.encoding });
  const rosterFields = rosterFormat(roster);
  const spec = chunkSpec(config, apiKey.key, domainId, iat, roster.headers, roster.format);
  if (!options.allowExpired) refuseExpiredBatch(latestPossibleExp(spec.plan, spec.settings), Date.now(), 'before signing');
  const rosterColumns = reportColumns(spec.plan, config.job, config.strictColumns, log);
  const workers = workerCount(options.workers, roster);
  log.info(
    {
      job: config.job,
      roster: config.rosterPath,
      ...rosterFields,
      out: config.outDir,
      keyFingerprint: keyFingerprint(apiKey.key),
      iat,
      workers,
    },
    `run started: roster ${rosterFields.encoding}${rosterFields.bom ? ' with a byte-order mark' : ''}, ${rosterFields.delimiter}-delimited`,
  );
  warnBomOverride(rosterFields, config.encoding, config.job, log);
  const { layout } = spec;
  const format = layout.format;
  const grouped = spec.group && groupedFileLayout(spec.group, layout);
  const runId = randomUUID();
  const links = config.links
    ? await RunLinks.begin(
        config.links,
        config.outDir,
        { runId, job: config.job, domainId, domainName: config.domainName!, createdAt: iat },
        log,
      )
    : undefined;
  const publication = await Publication.open(
    config.outDir,
    { ...names, tokens: tokensFileName(names, format) },
    {
      head: fileHead(layout, grouped?.names),
      split: config.output.split,
      part: (n) => partFileName(names, format, n),
    },
  ).catch(async (error: unknown) => {
    await links?.discard();
    await links?.close();
    throw error;
  });
  spec.links = links?.spec;
  const dropOverLinks = (sink: GroupSink): GroupSink => links?.dropOver(sink) ?? sink;
  const publicRooms = new Set<string>();
  try {
    const rooms = config.checkRooms ? await roomsStage(config, apiKey, spec, log, signal, true) : undefined;
    spec.rooms = rooms?.index;
    await publication.rejects.write(csvRow(rejectsHeader(spec.plan.headers), config.escapeFormulas));
    const {
      counts,
      duplicates,
      recipients,
      roster: rosterSummary,
    } = await signRoster({
      roster,
      spec,
      workers,
      spillDir: config.outDir,
      job: config.job,
      rosterPath: config.rosterPath,
      encodingDeclared: config.encoding !== undefined,
      signal,
      onProgress: options.onProgress,
      group:
        grouped &&
        dropOverLinks(fileGroupSink(spec.group!, grouped, publication.tokens, publication.rejects, config.escapeFormulas, layout)),
      collect: async (output) => {
        if (output.tokens.length > 0) await publication.tokens.write(output.tokens, output.rowEnds);
        if (output.rejects.length > 0) await publication.rejects.write(output.rejects);
        await links?.write(output.links);
        for (const room of output.publicRooms) {
          if (publicRooms.has(room)) continue;
          publicRooms.add(room);
          log.warn({ job: config.job, room }, publicRoomWarning(room, rooms!.index.domain));
        }
      },
    });
    if (counts.read === 0 && !config.allowEmpty) {
      // On a schedule, a roster with no rows is an upstream export that broke: say so, publish nothing.
      throw new MeetingTokensError(
        'ROSTER_EMPTY',
        `roster ${config.rosterPath} has a header and no rows; nothing was published (allow_empty: true in the job, or --allow-empty, publishes an empty batch)`,
        { job: config.job, file: config.rosterPath },
      );
    }
    const tooMany = overRejectRatio(counts, config.maxRejectRatio);
    if (!tooMany && !publication.tokens.isSplit) {
      const { label } = PROFILES[config.output.profile];
      refuseOversizedFile(label, config.output.fileLimits, recipients?.recipients ?? counts.written, publication.tokens.bytes, config.job);
    }
    if (!tooMany && !options.allowExpired && counts.written > 0) refuseExpiredBatch(counts.expMax, Date.now(), 'after signing');
    await links?.flush();
    await options.beforePublish?.();
    const files = await publication.commitFiles(tooMany, signal);
    const tooManyMessage = tooMany
      ? `${counts.rejected} of ${plural(counts.read, 'row')} rejected, more than max_reject_ratio ${config.maxRejectRatio}; no tokens were published, see ${files.rejects.name}`
      : undefined;
    const manifest = buildManifest({
      job: config.job,
      rosterPath: config.rosterPath,
      domainId,
      domainName: config.domainName,
      escapeFormulas: config.escapeFormulas,
      keyFingerprint: keyFingerprint(apiKey.key),
      keySource: apiKey.source,
      slot: options.slot ?? null,
      startedAt,
      iat,
      roster: { ...rosterSummary, ...rosterFields },
      output: outputSummary(layout, config.output.split, spec.plan.headers),
      rosterColumns,
      counts,
      duplicates,
      invariantOk: true,
      files,
      tooManyMessage,
      rooms: rooms && { listed: rooms.index.rooms.size - rooms.created.length, created: rooms.created, public: [...publicRooms] },
      groupBy:
        spec.group !== undefined && spec.group.uniqueFor === undefined && recipients !== undefined
          ? {
              column: spec.group.column,
              max_links_per_recipient: spec.group.maxRows,
              recipients: recipients.recipients,
              rows_over_limit: recipients.over,
            }
          : undefined,
      runId,
      links: links?.manifestEntry(!tooMany),
    });
    await publication.commitManifest(manifest, signal);
    // Live only once the manifest is out: a run killed before this leaves links that never resolve.
    if (links && !tooMany) await links.commit();
    else await links?.discard();
    logFinish(log, config.job, counts, startedAt, names.manifest, duplicates, tooManyMessage);
    return { manifest, manifestPath: join(config.outDir, names.manifest), exitCode: tooMany ? EXIT.tooManyRejects : EXIT.ok };
  } catch (error) {
    const reported = await publication.rollback(error, signal, () => roster.chunks.return(undefined).then(() => undefined));
    await links?.discard();
    throw reported;
  } finally {
    await publication.close();
    await links?.close();
  }
}

function logFinish(
  log: Logger,
  job: string,
  counts: Counts,
  startedAt: Date,
  manifest: string,
  duplicates: DuplicateSummary,
  tooManyMessage: string | undefined,
): void {
  const seconds = (Date.now() - startedAt.getTime()) / 1000;
  const summary = {
    job,
    read: counts.read,
    tokens: counts.written,
    rejects: counts.rejected,
    seconds: Number(seconds.toFixed(3)),
    rowsPerSecond: seconds > 0 ? Math.round(counts.read / seconds) : null,
    manifest,
  };
  if (duplicates.rows > 0) log.warn({ job, ...duplicates }, duplicatesMessage(duplicates));
  if (tooManyMessage !== undefined) log.error(summary, tooManyMessage);
  else log.info(summary, 'run finished');
}

/** One line for operators: how many rows repeat a pair, and where the first ones are. */
function duplicatesMessage(d: DuplicateSummary): string {
  const where = d.first.map((f) => `line ${f.line} repeats line ${f.same_as_line}`).join(', ');
  const more = d.rows > d.first.length ? ', ...' : '';
  return `${plural(d.rows, 'row repeats', 'rows repeat')} the (room, user_id) of an earlier row (${plural(d.pairs, 'pair')}; signed all the same): ${where}${more}`;
}
