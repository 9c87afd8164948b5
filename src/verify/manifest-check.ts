/**
 * What `verify` checks against the manifest published with a tokens file, before and after it
 * reads a single token: that the file is the one published (bytes and SHA-256), that it holds as
 * many tokens as were written, and that the key at hand is the one that signed them.
 */
import { readFile, stat } from 'node:fs/promises';
import { MeetingTokensError } from '../errors.js';
import { fileSha256 } from '../files/file-sha256.js';
import { basename, dirname, join } from 'node:path';
import { SUFFIX } from '../job/batch-name.js';

/** The manifest fields verify reads (`output/manifest.ts` writes them). */
export interface PublishedManifest {
  status?: string;
  tokens_written?: number;
  files?: { tokens?: PublishedEntry | null; parts?: PublishedEntry[] };
  /** How the tokens file was written: its columns by name and source. */
  output?: { columns?: { name: string; source: string }[] };
  domain_id?: string;
  key_fingerprint?: string;
  key_source?: string;
}

interface PublishedEntry {
  name: string;
  bytes: number;
  sha256: string;
}

const failed = (message: string, file: string): MeetingTokensError => new MeetingTokensError('VERIFY_FAILED', message, { file });

/**
 * `out/weekly-20261127T090000Z.csv` (or `.jsonl`, or a part `.part-000002.csv`) ->
 * `out/weekly-20261127T090000Z.manifest.json`; the manifest itself is its own.
 */
export function manifestBeside(tokensFile: string): string | undefined {
  if (tokensFile.endsWith(SUFFIX.manifest)) return tokensFile;
  const base = /^(.*?)(?:\.part-\d{6})?\.(?:csv|jsonl)$/.exec(tokensFile)?.[1];
  return base === undefined || base.endsWith('.rejects') ? undefined : base + SUFFIX.manifest;
}

/** The files `verify` reads for `file`: every part of a split batch (in order), else the file itself. */
export function filesToVerify(file: string, manifest: PublishedManifest | undefined): string[] {
  const parts = manifest?.files?.parts ?? (file.endsWith(SUFFIX.manifest) && manifest?.files?.tokens ? [manifest.files.tokens] : undefined);
  if (parts === undefined) return [file];
  return parts.map((part) => join(dirname(file), part.name));
}

/** The file's column names -> their sources, from the manifest's `output.columns`; undefined for today's file. */
export function columnSources(manifest: PublishedManifest | undefined): Map<string, string> | undefined {
  const columns = manifest?.output?.columns;
  return columns === undefined ? undefined : new Map(columns.map((column) => [column.name, column.source]));
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

/** Fails unless `file` has the bytes and SHA-256 the manifest records for it (its tokens file, or the part of that name). */
export async function checkPublishedFile(file: string, manifest: PublishedManifest, manifestPath: string): Promise<void> {
  const recorded = manifest.files?.parts?.find((part) => part.name === basename(file)) ?? manifest.files?.tokens;
  if (!recorded) {
    throw failed(`${manifestPath} records no tokens file (status ${manifest.status ?? 'unknown'}): ${file} is not a published batch`, file);
  }
  const differs = `${file} is not the file ${manifestPath} records (truncated or edited?)`;
  const size = (await stat(file)).size;
  if (size !== recorded.bytes) throw failed(`${differs}: ${size} bytes, the manifest records ${recorded.bytes}`, file);
  const sha256 = await fileSha256(file);
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
