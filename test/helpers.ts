import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { parse as parseCsv } from 'csv-parse/sync';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createHmac } from 'node:crypto';

export const ROOT = resolve(import.meta.dirname, '..');
export const CLI = join(ROOT, 'dist', 'cli.js');
/** A recognisable 64-hex test key, like Daily's. */
export const KEY = 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00';
export const DOMAIN_ID = '9cb738e1-5a95-37f1-a517-0a18cf328a39';
export const NOW = '2026-11-27T10:00:00Z';
export const NOW_S = Date.parse(NOW) / 1000;

export function tempDir(prefix = 'mt-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function writeFile(dir: string, name: string, text: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a user would, in a fresh working directory unless `cwd` is given. The key comes from the environment unless `env` overrides. */
export function runCli(
  args: string[],
  options: { env?: Record<string, string | undefined>; cwd?: string; input?: string; cli?: string } = {},
): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, DAILY_API_KEY: KEY, DAILY_API_KEY_FILE: undefined };
    for (const [k, v] of Object.entries(options.env ?? {})) {
      if (v === undefined) delete env[k];
      else env[k] = v;
    }
    if (env['DAILY_API_KEY_FILE'] === undefined) delete env['DAILY_API_KEY_FILE'];
    // A fresh working directory per call: ./state (locks, history) never crosses between tests.
    const child = spawn(process.execPath, [options.cli ?? CLI, ...args], { cwd: options.cwd ?? tempDir('mt-cwd-'), env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** Independent HS256 check: recomputes the HMAC over header.payload with the key. */
export function hmacValid(token: string, key: string): boolean {
  const [header, payload, signature] = token.split('.');
  if (!header || !payload || !signature) return false;
  return createHmac('sha256', key).update(`${header}.${payload}`).digest('base64url') === signature;
}

export function payloadOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** Reads a published CSV (tokens or rejects; rejects rows may be ragged) into objects by header. */
export function readCsv(path: string): Record<string, string>[] {
  return parseCsv(readFileSync(path), { columns: true, relax_column_count: true }) as Record<string, string>[];
}

/**
 * Writes `roster` to a temporary directory and signs it with the built CLI (`run --roster ...
 * --out <dir>/out`, plus `args`). Returns the CLI result and the published tokens file's path.
 */
export async function signRoster(
  roster: string,
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<{ result: CliResult; tokensFile: string }> {
  const dir = tempDir();
  writeFile(dir, 'roster.csv', roster);
  const result = await runCli(['run', '--roster', join(dir, 'roster.csv'), '--out', join(dir, 'out'), '--log-level', 'silent', ...args], {
    env,
  });
  const manifest = /-> (.*)\.manifest\.json/.exec(result.stdout)?.[1];
  return { result, tokensFile: `${manifest}.csv` };
}
