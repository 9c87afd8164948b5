/**
 * Opens counted in a SQLite store from a worker thread (open-writer-worker.ts), with its own
 * connection (WAL: it writes while the main thread reads), so that writing them never holds up an
 * answer. A thread that has died leaves the main thread's store to count.
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { OpenCount } from '../links/link-store.js';
import type { OpenWriterMessage, OpenWriterReply } from './open-writer-worker.js';

export class SqliteOpenWriter {
  private seq = 0;
  private readonly waiting = new Map<number, { resolve: (counted: number) => void; reject: (error: Error) => void }>();
  private alive = true;

  private constructor(
    private readonly worker: Worker,
    private readonly fallback: (counts: readonly OpenCount[]) => Promise<number>,
  ) {
    worker.on('message', (reply: OpenWriterReply) => {
      const waiter = this.waiting.get(reply.seq);
      this.waiting.delete(reply.seq);
      if ('error' in reply) waiter?.reject(new Error(`open writer: ${reply.error}`));
      else waiter?.resolve(reply.counted);
    });
    const gone = (): void => {
      this.alive = false;
      for (const waiter of this.waiting.values()) waiter.reject(new Error('open writer thread ended'));
      this.waiting.clear();
    };
    worker.on('error', gone);
    worker.on('exit', gone);
  }

  /** Starts the thread on the store at `path`; `fallback` counts if the thread is gone. */
  static async start(path: string, fallback: (counts: readonly OpenCount[]) => Promise<number>): Promise<SqliteOpenWriter> {
    const worker = new Worker(new URL('./open-writer-worker.js', import.meta.url), { workerData: { path } });
    const [ready] = (await Promise.race([once(worker, 'message'), once(worker, 'error')])) as [unknown];
    if (ready !== 'ready') throw ready instanceof Error ? ready : new Error('open writer thread did not start');
    return new SqliteOpenWriter(worker, fallback);
  }

  recordOpens(counts: readonly OpenCount[]): Promise<number> {
    if (!this.alive) return this.fallback(counts);
    const seq = ++this.seq;
    return new Promise<number>((resolve, reject) => {
      this.waiting.set(seq, { resolve, reject });
      this.worker.postMessage({ seq, counts: [...counts] } satisfies OpenWriterMessage);
    });
  }

  /** Closes the thread's store and ends it (after the batches already sent). */
  async close(): Promise<void> {
    if (!this.alive) return;
    const exited = once(this.worker, 'exit');
    this.worker.postMessage({ close: true } satisfies OpenWriterMessage);
    await exited;
  }
}
