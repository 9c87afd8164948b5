/**
 * One batch's settings, merged from the job file (if any) and command-line flags (which win),
 * checked once before any row is read.
 */
import { statSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { MeetingTokensError } from '../errors.js';
import { MAX_TTL_LIMIT_SECONDS, parseDuration } from './duration.js';
import { UUID, SUBDOMAIN, type JobFile } from './job-schema.js';
import { PROFILES, type ProfileName } from '../output/profiles.js';
import type { OutputFormat } from '../output/layout.js';
import { fileLimits, partLimits, type FileLimits } from '../output/file-limits.js';
import { checkHeaderNames, splitProblems } from '../output/profile-rules.js';
import { DEFAULT_MAX_LINKS } from './output-limits.js';
import { JOB_DEFAULTS, LINKS_DEFAULTS } from './job-defaults.js';
import type { LoadedJob } from './load-job.js';
import { checkDefaults, checkRoomName, formatDuration } from '../claims/map-row.js';
import { parseTime } from '../claims/values.js';
import { rosterInOutputDir } from '../output/output-dir.js';
import { Rejection } from '../claims/rejection.js';
import { KNOWN_COLUMNS } from '../claims/column-plan.js';
import { nearest } from '../suggest.js';
import { parseDelimiter, type Delimiter } from '../roster/delimiter.js';
import type { EncodingLabel } from '../roster/encoding.js';
import type { DeliverEntry } from './deliver-schema.js';
import { buildLocalTimeConfig, type LocalTimeConfig, type LocalTimeFlags } from './local-time-config.js';
import { checkBaseUrl } from '../links/base-url.js';
import type { LinkMint } from '../links/link-store.js';

export interface RunFlags extends LocalTimeFlags {
  roster?: string | undefined;
  out?: string | undefined;
  domainId?: string | undefined;
  domainName?: string | undefined;
  ttl?: string | undefined;
  maxTtl?: string | undefined;
  allowAllRooms?: boolean | undefined;
  maxRejectRatio?: string | undefined;
  /** Already checked against `TOKEN_LENGTH_RANGE` by the flag's parser. */
  maxTokenLength?: number | undefined;
  /** Never call Daily: a missing domain id is an error rather than a lookup. */
  offline?: boolean | undefined;
  /** `--column <column>=<header>`, each as given. */
  columns?: readonly string[] | undefined;
  strictColumns?: boolean | undefined;
  allowEmpty?: boolean | undefined;
  checkRooms?: boolean | undefined;
  ensureRooms?: boolean | undefined;
  /** A delimiter's character or name (commander checked it against the choices). */
  delimiter?: string | undefined;
  encoding?: EncodingLabel | undefined;
  /** `--no-deliver`: publish locally only, whatever the job's `deliver:` says. */
  deliver?: boolean | undefined;
  /** `--profile` (commander checked it against the profiles). */
  profile?: ProfileName | undefined;
  /** `--format`. */
  format?: OutputFormat | undefined;
  /** `--group-by <column>`: one row per recipient. */
  groupBy?: string | undefined;
  /** `--max-links-per-recipient <n>` (checked by the flag's parser). */
  maxLinks?: number | undefined;
  /** `--links-base-url`: short links under this base (over the job's `links.base_url`). */
  linksBaseUrl?: string | undefined;
  /** `--links-db`: the SQLite file of the link store (over the job's `links.db`). */
  linksDb?: string | undefined;
}

/** One row per recipient: the column naming the recipient, and the links a row holds at most. */
export interface GroupSettings {
  column: string;
  maxLinks: number;
}

/** The tokens file the run writes: the job's `output:` block with `--profile` and `--format` over it. */
export interface OutputSettings {
  profile: ProfileName;
  format: OutputFormat;
  /** Output column source -> name in the file, in order; undefined for the profile's own. */
  columns: Readonly<Record<string, string>> | undefined;
  /**
   * Numbered parts of at most this many rows and bytes each (header included in the bytes); a
   * dimension the job leaves out is the profile's file limit.
   */
  split: { rows?: number | undefined; bytes?: number | undefined } | undefined;
  /** The most lines and bytes one file may have (the profile's, lowered by the environment). */
  fileLimits: FileLimits;
}

/** Short links for a run: `<baseUrl>/j/<id>` in a `short_url` column, records in the link store. */
export interface LinksConfig {
  baseUrl: string;
  /** The SQLite file given by the job or a flag (resolved), else undefined: see links/open-store.ts. */
  db: string | undefined;
  mint: LinkMint;
}

export interface RunConfig {
  job: string;
  jobFile: string | undefined;
  rosterPath: string;
  outDir: string;
  /** Undefined until looked up at Daily (when neither the job nor a flag gives it). */
  domainId: string | undefined;
  domainName: string | undefined;
  ttlSeconds: number;
  maxTtlSeconds: number;
  notBefore: number | undefined;
  allowAllRooms: boolean;
  /** List the domain's rooms before signing; reject rows for rooms that do not exist or expire first. */
  checkRooms: boolean;
  /** Create the missing rooms before signing (implies `checkRooms`). */
  ensureRooms: boolean;
  escapeFormulas: boolean;
  output: OutputSettings;
  /** How `expires_local` and `not_before_local` read (zone, locale, format, per-row columns). */
  localTime: LocalTimeConfig;
  maxRejectRatio: number;
  /** Longest token signed, in characters; a longer one rejects its row. */
  maxTokenLength: number;
  /** The job's `columns:` with `--column` over it: known column -> header. */
  columns: Readonly<Record<string, string>> | undefined;
  /** A passthrough column that looks meant for a known column is an error, not a warning. */
  strictColumns: boolean;
  /** A roster with a header and no rows publishes an empty batch instead of failing. */
  allowEmpty: boolean;
  /** The roster's field delimiter; undefined detects it from the header row. */
  delimiter: Delimiter | undefined;
  /** The roster's declared encoding, for a file without a byte-order mark; undefined reads UTF-8. */
  encoding: EncodingLabel | undefined;
  defaults: ReadonlyMap<string, unknown>;
  defaultRoom: string | undefined;
  demoKey: boolean;
  /** Batches of this job to keep in the output directory (job files only). */
  keep: number | undefined;
  /** Where each published batch is delivered (job files only), files' paths resolved. */
  deliver: readonly DeliverEntry[];
  /** One row per recipient (`output.group_by`, `--group-by`); undefined: one row per token. */
  group: GroupSettings | undefined;
  /** Short links, when the job or a flag asks for them. */
  links: LinksConfig | undefined;
}

function configError(where: string, message: string): MeetingTokensError {
  return new MeetingTokensError('CONFIG_INVALID', `${where}: ${message}`);
}

/** A run's settings where the output directory may be missing (`check`, which writes nothing). */
export type CheckConfig = Omit<RunConfig, 'outDir'> & { outDir: string | undefined };

export function buildRunConfig(loaded: LoadedJob | undefined, flags: RunFlags): RunConfig;
export function buildRunConfig(loaded: LoadedJob | undefined, flags: RunFlags, outRequired: false): CheckConfig;
export function buildRunConfig(loaded: LoadedJob | undefined, flags: RunFlags, outRequired = true): CheckConfig {
  // Without a job file, the job file's defaults (a job file has them from its schema).
  const job: Partial<JobFile> & Pick<JobFile, keyof typeof JOB_DEFAULTS> = loaded?.job ?? JOB_DEFAULTS;
  const where = (key: string, flag: string, fromFlag: boolean): string => (fromFlag || !loaded ? `--${flag}` : `${loaded.file}: ${key}`);
  // Paths in a job file are relative to the job file, so a daemon's working directory never matters.
  const base = loaded ? dirname(loaded.file) : process.cwd();

  const profileName = flags.profile ?? (job.output?.profile as ProfileName | undefined) ?? 'generic';
  // The job's block was checked against its own profile; --profile may name another.
  const profile = PROFILES[profileName];
  const limits = fileLimits(profile);
  if (typeof limits === 'string') throw configError('environment', limits);
  const splitProblem = job.output?.split && splitProblems(profile, job.output.split, limits)[0];
  if (splitProblem) throw configError(`${loaded?.file ?? 'job'}: output.split`, splitProblem);
  const output: OutputSettings = {
    profile: profileName,
    format: flags.format ?? job.output?.format ?? 'csv',
    columns: job.output?.columns,
    split: partLimits(job.output?.split, limits),
    fileLimits: limits,
  };
  const names = output.columns && checkHeaderNames(profile, Object.values(output.columns), output.columns['email']);
  if (names && names.length > 0) throw configError(`${loaded?.file ?? 'job'}: output: columns`, names.join('; '));

  const roster = flags.roster ?? job.roster;
  if (!roster) throw new MeetingTokensError('USAGE', 'no roster: give --roster <file.csv> or a job name');
  const out = flags.out ?? job.out;
  if (!out && outRequired) throw new MeetingTokensError('USAGE', 'no output directory: give --out <dir>');

  const domainId = flags.domainId ?? job.domain_id;
  if (!domainId && flags.offline) {
    throw new MeetingTokensError(
      'USAGE',
      'no domain id: give --domain-id <uuid> or domain_id in the job (--offline forbids looking it up at Daily)',
    );
  }
  if (domainId && !UUID.test(domainId)) throw configError(where('domain_id', 'domain-id', flags.domainId !== undefined), 'must be a UUID');
  const domainName = flags.domainName ?? job.domain_name;
  if (domainName !== undefined && !SUBDOMAIN.test(domainName)) {
    throw configError(where('domain_name', 'domain-name', flags.domainName !== undefined), 'must be the subdomain of <name>.daily.co');
  }

  const ttlText = flags.ttl ?? job.ttl;
  const ttlSeconds = parseDuration(ttlText);
  if (ttlSeconds === undefined)
    throw configError(where('ttl', 'ttl', flags.ttl !== undefined), `"${ttlText}" is not a duration such as 36h or 7d`);
  const maxTtlText = flags.maxTtl ?? job.max_ttl;
  const maxTtlSeconds = parseDuration(maxTtlText);
  if (maxTtlSeconds === undefined)
    throw configError(where('max_ttl', 'max-ttl', flags.maxTtl !== undefined), `"${maxTtlText}" is not a duration`);
  if (maxTtlSeconds > MAX_TTL_LIMIT_SECONDS) {
    throw configError(
      where('max_ttl', 'max-ttl', flags.maxTtl !== undefined),
      `${formatDuration(maxTtlSeconds)} is longer than a token should live; at most ${formatDuration(MAX_TTL_LIMIT_SECONDS)}`,
    );
  }
  if (ttlSeconds > maxTtlSeconds) {
    throw configError(
      where('ttl', 'ttl', flags.ttl !== undefined),
      `${formatDuration(ttlSeconds)} is longer than max_ttl ${formatDuration(maxTtlSeconds)}`,
    );
  }

  let maxRejectRatio = job.max_reject_ratio;
  if (flags.maxRejectRatio !== undefined) {
    maxRejectRatio = Number(flags.maxRejectRatio);
    if (!(maxRejectRatio >= 0 && maxRejectRatio <= 1)) throw configError('--max-reject-ratio', 'must be a number from 0 to 1');
  }

  const ensureRooms = flags.ensureRooms ?? job.ensure_rooms;
  const checkRooms = ensureRooms || (flags.checkRooms ?? job.check_rooms);
  if (checkRooms && flags.offline) {
    const what = ensureRooms
      ? where('ensure_rooms', 'ensure-rooms', flags.ensureRooms !== undefined)
      : where('check_rooms', 'check-rooms', flags.checkRooms !== undefined);
    throw new MeetingTokensError('USAGE', `${what} asks Daily for the domain's rooms, which --offline forbids`);
  }

  const file = loaded?.file ?? 'job';
  let defaults: Map<string, unknown>;
  let notBefore: number | undefined;
  let defaultRoom: string | undefined;
  try {
    defaults = checkDefaults(job.defaults ?? {});
    if (job.not_before !== undefined) notBefore = parseTime(job.not_before, 'not_before');
    const room = job.defaults?.['room_name'];
    if (typeof room === 'string') defaultRoom = checkRoomName(room.trim(), 'defaults.room_name');
  } catch (error) {
    if (error instanceof Rejection) throw configError(file, error.message);
    throw error;
  }

  const localTime = buildLocalTimeConfig(job.output, job.timezone, flags, loaded?.file);

  const delimiterText = flags.delimiter ?? job.delimiter;
  const rosterPath = flags.roster !== undefined ? resolve(flags.roster) : resolve(base, roster);
  const outDir = flags.out !== undefined ? resolve(flags.out) : out ? resolve(base, out) : undefined;
  // A roster may still be missing at start (delivered before the slot); a directory is a mistake.
  if (statSync(rosterPath, { throwIfNoEntry: false })?.isDirectory()) {
    throw configError(where('roster', 'roster', flags.roster !== undefined), `${rosterPath} is a directory, not a CSV file`);
  }
  const outProblem = outDir !== undefined ? rosterInOutputDir(rosterPath, outDir) : undefined;
  if (outProblem) throw configError(where('out', 'out', flags.out !== undefined), outProblem);
  const links = linksConfig(job.links, flags, base, domainName, where);
  return {
    job: loaded?.name ?? basename(rosterPath, extname(rosterPath)),
    jobFile: loaded?.file,
    rosterPath,
    outDir,
    domainId,
    domainName,
    ttlSeconds,
    maxTtlSeconds,
    notBefore,
    allowAllRooms: flags.allowAllRooms ?? job.allow_all_rooms,
    checkRooms,
    ensureRooms,
    escapeFormulas: job.escape_formulas,
    output,
    localTime,
    maxRejectRatio,
    maxTokenLength: flags.maxTokenLength ?? job.max_token_length,
    columns: mergeColumns(job.columns as Readonly<Record<string, string>> | undefined, flags.columns),
    strictColumns: flags.strictColumns ?? job.strict_columns,
    allowEmpty: flags.allowEmpty ?? job.allow_empty,
    delimiter: delimiterText !== undefined ? parseDelimiter(delimiterText) : undefined,
    encoding: flags.encoding ?? (job.encoding as EncodingLabel | undefined),
    defaults,
    defaultRoom,
    demoKey: job.demo_key,
    keep: loaded ? job.keep : undefined,
    deliver: flags.deliver === false ? [] : (job.deliver ?? []).map((entry) => withPaths(entry, base)),
    group: groupSettings(job.output, flags, where),
    links,
  };
}

function groupSettings(
  output: JobFile['output'],
  flags: RunFlags,
  where: (key: string, flag: string, fromFlag: boolean) => string,
): GroupSettings | undefined {
  const column = flags.groupBy?.trim() ?? output?.group_by;
  const maxLinks = flags.maxLinks ?? output?.max_links_per_recipient;
  if (column === undefined) {
    if (maxLinks !== undefined) {
      throw configError(
        where('output.max_links_per_recipient', 'max-links-per-recipient', flags.maxLinks !== undefined),
        'applies only with group_by (one row per recipient)',
      );
    }
    return undefined;
  }
  if (column === '') throw configError('--group-by', 'must name a column, e.g. --group-by email');
  return { column, maxLinks: maxLinks ?? DEFAULT_MAX_LINKS };
}

/** The job's `links:` with `--links-base-url` and `--links-db` over it; links lead to a room of `domainName`. */
function linksConfig(
  fromJob: JobFile['links'],
  flags: RunFlags,
  base: string,
  domainName: string | undefined,
  where: (key: string, flag: string, fromFlag: boolean) => string,
): LinksConfig | undefined {
  const baseText = flags.linksBaseUrl ?? fromJob?.base_url;
  if (baseText === undefined) {
    if (flags.linksDb !== undefined)
      throw new MeetingTokensError('USAGE', '--links-db needs --links-base-url (or links.base_url in the job)');
    return undefined;
  }
  const checked = checkBaseUrl(baseText);
  if ('problem' in checked) throw configError(where('links.base_url', 'links-base-url', flags.linksBaseUrl !== undefined), checked.problem);
  if (domainName === undefined) {
    throw configError(
      where('links.base_url', 'links-base-url', flags.linksBaseUrl !== undefined),
      'a short link leads to https://<domain_name>.daily.co/<room>: give domain_name (or --domain-name) too',
    );
  }
  const db = flags.linksDb !== undefined ? resolve(flags.linksDb) : fromJob?.db !== undefined ? resolve(base, fromJob.db) : undefined;
  return { baseUrl: checked.url, db, mint: fromJob?.mint ?? LINKS_DEFAULTS.mint };
}

/** The job's `columns:` with each `--column <column>=<header>` over it; a flag names a known column once. */
function mergeColumns(
  fromJob: Readonly<Record<string, string>> | undefined,
  flags: readonly string[] | undefined,
): Readonly<Record<string, string>> | undefined {
  if (flags === undefined || flags.length === 0) return fromJob;
  const merged: Record<string, string> = { ...fromJob };
  const given = new Set<string>();
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    const column = (eq < 0 ? flag : flag.slice(0, eq)).trim();
    const header = eq < 0 ? '' : flag.slice(eq + 1).trim();
    if (!KNOWN_COLUMNS.includes(column)) {
      const hint = nearest(column, KNOWN_COLUMNS);
      throw configError(
        `--column ${flag}`,
        `${column === '' ? 'no column' : `"${column}" is not a known column`}${hint ? ` (did you mean ${hint}?)` : ''}; give <column>=<header>, e.g. --column user_name="Full Name"`,
      );
    }
    if (header === '') throw configError(`--column ${flag}`, `no header; give ${column}=<header>, e.g. --column ${column}="Full Name"`);
    if (given.has(column)) throw configError(`--column ${flag}`, `${column} is mapped twice; give it once`);
    given.add(column);
    merged[column] = header;
  }
  return merged;
}

/** A destination's local files (key, known_hosts) relative to the job file, as every path in it. */
function withPaths(entry: DeliverEntry, base: string): DeliverEntry {
  if (!('key_file' in entry) && !('known_hosts' in entry)) return entry;
  const e = { ...entry } as Record<string, unknown>;
  for (const key of ['key_file', 'known_hosts']) if (typeof e[key] === 'string') e[key] = resolve(base, e[key]);
  return e as unknown as DeliverEntry;
}
