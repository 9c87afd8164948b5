/**
 * Passthrough columns that look meant for a known column: a header one typo away from a known
 * name (`Display Nmae`), one with the word name, id, room, owner or host in it (`Meeting ID`), or a
 * synonym whose column another header already feeds. Each is a warning naming the column and how to
 * map it; `strict_columns` makes them a configuration error. Found once per run, from the header.
 */
import { distance } from '../suggest.js';
import { columnMapping, type ColumnPlan } from './column-plan.js';
import { DEFAULT_LOOKUP, fold } from './header-names.js';

export interface NearMiss {
  /** The passthrough header, as the roster has it. */
  header: string;
  /** The known column it looks like. */
  column: string;
  /** The header that feeds that column now, if any. */
  fedBy: string | undefined;
}

/** Words in a header that hint at a known column, in the order they are tried. */
const WORD_HINTS: readonly [string, string][] = [
  ['name', 'user_name'],
  ['room', 'room_name'],
  ['id', 'user_id'],
  ['owner', 'is_owner'],
  ['host', 'is_owner'],
];

/** How many edits a header may be from a known name and still look like it: none for short names, whose typos are other words. */
const allowedEdits = (name: string): number => (name.length >= 9 ? 2 : name.length >= 5 ? 1 : 0);

export function findNearMisses(plan: ColumnPlan): NearMiss[] {
  const { columns } = columnMapping(plan);
  const parts = new Set(plan.userNameParts ?? []);
  const misses: NearMiss[] = [];
  for (const index of plan.passthrough) {
    if (parts.has(index)) continue;
    const header = plan.headers[index]!;
    const column = lookalike(header);
    if (column !== undefined) misses.push({ header, column, fedBy: columns[column] });
  }
  return misses;
}

function lookalike(header: string): string | undefined {
  const folded = fold(header);
  const exact = DEFAULT_LOOKUP.get(folded);
  if (exact !== undefined) return exact;
  let best: string | undefined;
  let bestEdits = Infinity;
  for (const [name, column] of DEFAULT_LOOKUP) {
    const edits = distance(folded, name);
    if (edits <= allowedEdits(name) && edits < bestEdits) [best, bestEdits] = [column, edits];
  }
  if (best !== undefined) return best;
  const words = new Set(
    header
      .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u),
  );
  return WORD_HINTS.find(([word]) => words.has(word))?.[1];
}

/** One line: the column, what it looks like, and how to map it. */
export function nearMissMessage(miss: NearMiss): string {
  const now = miss.fedBy !== undefined ? ` (now from "${miss.fedBy}")` : '';
  return `roster column "${miss.header}" passes through unchanged but looks like ${miss.column}${now}; to use it, give --column ${miss.column}="${miss.header}" (columns: { ${miss.column}: "${miss.header}" } in a job), or rename it in the roster`;
}
