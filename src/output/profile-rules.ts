/**
 * The checks a run makes against its output profile: header names once at start, cell lengths once
 * per output cell. Pure functions of the profile record (profiles.ts) and their arguments.
 */
import { plural } from '../plural.js';
import type { MailerProfile } from './profiles.js';
import { codePointLength, overBytes, overCharacters, utf8Length } from './text-length.js';

/**
 * Everything wrong with `names` as the header of a file for `profile`, one line per problem
 * (empty when it is fine): a name that breaks the naming rule, two names the mailer takes for one,
 * too many columns, no email column where the mailer needs one, and no identifier column where
 * its imports need one. `emailColumn` is the name the email column has in the file (by default the
 * profile's own).
 */
export function checkHeaderNames(profile: MailerProfile, names: readonly string[], emailColumn?: string): string[] {
  const problems: string[] = [];
  const { header } = profile;
  const key = (name: string): string => (header.caseInsensitive ? name.toLowerCase() : name);
  const seen = new Map<string, number>();
  names.forEach((name, index) => {
    if (!header.pattern.test(name)) problems.push(`column ${index + 1} ("${name}"): ${header.describe}`);
    const earlier = seen.get(key(name));
    if (earlier === undefined) seen.set(key(name), index);
    else {
      const same = names[earlier] === name ? `are both "${name}"` : `("${names[earlier]}", "${name}") are one name to ${profile.label}`;
      problems.push(`columns ${earlier + 1} and ${index + 1} ${same}`);
    }
  });
  // Stryker disable next-line ConditionalExpression: without a maximum, `length > undefined` is false as well
  if (header.maxColumns !== undefined && names.length > header.maxColumns) {
    problems.push(`${plural(names.length, 'column')}, ${profile.label} takes at most ${header.maxColumns}`);
  }
  const email = emailColumn ?? profile.columns?.['email'];
  // Stryker disable next-line ConditionalExpression: every profile that needs an email column names it in its columns
  if (profile.emailRequired && email !== undefined && !seen.has(key(email))) {
    problems.push(
      `no ${email} column: ${profile.label} needs the recipient's email address; map the roster's email column to ${email} in columns:`,
    );
  }
  const sets = profile.identifiers;
  if (sets !== undefined && !sets.some((set) => set.every((name) => seen.has(key(name))))) {
    const alternatives = sets.map((set) => set.join(' and ')).join(', or ');
    problems.push(`no ${alternatives} column: ${profile.label} imports identify each user by it; add it in columns:`);
  }
  return problems;
}

/**
 * Null when `value` fits the profile's cell limit, else the reject reason: the column, the value's
 * length, the limit and the remedy, e.g. "JOINURL: 418 bytes, Mailchimp keeps 255; use short links
 * (links:)". Runs once per output cell: a value that fits returns without allocating.
 */
export function cellLimitProblem(profile: MailerProfile, column: string, value: string): string | null {
  const limit = profile.cellLimit;
  if (limit === undefined) return null;
  if (limit.unit === 'bytes' ? !overBytes(value, limit.max) : !overCharacters(value, limit.max)) return null;
  const length = limit.unit === 'bytes' ? utf8Length(value) : codePointLength(value);
  const unit = limit.unit === 'bytes' ? 'byte' : 'character';
  const remedy = /^https?:\/\//i.test(value) ? 'use short links (links:)' : 'shorten it in the roster';
  return `${column}: ${plural(length, unit)}, ${profile.label} ${limit.verb} ${limit.max}; ${remedy}`;
}

/** Each way `split` lets a part be larger than the profile's mailer takes a file, one line each. */
export function splitProblems(
  profile: MailerProfile,
  split: { rows?: number | undefined; bytes?: number | undefined },
  limits: { maxRows?: number | undefined; maxBytes?: number | undefined } = profile.file,
): string[] {
  const problems: string[] = [];
  const { rows, bytes } = split;
  if (rows !== undefined && limits.maxRows !== undefined && rows + 1 > limits.maxRows) {
    problems.push(`rows: ${rows} rows and a header line are more than the ${limits.maxRows} lines ${profile.label} takes a file`);
  }
  if (bytes !== undefined && limits.maxBytes !== undefined && bytes > limits.maxBytes) {
    problems.push(`bytes: ${bytes} bytes are more than the ${limits.maxBytes} ${profile.label} takes a file`);
  }
  return problems;
}
