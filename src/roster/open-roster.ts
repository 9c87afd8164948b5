/**
 * Opens the roster for a run: its header row read, the rest left to stream in chunks, and its
 * size and identity noted so that a roster changed while it was read fails the run.
 */
import { stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { MeetingTokensError } from '../errors.js';
import { plural } from '../plural.js';
import { readChunks, type ChunkFormat, type ChunkOptions } from './chunker.js';
import { headerFields } from './read-header.js';

export interface OpenRoster {
  /** The chunks after the one holding the header. */
  chunks: ReturnType<typeof readChunks>['chunks'];
  summary: ReturnType<typeof readChunks>['summary'];
  headers: string[];
  /** Its delimiter and encoding, given or detected. */
  format: ChunkFormat;
  /** Bytes of the first chunk, the header's, already read. */
  headerBytes: number;
  /** The roster's size when the run began, if it could be read. */
  sizeBefore: number | undefined;
  /** Fails when the roster was deleted, replaced or changed since it was opened. */
  checkUnchanged(bytesRead: number): Promise<void>;
}

/** `reading`: the delimiter and encoding a job or flags declare (undefined: detect). */
export async function openRoster(path: string, reading: Pick<ChunkOptions, 'delimiter' | 'encoding'> = {}): Promise<OpenRoster> {
  // The roster as it was when the run began: a roster still being written, truncated, replaced
  // or deleted during the run fails it rather than publish a batch missing rows.
  const before = await stat(path).catch(() => undefined);
  const roster = readChunks(path, reading);
  let first;
  let headers: string[];
  try {
    first = await roster.chunks.next();
    headers = headerFields(first.done ? undefined : first.value, path, roster.format());
  } catch (error) {
    await roster.chunks.return(undefined);
    throw error;
  }
  return {
    chunks: roster.chunks,
    summary: roster.summary,
    headers,
    format: roster.format(),
    headerBytes: first.done ? 0 : first.value.sourceBytes,
    sizeBefore: before?.size,
    checkUnchanged: (bytesRead) => checkRosterUnchanged(path, before, bytesRead),
  };
}

async function checkRosterUnchanged(path: string, before: Stats | undefined, bytesRead: number): Promise<void> {
  const after = await stat(path).catch(() => undefined);
  const why = !after
    ? 'was deleted'
    : before && (after.ino !== before.ino || after.dev !== before.dev)
      ? 'was replaced'
      : before && (after.size !== before.size || after.mtimeMs !== before.mtimeMs || bytesRead !== before.size)
        ? `changed (${plural(before.size, 'byte')} at the start, ${bytesRead} read, ${after.size} now): is it still being written?`
        : undefined;
  if (why) {
    throw new MeetingTokensError(
      'ROSTER_CHANGED',
      `roster ${path} ${why} while it was read; nothing was published, run again once it is complete`,
      {
        file: path,
      },
    );
  }
}
