import { describe, expect, it } from 'vitest';
import { columnsFromFields, rawValueAt, toCell } from '../../../lambdas/output/columns.js';
import { ColumnValueError } from '../../../lambdas/output/errors.js';
import { PART_NAME, partKey, runKeyPrefix } from '../../../lambdas/output/keys.js';
import { userFields } from './fixtures.js';

describe('columnsFromFields', () => {
  it('maps AppFlow types to physical types in catalog order', () => {
    const columns = columnsFromFields(userFields);
    expect(columns.map((c) => [c.name, c.type])).toEqual([
      ['id', 'string'],
      ['status', 'string'],
      ['created', 'timestamp'],
      ['last_login', 'timestamp'],
      ['login', 'string'],
      ['first_name', 'string'],
      ['department', 'string'],
      ['description', 'string'],
      ['employee_number', 'int64'],
      ['score', 'double'],
      ['is_contractor', 'boolean'],
      ['cost_centers', 'json'],
      ['credentials_provider', 'json'],
      ['type', 'json'],
    ]);
    expect(columns[4]?.path).toEqual(['profile', 'login']);
  });
});

describe('toCell', () => {
  const col = (type: 'string' | 'int64' | 'double' | 'boolean' | 'timestamp' | 'json') => ({
    name: 'c',
    path: ['c'],
    type,
  });
  it('treats absent and null alike as null', () => {
    expect(toCell(col('string'), undefined)).toBeNull();
    expect(toCell(col('json'), null)).toBeNull();
  });
  it('keeps int64 exact beyond 2^53 when Okta sends digits as a string', () => {
    expect(toCell(col('int64'), '9007199254740993')).toBe(9007199254740993n);
    expect(toCell(col('int64'), 7)).toBe(7n);
  });
  it('parses ISO timestamps and bare dates to UTC epoch milliseconds', () => {
    expect(toCell(col('timestamp'), '2024-01-02T03:04:05.678Z')).toBe(Date.UTC(2024, 0, 2, 3, 4, 5, 678));
    expect(toCell(col('timestamp'), '2024-01-02')).toBe(Date.UTC(2024, 0, 2));
  });
  it('serializes nested values as JSON text, losslessly', () => {
    const value = { a: [1, { b: 'ü' }], c: null };
    expect(JSON.parse(String(toCell(col('json'), value)))).toEqual(value);
  });
  it('refuses values that would be lost, naming the column', () => {
    expect(() => toCell(col('int64'), 1.5)).toThrow(ColumnValueError);
    expect(() => toCell(col('timestamp'), 'not a date')).toThrow(/Column "c" \(timestamp\)/);
    expect(() => toCell(col('boolean'), 'yes')).toThrow(ColumnValueError);
  });
});

describe('rawValueAt', () => {
  it('walks nested paths and reports missing steps as undefined', () => {
    expect(rawValueAt({ a: { b: 1 } }, ['a', 'b'])).toBe(1);
    expect(rawValueAt({ a: null }, ['a', 'b'])).toBeUndefined();
    expect(rawValueAt({ a: [1] }, ['a', '0'])).toBeUndefined();
  });
});

describe('keys', () => {
  it('builds the DESIGN.md layout with zero-padded part numbers', () => {
    const prefix = runKeyPrefix({
      prefix: '/okta/',
      object: 'User',
      dt: new Date('2025-03-04T23:00:00Z'),
      runId: 'r-1',
    });
    expect(prefix).toBe('okta/User/dt=2025-03-04/run_id=r-1');
    expect(partKey(prefix, 12, 'parquet')).toBe('okta/User/dt=2025-03-04/run_id=r-1/part-00012.parquet');
  });
  it('labels parts of parallel writers and validates the label', () => {
    expect(partKey('p', 3, 'csv.gz', 's07')).toBe('p/part-s07-00003.csv.gz');
    expect(() => partKey('p', 0, 'csv', '../x')).toThrow(/part label/);
    // The commit step deletes stale parts by this pattern, and nothing else.
    expect(
      ['part-00000.parquet', 'part-s07-00003.csv.gz', '_manifest.json', 'notes.txt'].map((n) => PART_NAME.test(n)),
    ).toEqual([true, true, false, false]);
  });
  it('rejects run ids that could escape the prefix', () => {
    expect(() => runKeyPrefix({ prefix: 'p', object: 'User', dt: '2025-01-01', runId: '../x' })).toThrow(/run id/);
  });
});
