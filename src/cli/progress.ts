/**
 * The progress line on a terminal: rows, rows/s and, when the roster's size is known, a
 * percentage and the time left. It lives on stderr beside the log, so it is erased before every
 * log line (`clear`, the logger's hook) and redrawn on the next tick, and erased at the end: no
 * stale count is left above the result. Off with --quiet, with a log level above info, and when
 * stderr is not a terminal.
 */
import { noun } from '../plural.js';

export interface ProgressOptions {
  stream?: NodeJS.WriteStream;
  /** --quiet: nothing but errors. */
  quiet?: boolean | undefined;
  /** The run's log level: warn, error, fatal or silent turn the line off. */
  logLevel?: string;
  /** Milliseconds between redraws; the first draw waits one interval (short runs show none). */
  intervalMs?: number;
}

export interface Progress {
  /** Starts drawing; `totalBytes` (the roster's size), when known, adds a percentage and an ETA. */
  start: (totalBytes?: number) => void;
  /** Rows and roster bytes done so far. */
  update: (rows: number, bytes: number) => void;
  /** Erases the line if it shows; the next tick redraws it. Safe to call at any time. */
  clear: () => void;
  /** Erases the line for good. */
  stop: () => void;
}

/** Erase the whole line, cursor to its start (ECMA-48 EL 2). */
const ERASE_LINE = '\r\x1b[2K';
const QUIET_LEVELS = new Set(['warn', 'error', 'fatal', 'silent']);

export function progressWanted(options: ProgressOptions): boolean {
  const stream = options.stream ?? process.stderr;
  return stream.isTTY === true && options.quiet !== true && !QUIET_LEVELS.has(options.logLevel ?? 'info');
}

export function createProgress(options: ProgressOptions = {}): Progress {
  const off = { start: () => undefined, update: () => undefined, clear: () => undefined, stop: () => undefined };
  if (!progressWanted(options)) return off;
  const stream = options.stream ?? process.stderr;
  let rows = 0;
  let bytes = 0;
  let shown = false;
  let timer: NodeJS.Timeout | undefined;
  // A terminal that hangs up fails the next draw (EIO) before the hang-up signal is handled: from
  // then on nothing is drawn, and the signal ends the run the way it should.
  let gone = false;
  stream.once('error', () => {
    gone = true;
    clearInterval(timer);
  });
  const clear = (): void => {
    if (!shown || gone) return;
    shown = false;
    stream.write(ERASE_LINE);
  };
  return {
    start: (totalBytes) => {
      if (timer) return;
      const started = Date.now();
      timer = setInterval(() => {
        if (gone) return;
        stream.write(ERASE_LINE + progressText(rows, bytes, totalBytes, (Date.now() - started) / 1000));
        shown = true;
      }, options.intervalMs ?? 1000);
      timer.unref();
    },
    update: (r, b) => {
      rows = r;
      bytes = b;
    },
    clear,
    stop: () => {
      clearInterval(timer);
      clear();
    },
  };
}

/** `  120,000 rows, 40,000 rows/s, 37%, about 5 s left` (the last two only with a known size). */
export function progressText(rows: number, bytes: number, totalBytes: number | undefined, seconds: number): string {
  const rate = seconds > 0 ? Math.round(rows / seconds) : 0;
  let text = `  ${rows.toLocaleString('en')} ${noun(rows, 'row')}, ${rate.toLocaleString('en')} rows/s`;
  if (totalBytes !== undefined && totalBytes > 0 && bytes > 0) {
    const share = Math.min(bytes / totalBytes, 1);
    text += `, ${Math.floor(share * 100)}%`;
    if (share < 1) text += `, about ${duration((seconds * (1 - share)) / share)} left`;
  }
  return text;
}

function duration(seconds: number): string {
  const s = Math.ceil(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}
