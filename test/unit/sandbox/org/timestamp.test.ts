import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { oktaTimestamp } from '../../../../sandbox/clock.js';
import { isoTimestamp } from '../../../../sandbox/org/timestamp.js';

describe('isoTimestamp', () => {
  it('formats exactly like Date#toISOString', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Date.UTC(9999, 11, 31, 23, 59, 59, 999) }), (ms) => {
        expect(isoTimestamp(ms)).toBe(oktaTimestamp(ms));
      }),
      { numRuns: 2000 },
    );
    expect(isoTimestamp(Date.UTC(2013, 6, 2, 21, 36, 25, 344))).toBe('2013-07-02T21:36:25.344Z');
  });
});
