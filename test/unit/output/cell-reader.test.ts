import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OktaRecord } from '../../../lambdas/okta/types.js';
import { compileCellReader, compileRawReader } from '../../../lambdas/output/cell-reader.js';
import { type ColumnSpec, columnsFromFields, rawValueAt, toCell } from '../../../lambdas/output/columns.js';
import { parseIsoMillis } from '../../../lambdas/output/iso-timestamp.js';
import { fixtureUsers, manyUsers, userFields } from './fixtures.js';

const columns = columnsFromFields(userFields);

/** The reference: what the encoders did per cell before readers were compiled. */
function reference(column: ColumnSpec, record: OktaRecord): { cell: unknown } | { error: string } {
  try {
    return { cell: toCell(column, rawValueAt(record, column.path)) };
  } catch (error) {
    return { error: String(error) };
  }
}

function compiled(column: ColumnSpec, record: OktaRecord): { cell: unknown } | { error: string } {
  try {
    return { cell: compileCellReader(column)(record) };
  } catch (error) {
    return { error: String(error) };
  }
}

describe('parseIsoMillis', () => {
  it("is Date.parse for Okta's fixed format, including rolled-over days and the edges it leaves to Date.parse", () => {
    const texts = [
      '2024-05-01T12:00:00.000Z',
      '2020-02-29T23:59:59.999Z',
      '2023-02-30T00:00:00.000Z',
      '0099-01-01T00:00:00.000Z',
      '2024-01-01T24:00:00.000Z',
      '2024-13-01T00:00:00.000Z',
      '2024-01-01T00:00:60.000Z',
      '2024-01-01T00:00:00.000+01:00',
      '2024-01-01T00:00:00Z',
      '2024-01-0xT00:00:00.000Z',
      'not a date at all, 24 ch',
    ];
    for (const text of texts) expect(parseIsoMillis(text)).toEqual(Date.parse(text));
  });

  it('agrees with Date.parse on any millisecond instant written as ISO text', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1000, 0, 1), max: Date.UTC(9999, 11, 31) }), (ms) => {
        const text = new Date(ms).toISOString();
        expect(parseIsoMillis(text)).toBe(ms);
        expect(parseIsoMillis(text)).toBe(Date.parse(text));
      }),
    );
  });

  it('agrees with Date.parse on arbitrary 24-character texts of the right shape', () => {
    const digit = fc.constantFrom(...'0123456789x'.split(''));
    const part = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((d) => d.join(''));
    const text = fc
      .tuple(part(4), part(2), part(2), part(2), part(2), part(2), part(3))
      .map(([y, mo, d, h, mi, s, ms]) => `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`);
    fc.assert(
      fc.property(text, (t) => {
        expect(parseIsoMillis(t)).toEqual(Date.parse(t));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('compiled cell readers', () => {
  it('read the same cells as toCell(rawValueAt(…)) for every column of awkward and ordinary users', () => {
    for (const record of [...fixtureUsers(), ...manyUsers(50)]) {
      for (const column of columns) expect(compiled(column, record)).toEqual(reference(column, record));
    }
  });

  it('throw the same errors and read arbitrary JSON values the same way', () => {
    const value = fc.jsonValue();
    const record = fc.record({
      id: value,
      status: value,
      created: fc.oneof(
        value,
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      ),
      lastLogin: value,
      profile: fc.oneof(
        value,
        fc.dictionary(fc.constantFrom('login', 'employeeNumber', 'score', 'isContractor'), value),
      ),
      credentials: fc.oneof(value, fc.record({ provider: value })),
      type: value,
    });
    fc.assert(
      fc.property(record, (r) => {
        for (const column of columns) {
          expect(compiled(column, r as OktaRecord)).toEqual(reference(column, r as OktaRecord));
        }
      }),
    );
  });

  it('walk paths of any length like rawValueAt, stopping at arrays and non-objects', () => {
    const record = { a: { b: { c: { d: 1 } }, list: [{ x: 1 }] }, s: 'text' } as unknown as OktaRecord;
    for (const path of [
      ['a'],
      ['a', 'b'],
      ['a', 'b', 'c'],
      ['a', 'b', 'c', 'd'],
      ['a', 'list', '0'],
      ['s', 'length'],
    ]) {
      expect(compileRawReader(path)(record)).toEqual(rawValueAt(record, path));
    }
  });
});
