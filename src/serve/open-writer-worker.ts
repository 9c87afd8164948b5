/**
 * The thread that writes serve's opens to a SQLite store (sqlite-open-writer.ts): a batch of opens
 * dirties a page of the file per link and the WAL's checkpoints sync it, milliseconds that would
 * otherwise hold up every answer on the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { OpenCount } from '../links/link-store.js';
import { SqliteLinkStore } from '../links/sqlite-store.js';

/** A batch to count, or the order to close the store and end. */
export type OpenWriterMessage = { seq: number; counts: OpenCount[] } | { close: true };
/** The answer to a batch: how many links were counted, or the kind of error. */
export type OpenWriterReply = { seq: number; counted: number } | { seq: number; error: string };

const port = parentPort!;
const store = await SqliteLinkStore.open((workerData as { path: string }).path);
port.on('message', (message: OpenWriterMessage) => {
  if ('close' in message) {
    void store.close().then(() => process.exit(0));
    return;
  }
  store.recordOpens(message.counts).then(
    (counted) => port.postMessage({ seq: message.seq, counted } satisfies OpenWriterReply),
    (error: unknown) =>
      port.postMessage({ seq: message.seq, error: error instanceof Error ? error.name : 'error' } satisfies OpenWriterReply),
  );
});
port.postMessage('ready');
