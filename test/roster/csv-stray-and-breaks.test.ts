import { describe, expect, it } from 'vitest';
import { parseRecords, UnclosedQuote } from '../../src/roster/csv-parser.js';

const all = (text: string, firstLine = 1) => parseRecords(text, firstLine).map((r) => ({ ...r }));

describe('roster CSV parser: stray quotes', () => {
  it('a quoted field closed at the very end of the text, or before a lone CR, is no stray', () => {
    expect(all('a,"b"')).toEqual([{ line: 1, endLine: 1, fields: ['a', 'b'], stray: -1 }]);
    expect(all('"a"\r"b"\r')).toEqual([
      { line: 1, endLine: 1, fields: ['a'], stray: -1 },
      { line: 2, endLine: 2, fields: ['b'], stray: -1 },
    ]);
  });

  it('names the first field with a stray quote, of either kind, when a record has several', () => {
    expect(all('ok,a"b,"c"d\n')).toEqual([{ line: 1, endLine: 1, fields: ['ok', 'a"b', 'cd'], stray: 1 }]);
    expect(all('ok,"c"d,a"b\n')).toEqual([{ line: 1, endLine: 1, fields: ['ok', 'cd', 'a"b'], stray: 1 }]);
  });

  it('keeps the text after a closing quote up to the comma, the line break or the end', () => {
    expect(all('"a"b c,x\r\n"d"e\r"f"g')).toEqual([
      { line: 1, endLine: 1, fields: ['ab c', 'x'], stray: 0 },
      { line: 2, endLine: 2, fields: ['de'], stray: 0 },
      { line: 3, endLine: 3, fields: ['fg'], stray: 0 },
    ]);
  });
});

describe('roster CSV parser: line breaks inside quotes', () => {
  it('counts a lone CR inside a quoted field as one line, and CRLF as one', () => {
    expect(all('"a\rb\r\nc",x\nnext\n', 7)).toEqual([
      { line: 7, endLine: 9, fields: ['a\rb\r\nc', 'x'], stray: -1 },
      { line: 10, endLine: 10, fields: ['next'], stray: -1 },
    ]);
  });

  it('a trailing comma before a line break gives an empty last field', () => {
    expect(all('a,\nb,\r\n')).toEqual([
      { line: 1, endLine: 1, fields: ['a', ''], stray: -1 },
      { line: 2, endLine: 2, fields: ['b', ''], stray: -1 },
    ]);
  });
});

describe('roster CSV parser: a quote never closed', () => {
  it('says on which line the field opened', () => {
    expect(() => parseRecords('a\n"b\nc', 4)).toThrow(new UnclosedQuote(5));
    expect(new UnclosedQuote(5).message).toBe('a quoted field opened at line 5 is never closed');
  });
});

describe('roster CSV parser: line numbers and stray marks at the edges', () => {
  it('a quoted field followed by a line break is no stray', () => {
    expect(all('"a"\nb\n')).toEqual([
      { line: 1, endLine: 1, fields: ['a'], stray: -1 },
      { line: 2, endLine: 2, fields: ['b'], stray: -1 },
    ]);
  });

  it('the first field with a stray quote is named even when it is the first of the record', () => {
    expect(all('"a"x,"b"y\n')[0]!.stray).toBe(0);
    expect(all('a"x,b"y\n')[0]!.stray).toBe(0);
  });

  it('an empty first line ending in CRLF counts once; a lone CR after an LF line is a line of its own', () => {
    expect(all('\r\nroom\r\n')).toEqual([{ line: 2, endLine: 2, fields: ['room'], stray: -1 }]);
    expect(all('a\n\rb\n')).toEqual([
      { line: 1, endLine: 1, fields: ['a'], stray: -1 },
      { line: 3, endLine: 3, fields: ['b'], stray: -1 },
    ]);
  });

  it('two lone CRs inside a quoted field are two line breaks', () => {
    expect(all('"a\r\rb",c\nd\n')).toEqual([
      { line: 1, endLine: 3, fields: ['a\r\rb', 'c'], stray: -1 },
      { line: 4, endLine: 4, fields: ['d'], stray: -1 },
    ]);
  });
});
