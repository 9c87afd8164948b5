/**
 * Signs the roster's chunks and hands each result on in roster order: on worker threads when
 * `workers` > 0, on this thread otherwise, through the same loop.
 */
import { abortError } from '../errors.js';
import type { Chunk } from '../roster/chunker.js';
import { createChunkContext, processChunk, type ChunkResult, type ChunkSpec } from './process-chunk.js';
import { WorkerPool } from './pool.js';

export interface SignChunksOptions {
  chunks: AsyncIterable<Chunk>;
  spec: ChunkSpec;
  workers: number;
  signal?: AbortSignal | undefined;
  /** Called once per chunk, in roster order, with its result and its size in roster bytes. */
  collect: (output: ChunkResult, chunkBytes: number) => Promise<void>;
}

export async function signChunks({ chunks, spec, workers, signal, collect }: SignChunksOptions): Promise<void> {
  const pool = workers > 0 ? new WorkerPool(spec, workers) : undefined;
  try {
    const ctx = pool ? undefined : createChunkContext(spec);
    const sign = (chunk: Chunk): Promise<ChunkResult> =>
      pool
        ? pool.run({ id: chunk.index, bytes: chunk.bytes, firstLine: chunk.firstLine })
        : Promise.resolve(processChunk(chunk.bytes, chunk.firstLine, ctx!));
    // Chunks are signed ahead and collected in roster order: at most two per worker wait, and
    // on this thread each chunk is collected before the next is read.
    const ahead = pool ? workers * 2 : 1;
    const waiting: [Promise<ChunkResult>, number][] = [];
    for await (const chunk of chunks) {
      if (signal?.aborted) throw abortError(signal);
      const output = sign(chunk);
      output.catch(() => undefined); // awaited below, in order; this only silences early rejections
      waiting.push([output, chunk.bytes.length]);
      while (waiting.length >= ahead) await collectNext(waiting, collect);
    }
    while (waiting.length > 0) {
      if (signal?.aborted) throw abortError(signal);
      await collectNext(waiting, collect);
    }
  } finally {
    await pool?.close();
  }
}

async function collectNext(
  waiting: [Promise<ChunkResult>, number][],
  collect: (output: ChunkResult, chunkBytes: number) => Promise<void>,
): Promise<void> {
  const [output, bytes] = waiting.shift()!;
  await collect(await output, bytes);
}
