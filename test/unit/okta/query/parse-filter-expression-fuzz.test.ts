/** Any input either parses or fails with a FilterSyntaxError pointing inside (or just past) the input — never a crash. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FilterSyntaxError, parseFilterExpression } from '../../../../lambdas/okta/query/parse-filter-expression.js';

const PIECES = [
  'a',
  'status',
  'profile.login',
  ' ',
  'and',
  'OR',
  'not',
  'AnD',
  'between',
  'in',
  'contains',
  'LIMIT',
  'null',
  'True',
  '=',
  '!=',
  '>=',
  '<',
  '(',
  ')',
  ',',
  '"x"',
  "'y'",
  '"',
  '\\',
  '25',
  '5',
  '-1.5',
  '1e3',
  '2024-01-01',
  '2024-01-01T00:00:00Z',
  '2024-01-01T00:00Z',
  '_',
  '#',
  '\u00e9',
];

describe('parseFilterExpression — fuzz', () => {
  it('never throws anything but FilterSyntaxError, with a column within the input', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 12 }), (pieces) => {
        const text = pieces.join('');
        try {
          const parsed = parseFilterExpression(text);
          expect(parsed.filter !== null || parsed.limit !== null).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(FilterSyntaxError);
          const column = (error as FilterSyntaxError).column;
          expect(column).toBeGreaterThanOrEqual(1);
          expect(column).toBeLessThanOrEqual(text.length + 1);
        }
      }),
      { numRuns: 2000, seed: 7 },
    );
  });

  it('also holds for arbitrary unicode strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (text) => {
        try {
          parseFilterExpression(text);
        } catch (error) {
          expect(error).toBeInstanceOf(FilterSyntaxError);
        }
      }),
      { numRuns: 1000, seed: 8 },
    );
  });
});
