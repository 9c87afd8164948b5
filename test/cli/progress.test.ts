import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { createProgress, progressText, progressWanted } from '../../src/cli/progress.js';
import { PassThrough } from 'node:stream';
import { CLI, DOMAIN_ID, KEY, NOW, keyLeak, tempDir } from '../helpers.js';

const tty = { isTTY: true } as NodeJS.WriteStream;

/** What a terminal shows after `raw`: carriage return, line feed and erase-line applied, colours dropped. */
function screen(raw: string): string[] {
  const lines: string[][] = [[]];
  let col = 0;
  // eslint-disable-next-line no-control-regex -- terminal escape sequences are what is parsed here
  for (const token of raw.split(/(\x1b\[[0-9;]*[A-Za-z]|\r|\n)/)) {
    const line = lines[lines.length - 1]!;
    if (token === '\r') col = 0;
    else if (token === '\n') {
      lines.push([]);
      col = 0;
    } else if (token === '\x1b[2K') line.length = 0;
    else if (token === '\x1b[K') line.length = col;
    else if (token.startsWith('\x1b[')) continue;
    else for (const ch of token) line[col++] = ch;
  }
  return lines.map((l) => Array.from(l, (ch) => ch ?? ' ').join(''));
}

/** Runs the CLI under a pseudo-terminal (util-linux `script`): stdout and stderr are both the terminal. */
async function runInTerminal(args: string[], dir: string): Promise<{ code: number | null; raw: string }> {
  const command = ['node', CLI, ...args].map((a) => `'${a}'`).join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: dir, env: { ...process.env, DAILY_API_KEY: KEY } });
  let raw = '';
  child.stdout.on('data', (d: Buffer) => (raw += d.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  const leak = keyLeak(KEY, [['terminal', raw]], [dir]);
  if (leak) throw new Error(`the API key leaked: ${leak}`);
  return { code, raw };
}

async function roster(dir: string, rows: number): Promise<string> {
  const path = join(dir, 'roster.csv');
  const out = createWriteStream(path);
  out.write('email,room,name,id\n');
  // Every 1000th row repeats an earlier (room, user_id): a warning logged at the end, while the line shows.
  for (let i = 0; i < rows; i++)
    if (!out.write(`u${i}@example.com,room-${i % 100},Name ${i},id-${i % 1000 === 999 ? i - 100 : i}\n`)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
  return path;
}

describe('progress line', () => {
  it('is on only for a terminal, without --quiet, at log level info or below', () => {
    expect(progressWanted({ stream: tty })).toBe(true);
    expect(progressWanted({ stream: tty, logLevel: 'debug' })).toBe(true);
    expect(progressWanted({ stream: { isTTY: false } as NodeJS.WriteStream })).toBe(false);
    expect(progressWanted({ stream: tty, quiet: true })).toBe(false);
    for (const logLevel of ['warn', 'error', 'fatal', 'silent']) expect(progressWanted({ stream: tty, logLevel })).toBe(false);
  });

  it('a terminal that hangs up (EIO on a draw) ends the drawing, not the process', async () => {
    const stream = Object.assign(new PassThrough(), { isTTY: true }) as unknown as NodeJS.WriteStream;
    const writes: string[] = [];
    const write = stream.write.bind(stream);
    stream.write = ((chunk: string) => (writes.push(chunk), write(chunk))) as typeof stream.write;
    const progress = createProgress({ stream, intervalMs: 5 });
    progress.start();
    while (writes.length === 0) await new Promise((r) => setTimeout(r, 5));
    stream.emit('error', Object.assign(new Error('write EIO'), { code: 'EIO' }));
    const drawn = writes.length;
    await new Promise((r) => setTimeout(r, 50));
    progress.clear();
    progress.stop();
    expect(writes).toHaveLength(drawn);
  });

  it('shows a percentage and the time left when the roster size is known', () => {
    expect(progressText(1, 10, undefined, 1)).toBe('  1 row, 1 rows/s');
    expect(progressText(120_000, 250, 1000, 3)).toBe('  120,000 rows, 40,000 rows/s, 25%, about 9 s left');
    expect(progressText(5000, 10, 1000, 60)).toBe('  5,000 rows, 83 rows/s, 1%, about 1 h 39 min left');
    expect(progressText(5000, 1000, 1000, 5)).toBe('  5,000 rows, 1,000 rows/s, 100%');
  });

  it('in a real terminal: erased before every log line and before the result, so no count is left on screen', async () => {
    const dir = tempDir();
    const path = await roster(dir, 200_000);
    const args = [
      'run',
      '--roster',
      path,
      '--out',
      join(dir, 'out'),
      '--domain-id',
      DOMAIN_ID,
      '--now',
      NOW,
      '--allow-expired',
      '--workers',
      '0',
    ];
    const { code, raw } = await runInTerminal(args, dir);
    expect(code).toBe(0);
    // It did show (the run lasts over a second), with a percentage and an ETA ...
    expect(raw).toMatch(/\d[\d,]* rows, [\d,]+ rows\/s, \d+%, about \d+ (s|min)/);
    // ... and nothing of it is left: every log line starts at the left edge, the result follows the log.
    const lines = screen(raw).filter((line) => line.trim() !== '');
    expect(lines.filter((line) => /rows\/s|%/.test(line))).toEqual([]);
    const logLines = lines.filter((line) => /(INFO|WARN)/.test(line));
    expect(logLines.map((line) => line.replace(/^\[\d\d:\d\d:\d\d\] /, ''))).toEqual([
      expect.stringMatching(/^INFO: roster columns: room_name <- "room", user_name <- "name"/),
      'INFO: run started: roster utf-8, comma-delimited',
      expect.stringMatching(/^WARN: 200 rows repeat the \(room, user_id\)/),
      'INFO: run finished',
    ]);
    expect(lines.at(-1)).toMatch(/^done: 200000 tokens, 0 rejected, 200 repeat an earlier \(room, user_id\) -> /);
  }, 120_000);

  it('in a real terminal with --log-level warn or --quiet: never shown', async () => {
    const dir = tempDir();
    const path = await roster(dir, 100_000);
    const args = [
      'run',
      '--roster',
      path,
      '--out',
      join(dir, 'out'),
      '--domain-id',
      DOMAIN_ID,
      '--now',
      NOW,
      '--allow-expired',
      '--workers',
      '0',
    ];
    const { code, raw } = await runInTerminal([...args, '--log-level', 'warn'], dir);
    expect(code).toBe(0);
    expect(raw).not.toContain('rows/s');
    expect(screen(raw).at(-2)).toMatch(/^done: 100000 tokens/);
    const quiet = await runInTerminal([...args, '--quiet', '--now', '2026-11-27T11:00:00Z'], dir);
    expect(quiet.code).toBe(0);
    expect(quiet.raw).toBe('');
  }, 120_000);
});
