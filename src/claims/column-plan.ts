/**
 * Reads the roster's header row into a column plan: which column feeds which claim, and which
 * columns pass through to the output untouched. Done once per run, so forgiving matching costs
 * the rows nothing. Headers compare folded (header-names.ts); a job's `columns:` (or `--column`)
 * names a header for a column outright. Two headers that would feed one column are an error
 * naming both, never a silent pick.
 */
import { MeetingTokensError } from '../errors.js';
import { nearest } from '../suggest.js';
import { PROPERTIES, UNSIGNABLE_PROPERTIES, unsignableMessage } from './properties.js';
import { DEFAULT_LOOKUP, FIRST_NAMES, LAST_NAMES, fold } from './header-names.js';

export { KNOWN_COLUMNS } from './header-names.js';

export interface ColumnPlan {
  headers: readonly string[];
  room: number;
  notBefore: number;
  expiresAt: number;
  /** Daily property long name -> column index (user_id, user_name, is_owner, lang, ...). */
  properties: ReadonlyMap<string, number>;
  /** Without a name column: the first-name and last-name columns whose join is user_name. */
  userNameParts: readonly [number, number] | undefined;
  /** Indexes of columns copied to the output as they are, in roster order. */
  passthrough: readonly number[];
}

export interface HeaderOptions {
  /** The job's `columns:` and `--column`: canonical name -> header name in this roster. */
  columns?: Readonly<Record<string, string>> | undefined;
  /** True when rows may lack a room (a default room, or allow_all_rooms). */
  roomOptional: boolean;
}

/** Folded header -> the token property self-signed tokens cannot carry that it names. */
const UNSIGNABLE_BY_FOLDED: ReadonlyMap<string, string> = new Map([...UNSIGNABLE_PROPERTIES].map((name) => [fold(name), name]));

const headerError = (message: string, column?: string): MeetingTokensError =>
  new MeetingTokensError('ROSTER_HEADER', message, column !== undefined ? { column } : {});

/** `columns 2 ("Room") and 5 ("Meeting")` */
const twoColumns = (headers: readonly string[], a: number, b: number): string =>
  `columns ${a + 1} ("${headers[a]}") and ${b + 1} ("${headers[b]}")`;

export function planColumns(headers: readonly string[], options: HeaderOptions): ColumnPlan {
  const folded = headers.map(fold);
  const explicit = options.columns ?? {};
  const found = new Map<string, number>();
  const taken = new Map<number, string>(); // column index -> canonical, for explicit mappings

  for (const [canonical, header] of Object.entries(explicit)) {
    const matches = indexesOf(folded, fold(header));
    if (matches.length === 0) {
      const hint = nearest(header, headers);
      throw headerError(
        `columns.${canonical}: the roster has no column "${header}"${hint !== undefined ? ` (did you mean "${hint}"?)` : ''}`,
        canonical,
      );
    }
    if (matches.length > 1) {
      throw headerError(
        `roster header: ${twoColumns(headers, matches[0]!, matches[1]!)} both match columns.${canonical}; keep one`,
        canonical,
      );
    }
    const index = matches[0]!;
    const other = taken.get(index);
    if (other !== undefined) {
      throw headerError(
        `columns.${other} and columns.${canonical} both name column ${index + 1} ("${headers[index]}"); map it once`,
        canonical,
      );
    }
    taken.set(index, canonical);
    found.set(canonical, index);
  }

  const passthrough: number[] = [];
  folded.forEach((name, index) => {
    if (taken.has(index)) return;
    const canonical = DEFAULT_LOOKUP.get(name);
    if (canonical === undefined) {
      const unsignable = UNSIGNABLE_BY_FOLDED.get(name);
      if (unsignable !== undefined) {
        throw headerError(`roster header: column ${index + 1} ("${headers[index]}"): ${unsignableMessage(unsignable)}`, unsignable);
      }
    }
    if (canonical === undefined || explicit[canonical] !== undefined) {
      passthrough.push(index);
      return;
    }
    const earlier = found.get(canonical);
    if (earlier !== undefined) {
      throw headerError(
        `roster header: ${twoColumns(headers, earlier, index)} both give ${canonical}; keep one, or choose one with --column ${canonical}="${headers[index]}" (columns: in a job)`,
        canonical,
      );
    }
    found.set(canonical, index);
  });

  const userNameParts = found.has('user_name') ? undefined : nameParts(headers, folded, passthrough);
  if (found.size === 0 && userNameParts === undefined) {
    throw headerError(
      'roster header: none of the expected columns (room_name or room, user_name or name, user_id or id, is_owner or owner); the first line must be a header row',
    );
  }
  if (!found.has('room_name') && !options.roomOptional) {
    throw headerError(
      'roster header: no room_name (or room, meeting) column; add one, map yours with --column room_name=<header> (columns: in a job), or set defaults.room_name',
      'room_name',
    );
  }

  const properties = new Map<string, number>();
  for (const spec of PROPERTIES) {
    const index = found.get(spec.name);
    if (index !== undefined) properties.set(spec.name, index);
  }
  return {
    headers,
    room: found.get('room_name') ?? -1,
    notBefore: found.get('not_before') ?? -1,
    expiresAt: found.get('expires_at') ?? -1,
    properties,
    userNameParts,
    passthrough,
  };
}

function indexesOf(folded: readonly string[], name: string): number[] {
  const indexes: number[] = [];
  folded.forEach((f, i) => f === name && indexes.push(i));
  return indexes;
}

/** The first-name and last-name columns among the passthrough ones, when there is one of each. */
function nameParts(headers: readonly string[], folded: readonly string[], passthrough: readonly number[]): [number, number] | undefined {
  const pick = (names: ReadonlySet<string>): number | undefined => {
    const matches = passthrough.filter((i) => names.has(folded[i]!));
    if (matches.length > 1) {
      throw headerError(
        `roster header: ${twoColumns(headers, matches[0]!, matches[1]!)} could both be the first (or last) name that user_name joins; keep one, or map a name column with --column user_name=<header> (columns: in a job)`,
        'user_name',
      );
    }
    return matches[0];
  };
  const first = pick(FIRST_NAMES);
  const last = pick(LAST_NAMES);
  return first !== undefined && last !== undefined ? [first, last] : undefined;
}

/** What the plan reads from where: the manifest's `roster.columns` and `roster.passthrough`. */
export interface ColumnMapping {
  /** Known column -> the header feeding it, in roster order; a joined name reads `"First Name + Last Name"`. */
  columns: Record<string, string>;
  /** Headers copied to the output unchanged, in roster order. */
  passthrough: string[];
}

export function columnMapping(plan: ColumnPlan): ColumnMapping {
  const feeds: [number, string, string][] = [];
  const add = (canonical: string, index: number): void => void (index >= 0 && feeds.push([index, canonical, plan.headers[index]!]));
  add('room_name', plan.room);
  add('not_before', plan.notBefore);
  add('expires_at', plan.expiresAt);
  for (const [name, index] of plan.properties) add(name, index);
  if (plan.userNameParts !== undefined) {
    const [first, last] = plan.userNameParts;
    feeds.push([first, 'user_name', `${plan.headers[first]} + ${plan.headers[last]}`]);
  }
  feeds.sort((a, b) => a[0] - b[0]);
  return {
    columns: Object.fromEntries(feeds.map(([, canonical, header]) => [canonical, header])),
    passthrough: plan.passthrough.map((i) => plan.headers[i]!),
  };
}
