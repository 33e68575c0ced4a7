import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import type { OktaRecord } from '../../../lambdas/okta/types.js';
import { type ColumnSpec, columnsFromFields, rawValueAt, toCell } from '../../../lambdas/output/columns.js';
import { createParquetEncoder } from '../../../lambdas/output/encoders/parquet.js';
import {
  createMemoryBudget,
  defaultBudgetBytes,
  LAMBDA_HEAP_LIMIT_BYTES,
  MIN_SHARE_BYTES,
} from '../../../lambdas/output/memory-budget.js';
import { heapLimitMiB } from '../../../lib/okta-flow-function.js';
import { fixtureUsers, manyUsers, ONE_MB_STRING, userFields } from './fixtures.js';

const columns = columnsFromFields(userFields);
const MiB = 1024 * 1024;

function toArrayBuffer(chunks: Uint8Array[]): ArrayBuffer {
  const all = Buffer.concat(chunks);
  return all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer;
}

/** What a reader should see for one cell: the normalized cell, timestamps as Dates. */
function expected(column: ColumnSpec, record: OktaRecord): unknown {
  const cell = toCell(column, rawValueAt(record, column.path));
  return column.type === 'timestamp' && typeof cell === 'number' ? new Date(cell) : cell;
}

describe('Parquet encoder on compact column buffers', () => {
  it('round-trips every cell across many row groups, the later ones written without dictionary attempts', async () => {
    // Awkward users between ordinary ones, so nulls, absent fields, unicode and a 1 MB string land in several groups.
    const records = [...manyUsers(300), ...fixtureUsers(), ...manyUsers(300, 300), ...fixtureUsers()];
    const encoder = createParquetEncoder(columns, { rowGroupRows: 128 });
    const file = toArrayBuffer([
      ...encoder.encode(records.slice(0, 400)),
      ...encoder.encode(records.slice(400)),
      ...encoder.finish(),
    ]);
    const meta = parquetMetadata(file);
    expect(meta.row_groups.length).toBe(Math.ceil(records.length / 128));
    const rows = await parquetReadObjects({ file });
    expect(rows).toHaveLength(records.length);
    records.forEach((record, r) => {
      for (const column of columns) expect(rows[r]?.[column.name]).toEqual(expected(column, record));
    });
    // High-cardinality columns (id, login) try a dictionary in the first group only; status keeps its dictionary.
    const encodings = (group: number, name: string) =>
      meta.row_groups[group]?.columns.find((c) => c.meta_data?.path_in_schema[0] === name)?.meta_data?.encodings;
    expect(encodings(0, 'status')).toContain('RLE_DICTIONARY');
    expect(encodings(3, 'status')).toContain('RLE_DICTIONARY');
    expect(encodings(0, 'id')).not.toContain('RLE_DICTIONARY');
    expect(encodings(3, 'id')).toEqual(['PLAIN']);
    // JSON columns carry no min/max; text columns keep theirs.
    const stats = (name: string) =>
      meta.row_groups[0]?.columns.find((c) => c.meta_data?.path_in_schema[0] === name)?.meta_data?.statistics;
    expect(stats('type')?.min_value).toBeUndefined();
    expect(stats('login')?.min_value).toBe('user0@example.com');
  });

  it('counts held bytes from the UTF-8 and typed arrays it really holds', () => {
    const encoder = createParquetEncoder(columns, { rowGroupRows: 1_000_000, rowGroupBytes: 1024 * MiB });
    encoder.encode(fixtureUsers());
    // The 1 MB string alone is 2.1 MB of UTF-8 (1.05 M UTF-16 code units); everything else is a few hundred bytes.
    const utf8 = Buffer.byteLength(ONE_MB_STRING, 'utf8');
    expect(encoder.heldBytes).toBeGreaterThan(utf8);
    expect(encoder.heldBytes).toBeLessThan(utf8 + 2000);
    encoder.finish();
  });

  it('sizes row groups from a budget shared by the encoders open at once', () => {
    const budget = createMemoryBudget(8 * MiB);
    const alone = createParquetEncoder(columns, { budget });
    expect(budget.share()).toBe(8 * MiB);
    const second = createParquetEncoder(columns, { budget });
    expect(budget.share()).toBe(4 * MiB);
    const groups = (encoder: typeof alone) =>
      parquetMetadata(toArrayBuffer([...encoder.encode(manyUsers(40_000)), ...encoder.finish()])).row_groups;
    const shared = groups(second);
    expect(budget.share()).toBe(8 * MiB);
    const whole = groups(alone);
    expect(shared.length).toBeGreaterThan(whole.length);
    expect(budget.share()).toBe(8 * MiB);
    // No encoder's share falls below the floor, however many are open.
    const many = Array.from({ length: 16 }, () => budget.join());
    expect(budget.share()).toBe(MIN_SHARE_BYTES);
    for (const leave of many) leave();
  });

  it('derives the default budget from the heap ceiling, never assuming more than the Lambda has', () => {
    expect(defaultBudgetBytes(768 * MiB)).toBe(16 * MiB);
    expect(defaultBudgetBytes(4096 * MiB)).toBe(16 * MiB);
    expect(defaultBudgetBytes(192 * MiB)).toBe(8 * MiB);
    expect(defaultBudgetBytes(64 * MiB)).toBe(8 * MiB);
    expect(LAMBDA_HEAP_LIMIT_BYTES).toBe(heapLimitMiB(1024) * MiB);
  });
});
