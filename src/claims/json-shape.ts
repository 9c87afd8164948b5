/**
 * Limits on the object properties (`permissions`, `start_cloud_recording_opts`): a value nested
 * thousands of levels deep parses, but signing it (JSON.stringify) or handing it to a worker
 * (structured clone) overflows the stack and would take the whole run down. Real values are
 * small and shallow, and by default a token over 2048 characters (Daily's advice) is rejected
 * anyway, so nothing valid is lost by these limits.
 */
import { reject } from './rejection.js';

/** Characters of JSON in one cell: more could never fit in a token of Daily's advised 2048 characters. */
export const MAX_JSON_CHARS = 2048;
/** Nesting levels: Daily's deepest documented value (canReceive.byUserId.<id>.<media>) has 4. */
export const MAX_JSON_DEPTH = 16;

/** Rejects a JSON cell longer than `MAX_JSON_CHARS` before it is parsed. */
export function checkJsonText(text: string, column: string): void {
  if (text.length > MAX_JSON_CHARS) {
    reject(`${column}: ${text.length} characters of JSON, at most ${MAX_JSON_CHARS} (Daily advises tokens of at most 2048)`);
  }
}

/**
 * Rejects a value (parsed from a cell, or a job default from YAML) nested deeper than
 * `MAX_JSON_DEPTH`, or larger than `MAX_JSON_CHARS` as JSON. Walks with an explicit stack, so
 * a value of any depth is measured without recursion.
 */
export function checkJsonShape(value: unknown, column: string): void {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item !== 'object' || item === null) continue;
    if (depth > MAX_JSON_DEPTH) reject(`${column}: nested more than ${MAX_JSON_DEPTH} levels deep`);
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  const size = JSON.stringify(value)?.length ?? 0;
  if (size > MAX_JSON_CHARS)
    reject(`${column}: ${size} characters as JSON, at most ${MAX_JSON_CHARS} (Daily advises tokens of at most 2048)`);
}
