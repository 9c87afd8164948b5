/**
 * Per-address limit on unknown links: at most `limit` 404s per address in a fixed window; past
 * it the address gets 429 for any link until its window ends, so a scan costs the store nothing.
 * Each replica counts on its own (a scan spread over replicas meets N times the limit; ids are
 * 128 random bits, so the limit protects the store, not the ids).
 */
export class NotFoundLimit {
  private readonly windows = new Map<string, { start: number; count: number }>();

  /** `limit` 404s per `windowMs`; at most `maxAddresses` tracked at once (memory stays bounded). */
  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxAddresses = 100_000,
  ) {}

  /** Milliseconds until `address` may look links up again, or 0 when it may now. */
  blockedFor(address: string, now: number): number {
    const window = this.windows.get(address);
    if (window === undefined || window.count < this.limit) return 0;
    const left = window.start + this.windowMs - now;
    if (left > 0) return left;
    this.windows.delete(address);
    return 0;
  }

  /** Counts one 404 answered to `address`. */
  count(address: string, now: number): void {
    const window = this.windows.get(address);
    if (window !== undefined && now - window.start < this.windowMs) {
      window.count++;
      return;
    }
    if (this.windows.size >= this.maxAddresses) this.sweep(now);
    this.windows.set(address, { start: now, count: 1 });
  }

  private sweep(now: number): void {
    for (const [address, window] of this.windows) if (now - window.start >= this.windowMs) this.windows.delete(address);
    // Still full: a flood from many addresses; forgetting them all fails open rather than grow.
    if (this.windows.size >= this.maxAddresses) this.windows.clear();
  }
}
