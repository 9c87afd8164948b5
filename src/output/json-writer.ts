/**
 * JSON string literals for JSONL lines. The same text as `JSON.stringify(value)` for any string,
 * lone surrogates included (a property test holds them together); written by hand because one
 * `JSON.stringify` call per cell cost a JSONL batch about a quarter of its time when measured,
 * while most cells need no escape at all and are written as they are, in quotes.
 */

/** The escape of each code unit below 0x20, and of `"` and `\`, as JSON.stringify writes them. */
const ESCAPES: readonly string[] = Array.from({ length: 0x5d }, (_, c) => {
  if (c === 0x22) return '\\"';
  if (c === 0x5c) return '\\\\';
  if (c >= 0x20) return '';
  const short: Record<number, string> = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' };
  return short[c] ?? `\\u${c.toString(16).padStart(4, '0')}`;
});

/**
 * Any code unit that may need an escape. A regular expression scans natively, and flattens a
 * string built by concatenation (a join link) once; `charCodeAt` over such a string cost a JSONL
 * batch a fifth of its time.
 */
// eslint-disable-next-line no-control-regex -- control characters are what JSON escapes
const MAYBE_ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

/** `value` as a JSON string literal: byte for byte what `JSON.stringify(value)` gives. */
export function jsonString(value: string): string {
  return `"${jsonEscaped(value)}"`;
}

/** What goes between the quotes of `value`'s JSON string literal (`value` itself when nothing needs escaping). */
export function jsonEscaped(value: string): string {
  if (!MAYBE_ESCAPED.test(value)) return value;
  let out = '';
  let from = 0; // first code unit not yet in `out`
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c) {
      out += value.slice(from, i) + ESCAPES[c]!;
      from = i + 1;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const next = value.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) i++;
      else {
        out += value.slice(from, i) + `\\u${c.toString(16)}`;
        from = i + 1;
      }
    }
  }
  return from === 0 ? value : out + value.slice(from);
}
