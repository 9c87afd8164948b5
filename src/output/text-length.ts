/**
 * Lengths of output cells in the two units mailers count: UTF-8 bytes and characters (Unicode code
 * points). The `over...` checks run once per output cell, so they decide from `value.length` alone
 * whenever they can, and count without allocating when they cannot: a UTF-16 code unit is 1 to 3
 * UTF-8 bytes (a surrogate pair, 2 units, is 4 bytes), and 1 or 2 units are one code point.
 */

/**
 * UTF-8 length of `value` in bytes (a lone surrogate counts 3, as its U+FFFD replacement).
 * `Buffer.byteLength` counts natively without allocating: on 200k join links (~245 bytes) it took
 * 120 ms where a `charCodeAt` loop in JavaScript took 1.2 s.
 */
export function utf8Length(value: string): number {
  // Stryker disable next-line StringLiteral: "" names UTF-8 too, the default
  return Buffer.byteLength(value, 'utf8');
}

/** Number of Unicode code points in `value` (`[...value].length`, without the array). */
export function codePointLength(value: string): number {
  const n = value.length;
  let points = n;
  // Stryker disable next-line EqualityOperator,ArithmeticOperator: a step at the last unit reads charCodeAt(n), NaN, which starts no pair
  for (let i = 0; i + 1 < n; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && (value.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      points--;
      i++;
    }
  }
  return points;
}

/** Whether `value` takes more than `max` UTF-8 bytes; counts only when the length alone cannot tell. */
export function overBytes(value: string, max: number): boolean {
  const n = value.length;
  // Stryker disable next-line ConditionalExpression: a shortcut; the count below gives the same answer (bytes >= units > max)
  if (n > max) return true;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: a shortcut; the count below gives the same answer (bytes <= 3 * units <= max)
  if (n * 3 <= max) return false;
  return utf8Length(value) > max;
}

/** Whether `value` has more than `max` code points; counts only when the length alone cannot tell. */
export function overCharacters(value: string, max: number): boolean {
  const n = value.length;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: a shortcut; the count below gives the same answer (points <= units <= max)
  if (n <= max) return false;
  // Stryker disable next-line ConditionalExpression: a shortcut; the count below gives the same answer (points >= units / 2 > max)
  if (n > 2 * max) return true;
  return codePointLength(value) > max;
}
