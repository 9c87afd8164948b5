import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { parseRecords, UnclosedQuote, type ParsedRecord } from '../../src/roster/csv-parser.js';

const brief = (records: ParsedRecord[]) => records.map((r) => [r.line, ...r.fields]);

describe('roster CSV parser', () => {
  it('reads LF, CRLF and lone CR alike, skips empty lines but counts them, and drops a BOM at the start', () => {
    const expected = [
      [1, 'room', 'name'],
      [2, 'a', 'Ada'],
      [4, 'b', 'Bob'],
    ];
    for (const nl of ['\n', '\r\n', '\r']) {
      expect(brief(parseRecords(`\uFEFFroom,name${nl}a,Ada${nl}${nl}"b",Bob${nl}`, 1))).toEqual(expected);
    }
    expect(parseRecords('\uFEFFx\n', 5)[0]!.fields).toEqual(['\uFEFFx']); // only a file's first byte is a BOM
  });

  it('keeps quoted commas, doubled quotes and line breaks, and gives start and end lines', () => {
    for (const nl of ['\n', '\r\n']) {
      const text = ['room,name', 'a,"Johnson, K"', `b,"two${nl}lines"`, 'c,"say ""hi"""', `d,"x${nl}${nl}y"`, 'e,last'].join(nl);
      const records = parseRecords(text, 1);
      expect(brief(records)).toEqual([
        [1, 'room', 'name'],
        [2, 'a', 'Johnson, K'],
        [3, 'b', `two${nl}lines`],
        [5, 'c', 'say "hi"'],
        [6, 'd', `x${nl}${nl}y`],
        [9, 'e', 'last'],
      ]);
      expect(records.map((r) => r.endLine)).toEqual([1, 2, 4, 5, 8, 9]);
    }
  });

  it('marks a stray quote (inside an unquoted field, or after a closing quote) and loses or invents no record', () => {
    const records = parseRecords('room,name\na,Ada\nb,=HYPERLINK("x")\nc,"Cy"d\ne,Eve\n', 1);
    expect(brief(records)).toEqual([
      [1, 'room', 'name'],
      [2, 'a', 'Ada'],
      [3, 'b', '=HYPERLINK("x")'],
      [4, 'c', 'Cyd'],
      [5, 'e', 'Eve'],
    ]);
    expect(records.map((r) => r.stray)).toEqual([-1, -1, 1, 1, -1]);
  });

  it('keeps empty fields, a trailing comma, and a last line without a line break', () => {
    expect(brief(parseRecords(',\n,,x,', 1))).toEqual([
      [1, '', ''],
      [2, '', '', 'x', ''],
    ]);
  });

  it('throws UnclosedQuote with the line where the record starts', () => {
    expect(() => parseRecords('room\n"a\nb\n', 1)).toThrow(UnclosedQuote);
    try {
      parseRecords('room\nx\n"a\nb\n', 10);
    } catch (error) {
      expect((error as UnclosedQuote).line).toBe(12);
    }
  });

  // Well-formed RFC 4180 input, with each delimiter a roster may use: the fast parser must agree
  // with csv-parse field for field.
  const csv = fc
    .tuple(fc.integer({ min: 1, max: 5 }), fc.constantFrom('\n', '\r\n'), fc.constantFrom(',', ';', '\t', '|'))
    .chain(([width, nl, delimiter]) => {
      const special = new RegExp(`["${delimiter}\\r\\n]`);
      const field = fc.oneof(
        // The other delimiters are plain text in a field.
        fc.string({ unit: fc.constantFrom('a', 'Zoë', '🎉', ' ', ',', ';', '\t', '|', '"'), maxLength: 8 }).filter((s) => !special.test(s)),
        fc.string({ unit: 'grapheme', maxLength: 12 }).filter((s) => !special.test(s)),
        fc.string({ unit: 'grapheme', maxLength: 12 }).map((s) => `"${s.replaceAll('"', '""')}"`),
      );
      return fc.array(fc.array(field, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 20 }).map((rows) => ({
        text: rows.map((r) => r.join(delimiter)).join(nl) + nl,
        delimiter,
      }));
    });

  it('agrees with csv-parse on well-formed CSV with each delimiter (property)', () => {
    fc.assert(
      fc.property(csv, ({ text, delimiter }) => {
        const ours = parseRecords(text, 1, delimiter.charCodeAt(0)).map((r) => r.fields);
        const theirs = parse(text, {
          delimiter,
          relax_column_count: true,
          skip_empty_lines: true,
          record_delimiter: ['\r\n', '\n'],
        }) as string[][];
        // csv-parse drops a record that is a single empty unquoted field; so does our empty-line rule.
        expect(ours).toEqual(theirs);
      }),
      { numRuns: 1000, seed: 4180 },
    );
  });

  it('reads a semicolon roster with commas inside its fields as csv-parse does', () => {
    const text = 'room;name\n"a";Johnson, K\nb;"x;y"\n';
    expect(brief(parseRecords(text, 1, 59))).toEqual([
      [1, 'room', 'name'],
      [2, 'a', 'Johnson, K'],
      [3, 'b', 'x;y'],
    ]);
    expect(parse(text, { delimiter: ';' })).toEqual([
      ['room', 'name'],
      ['a', 'Johnson, K'],
      ['b', 'x;y'],
    ]);
  });
});
