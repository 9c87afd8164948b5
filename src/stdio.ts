/**
 * Output whose reader is gone: a terminal that hung up (EIO: its window closed, an ssh session
 * dropped) or a pipe whose reader exited (EPIPE: `meeting-tokens run ... | head -1`). A write
 * there must not end a run half-way with a crash: the run's outcome is in its manifest and
 * history, and a hang-up is handled by its signal. Text for a reader that is gone is dropped;
 * any other write error still surfaces.
 */
const GONE = new Set(['EIO', 'EPIPE', 'ECONNRESET']);

/** True for the errors that mean nobody reads this stream any more. */
export function readerGone(error: unknown): boolean {
  return GONE.has((error as NodeJS.ErrnoException | undefined)?.code ?? '');
}

/** Stops `stream` from crashing the process when its reader goes away; other errors still throw. */
export function tolerateGoneReader(stream: NodeJS.EventEmitter): void {
  stream.on('error', (error: unknown) => {
    if (!readerGone(error)) throw error;
  });
}
