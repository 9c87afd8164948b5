/** Tries with back-off: `attempts` tries in all, waiting `backoffMs`, then twice that, ... between them. */
import { setTimeout as sleep } from 'node:timers/promises';

/** An error no further try can fix (a host key that does not match, a refused key, no such bucket). */
export class PermanentError extends Error {
  override readonly name = 'PermanentError';
}

export interface RetryReport<T> {
  value?: T;
  error?: unknown;
  attempts: number;
}

export async function withRetries<T>(
  attempts: number,
  backoffMs: number,
  attempt: (n: number) => Promise<T>,
  onRetry: (n: number, error: unknown, waitMs: number) => void,
  signal?: AbortSignal,
): Promise<RetryReport<T>> {
  let error: unknown;
  for (let n = 1; n <= attempts; n++) {
    try {
      return { value: await attempt(n), attempts: n };
    } catch (e) {
      error = e;
      if (e instanceof PermanentError || n === attempts || signal?.aborted) return { error, attempts: n };
      const waitMs = backoffMs * 2 ** (n - 1);
      onRetry(n, e, waitMs);
      try {
        await sleep(waitMs, undefined, { signal });
      } catch {
        return { error, attempts: n };
      }
    }
  }
  return { error, attempts };
}
