/**
 * Why one roster row cannot become a token. Thrown inside the claim mapper and caught once per
 * row, so the reason lands in the rejects file; it never escapes a run. The message names the
 * column and the rule, and never repeats more of the row than the offending value's size.
 */
export class Rejection extends Error {
  override readonly name = 'Rejection';
}

export function reject(message: string): never {
  throw new Rejection(message);
}
