/**
 * Reads and parses a job file's YAML in bounded time and memory: at most `MAX_JOB_FILE_BYTES`
 * are read, and the parse is linear. The yaml package's own duplicate-key check compares each
 * key with every earlier one of its map (50,000 keys: 26 s in `status`, minutes under load), so
 * it is off and duplicates are found here with a set per map.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { LineCounter, isScalar, parseDocument, visit } from 'yaml';
import { MeetingTokensError } from '../errors.js';

/** Job files are a few hundred bytes; 1 MiB leaves room for comments and long defaults. */
export const MAX_JOB_FILE_BYTES = 1024 * 1024;
/** YAML aliases expanded at most (the yaml package's default, against "billion laughs"). */
const MAX_ALIAS_COUNT = 100;

/** The file's text, or CONFIG_INVALID when it cannot be read or is over the size limit. */
export function readJobText(file: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const buffer = Buffer.alloc(MAX_JOB_FILE_BYTES + 1);
    let length = 0;
    for (let n = -1; n !== 0 && length < buffer.length; length += n) n = readSync(fd, buffer, length, buffer.length - length, null);
    if (length > MAX_JOB_FILE_BYTES) {
      throw new MeetingTokensError(
        'CONFIG_INVALID',
        `${file}: over ${MAX_JOB_FILE_BYTES / 1024 / 1024} MiB; a job file is a few lines of settings`,
        {
          file,
        },
      );
    }
    return buffer.toString('utf8', 0, length);
  } catch (error) {
    if (error instanceof MeetingTokensError) throw error;
    throw new MeetingTokensError('CONFIG_INVALID', `${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { file });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The YAML document as plain data; the first syntax error or duplicate key is CONFIG_INVALID with its line. */
export function parseJobYaml(text: string, file: string): unknown {
  const invalid = (line: number | undefined, what: string): MeetingTokensError =>
    new MeetingTokensError('CONFIG_INVALID', `${file}${line !== undefined ? ` line ${line}` : ''}: ${what}`, { file });
  const lines = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: false, lineCounter: lines });
  const error = doc.errors[0];
  if (error) throw invalid(error.linePos?.[0].line, error.message.split('\n')[0]!);
  let duplicate: MeetingTokensError | undefined;
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const { key } of map.items) {
        if (!isScalar(key)) continue;
        if (seen.has(key.value)) {
          duplicate = invalid(
            key.range ? lines.linePos(key.range[0]).line : undefined,
            `${String(key.value).slice(0, 60)}: duplicate key (each key once)`,
          );
          return visit.BREAK;
        }
        seen.add(key.value);
      }
      return undefined;
    },
  });
  if (duplicate) throw duplicate;
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    throw invalid(undefined, (error as Error).message.split('\n')[0]!);
  }
}
