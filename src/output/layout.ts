/**
 * The output layout: which columns the tokens file has, in order, where each takes its value from
 * and how the file is written (format, formula escaping, BOM, line ending, cell limit). Built once
 * at start from the profile, the job's `output.columns` and the roster's header; plain data, so it
 * travels to worker threads in the chunk spec.
 */
import type { ColumnPlan } from '../claims/column-plan.js';
import { fold } from '../claims/header-names.js';
import { MeetingTokensError } from '../errors.js';
import { nearest } from '../suggest.js';
import { TOKEN_COLUMNS } from './columns.js';
import { checkHeaderNames } from './profile-rules.js';
import { PROFILES, type FieldLimit, type ProfileName } from './profiles.js';
import { DEFAULT_LOCAL_TIME, LOCAL_TIME_SOURCES, localTimeParams, type LocalTimeConfig } from './local-time-params.js';
import { NEEDS_DOMAIN_NAME, SOURCES, sourceNames, type LayoutColumn } from './sources.js';

export type OutputFormat = 'csv' | 'jsonl';

export interface OutputLayout {
  readonly profile: ProfileName;
  readonly format: OutputFormat;
  /** The file's columns in order (for JSONL, each object's keys in order). */
  readonly columns: readonly LayoutColumn[];
  /**
   * Today's file (generic CSV, no `output.columns`): rows go through the hand-tuned writer in
   * columns.ts, which writes the same bytes as the general path, faster.
   */
  readonly plain: boolean;
  /** A cell that starts like a formula gets a leading `'` (CSV only). */
  readonly escapeFormulas: boolean;
  /** The file starts with a UTF-8 byte order mark (CSV only). */
  readonly bom: boolean;
  readonly lineEnding: '\n' | '\r\n';
  /** The profile's limit on every output cell; a row with a longer cell is rejected. */
  readonly cellLimit: FieldLimit | undefined;
}

/** What the layout is made from: the run's `output` settings and the roster it reads. */
export interface LayoutInput {
  profile: ProfileName;
  format: OutputFormat;
  /** `output.columns`: source -> name in the file, in order; undefined for the profile's own. */
  columns: Readonly<Record<string, string>> | undefined;
  /** The job's `escape_formulas` (generic and spreadsheet honour it; mailer profiles never escape). */
  escapeFormulas: boolean;
  plan: ColumnPlan;
  joinBase: string | undefined;
  /** How expires_local and not_before_local read; default UTC, en-GB, short. */
  localTime?: LocalTimeConfig | undefined;
  /** The run makes short links (`links:`): the `short_url` source has values. */
  links?: boolean | undefined;
}

/** Folded headers taken for the roster's email column, as contact exports write it. */
const EMAIL_HEADERS: ReadonlySet<string> = new Set(['email', 'emailaddress', 'mail', 'mailaddress']);

const configError = (message: string): MeetingTokensError => new MeetingTokensError('CONFIG_INVALID', `output: ${message}`);

/**
 * The layout for a run; throws CONFIG_INVALID (exit 2) for a column whose source does not exist,
 * a join link without a domain name, or names that break the profile's header rule.
 */
export function buildLayout(input: LayoutInput): OutputLayout {
  const profile = PROFILES[input.profile];
  const jsonl = input.format === 'jsonl';
  const asked = input.columns ?? available(profile.columns, input.links === true);
  const columns = asked === undefined ? todaysColumns(input.plan, input.joinBase, input.links === true) : resolveColumns(asked, input);
  const names = columns.map((column) => column.name);
  const email = columns.find((column) => column.source === 'email')?.name;
  const problems = checkHeaderNames(profile, names, email ?? profile.columns?.['email']);
  if (problems.length > 0) {
    const where = input.columns === undefined ? `${profile.label} columns` : 'columns';
    throw configError(`${where}: ${problems.join('; ')}`);
  }
  return {
    profile: input.profile,
    format: input.format,
    columns,
    plain: input.profile === 'generic' && !jsonl && asked === undefined,
    escapeFormulas: !jsonl && profile.escapeFormulas && input.escapeFormulas,
    bom: !jsonl && profile.bom,
    lineEnding: jsonl ? '\n' : profile.lineEnding,
    cellLimit: profile.cellLimit,
  };
}

/**
 * A profile's own columns whose source this version has: a profile names the columns its mailer's
 * templates want (`expires_local` too), and one whose source is not built yet is left out of the
 * file rather than failing every job of that profile. A job's own `columns:` get no such leniency.
 */
function available(columns: Readonly<Record<string, string>> | undefined, links: boolean): Readonly<Record<string, string>> | undefined {
  if (columns === undefined) return undefined;
  // A profile's short link column is there only in a run that makes links.
  return Object.fromEntries(
    Object.entries(columns).filter(([source]) => SOURCES[source] !== undefined && (links || source !== 'short_url')),
  );
}

/** Today's columns: the passthrough columns, then the tokens columns (join_url with a domain name, short_url with links). */
function todaysColumns(plan: ColumnPlan, joinBase: string | undefined, links: boolean): LayoutColumn[] {
  return [
    ...plan.passthrough.map((index) => ({ name: plan.headers[index]!, source: 'roster', index })),
    ...TOKEN_COLUMNS.filter((name) => (joinBase !== undefined || name !== 'join_url') && (links || name !== 'short_url')).map((name) => ({
      name,
      source: name,
    })),
  ];
}

function resolveColumns(asked: Readonly<Record<string, string>>, input: LayoutInput): LayoutColumn[] {
  const { headers } = input.plan;
  return Object.entries(asked).map(([source, name]): LayoutColumn => {
    if (source === 'email') return { name, source, index: emailColumn(headers, name) };
    if (source !== 'roster' && SOURCES[source] !== undefined) {
      if (NEEDS_DOMAIN_NAME.has(source) && input.joinBase === undefined) {
        throw configError(`columns.${source}: a join link needs the domain name; set domain_name in the job or give --domain-name`);
      }
      if (LOCAL_TIME_SOURCES.has(source)) return { name, source, params: localTimeParams(input.localTime ?? DEFAULT_LOCAL_TIME, headers) };
      if (source === 'short_url' && input.links !== true) {
        throw configError('columns.short_url: short links need links.base_url in the job (or --links-base-url)');
      }
      return { name, source };
    }
    const index = rosterHeader(headers, source);
    if (index !== undefined) return { name, source: 'roster', index };
    const hint = nearest(source, [...sourceNames(), ...headers]);
    throw configError(
      `columns.${source}: no such source${hint !== undefined ? ` (did you mean ${hint}?)` : ''}; a column takes its value from ${sourceNames().join(', ')} or a roster column by its header`,
    );
  });
}

function emailColumn(headers: readonly string[], name: string): number {
  const matches = headers.flatMap((header, index) => (EMAIL_HEADERS.has(fold(header)) ? [index] : []));
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) {
    throw new MeetingTokensError(
      'ROSTER_HEADER',
      `output: columns.email (${name}): the roster has no email column (a header such as Email or Email Address); add one, or map another roster column by its header`,
    );
  }
  throw new MeetingTokensError(
    'ROSTER_HEADER',
    `output: columns.email (${name}): roster columns ${matches.map((i) => `${i + 1} ("${headers[i]}")`).join(' and ')} are all email columns; map the one to send to by its header instead of email`,
  );
}

/** A roster column by its header: as written, else the one header that folds to it. */
function rosterHeader(headers: readonly string[], wanted: string): number | undefined {
  const exact = headers.indexOf(wanted);
  if (exact >= 0) return exact;
  const folded = fold(wanted);
  const matches = headers.flatMap((header, index) => (fold(header) === folded ? [index] : []));
  return matches.length === 1 ? matches[0] : undefined;
}
