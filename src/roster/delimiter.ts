/**
 * Field delimiters a roster may use: the comma of RFC 4180, and what spreadsheets write instead
 * (Excel in most European locales `;`, Excel's "Unicode text" a tab, some CRMs `|`). A job or a
 * flag names one by its character or its name; otherwise the header row decides.
 */

/** The delimiters, in the order that breaks ties when detecting: comma first. */
export const DELIMITERS = [
  { char: ',', name: 'comma' },
  { char: ';', name: 'semicolon' },
  { char: '\t', name: 'tab' },
  { char: '|', name: 'pipe' },
] as const;

export type Delimiter = (typeof DELIMITERS)[number]['char'];

/** What `delimiter:` and `--delimiter` accept: each character, and each name. */
export const DELIMITER_CHOICES: readonly string[] = DELIMITERS.flatMap((d) => (d.char === '\t' ? [d.name] : [d.char, d.name]));

/** The delimiter a job or flag value names (its character, or its name in any case; `\t` for tab), or undefined. */
export function parseDelimiter(value: string): Delimiter | undefined {
  const text = value === '\\t' ? '\t' : value.toLowerCase();
  return DELIMITERS.find((d) => d.char === text || d.name === text)?.char;
}

/** The delimiter's name for logs and the manifest (`comma`, `semicolon`, `tab`, `pipe`). */
export function delimiterName(delimiter: Delimiter): string {
  return DELIMITERS.find((d) => d.char === delimiter)!.name;
}
