/**
 * One batch, end to end: roster file -> claim mapper -> signer -> staged output files ->
 * publication (tokens and rejects, then the manifest). The only place where files, the clock
 * and the logger meet the pure core.
 */
import { randomUUID } from 'node:crypto';
import { stat, unlink } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { MeetingTokensError, EXIT, abortError } from '../errors.js';
import type { RunConfig } from '../config/run-config.js';
import type { ApiKey } from '../config/api-key.js';
import { readChunks, type Chunk } from '../roster/chunker.js';
import { headerFields } from '../roster/read-header.js';
import { planColumns } from '../claims/column-plan.js';
import { keyFingerprint } from '../sign/fingerprint.js';
import { createBatchContext, processChunk, type BatchSpec } from './process-batch.js';
import { WorkerPool, type ChunkOutput } from './pool.js';
import { csvRow } from '../output/csv-writer.js';
import { StagedFile, type PublishedFile } from '../output/staged-file.js';
import { prepareOutputDir, removeOrphanedOutputs, checkRosterOutsideOutputDir } from '../output/output-dir.js';
import { removeStaleTemps } from '../files/temp-file.js';
import { DirHandle } from '../output/dir-handle.js';
import { tokensHeader, rejectsHeader, isoSeconds, checkOutputHeaders } from '../output/columns.js';
import type { Manifest } from '../output/manifest.js';
import { nextBatchNames } from '../output/batch-name.js';
import { latestPossibleExp, refuseExpiredBatch } from '../output/expired-batch.js';
import { TOOL } from '../version.js';
import { DuplicateCounter, type DuplicateSummary } from '../duplicates/duplicate-counter.js';
import { plural } from '../plural.js';

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

/** Below this roster size, starting threads costs more than it saves. */
const PARALLEL_FROM_BYTES = 2 * 1024 * 1024;

export interface RunResult {
  manifest: Manifest;
  manifestPath: string;
  exitCode: number;
}

export async function runBatch(options: RunOptions): Promise<RunResult> {
  const { config, apiKey, now, log, signal } = options;
  const domainId = config.domainId;
  if (domainId === undefined) throw new MeetingTokensError('USAGE', 'no domain id: give --domain-id <uuid> or domain_id in the job');
  const startedAt = new Date();
  const iat = Math.floor(now.getTime() / 1000);
  await prepareOutputDir(config.outDir);
  await checkRosterOutsideOutputDir(config.rosterPath, config.outDir);
  const removed = await removeStaleTemps(config.outDir);
  if (removed.length > 0) log.info({ job: config.job, removed: removed.length }, 'removed temporary files of interrupted runs');
  const orphans = await removeOrphanedOutputs(config.outDir, config.job);
  if (orphans.length > 0) {
    log.warn({ job: config.job, removed: orphans }, 'removed outputs of an interrupted run that never wrote its manifest');
  }
  const names = await nextBatchNames(config.outDir, config.job, now);

  // The roster as it was when the run began: a roster still being written, truncated, replaced
  // or deleted during the run fails it (below) rather than publish a batch missing rows.
  const rosterBefore = await stat(config.rosterPath).catch(() => undefined);
  const roster = readChunks(config.rosterPath);
  const first = await roster.chunks.next();
  let headers: string[];
  const headerBytes = first.done ? 0 : first.value.bytes.length;
  try {
    headers = headerFields(first.done ? undefined : first.value, config.rosterPath);
  } catch (error) {
    await roster.chunks.return(undefined);
    throw error;
  }
  const plan = planColumns(headers, {
    columns: config.columns,
    roomOptional: config.allowAllRooms || config.defaultRoom !== undefined,
  });
  checkOutputHeaders(plan);
  const spec: BatchSpec = {
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
    joinBase: config.domainName !== undefined ? `https://${config.domainName}.daily.co/` : undefined,
    escapeFormulas: config.escapeFormulas,
    apiKey: apiKey.key,
  };
  if (!options.allowExpired) refuseExpiredBatch(latestPossibleExp(plan, spec.settings), Date.now(), 'before signing');
  const workers = options.workers ?? ((rosterBefore?.size ?? 0) >= PARALLEL_FROM_BYTES ? Math.min(availableParallelism(), 8) : 0);

  log.info(
    { job: config.job, roster: config.rosterPath, out: config.outDir, keyFingerprint: keyFingerprint(apiKey.key), iat, workers },
    'run started',
  );
  const outDir = await DirHandle.open(config.outDir);
  const tokens = await StagedFile.create(outDir, names.tokens).catch(async (error: unknown) => {
    await outDir.close();
    throw error;
  });
  const rejects = await StagedFile.create(outDir, names.rejects).catch(async (error: unknown) => {
    await tokens.discard();
    const moved = await outDir.checkInPlace().then(
      () => undefined,
      (e: unknown) => e,
    );
    await outDir.close();
    throw moved ?? error;
  });
  const published: string[] = [];
  const counts = { read: 0, bytes: headerBytes, written: 0, rejected: 0, expMin: Infinity, expMax: -Infinity };
  const pool = workers > 0 ? new WorkerPool(spec, workers) : undefined;
  const duplicateCounter = new DuplicateCounter(config.outDir);

  try {
    await tokens.write(csvRow(tokensHeader(plan, spec.joinBase !== undefined), config.escapeFormulas));
    await rejects.write(csvRow(rejectsHeader(plan.headers), config.escapeFormulas));

    const collect = async (output: ChunkOutput, chunkBytes: number): Promise<void> => {
      if (output.tokens.length > 0) await tokens.write(output.tokens);
      if (output.rejects.length > 0) await rejects.write(output.rejects);
      await duplicateCounter.add(output.keys);
      counts.read += output.read;
      counts.written += output.written;
      counts.rejected += output.rejected;
      if (output.expMin < counts.expMin) counts.expMin = output.expMin;
      if (output.expMax > counts.expMax) counts.expMax = output.expMax;
      counts.bytes += chunkBytes;
      options.onProgress?.(counts.read, counts.bytes);
    };

    if (pool) {
      // Chunks are signed in parallel and written in roster order; at most two per worker wait.
      const waiting: [Promise<ChunkOutput>, number][] = [];
      for await (const chunk of roster.chunks) {
        if (signal?.aborted) throw abortError(signal);
        const output = pool.run({ id: chunk.index, bytes: chunk.bytes, firstLine: chunk.firstLine });
        output.catch(() => undefined); // awaited below, in order; this only silences early rejections
        waiting.push([output, chunk.bytes.length]);
        while (waiting.length >= workers * 2) await collectNext(waiting, collect);
      }
      while (waiting.length > 0) {
        if (signal?.aborted) throw abortError(signal);
        await collectNext(waiting, collect);
      }
    } else {
      const ctx = createBatchContext(spec);
      for await (const chunk of roster.chunks as AsyncIterable<Chunk>) {
        if (signal?.aborted) throw abortError(signal);
        await collect(processChunk(chunk.bytes, chunk.firstLine, ctx), chunk.bytes.length);
      }
    }
    if (signal?.aborted) throw abortError(signal);
    const rosterSummary = roster.summary();
    await checkRosterUnchanged(config.rosterPath, rosterBefore, rosterSummary.bytes);
    const duplicates = await duplicateCounter.finish(signal).catch((error: unknown) => {
      throw signal?.aborted ? abortError(signal) : error;
    });

    const invariantOk = counts.read === counts.written + counts.rejected;
    if (!invariantOk) {
      throw new MeetingTokensError(
        'INVARIANT',
        `internal error: ${plural(counts.read, 'row')} read but ${plural(counts.written, 'token')} + ${plural(counts.rejected, 'reject')}; nothing was published`,
        { job: config.job },
      );
    }
    const tooMany = counts.read > 0 && counts.rejected / counts.read > config.maxRejectRatio;

    if (!tooMany && !options.allowExpired && counts.written > 0) refuseExpiredBatch(counts.expMax, Date.now(), 'after signing');
    await options.beforePublish?.();
    let tokensFile: PublishedFile | null = null;
    if (tooMany) {
      await tokens.discard();
    } else {
      tokensFile = await tokens.commit(signal);
      published.push(tokensFile.name);
    }
    const rejectsFile = await rejects.commit(signal);
    published.push(rejectsFile.name);
    await outDir.sync();

    const status = tooMany ? 'failed' : 'done';
    const tooManyMessage = `${counts.rejected} of ${plural(counts.read, 'row')} rejected, more than max_reject_ratio ${config.maxRejectRatio}; no tokens were published, see ${rejectsFile.name}`;
    const manifest: Manifest = {
      job: config.job,
      run_id: randomUUID(),
      slot: options.slot ?? null,
      status,
      ...(tooMany ? { error: { code: 'TOO_MANY_REJECTS', message: tooManyMessage } } : {}),
      started_at: startedAt.toISOString(),
      finished_at: new Date().toISOString(),
      issued_at: isoSeconds(iat),
      roster: { path: config.rosterPath, ...rosterSummary },
      rows_read: counts.read,
      tokens_written: counts.written,
      rows_rejected: counts.rejected,
      duplicates,
      invariant_ok: invariantOk,
      files: { tokens: tokensFile, rejects: rejectsFile },
      exp_min: counts.written > 0 ? isoSeconds(counts.expMin) : null,
      exp_max: counts.written > 0 ? isoSeconds(counts.expMax) : null,
      domain_id: domainId,
      domain_name: config.domainName ?? null,
      key_fingerprint: keyFingerprint(apiKey.key),
      key_source: apiKey.source,
      demo_key: apiKey.source === 'demo',
      escape_formulas: config.escapeFormulas,
      tool: TOOL,
    };
    const manifestFile = await StagedFile.create(outDir, names.manifest);
    try {
      await manifestFile.write(JSON.stringify(manifest, null, 2) + '\n');
      // The batch's commit point, and the last moment a signal aborts it.
      await manifestFile.commit(signal);
    } catch (error) {
      await manifestFile.discard();
      throw error;
    }
    published.push(names.manifest);
    await outDir.sync();

    const seconds = (Date.now() - startedAt.getTime()) / 1000;
    const summary = {
      job: config.job,
      read: counts.read,
      tokens: counts.written,
      rejects: counts.rejected,
      seconds: Number(seconds.toFixed(3)),
      rowsPerSecond: seconds > 0 ? Math.round(counts.read / seconds) : null,
      manifest: names.manifest,
    };
    if (duplicates.rows > 0) log.warn({ job: config.job, ...duplicates }, duplicatesMessage(duplicates));
    if (tooMany) log.error(summary, tooManyMessage);
    else log.info(summary, 'run finished');
    return {
      manifest,
      manifestPath: join(config.outDir, names.manifest),
      exitCode: tooMany ? EXIT.tooManyRejects : EXIT.ok,
    };
  } catch (error) {
    await tokens.discard();
    await rejects.discard();
    // A failed run leaves nothing under a final name: undo what this run already published.
    for (const name of published) await unlink(outDir.entry(name)).catch(() => undefined);
    await roster.chunks.return(undefined);
    // Whatever failed first (a spill file, a link), a directory that went is the cause to report.
    const moved = signal?.aborted
      ? undefined
      : await outDir.checkInPlace().then(
          () => undefined,
          (e: unknown) => e,
        );
    throw moved ?? error;
  } finally {
    await duplicateCounter.discard();
    await pool?.close();
    await outDir.close();
  }
}

async function collectNext(
  waiting: [Promise<ChunkOutput>, number][],
  collect: (output: ChunkOutput, chunkBytes: number) => Promise<void>,
): Promise<void> {
  const [output, bytes] = waiting.shift()!;
  await collect(await output, bytes);
}

async function checkRosterUnchanged(path: string, before: Stats | undefined, bytesRead: number): Promise<void> {
  const after = await stat(path).catch(() => undefined);
  const why = !after
    ? 'was deleted'
    : before && (after.ino !== before.ino || after.dev !== before.dev)
      ? 'was replaced'
      : before && (after.size !== before.size || after.mtimeMs !== before.mtimeMs || bytesRead !== before.size)
        ? `changed (${plural(before.size, 'byte')} at the start, ${bytesRead} read, ${after.size} now): is it still being written?`
        : undefined;
  if (why) {
    throw new MeetingTokensError(
      'ROSTER_CHANGED',
      `roster ${path} ${why} while it was read; nothing was published, run again once it is complete`,
      {
        file: path,
      },
    );
  }
}

/** One line for operators: how many rows repeat a pair, and where the first ones are. */
function duplicatesMessage(d: DuplicateSummary): string {
  const where = d.first.map((f) => `line ${f.line} repeats line ${f.same_as_line}`).join(', ');
  const more = d.rows > d.first.length ? ', ...' : '';
  return `${plural(d.rows, 'row repeats', 'rows repeat')} the (room, user_id) of an earlier row (${plural(d.pairs, 'pair')}; signed all the same): ${where}${more}`;
}
