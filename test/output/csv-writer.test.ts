import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stringify } from 'csv-stringify/sync';
import { csvRow, escapeFormula } from '../../src/output/csv-writer.js';

describe('CSV writer', () => {
  it('is byte-identical to csv-stringify, with and without escape_formulas (property)', () => {
    const cell = fc.oneof(
      fc.string({ unit: 'grapheme' }),
      fc.string(),
      fc.constantFrom('=1+1', '-x', '+x', '@x', '\tx', '\rx', '＝x', 'a,b', 'a"b', 'a\nb', ''),
    );
    fc.assert(
      fc.property(fc.array(cell, { minLength: 1, maxLength: 8 }), fc.boolean(), (cells, escape) => {
        expect(csvRow(cells, escape)).toBe(stringify([cells], { escape_formulas: escape }));
      }),
      { numRuns: 2000, seed: 1 },
    );
  });

  it('neutralises formula starts with a leading quote', () => {
    expect(['=1', '+1', '-1', '@SUM(A1)', '\t1', 'ok'].map(escapeFormula)).toEqual(["'=1", "'+1", "'-1", "'@SUM(A1)", "'\t1", 'ok']);
  });
});
