/**
 * Passthrough columns that look meant for a known column: a header one typo away from a known
 * name (`Display Nmae`), one with the word name, id, room, owner or host in it (`Meeting ID`), or a
 * synonym whose column another header already feeds. Each is a warning naming the column and how to
 * map it; `strict_columns` makes them a configuration error. Found once per run, from the header.
 */
import { distance } from '../suggest.js';
import { columnMapping, type ColumnPlan } from './column-plan.js';
import { DEFAULT_LOOKUP, DEFAULT_NAMES, fold } from './header-names.js';

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

export function findNearMisses(plan: ColumnPlan): NearMiss[] {
  const { columns } = columnMapping(plan);
  const misses: NearMiss[] = [];
  for (const index of plan.passthrough) {
    if (plan.userNameParts?.includes(index)) continue;
    const header = plan.headers[index]!;
    const column = lookalike(header);
    if (column !== undefined) misses.push({ header, column, fedBy: columns[column] });
  }
  return misses;
}

/** `"Display Nmae"` -> display, nmae; `"OwnerId"` -> owner, id. */
function wordsOf(header: string): string[] {
  const text = header
    .normalize('NFKC')
    .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
    .toLowerCase();
  // Stryker disable next-line Regex: split at each separator instead, the empty words between two are filtered out the same
  return text.split(/[^\p{L}\p{N}]+/u).filter((w) => w !== '');
}

/** Every default name as words, with its column: room_name -> room, name. */
const KNOWN_WORDS: readonly [readonly string[], string][] = [...DEFAULT_NAMES].flatMap(([column, names]) =>
  names.map((name): [string[], string] => [wordsOf(name), column]),
);

/**
 * A typo of a known word: one edit, or two neighbours swapped (`nmae`). Short words must match
 * exactly: their typos are other words (`id`/`is`, `host`/`most`), and so must a lone word of four
 * letters or fewer.
 */
function typoOf(word: string, known: string, alone: boolean): boolean {
  if (word === known) return true;
  if (known.length <= (alone ? 4 : 3)) return false;
  if (distance(word, known) <= 1) return true;
  const i = [...word].findIndex((c, k) => c !== known[k]);
  return (
    word.length === known.length &&
    i >= 0 &&
    word[i] === known[i + 1] &&
    word[i + 1] === known[i] &&
    word.slice(i + 2) === known.slice(i + 2)
  );
}

function lookalike(header: string): string | undefined {
  const exact = DEFAULT_LOOKUP.get(fold(header));
  if (exact !== undefined) return exact;
  // Word by word, so that a real word one letter from a known name (Recorded, record id) is not taken for a typo.
  const words = wordsOf(header);
  const typo = KNOWN_WORDS.find(
    ([known]) => known.length === words.length && known.every((k, i) => typoOf(words[i]!, k, known.length === 1)),
  );
  if (typo !== undefined) return typo[1];
  return WORD_HINTS.find(([word]) => words.includes(word))?.[1];
}

/** One line: the column, what it looks like, and how to map it. */
export function nearMissMessage(miss: NearMiss): string {
  const now = miss.fedBy !== undefined ? ` (now from "${miss.fedBy}")` : '';
  return `roster column "${miss.header}" passes through unchanged but looks like ${miss.column}${now}; to use it, give --column ${miss.column}="${miss.header}" (columns: { ${miss.column}: "${miss.header}" } in a job), or rename it in the roster`;
}
