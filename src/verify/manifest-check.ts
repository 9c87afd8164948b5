/**
 * What `verify` checks against the manifest published with a tokens file, before and after it
 * reads a single token: that the file is the one published (bytes and SHA-256), that it holds as
 * many tokens as were written, and that the key at hand is the one that signed them.
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { MeetingTokensError } from '../errors.js';
import { SUFFIX } from '../job/batch-name.js';

/** The manifest fields verify reads (`output/manifest.ts` writes them). */
export interface PublishedManifest {
  status?: string;
  tokens_written?: number;
  files?: { tokens?: { name: string; bytes: number; sha256: string } | null };
  domain_id?: string;
  key_fingerprint?: string;
  key_source?: string;
}

const failed = (message: string, file: string): MeetingTokensError => new MeetingTokensError('VERIFY_FAILED', message, { file });

/** `out/weekly-20261127T090000Z.csv` -> `out/weekly-20261127T090000Z.manifest.json`. */
export function manifestBeside(tokensFile: string): string | undefined {
  return tokensFile.endsWith(SUFFIX.tokens) ? tokensFile.slice(0, -SUFFIX.tokens.length) + SUFFIX.manifest : undefined;
}

/** Reads a manifest; one that is missing is `undefined` unless `required`; one that is unreadable or not JSON fails. */
export async function readManifest(path: string, required: boolean): Promise<PublishedManifest | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'ENOENT' && !required) return undefined;
    throw failed(`manifest ${path} cannot be read (${code})`, path);
  }
  try {
    const manifest = JSON.parse(text) as unknown;
    if (typeof manifest === 'object' && manifest !== null && !Array.isArray(manifest)) return manifest as PublishedManifest;
  } catch {
    // reported below
  }
  throw failed(`manifest ${path} is not a manifest (not a JSON object)`, path);
}

/** Fails unless `file` has the bytes and SHA-256 the manifest records for its tokens file. */
export async function checkPublishedFile(file: string, manifest: PublishedManifest, manifestPath: string): Promise<void> {
  const recorded = manifest.files?.tokens;
  if (!recorded) {
    throw failed(`${manifestPath} records no tokens file (status ${manifest.status ?? 'unknown'}): ${file} is not a published batch`, file);
  }
  const differs = `${file} is not the file ${manifestPath} records (truncated or edited?)`;
  const size = (await stat(file)).size;
  if (size !== recorded.bytes) throw failed(`${differs}: ${size} bytes, the manifest records ${recorded.bytes}`, file);
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) hash.update(chunk);
  const sha256 = hash.digest('hex');
  if (sha256 !== recorded.sha256) {
    throw failed(`${differs}: SHA-256 ${sha256.slice(0, 12)}..., the manifest records ${recorded.sha256.slice(0, 12)}...`, file);
  }
}

/** Fails unless the file held as many token rows as the manifest says were written. */
export function checkTokenCount(file: string, rows: number, manifest: PublishedManifest, manifestPath: string): void {
  if (typeof manifest.tokens_written === 'number' && rows !== manifest.tokens_written) {
    throw failed(`${file} holds ${rows} token rows, ${manifestPath} records ${manifest.tokens_written}`, file);
  }
}

/**
 * Which key signed the batch, when it is not `fingerprint` (the key at hand's): "signed with the
 * demo key" or "signed with key 5fd5df4b, yours is 61165fd8". Undefined when they agree or the
 * manifest does not say.
 */
export function otherSigningKey(manifest: PublishedManifest | undefined, fingerprint: string): string | undefined {
  const recorded = manifest?.key_fingerprint;
  if (recorded === undefined || recorded === fingerprint) return undefined;
  if (manifest?.key_source === 'demo') return 'signed with the demo key';
  return `signed with key ${recorded}, yours is ${fingerprint}`;
}
