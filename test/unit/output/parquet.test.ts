import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { columnsFromFields } from '../../../lambdas/output/columns.js';
import { createParquetEncoder } from '../../../lambdas/output/encoders/parquet.js';
import { fixtureUsers, manyUsers, ONE_MB_STRING, userFields } from './fixtures.js';

const columns = columnsFromFields(userFields);

function toArrayBuffer(chunks: Uint8Array[]): ArrayBuffer {
  const all = Buffer.concat(chunks);
  return all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer;
}

// hyparquet is a separate reader package; DuckDB (a C++ reader) checks the same files in the integration tests.
describe('Parquet encoder', () => {
  it('round-trips every awkward value through an independent reader', async () => {
    const encoder = createParquetEncoder(columns);
    const file = toArrayBuffer([...encoder.encode(fixtureUsers()), ...encoder.finish()]);
    const rows = await parquetReadObjects({ file });
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual({
      id: '00u1',
      status: 'ACTIVE',
      created: new Date('2024-01-02T03:04:05.678Z'),
      last_login: new Date('2025-06-30T23:59:59.999Z'),
      login: 'zoë@example.com',
      first_name: 'Zoë 李 🚀',
      department: 'R&D, "Labs"\nline two',
      description: 'short',
      employee_number: 9007199254740993n,
      score: 0.1,
      is_contractor: false,
      cost_centers: '["cc-1","cc-2"]',
      credentials_provider: '{"type":"OKTA","name":"OKTA"}',
      type: '{"id":"oty1"}',
    });
    expect(rows[1]?.description).toBe(ONE_MB_STRING);
    expect(rows[1]?.first_name).toBeNull();
    expect(rows[1]?.department).toBe('');
    expect(rows[1]?.score).toBe(-1.5e300);
    expect(rows[2]?.employee_number).toBeNull();
    expect(rows[2]?.created).toEqual(new Date('2020-02-29T12:00:00.001Z'));
    expect(JSON.parse(String(rows[2]?.type))).toEqual({ id: 'oty1', extra: { nested: [1, { deep: true }] } });
  });

  it('declares UTC millisecond timestamps and int64 in the schema', async () => {
    const encoder = createParquetEncoder(columns);
    const meta = parquetMetadata(toArrayBuffer([...encoder.encode(fixtureUsers()), ...encoder.finish()]));
    const created = meta.schema.find((s) => s.name === 'created');
    expect(created?.type).toBe('INT64');
    expect(created?.logical_type).toEqual({ type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' });
    expect(meta.schema.find((s) => s.name === 'employee_number')?.type).toBe('INT64');
    expect(meta.row_groups[0]?.columns[0]?.meta_data?.codec).toBe('SNAPPY');
  });

  it('streams row groups out as they fill instead of holding the file', async () => {
    const encoder = createParquetEncoder(columns, { rowGroupRows: 100 });
    const early = encoder.encode(manyUsers(250));
    // Two full row groups are already out before finish(); the third (50 rows) is still held.
    expect(early.length).toBeGreaterThan(0);
    expect(encoder.heldBytes).toBeGreaterThan(0);
    const file = toArrayBuffer([...early, ...encoder.finish()]);
    const meta = parquetMetadata(file);
    expect(meta.row_groups.map((g) => Number(g.num_rows))).toEqual([100, 100, 50]);
    const rows = await parquetReadObjects({ file, columns: ['employee_number'] });
    expect(rows.map((r) => Number(r.employee_number))).toEqual([...Array(250).keys()]);
  });

  it('rolls row groups by estimated bytes too', () => {
    const encoder = createParquetEncoder(columns, { rowGroupBytes: 64 * 1024 });
    const file = toArrayBuffer([...encoder.encode(manyUsers(2000)), ...encoder.finish()]);
    expect(parquetMetadata(file).row_groups.length).toBeGreaterThan(3);
  });

  it('writes GZIP when asked', () => {
    const encoder = createParquetEncoder(columns, { compression: 'gzip' });
    const meta = parquetMetadata(toArrayBuffer([...encoder.encode(fixtureUsers()), ...encoder.finish()]));
    expect(meta.row_groups[0]?.columns[0]?.meta_data?.codec).toBe('GZIP');
  });
});
