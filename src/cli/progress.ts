/** A progress line (rows, rows/s) on stderr, only on a TTY and only once a run passes a second. */
export function startProgress(stream: NodeJS.WriteStream = process.stderr): { update: (rows: number) => void; stop: () => void } {
  if (!stream.isTTY) return { update: () => undefined, stop: () => undefined };
  const started = Date.now();
  let rows = 0;
  let shown = false;
  const timer = setInterval(() => {
    const seconds = (Date.now() - started) / 1000;
    stream.write(`\r  ${rows.toLocaleString('en')} rows, ${Math.round(rows / seconds).toLocaleString('en')} rows/s   `);
    shown = true;
  }, 1000);
  timer.unref();
  return {
    update: (n) => {
      rows = n;
    },
    stop: () => {
      clearInterval(timer);
      if (shown) stream.write('\n');
      shown = false;
    },
  };
}
