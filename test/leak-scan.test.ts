import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { keyLeak, runCli, tempDir, writeFile, KEY_PIECE } from './helpers.js';

// Not periodic, unlike the suite's KEY: a piece from the middle is not also its prefix.
const SECRET = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
const encodings = {
  plain: (s: string) => s,
  hex: (s: string) => Buffer.from(s).toString('hex'),
  base64: (s: string) => Buffer.from(s).toString('base64'),
  base64url: (s: string) => Buffer.from(s).toString('base64url'),
};

describe('the leak scan around every CLI run', () => {
  it.each(Object.entries(encodings))('finds a 12-character prefix and a piece from the middle of the key, %s', (_name, encode) => {
    const prefix = SECRET.slice(0, KEY_PIECE);
    const middle = SECRET.slice(27, 27 + KEY_PIECE);
    expect(keyLeak(SECRET, [['stderr', `{"msg":"run started","key":"${encode(prefix)}"}`]], [])).toBe('in stderr');
    expect(keyLeak(SECRET, [['stdout', `x${encode(middle)}x`]], [])).toBe('in stdout');
    const dir = tempDir();
    writeFileSync(join(dir, 'manifest.json'), `{"hint":"${encode(middle)}"}`);
    expect(keyLeak(SECRET, [], [dir])).toBe(`in ${join(dir, 'manifest.json')}`);
  });

  it('finds the first 16 characters of the key in a log line of a CLI run', async () => {
    const dir = tempDir();
    const logsPrefix = writeFile(
      dir,
      'logs-prefix.mjs',
      `process.stderr.write(JSON.stringify({ msg: 'run started', key: process.env.DAILY_API_KEY.slice(0, 16) }) + '\\n');`,
    );
    await expect(runCli([], { cli: logsPrefix, env: { DAILY_API_KEY: SECRET } })).rejects.toThrow(/the API key leaked: in stderr/);
  });

  it('finds a webhook secret from the environment or its file, and a credential named by the test, in what a CLI run writes', async () => {
    const dir = tempDir();
    const webhookSecret = `whsec_${Buffer.from(SECRET.slice(0, 32)).toString('base64')}`;
    const echo = (text: string): string =>
      writeFile(dir, `echo-${text.length}.mjs`, `process.stderr.write(${JSON.stringify(`a line with ${text.slice(6, 26)}`)});`);
    await expect(runCli([], { cli: echo(webhookSecret), env: { HOOK_SECRET: webhookSecret } })).rejects.toThrow(/leaked: in stderr/);
    const file = writeFile(dir, 'hook.secret', `${webhookSecret}\n`);
    await expect(runCli([], { cli: echo(webhookSecret), env: { HOOK_SECRET_FILE: file } })).rejects.toThrow(/leaked: in stderr/);
    const password = 'url-password-0123456789abcdef';
    await expect(runCli([], { cli: echo(password), secrets: [password] })).rejects.toThrow(/leaked: in stderr/);
    await expect(runCli([], { cli: echo(password) })).resolves.toMatchObject({ code: 0 });
  });

  it('does not take 11 characters, other text or a different key for a leak', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'out.csv'), `${SECRET.slice(0, KEY_PIECE - 1)},${SECRET.slice(30, 30 + KEY_PIECE - 1)}\n`);
    const other = SECRET.replace(/[0-9]/g, 'x');
    expect(keyLeak(SECRET, [['stderr', `${SECRET.slice(5, 5 + KEY_PIECE - 1)} ${other}`]], [dir])).toBeUndefined();
  });
});
