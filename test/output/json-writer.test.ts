import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { jsonString } from '../../src/output/json-writer.js';
import { formatLine, writeLine } from '../../src/output/row-cells.js';
import { ByteWriter } from '../../src/output/byte-writer.js';

/** Any UTF-16 code units: lone and reversed surrogates, control characters, quotes, backslashes. */
const units = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) });
/** Mostly the code units JSON treats specially: every control character, quote, backslash, surrogates. */
const edgy = fc.string({
  unit: fc.oneof(
    fc.integer({ min: 0, max: 0x20 }).map((c) => String.fromCharCode(c)),
    fc.constantFrom('"', '\\', '\u007f', '\ud83d', '\ude00', '\udbff', '\udc00', 'a', '\u00e9', '\u2028'),
  ),
});
const text = fc.oneof(
  units,
  edgy,
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom(
    '',
    '"',
    '\\',
    '\u2028\u2029',
    '\u007f',
    '\ud800',
    '\udc00x',
    'a\ud83d\ude00b',
    '\ude00\ud83d',
    'x\u0000\u001f\b\f\n\r\t',
  ),
);

describe('JSON writer', () => {
  it('writes the same text as JSON.stringify for any string, lone surrogates included, and JSON.parse gives the string back (property)', () => {
    fc.assert(
      fc.property(text, (value) => {
        expect(jsonString(value)).toBe(JSON.stringify(value));
        expect(JSON.parse(jsonString(value))).toBe(value);
      }),
      { numRuns: 5000, seed: 7 },
    );
  });

  it("writes a JSONL line as JSON.stringify writes each key and value, in the layout's order, and it parses back", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.oneof(text, fc.constantFrom('__proto__', '1', '0')), { maxLength: 6 }),
        fc.array(text, { maxLength: 6 }),
        (names, values) => {
          const cells = names.map((_, i) => values[i] ?? '');
          const line = formatLine({ format: 'jsonl', escapeFormulas: false, lineEnding: '\n' }, names, cells);
          expect(line).toBe('{' + names.map((name, i) => `${JSON.stringify(name)}:${JSON.stringify(cells[i])}`).join(',') + '}\n');
          const written = new ByteWriter(16);
          writeLine(written, { format: 'jsonl', escapeFormulas: false, lineEnding: '\n' }, names, cells);
          expect(written.bytes().equals(Buffer.from(line, 'utf8'))).toBe(true);
          const parsed = JSON.parse(line) as Record<string, string>;
          expect(Object.keys(parsed).sort()).toEqual([...names].sort());
          names.forEach((name, i) => expect(Object.getOwnPropertyDescriptor(parsed, name)?.value).toBe(cells[i]));
        },
      ),
      { numRuns: 1000, seed: 11 },
    );
  });
});
