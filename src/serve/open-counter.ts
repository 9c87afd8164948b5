/**
 * Opens counted write-behind: a redirect does not wait for the store to count it. Opens gather in
 * memory (one entry per link: count, first and last time) and go to the store in one batch (one
 * SQLite transaction, one Redis round trip) every `intervalMs`, or at once when `batch` opens are
 * waiting, and on `close` (a SIGTERM's drain), so a stop loses none. What a crash loses is at most
 * the opens of the last interval. A batch the store refuses is kept and tried again with the next
 * one, up to `maxPending` links; past that it is dropped, and `onError` says so.
 */
import type { OpenCount } from '../links/link-store.js';

export interface OpenCounterOptions {
  /** Counts a batch in the store (LinkStore.recordOpens). */
  record: (counts: readonly OpenCount[]) => Promise<unknown>;
  /** A batch failed: `opens` opens were kept for the next try, or `dropped`. */
  onError: (error: unknown, opens: number, dropped: boolean) => void;
  /** A batch succeeded after failures. */
  onRecovered?: () => void;
  intervalMs?: number;
  batch?: number;
  maxPending?: number;
}

export class OpenCounter {
  private pending = new Map<string, OpenCount>();
  private opensPending = 0;
  private writing: Promise<void> | undefined;
  private timeout: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private failing = false;
  private readonly intervalMs: number;
  private readonly batch: number;
  private readonly maxPending: number;

  constructor(private readonly options: OpenCounterOptions) {
    this.intervalMs = options.intervalMs ?? 100;
    this.batch = options.batch ?? 256;
    this.maxPending = options.maxPending ?? 100_000;
  }

  /** Counts one open of `id` at `at` (unix seconds); the store sees it within `intervalMs`. */
  add(id: string, at: number): void {
    const count = this.pending.get(id);
    if (count === undefined) this.pending.set(id, { id, opens: 1, first: at, last: at });
    else {
      count.opens++;
      if (at < count.first) count.first = at;
      if (at > count.last) count.last = at;
    }
    this.opensPending++;
    this.schedule();
  }

  /** Opens not yet in the store. */
  get waiting(): number {
    return this.opensPending;
  }

  /** Writes every open counted so far (one try for what a failed batch left); for a stop. */
  async close(): Promise<void> {
    await this.writing;
    this.cancelTimers();
    if (this.pending.size > 0) await this.write(true);
  }

  private schedule(): void {
    // A write in progress schedules the next one when it ends.
    if (this.writing !== undefined) return;
    // A full batch goes after the current answer is sent, not inside it; while the store fails,
    // tries stay `intervalMs` apart.
    if (this.opensPending >= this.batch && !this.failing) {
      if (this.immediate !== undefined) return;
      this.cancelTimers();
      this.immediate = setImmediate(() => this.start());
    } else if (this.timeout === undefined && this.immediate === undefined) {
      this.timeout = setTimeout(() => this.start(), this.intervalMs).unref();
    }
  }

  private start(): void {
    this.cancelTimers();
    if (this.writing === undefined && this.pending.size > 0) this.writing = this.write(false);
  }

  private cancelTimers(): void {
    clearTimeout(this.timeout);
    clearImmediate(this.immediate);
    this.timeout = undefined;
    this.immediate = undefined;
  }

  private async write(last: boolean): Promise<void> {
    const counts = [...this.pending.values()];
    const opens = this.opensPending;
    this.pending = new Map();
    this.opensPending = 0;
    try {
      await this.options.record(counts);
      if (this.failing) this.options.onRecovered?.();
      this.failing = false;
    } catch (error) {
      this.failing = true;
      const dropped = last || this.pending.size + counts.length > this.maxPending;
      if (!dropped) this.restore(counts, opens);
      this.options.onError(error, opens, dropped);
    } finally {
      this.writing = undefined;
    }
    if (!last && this.pending.size > 0) this.schedule();
  }

  /** Puts a failed batch back under the opens counted since. */
  private restore(counts: readonly OpenCount[], opens: number): void {
    for (const c of counts) {
      const since = this.pending.get(c.id);
      if (since === undefined) this.pending.set(c.id, c);
      else
        this.pending.set(c.id, {
          id: c.id,
          opens: c.opens + since.opens,
          first: Math.min(c.first, since.first),
          last: Math.max(c.last, since.last),
        });
    }
    this.opensPending += opens;
  }
}
