/**
 * A run's link records written on their own thread (writer-thread.ts), at most `DEPTH` batches
 * ahead of it: memory stays flat whatever the roster's size, and the main thread only hands the
 * batches over (their hash buffers moved, not copied).
 */
import { Worker } from 'node:worker_threads';
import { MeetingTokensError, type ErrorCode } from '../errors.js';
import type { NewLinks } from './link-store.js';
import type { StoreChoice } from './open-store.js';
import type { WriterReply, WriterRequest } from './writer-thread.js';

/** Batches handed over and not yet written, at most: one being written, one waiting. */
const DEPTH = 2;

export class LinkWriter {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: (dropped: number) => void; reject: (error: Error) => void }>();
  private readonly inFlight: Promise<number>[] = [];
  private next = 0;
  private failure: Error | undefined;

  constructor(choice: StoreChoice, runId: string) {
    this.worker = new Worker(new URL('./writer-thread.js', import.meta.url), {
      workerData: { choice, runId },
      resourceLimits: { maxYoungGenerationSizeMb: 16 },
    });
    this.worker.on('message', (reply: WriterReply) => {
      const pending = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if (reply.ok) pending?.resolve(reply.dropped);
      else this.fail(new MeetingTokensError(reply.code as ErrorCode, reply.message));
    });
    this.worker.on('error', (error) => this.fail(new MeetingTokensError('INTERNAL', `the links writer thread failed (${error.name})`)));
    this.worker.on('exit', () => this.fail(new MeetingTokensError('INTERNAL', 'the links writer thread ended')));
  }

  /** Hands `batches` to the thread; waits only when `DEPTH` batches are in hand already. */
  async write(batches: NewLinks[]): Promise<void> {
    const transfer = batches.map((b) => b.verifierHashes.buffer as ArrayBuffer);
    const written = this.send({ id: this.next, kind: 'write', batches }, transfer);
    // Awaited below or by `settled`; meanwhile a failure must not count as unhandled.
    written.catch(() => undefined);
    this.inFlight.push(written);
    while (this.inFlight.length >= DEPTH) await this.inFlight.shift();
  }

  /** Removes the records of these lines, once every write before is done; returns how many there were. */
  async dropLines(lines: number[]): Promise<number> {
    await this.settled();
    return this.send({ id: this.next, kind: 'drop', lines }, []);
  }

  /** Waits until every batch handed over is written. */
  async settled(): Promise<void> {
    while (this.inFlight.length > 0) await this.inFlight.shift();
  }

  /** Closes the thread's store connection and ends it. */
  async close(): Promise<void> {
    if (this.failure === undefined) await this.send({ id: this.next, kind: 'close' }, []).catch(() => undefined);
    await this.worker.terminate();
  }

  private send(request: WriterRequest, transfer: ArrayBuffer[]): Promise<number> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    this.next++;
    const done = new Promise<number>((resolve, reject) => this.waiting.set(request.id, { resolve, reject }));
    this.worker.postMessage(request, transfer);
    return done;
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const pending of this.waiting.values()) pending.reject(this.failure);
    this.waiting.clear();
  }
}
