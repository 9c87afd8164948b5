import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { parse as parseCsv } from 'csv-parse/sync';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve, sep } from 'node:path';
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

/**
 * Runs the built CLI as a user would, in a fresh working directory unless `cwd` is given. The key
 * comes from the environment unless `env` overrides. Tests sign at a fixed `--now` (NOW) that the
 * real clock has passed, so their tokens expire while the suite is in use: `run --now` (and `check --now`) gets
 * `--allow-expired`, unless `expiredCheck` says the test is about that refusal. Every run is also
 * a secrets check: the promise rejects when the key, or any 12-character piece of it, shows
 * (plain, hex, base64 or base64url) in stdout, stderr or any file the run created or changed in
 * the test's temporary directories. The same goes for every webhook secret in the environment
 * (a `whsec_` value, or a `*_FILE` holding one) and for each of `secrets` (credentials in a
 * URL's user part or query, say).
 */
export function runCli(
  args: string[],
  options: {
    env?: Record<string, string | undefined>;
    cwd?: string;
    input?: string;
    cli?: string;
    expiredCheck?: boolean;
    secrets?: string[];
  } = {},
): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, DAILY_API_KEY: KEY, DAILY_API_KEY_FILE: undefined };
    for (const [k, v] of Object.entries(options.env ?? {})) {
      if (v === undefined) delete env[k];
      else env[k] = v;
    }
    if (env['DAILY_API_KEY_FILE'] === undefined) delete env['DAILY_API_KEY_FILE'];
    // A fresh working directory per call: ./state (locks, history) never crosses between tests.
    const cwd = options.cwd ?? tempDir('mt-cwd-');
    const roots = testRoots([cwd, ...args]);
    const before = snapshot(roots);
    const keys = [...keysIn(env, options.env), ...(options.secrets ?? [])];
    const signs = args[0] === 'run' || args[0] === 'check';
    const allowExpired = signs && args.includes('--now') && !options.expiredCheck ? ['--allow-expired'] : [];
    const child = spawn(process.execPath, [options.cli ?? CLI, ...args, ...allowExpired], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const leak = findKey(
        keys,
        [
          ['stdout', stdout],
          ['stderr', stderr],
        ],
        changedFiles(roots, before),
      );
      if (leak) reject(new Error(`the API key leaked: ${leak} (meeting-tokens ${args.join(' ')})`));
      else resolvePromise({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

export interface SpawnedCli {
  child: ChildProcess;
  stderr: () => string;
  /** The exit code, after a secrets check of stderr and every file under `dir`. */
  exit: Promise<number | null>;
}

/** Starts the built CLI in `dir` with the test key, for tests that signal or watch it while it runs. */
export function spawnCli(dir: string, args: string[]): SpawnedCli {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, env: { ...process.env, DAILY_API_KEY: KEY } });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = once(child, 'close').then(([code]) => {
    const leak = keyLeak(KEY, [['stderr', stderr]], [dir]);
    if (leak) throw new Error(`the API key leaked: ${leak}`);
    return code as number | null;
  });
  return { child, stderr: () => stderr, exit };
}

/** The forms a key could leak in: plain, hex, base64 without padding, base64url. */
export function keyForms(key: string): string[] {
  const bytes = Buffer.from(key);
  return [key, bytes.toString('hex'), bytes.toString('base64').replace(/=+$/, ''), bytes.toString('base64url')];
}

/** A leaked piece of a key this long is a leak too (a log line with the first 16 characters, say). */
export const KEY_PIECE = 12;

/** Every `KEY_PIECE`-character piece of the key, in each of the forms of `keyForms`. */
export function keyPieces(key: string): string[] {
  const pieces = new Set<string>();
  for (let at = 0; at + KEY_PIECE <= key.length; at++) for (const form of keyForms(key.slice(at, at + KEY_PIECE))) pieces.add(form);
  return [...pieces];
}

/** A secret's variable: its value must never show (S3 credentials, an SFTP key given inline, a webhook secret). */
const SECRET_NAME = /(?:SECRET|TOKEN|PASSWORD|PASSPHRASE|_KEY)$/;

/**
 * The secrets of a run's environment: DAILY_API_KEY, every webhook secret (`whsec_...`) the
 * environment holds or names a file of, any variable the test passes named as a secret, and the
 * contents of every `*_FILE` variable it passes (a PEM/OpenSSH private key line by line, without
 * its BEGIN/END lines).
 */
export function keysIn(env: NodeJS.ProcessEnv, given: Record<string, string | undefined> = {}): string[] {
  const keys = [env['DAILY_API_KEY']];
  const file = env['DAILY_API_KEY_FILE'];
  if (file) keys.push(readFileSync(file, 'utf8').trim());
  for (const [name, value] of Object.entries(env)) {
    if (value?.startsWith('whsec_')) keys.push(value, value.slice('whsec_'.length));
    else if (name.endsWith('_FILE') && name !== 'DAILY_API_KEY_FILE' && value && smallFile(value)) {
      const text = readFileSync(value, 'utf8').trim();
      if (text.startsWith('whsec_')) keys.push(text, text.slice('whsec_'.length));
    }
  }
  for (const [name, value] of Object.entries(given)) {
    if (value === undefined || name === 'DAILY_API_KEY' || name === 'DAILY_API_KEY_FILE') continue;
    if (SECRET_NAME.test(name)) keys.push(value);
    if (name.endsWith('_FILE')) {
      for (const line of readFileSync(value, 'utf8').split('\n')) if (!line.startsWith('-----')) keys.push(line.trim());
    }
  }
  // Pieces of short strings could turn up by chance; every key the tests use is longer.
  return keys.filter((key): key is string => key !== undefined && key.length >= 16);
}

function smallFile(path: string): boolean {
  const info = statSync(path, { throwIfNoEntry: false });
  return info !== undefined && info.isFile() && info.size < 1024;
}

/** The temporary directories (one level under the OS temp dir) that a run's cwd and path arguments lie in. */
function testRoots(paths: string[]): string[] {
  const tmp = tmpdir() + sep;
  const roots = paths.filter((p) => isAbsolute(p) && p.startsWith(tmp)).map((p) => tmp + p.slice(tmp.length).split(sep)[0]);
  return [...new Set(roots)];
}

function walk(dir: string, visit: (path: string, mtimeMs: number, size: number) => void): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, visit);
    else if (entry.isFile()) {
      const info = statSync(path, { throwIfNoEntry: false });
      if (info) visit(path, info.mtimeMs, info.size);
    }
  }
}

function snapshot(roots: string[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const root of roots) walk(root, (path, mtimeMs, size) => files.set(path, `${mtimeMs}:${size}`));
  return files;
}

function changedFiles(roots: string[], before: Map<string, string>): string[] {
  const changed: string[] = [];
  for (const root of roots) walk(root, (path, mtimeMs, size) => before.get(path) !== `${mtimeMs}:${size}` && changed.push(path));
  return changed;
}

/** For processes a test spawns itself: where the key or keys (or a piece of one) shows in `texts` or any file under `dirs`, or undefined. */
export function keyLeak(key: string | string[], texts: [string, string][], dirs: string[]): string | undefined {
  const files: string[] = [];
  for (const dir of dirs) walk(dir, (path) => files.push(path));
  return findKey(typeof key === 'string' ? [key] : key, texts, files);
}

function findKey(keys: string[], texts: [string, string][], files: string[]): string | undefined {
  const search = pieceSearch(keys.flatMap(keyPieces));
  for (const [where, text] of texts) if (search(Buffer.from(text))) return `in ${where}`;
  for (const file of files) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch {
      continue; // removed meanwhile
    }
    if (search(bytes)) return `in ${file}`;
  }
  return undefined;
}

/**
 * A search for many short strings at once (Rabin-Karp): a few hundred pieces searched one by one
 * would read the test suite's largest outputs (150 MB) hundreds of times. One pass looks for
 * every piece's first `KEY_PIECE` bytes and checks the whole piece where they match.
 */
function pieceSearch(pieces: string[]): (bytes: Buffer) => boolean {
  const byPrefix = new Map<string, string[]>();
  const table = new Uint8Array(TABLE_SIZE);
  for (const piece of pieces) {
    const bytes = Buffer.from(piece);
    const prefix = bytes.toString('latin1', 0, KEY_PIECE);
    byPrefix.set(prefix, [...(byPrefix.get(prefix) ?? []), bytes.toString('latin1')]);
    table[rollingHash(bytes) & TABLE_MASK] = 1;
  }
  let top = 1; // BASE ** (KEY_PIECE - 1), mod 2 ** 32
  for (let i = 1; i < KEY_PIECE; i++) top = Math.imul(top, BASE);
  return (bytes) => {
    if (bytes.length < KEY_PIECE) return false;
    let hash = rollingHash(bytes);
    for (let at = 0; ; at++) {
      if (table[hash & TABLE_MASK] === 1) {
        const candidates = byPrefix.get(bytes.toString('latin1', at, at + KEY_PIECE)) ?? [];
        if (candidates.some((piece) => bytes.toString('latin1', at, at + piece.length) === piece)) return true;
      }
      if (at + KEY_PIECE >= bytes.length) return false;
      hash = (Math.imul(hash - Math.imul(bytes[at]!, top), BASE) + bytes[at + KEY_PIECE]!) | 0;
    }
  };
}

const BASE = 257;
// Which hashes the pieces' prefixes have: the lookup made for every byte must cost next to nothing.
const TABLE_SIZE = 1 << 20;
const TABLE_MASK = TABLE_SIZE - 1;

/** The hash of the first `KEY_PIECE` bytes. */
function rollingHash(bytes: Uint8Array): number {
  let hash = 0;
  for (let i = 0; i < KEY_PIECE; i++) hash = (Math.imul(hash, BASE) + bytes[i]!) | 0;
  return hash;
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

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
