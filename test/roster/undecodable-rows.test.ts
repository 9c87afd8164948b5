import { describe, expect, it } from 'vitest';
import { UndecodableRows } from '../../src/roster/undecodable-rows.js';

const PATH = '/data/r.csv';

function counted(...chunks: [number, string | undefined][]): UndecodableRows {
  const rows = new UndecodableRows();
  for (const [n, likely] of chunks) rows.add(n, likely);
  return rows;
}

describe('rows whose bytes are not in the roster encoding', () => {
  it('are counted over the chunks, and the likely encoding is the one most of them looked like', () => {
    const rows = counted([2, 'windows-1250'], [1, 'windows-1252'], [4, undefined], [2, 'windows-1252']);
    expect(rows.rows).toBe(9);
    expect(rows.likelyEncoding()).toBe('windows-1252');
    expect(counted([3, 'windows-1251'], [2, 'windows-1252']).likelyEncoding()).toBe('windows-1251');
    expect(counted([2, 'windows-1252'], [2, 'windows-1251']).likelyEncoding()).toBe('windows-1252');
    expect(counted([4, undefined]).likelyEncoding()).toBeUndefined();
  });

  it('fail an undeclared UTF-8 roster over 1% of rows, naming the count, the likely encoding and how to set it', () => {
    expect(() => counted([2, 'windows-1252']).check(100, PATH, 'utf-8', false)).toThrow(
      expect.objectContaining({
        code: 'ROSTER_ENCODING',
        message:
          'roster /data/r.csv: 2 of 100 rows have bytes that are not UTF-8 (more than 1%): looks like Windows-1252; set encoding: windows-1252 (in the job, or --encoding windows-1252); nothing was published',
        context: { file: PATH },
      }),
    );
  });

  it('without a likely encoding, say to save the roster as UTF-8 or name its encoding', () => {
    expect(() => counted([1, undefined]).check(1, PATH, 'utf-8', false)).toThrow(
      'roster /data/r.csv: 1 of 1 row have bytes that are not UTF-8 (more than 1%): save the roster as UTF-8, or set encoding: to the one it was saved in; nothing was published',
    );
  });

  it('leave the run alone at 1% or less, with none, when the encoding was declared, or is not UTF-8', () => {
    expect(() => counted([1, 'windows-1252']).check(100, PATH, 'utf-8', false)).not.toThrow();
    expect(() => counted().check(100, PATH, 'utf-8', false)).not.toThrow();
    expect(() => counted().check(0, PATH, 'utf-8', false)).not.toThrow();
    expect(() => counted([50, 'windows-1252']).check(100, PATH, 'utf-8', true)).not.toThrow();
    expect(() => counted([50, 'windows-1252']).check(100, PATH, 'windows-1252', false)).not.toThrow();
  });
});
