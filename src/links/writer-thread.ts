/**
 * The thread that writes a run's link records (link-writer.ts starts it): its own connection to
 * the store, so that SQLite's work on a million records runs beside the signing, not on the main
 * thread, which hands out the roster's chunks and would keep the signing threads waiting.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { MeetingTokensError } from '../errors.js';
import type { NewLinks } from './link-store.js';
import { openLinkStore, type StoreChoice } from './open-store.js';

/** What the writer is asked: records to write, roster lines whose records go, or to close. */
export type WriterRequest =
  { id: number; kind: 'write'; batches: NewLinks[] } | { id: number; kind: 'drop'; lines: number[] } | { id: number; kind: 'close' };

/** Its answer: done (with how many records were dropped), or the failure's code and message. */
export type WriterReply = { id: number; ok: true; dropped: number } | { id: number; ok: false; code: string; message: string };

const { choice, runId } = workerData as { choice: StoreChoice; runId: string };
const opened = openLinkStore(choice);
// Requests are answered one after another, in order.
let queue: Promise<unknown> = Promise.resolve();

parentPort!.on('message', (request: WriterRequest) => {
  queue = queue.then(async () => {
    let reply: WriterReply;
    try {
      const store = await opened;
      let dropped = 0;
      if (request.kind === 'write') await store.write(runId, request.batches);
      else if (request.kind === 'drop') dropped = await store.dropLines(runId, request.lines);
      else await store.close();
      reply = { id: request.id, ok: true, dropped };
    } catch (error) {
      // Only a code and our own message cross over: never a stack that could quote a record.
      reply =
        error instanceof MeetingTokensError
          ? { id: request.id, ok: false, code: error.code, message: error.message }
          : { id: request.id, ok: false, code: 'INTERNAL', message: `links store: a write failed (${(error as Error).message})` };
    }
    parentPort!.postMessage(reply);
    if (request.kind === 'close') parentPort!.close();
  });
});
