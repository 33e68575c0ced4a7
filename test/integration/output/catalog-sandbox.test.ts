import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultFields, getObjectDef, getValue } from '../../../lambdas/okta/catalog/index.js';
import type { OktaRecord } from '../../../lambdas/okta/types.js';
import { columnsFromFields, createOutputWriter, runKeyPrefix } from '../../../lambdas/output/index.js';
import { createClock } from '../../../sandbox/clock.js';
import { createOrg, DEFAULT_EPOCH_MS } from '../../../sandbox/org/index.js';

const root = mkdtempSync(join(tmpdir(), 'okta-flow-catalog-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const fields = defaultFields(getObjectDef('User'));
const columns = columnsFromFields(fields);
const users: OktaRecord[] = [
  ...createOrg({ seed: 7, users: 300 }, createClock(DEFAULT_EPOCH_MS, { running: false })).all('users'),
];

describe('real catalog columns on sandbox users', () => {
  it('Parquet: DuckDB reads every default User column back equal to the catalog value', async () => {
    const keyPrefix = runKeyPrefix({ prefix: 'okta', object: 'User', dt: '2026-01-01', runId: 'catalog' });
    const writer = createOutputWriter({
      target: { kind: 'local', rootDir: root },
      keyPrefix,
      format: 'parquet',
      columns,
    });
    for (let i = 0; i < users.length; i += 200) await writer.write(users.slice(i, i + 200));
    const { files } = await writer.close();
    const db = await DuckDBInstance.create(':memory:');
    const connection = await db.connect();
    const select = columns
      .map((c) => (c.type === 'timestamp' ? `epoch_ms("${c.name}") AS "${c.name}"` : `"${c.name}"`))
      .join(', ');
    const result = await connection.runAndReadAll(
      `SELECT ${select} FROM read_parquet('${join(root, files[0]?.key ?? '')}')`,
    );
    const rows = result.getRowObjectsJS();
    connection.closeSync();
    expect(rows).toHaveLength(users.length);
    users.forEach((user, i) => {
      const expected = Object.fromEntries(
        fields.map((f, j) => {
          const value = getValue(user, f);
          const type = columns[j]?.type;
          if (value === undefined || value === null) return [f.column, null];
          if (type === 'timestamp') return [f.column, BigInt(Date.parse(String(value)))];
          if (type === 'json') return [f.column, JSON.stringify(value)];
          return [f.column, value];
        }),
      );
      expect(rows[i]).toEqual(expected);
    });
  });

  it('JSONL: each line is the record projected to the default fields (Okta shape)', async () => {
    const keyPrefix = runKeyPrefix({ prefix: 'okta', object: 'User', dt: '2026-01-01', runId: 'catalog-jsonl' });
    const writer = createOutputWriter({
      target: { kind: 'local', rootDir: root },
      keyPrefix,
      format: 'jsonl',
      columns,
    });
    await writer.write(users);
    const { files } = await writer.close();
    const lines = readFileSync(join(root, files[0]?.key ?? ''), 'utf8')
      .trim()
      .split('\n');
    expect(lines).toHaveLength(users.length);
    lines.forEach((line, i) => {
      const parsed = JSON.parse(line) as OktaRecord;
      for (const f of fields) expect(getValue(parsed, f)).toEqual(getValue(users[i] ?? {}, f));
      // Sensitive fields (dropped by default) do not leak through a parent column.
      expect(JSON.stringify(parsed)).not.toMatch(/recovery_question/);
    });
  });
});
