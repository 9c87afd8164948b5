import { describe, expect, it } from 'vitest';
import { countLineBreaks, lastRecordEnd } from '../../src/roster/chunker.js';

const SEMICOLON = 59;
const end = (text: string, delimiter?: number): number => lastRecordEnd(Buffer.from(text), delimiter);
const breaks = (text: string, from = 0, to = text.length): number => countLineBreaks(Buffer.from(text), from, to);

/**
 * Where a read is cut decides what the carry holds: a cut taken too late splits a record, one lost
 * or taken too early makes the carry (and memory) grow until the record limit refuses the roster.
 */
describe('roster cut points: the offset after the last record boundary', () => {
  it('is just after the last line break, or -1 without one', () => {
    expect(end('a,b\nc,d\ne')).toBe(8);
    expect(end('a,b\nc,d\n')).toBe(8);
    expect(end('a\n')).toBe(2);
    expect(end('\n')).toBe(1);
    expect(end('a,b')).toBe(-1);
    expect(end('')).toBe(-1);
  });

  it('counts a lone CR and a CRLF as one break, and never cuts a CR whose next byte is still unknown', () => {
    expect(end('a\rb')).toBe(2);
    expect(end('a\r\nb')).toBe(3);
    expect(end('a\nb\rc')).toBe(4);
    expect(end('a\rb\nc')).toBe(4);
    expect(end('a\r')).toBe(-1);
    expect(end('a\nb\r')).toBe(2);
    expect(end('"a"\rb')).toBe(4);
  });

  it('never cuts inside a quoted field, opened at a record start or after the delimiter', () => {
    expect(end('"a\nb')).toBe(-1);
    expect(end('x\n"a\nb')).toBe(2);
    expect(end('x\r"a\nb')).toBe(2);
    expect(end('x,"a\nb')).toBe(-1);
    expect(end('x\ny,"a\nb\nc')).toBe(2);
    expect(end('x,"a\r\nb",c\nd')).toBe(11);
    expect(end('"a\nb"\nc')).toBe(6);
    expect(end('x\n"a",b')).toBe(2);
  });

  it('reads a doubled quote inside a quoted field as text, and cuts after the field closes', () => {
    expect(end('x,"a""\nb"\nc')).toBe(10);
    expect(end('x,"a""\nb')).toBe(-1);
    expect(end('"a""b"\n"c""\nd')).toBe(7);
  });

  it('takes a quote inside an unquoted field as text', () => {
    expect(end('ab"c\nd')).toBe(5);
    expect(end('a,b"c\nd\ne')).toBe(8);
    expect(end('x\nab"c\nd')).toBe(7);
    expect(end('x\nab"c')).toBe(2);
  });

  it('waits when the data ends on a quote: it may be the first of a doubled pair', () => {
    expect(end('x\n"a"')).toBe(2);
    expect(end('x\n"a\n"')).toBe(2);
    expect(end('x\n"a\n""')).toBe(2);
  });

  it('knows quoted fields by the given delimiter', () => {
    expect(end('x;"a\nb', SEMICOLON)).toBe(-1);
    expect(end('x;"a\nb";c\nd', SEMICOLON)).toBe(10);
    expect(end('x;"a\nb')).toBe(5);
  });
});

describe('roster line breaks in a range', () => {
  it('counts LF, CRLF and lone CR once each', () => {
    expect(breaks('a\r\nb\rc\nd')).toBe(3);
    expect(breaks('\r\n\r\n')).toBe(2);
    expect(breaks('\r\r\n\n')).toBe(3);
    expect(breaks('abc')).toBe(0);
  });

  it('counts only what lies in [from, to)', () => {
    expect(breaks('\na\nb\nc\n', 1, 6)).toBe(2);
    expect(breaks('\n\n\n', 1, 2)).toBe(1);
    expect(breaks('\r\r\r', 1, 2)).toBe(1);
    expect(breaks('a\nb', 2, 3)).toBe(0);
  });

  it('counts a CR at the end of the range, whose LF lies beyond it, as a break', () => {
    expect(breaks('a\r\nb', 0, 2)).toBe(1);
    expect(breaks('a\r\nb', 0, 3)).toBe(1);
    expect(breaks('a\r\nb', 2, 4)).toBe(1);
  });
});
