/**
 * The files a published batch consists of, as its manifest lists them: every `{ name, bytes,
 * sha256 }` under `files` (tokens, rejects, and whatever else a version lists there, in order),
 * then the manifest itself, which goes last everywhere: it is the batch's commit point.
 */
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { MeetingTokensError } from '../errors.js';

export interface BatchFile {
  name: string;
  bytes: number;
  /** Hex, as the manifest records it. */
  sha256: string;
  /** Where it is on this machine. */
  path: string;
}

export interface PublishedBatch {
  job: string;
  runId: string;
  slot: string | null;
  status: string;
  /** Data files first, the manifest last. */
  files: BatchFile[];
}

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function isListedFile(value: unknown): value is Omit<BatchFile, 'path'> {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v['name'] === 'string' && typeof v['bytes'] === 'number' && typeof v['sha256'] === 'string';
}

function collect(value: unknown, into: Omit<BatchFile, 'path'>[]): void {
  if (isListedFile(value)) into.push(value);
  else if (Array.isArray(value)) for (const item of value) collect(item, into);
  else if (typeof value === 'object' && value !== null) for (const item of Object.values(value)) collect(item, into);
}

/** Reads a published manifest and lists the batch's files; a manifest that is not one is a one-line error. */
export async function readPublishedBatch(manifestPath: string): Promise<PublishedBatch> {
  const bad = (why: string): MeetingTokensError =>
    new MeetingTokensError('USAGE', `${manifestPath} is not a published batch's manifest: ${why}`, { file: manifestPath });
  let text: Buffer;
  try {
    text = await readFile(manifestPath);
  } catch (error) {
    throw new MeetingTokensError('OUTPUT_DIR', `cannot read ${manifestPath} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, {
      file: manifestPath,
    });
  }
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(text.toString('utf8')) as Record<string, unknown>;
  } catch {
    throw bad('not JSON');
  }
  if (typeof manifest['job'] !== 'string' || typeof manifest['run_id'] !== 'string' || typeof manifest['files'] !== 'object') {
    throw bad('no job, run_id or files');
  }
  const listed: Omit<BatchFile, 'path'>[] = [];
  collect(manifest['files'], listed);
  const dir = dirname(manifestPath);
  for (const file of listed) {
    // Names only, in the manifest's own directory: a manifest never sends a file from elsewhere.
    if (!SAFE_NAME.test(file.name)) throw bad(`file name "${file.name}" is not a plain file name`);
  }
  const manifestFile = { name: basename(manifestPath), bytes: text.length, sha256: createHash('sha256').update(text).digest('hex') };
  return {
    job: manifest['job'],
    runId: manifest['run_id'],
    slot: typeof manifest['slot'] === 'string' ? manifest['slot'] : null,
    status: String(manifest['status']),
    files: [...listed, manifestFile].map((file) => ({ ...file, path: join(dir, file.name) })),
  };
}

/** A local file that no longer matches its manifest is not sent: the manifest would then lie. */
export function changedFileError(file: BatchFile): Error {
  return new Error(`${file.name} no longer matches the manifest's sha256 (changed since it was published)`);
}
