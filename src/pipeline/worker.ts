/**
 * Worker thread: turns roster chunks into output bytes with the same `processChunk` the main
 * thread uses when it works alone. The chunk spec (with the key) arrives once, in workerData;
 * output bytes are transferred back, not copied.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createChunkContext, processChunk, type ChunkSpec } from './process-chunk.js';
import type { ChunkRequest, WorkerReply } from './pool.js';
import { MeetingTokensError } from '../errors.js';

const ctx = createChunkContext(workerData as ChunkSpec);

parentPort!.on('message', (request: ChunkRequest) => {
  let reply: WorkerReply;
  const transfer: ArrayBuffer[] = [];
  try {
    const result = processChunk(request.bytes, request.firstLine, ctx);
    const tokens = result.tokens;
    const rejects = Buffer.from(result.rejects, 'utf8');
    // The token bytes own their memory (ByteWriter): moved, not copied. The rejects buffer may
    // sit in Node's shared pool when small; then it is copied.
    transfer.push(tokens.buffer as ArrayBuffer, result.duplicateRecords.buffer as ArrayBuffer, result.rowEnds.buffer as ArrayBuffer);
    if (result.groupRecords.byteLength > 0) transfer.push(result.groupRecords.buffer as ArrayBuffer);
    if (result.links !== undefined) transfer.push(result.links.verifierHashes.buffer as ArrayBuffer);
    if (rejects.byteLength === rejects.buffer.byteLength) transfer.push(rejects.buffer as ArrayBuffer);
    reply = {
      id: request.id,
      ok: true,
      tokens,
      rowEnds: result.rowEnds,
      rejects,
      groupRecords: result.groupRecords,
      duplicateRecords: result.duplicateRecords,
      publicRooms: result.publicRooms,
      links: result.links,
      read: result.read,
      written: result.written,
      rejected: result.rejected,
      expMin: result.expMin,
      expMax: result.expMax,
      undecodable: result.undecodable,
      likelyEncoding: result.likelyEncoding,
    };
  } catch (error) {
    // Only the code and our own message cross over: never a stack that could quote a row.
    reply =
      error instanceof MeetingTokensError
        ? { id: request.id, ok: false, code: error.code, message: error.message }
        : { id: request.id, ok: false, code: 'INTERNAL', message: `internal error in a worker (${(error as Error).name})` };
  }
  parentPort!.postMessage(reply, transfer);
});
