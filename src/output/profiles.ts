/**
 * What each mailing system takes, as data: one record per output profile. The rules and their
 * sources are in docs/mailers.md; the functions that apply them are in profile-rules.ts.
 */

export const PROFILE_NAMES = ['generic', 'spreadsheet', 'mailchimp', 'sendgrid', 'ses', 'postmark', 'hubspot', 'braze'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

/** How a limit counts: UTF-8 bytes, or characters (Unicode code points). */
export type LengthUnit = 'bytes' | 'characters';

/** A length limit on a cell. `verb` says what the mailer does past it ("keeps": clips silently; "allows": refuses). */
export interface FieldLimit {
  readonly max: number;
  readonly unit: LengthUnit;
  readonly verb: 'keeps' | 'allows';
}

export interface HeaderRule {
  /** The test every column name must pass. */
  readonly pattern: RegExp;
  /** The rule in words, for the message that names a column breaking it. */
  readonly describe: string;
  /** Whether two names that differ only in case are one name to the mailer. */
  readonly caseInsensitive: boolean;
  /** The most columns a file may have, when the mailer says. */
  readonly maxColumns?: number;
}

export interface MailerProfile {
  readonly name: ProfileName;
  /** The mailer's name as messages show it. */
  readonly label: string;
  readonly header: HeaderRule;
  /** Whether cells that start like a spreadsheet formula get a leading `'`. */
  readonly escapeFormulas: boolean;
  /** Whether the file starts with a UTF-8 byte order mark. */
  readonly bom: boolean;
  readonly lineEnding: '\n' | '\r\n';
  /** The limit every output cell meets, when the mailer has one. */
  readonly cellLimit?: FieldLimit;
  /** Whether the file must have an email column (the mailer sends to it). */
  readonly emailRequired: boolean;
  /**
   * The column a contact import keys on, by the column it takes its value from (`email`, or
   * `user_id` for Braze's external_id): rows that repeat its value are one contact to the mailer,
   * which keeps one of them. Undefined: every row is its own message.
   */
  readonly uniqueBy?: 'email' | 'user_id';
  /** Header names the import needs, as alternatives: one of these sets must be there in full. */
  readonly identifiers?: readonly (readonly string[])[];
  /** File limits: `maxRows` counts every line of the file, the header too; `maxBytes` the whole file. */
  readonly file: { readonly maxRows?: number; readonly maxBytes?: number };
  /** Records per API call, for the mailers that send from JSON in batches. */
  readonly apiBatch?: number;
  /**
   * The output columns a profile writes when the job names none, in order, from the column they
   * take their value from (a tokens-file column, or `email`, the roster's email column) to their
   * name in the file. Undefined: today's columns, unchanged.
   */
  readonly columns?: Readonly<Record<string, string>>;
  /** How a template refers to a column, `JOINURL` -> `*|JOINURL|*`, for docs and messages. */
  readonly mergeTag: (column: string) => string;
}

// Decimal units: of "512 MB" read as 10^6 or 2^20 bytes, the smaller never exceeds the mailer's limit.
const MB = 1_000_000;
const GB = 1000 * MB;
// Identifier-like names: what Handlebars, Mustachio and Liquid paths take without quoting.
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ANY_NAME: HeaderRule = {
  pattern: /^(?!\s)(?!.*\s$).+$/s,
  describe: 'a name that is not empty and does not start or end with a space',
  caseInsensitive: true,
};
const handlebars = (column: string): string => `{{{${column}}}}`;

/** Every profile by name. Change a rule here and in docs/mailers.md together. */
export const PROFILES: Readonly<Record<ProfileName, MailerProfile>> = {
  generic: {
    name: 'generic',
    label: 'generic CSV',
    header: ANY_NAME,
    escapeFormulas: true,
    bom: false,
    lineEnding: '\n',
    emailRequired: false,
    file: {},
    mergeTag: (column) => column,
  },
  spreadsheet: {
    name: 'spreadsheet',
    label: 'Excel',
    header: ANY_NAME,
    escapeFormulas: true,
    bom: true,
    lineEnding: '\r\n',
    cellLimit: { max: 32_767, unit: 'characters', verb: 'keeps' },
    emailRequired: false,
    file: { maxRows: 1_048_576 },
    mergeTag: (column) => column,
  },
  mailchimp: {
    name: 'mailchimp',
    label: 'Mailchimp',
    header: {
      pattern: /^[A-Z0-9_]{1,10}$/,
      describe: 'Mailchimp merge tags are 1 to 10 characters: upper-case letters, digits and _ (e.g. JOINURL)',
      caseInsensitive: true,
    },
    escapeFormulas: false,
    bom: false,
    lineEnding: '\n',
    cellLimit: { max: 255, unit: 'bytes', verb: 'keeps' },
    emailRequired: true,
    uniqueBy: 'email',
    file: {},
    apiBatch: 500,
    columns: { email: 'EMAIL', user_name: 'FNAME', join_url: 'JOINURL', expires_local: 'JOINEXP' },
    mergeTag: (column) => `*|${column}|*`,
  },
  sendgrid: {
    name: 'sendgrid',
    label: 'SendGrid',
    header: {
      pattern: /^[A-Za-z_][A-Za-z0-9_]{0,99}$/,
      describe: 'SendGrid field names are letters, digits and _, start with a letter or _, and have at most 100 characters (e.g. join_url)',
      caseInsensitive: true,
      maxColumns: 500,
    },
    escapeFormulas: false,
    bom: false,
    lineEnding: '\n',
    emailRequired: true,
    uniqueBy: 'email',
    file: { maxRows: 1_000_001, maxBytes: 5 * GB },
    apiBatch: 1000,
    columns: { email: 'email', user_name: 'first_name', join_url: 'join_url', expires_local: 'join_expires' },
    mergeTag: handlebars,
  },
  ses: {
    name: 'ses',
    label: 'Amazon SES',
    header: {
      pattern: IDENTIFIER,
      describe: 'SES template data names are letters, digits and _, starting with a letter or _ (e.g. join_url)',
      caseInsensitive: false,
    },
    escapeFormulas: false,
    bom: false,
    lineEnding: '\n',
    emailRequired: true,
    uniqueBy: 'email',
    file: {},
    apiBatch: 50,
    columns: { email: 'email', user_name: 'name', join_url: 'join_url', expires_local: 'join_expires' },
    mergeTag: handlebars,
  },
  postmark: {
    name: 'postmark',
    label: 'Postmark',
    header: {
      pattern: IDENTIFIER,
      describe: 'Postmark template model names are letters, digits and _, starting with a letter or _ (e.g. join_url)',
      caseInsensitive: false,
    },
    escapeFormulas: false,
    bom: false,
    lineEnding: '\n',
    emailRequired: true,
    file: {},
    apiBatch: 500,
    columns: { email: 'email', user_name: 'name', join_url: 'join_url', expires_local: 'join_expires' },
    mergeTag: handlebars,
  },
  hubspot: {
    name: 'hubspot',
    label: 'HubSpot',
    header: { ...ANY_NAME, maxColumns: 999 },
    escapeFormulas: false,
    bom: false,
    lineEnding: '\n',
    emailRequired: true,
    uniqueBy: 'email',
    file: { maxRows: 1_048_576, maxBytes: 512 * MB },
    columns: { email: 'Email', user_name: 'First Name', join_url: 'join_url', expires_local: 'join_expires' },
    mergeTag: (column) => `{{ contact.${column} }}`,
  },
  braze: {
    name: 'braze',
    label: 'Braze',
    header: {
      pattern: /^(?!\s)(?!.*\s$).{1,255}$/su,
      describe: 'Braze attribute names have 1 to 255 characters and do not start or end with a space',
      caseInsensitive: false,
    },
    escapeFormulas: false,
    bom: false,
    lineEnding: '\n',
    cellLimit: { max: 255, unit: 'characters', verb: 'allows' },
    emailRequired: true,
    uniqueBy: 'user_id',
    identifiers: [['external_id'], ['user_alias_name', 'user_alias_label']],
    file: { maxBytes: 500 * MB },
    columns: { user_id: 'external_id', email: 'email', user_name: 'first_name', join_url: 'join_url', expires_local: 'join_expires' },
    mergeTag: (column) => `{{custom_attribute.\${${column}}}}`,
  },
};
