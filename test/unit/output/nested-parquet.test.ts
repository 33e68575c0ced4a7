/** Nested columns in Parquet: standard LIST/STRUCT groups, read back by hyparquet (DuckDB: integration tests). */
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { type Cell, columnsFromFields, rawValueAt, toCell } from '../../../lambdas/output/columns.js';
import { createParquetEncoder } from '../../../lambdas/output/encoders/parquet.js';
import { nestedFields, nestedRecords } from './nested-fixtures.js';

const columns = columnsFromFields(nestedFields);

function fileOf(chunks: Uint8Array[]): ArrayBuffer {
  const all = Buffer.concat(chunks);
  return all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer;
}

/** hyparquet returns an absent group as undefined and timestamps as Dates; bring both to our cell form. */
function asCell(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.getTime();
  if (Array.isArray(value)) return value.map(asCell);
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, asCell(v)]));
  }
  return value;
}

describe('Parquet nested columns', () => {
  it('writes three-level LIST groups and plain struct groups, every level optional', () => {
    const encoder = createParquetEncoder(columns);
    const schema = parquetMetadata(fileOf([...encoder.encode(nestedRecords()), ...encoder.finish()])).schema;
    const at = (name: string) => schema.findIndex((s) => s.name === name);
    const target = at('target');
    expect(schema[target]).toMatchObject({ converted_type: 'LIST', num_children: 1, repetition_type: 'OPTIONAL' });
    expect(schema[target + 1]).toMatchObject({ name: 'list', repetition_type: 'REPEATED', num_children: 1 });
    expect(schema[target + 2]).toMatchObject({ name: 'element', repetition_type: 'OPTIONAL', num_children: 3 });
    expect(schema[at('actor')]).toMatchObject({ num_children: 5, repetition_type: 'OPTIONAL' });
    expect(schema[at('actor')]?.type).toBeUndefined();
    const seen = at('seen');
    expect(schema[seen + 2]).toMatchObject({
      type: 'INT64',
      logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
    });
    expect(schema.every((s) => s.name === 'root' || s.repetition_type !== 'REQUIRED')).toBe(true);
  });

  it('round-trips lists, structs, lists of structs of structs, empties and nulls', async () => {
    const records = nestedRecords();
    const encoder = createParquetEncoder(columns, { rowGroupRows: 2 });
    const file = fileOf([...encoder.encode(records), ...encoder.finish()]);
    expect(parquetMetadata(file).row_groups.map((g) => Number(g.num_rows))).toEqual([2, 1]);
    const rows = await parquetReadObjects({ file });
    expect(rows).toHaveLength(records.length);
    records.forEach((record, i) => {
      const expected: Record<string, Cell> = {};
      for (const c of columns) expected[c.name] = toCell(c, rawValueAt(record, c.path));
      expect(asCell(rows[i])).toEqual(expected);
    });
    // The normalized values are the source's, not a copy of themselves: spot-check a deep one.
    expect(rows[0]?.ip_chain[0].geographical_context.geolocation.lon).toBe(8.5417);
    expect(rows[0]?.counts).toEqual([9007199254740993n, 2n]);
    expect(rows[1]?.target).toEqual([]);
  });
});
