/**
 * Counts with their nouns in the right number: `plural(1, 'token')` is "1 token",
 * `plural(2, 'row repeats', 'rows repeat')` is "2 rows repeat". Every count a message shows goes
 * through here.
 */
export function plural(count: number, singular: string, pluralForm?: string): string {
  return `${count} ${noun(count, singular, pluralForm)}`;
}

/** The noun alone, for a count formatted otherwise (grouped digits on a progress line). */
export function noun(count: number, singular: string, pluralForm: string = `${singular}s`): string {
  return count === 1 ? singular : pluralForm;
}
