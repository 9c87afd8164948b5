import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './helpers.js';

// The logger writes to file descriptor 2 itself: a child process shows what it prints.
function logOnce(tty: boolean): string {
  const script = `
    const { createLogger } = await import(${JSON.stringify(join(ROOT, 'dist', 'log.js'))});
    createLogger('info', ${tty}).info({ job: 'weekly', key: 'k-secret', token: 't-secret' }, 'hello');`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(result.status).toBe(0);
  return result.stderr;
}

describe('logger', () => {
  it('writes JSON lines to stderr, with key and token fields redacted', () => {
    const line = JSON.parse(logOnce(false)) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 30, job: 'weekly', key: '[redacted]', token: '[redacted]', msg: 'hello' });
  });

  it('pretty-prints on a terminal (pino-pretty, loaded only then), still redacted', () => {
    const text = logOnce(true);
    expect(text).toMatch(/INFO.*hello/);
    expect(text).toContain('weekly');
    expect(text).not.toMatch(/k-secret|t-secret/);
  });
});
