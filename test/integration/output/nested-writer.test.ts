/**
 * Nested columns end to end through the writer: DuckDB (an independent C++ reader) sees real LIST and STRUCT
 * columns with the values of the source records; JSONL keeps Okta's shape; the manifest records the nested types.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { commitKey, readCommit } from '../../../lambdas/lake/commit-log.js';
import { getObjectDef, resolveField } from '../../../lambdas/okta/catalog/index.js';
import {
  buildManifest,
  ColumnValueError,
  columnsFromFields,
  createOutputWriter,
  type LocalTarget,
  runKeyPrefix,
} from '../../../lambdas/output/index.js';
import { nestedFields, nestedRecords } from '../../unit/output/nested-fixtures.js';
import { commitManifest } from './commit-helper.js';

const root = mkdtempSync(join(tmpdir(), 'okta-flow-nested-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const target: LocalTarget = { kind: 'local', rootDir: root };
const columns = columnsFromFields(nestedFields);
const prefixFor = (runId: string) => runKeyPrefix({ prefix: 'okta', object: 'Event', dt: '2025-02-03', runId });

async function duck(sql: string): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  const rows = (await connection.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
  connection.closeSync();
  return rows;
}

describe('nested columns through the writer', () => {
  it('Parquet: DuckDB reads LIST and STRUCT columns with the source values', async () => {
    const keyPrefix = prefixFor('nested-parquet');
    const writer = createOutputWriter({ target, keyPrefix, format: 'parquet', columns });
    await writer.write(nestedRecords());
    const { files } = await writer.close();
    const path = join(root, files[0]?.key ?? '');
    const types = await duck(
      `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('${path}', hive_partitioning = false))`,
    );
    expect(Object.fromEntries(types.map((t) => [t.column_name, t.column_type]))).toEqual({
      uuid: 'VARCHAR',
      published: 'TIMESTAMP WITH TIME ZONE',
      object_class: 'VARCHAR[]',
      counts: 'BIGINT[]',
      seen: 'TIMESTAMP WITH TIME ZONE[]',
      actor: 'STRUCT(id VARCHAR, "type" VARCHAR, alternate_id VARCHAR, display_name VARCHAR, detail_entry VARCHAR)',
      target: 'STRUCT(id VARCHAR, "type" VARCHAR, display_name VARCHAR)[]',
      ip_chain:
        'STRUCT(ip VARCHAR, "version" VARCHAR, geographical_context STRUCT(city VARCHAR, postal_code VARCHAR, ' +
        'geolocation STRUCT(lat DOUBLE, lon DOUBLE)))[]',
      tags: 'VARCHAR',
    });
    const rows = await duck(
      `SELECT uuid, object_class, counts, list_transform(seen, x -> epoch_ms(x)) AS seen_ms, actor, target, ip_chain,
              ip_chain[1].geographical_context.geolocation.lat AS lat, len(target) AS targets
       FROM read_parquet('${path}') ORDER BY uuid`,
    );
    expect(rows).toEqual([
      {
        uuid: 'e1',
        object_class: ['okta:user_group', 'okta:windows_security_principal'],
        counts: [9007199254740993n, 2n],
        seen_ms: [BigInt(Date.UTC(2024, 0, 1)), null],
        actor: {
          id: '00u1',
          type: 'User',
          alternate_id: 'zoë@example.com',
          display_name: 'Zoë 李 🚀',
          detail_entry: '{"method":"PASSWORD","nested":[1,{"deep":true}]}',
        },
        target: [
          { id: '0oa1', type: 'AppInstance', display_name: 'Slack' },
          { id: '00g1', type: 'UserGroup', display_name: null },
        ],
        ip_chain: [
          {
            ip: '10.0.0.1',
            version: 'V4',
            geographical_context: { city: 'Zürich', postal_code: '8001', geolocation: { lat: 47.3769, lon: 8.5417 } },
          },
          { ip: '2001:db8::1', version: 'V6', geographical_context: null },
        ],
        lat: 47.3769,
        targets: 2n,
      },
      {
        uuid: 'e2',
        object_class: [],
        counts: [],
        seen_ms: [],
        actor: { id: '00u2', type: null, alternate_id: null, display_name: null, detail_entry: null },
        target: [],
        ip_chain: [{ ip: '10.0.0.2', version: null, geographical_context: null }],
        lat: null,
        targets: 0n,
      },
      {
        uuid: 'e3',
        object_class: null,
        counts: null,
        seen_ms: null,
        actor: null,
        target: null,
        ip_chain: null,
        lat: null,
        targets: null,
      },
    ]);
  });

  it('Parquet: the catalog group objectClass is a VARCHAR[] DuckDB can unnest', async () => {
    const group = getObjectDef('Group');
    const fields = ['id', 'object_class'].map((name) => resolveField(group, name)).filter((f) => f !== undefined);
    const groupColumns = columnsFromFields(fields);
    expect(groupColumns[1]?.type).toEqual({ kind: 'list', element: 'string' });
    const keyPrefix = runKeyPrefix({ prefix: 'okta', object: 'Group', dt: '2025-02-03', runId: 'groups' });
    const writer = createOutputWriter({ target, keyPrefix, format: 'parquet', columns: groupColumns });
    await writer.write([
      { id: '00g1', objectClass: ['okta:user_group'] },
      { id: '00g2', objectClass: ['okta:windows_security_principal', 'okta:user_group'] },
    ]);
    const { files } = await writer.close();
    const rows = await duck(
      `SELECT id, unnest(object_class) AS class FROM read_parquet('${join(root, files[0]?.key ?? '')}') ORDER BY id, class`,
    );
    expect(rows).toEqual([
      { id: '00g1', class: 'okta:user_group' },
      { id: '00g2', class: 'okta:user_group' },
      { id: '00g2', class: 'okta:windows_security_principal' },
    ]);
  });

  it('JSONL keeps Okta’s nested shape, undeclared struct members included', async () => {
    const keyPrefix = prefixFor('nested-jsonl');
    const writer = createOutputWriter({ target, keyPrefix, format: 'jsonl', columns });
    await writer.write(nestedRecords());
    const { files } = await writer.close();
    const lines = readFileSync(join(root, files[0]?.key ?? ''), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const source = nestedRecords();
    expect(lines[0].actor).toEqual(source[0]?.actor);
    expect(lines[0].request.ipChain).toEqual((source[0]?.request as Record<string, unknown> | undefined)?.ipChain);
    expect(lines[2]).toEqual({
      uuid: 'e3',
      published: '2024-05-03T00:00:00.000Z',
      objectClass: null,
      actor: null,
    });
  });

  it('a nested value of the wrong shape fails the write loudly', async () => {
    const writer = createOutputWriter({ target, keyPrefix: prefixFor('nested-bad'), format: 'parquet', columns });
    await expect(writer.write([{ uuid: 'x', target: { id: 'not a list' } }])).rejects.toBeInstanceOf(ColumnValueError);
    await writer.abort('test');
  });

  it('the manifest records nested PhysicalTypes as JSON and reads them back', async () => {
    const keyPrefix = prefixFor('nested-manifest');
    const writer = createOutputWriter({ target, keyPrefix, format: 'parquet', columns });
    await writer.write(nestedRecords());
    const { files } = await writer.close();
    const manifest = buildManifest(target, {
      runId: 'nested-manifest',
      flow: 'events',
      object: 'Event',
      window: {},
      filter: null,
      schemaVersion: '1',
      columns,
      files,
      startedAt: '2025-02-03T00:00:00.000Z',
      finishedAt: '2025-02-03T00:01:00.000Z',
      format: 'parquet',
      compression: 'snappy',
    });
    await commitManifest(target, keyPrefix, manifest, columns);
    const stored = (await readCommit(target, 'okta', 'Event', 'nested-manifest'))?.records.manifest;
    expect(stored?.schema.columns).toEqual(columns.map((c) => ({ name: c.name, type: c.type })));
    const raw = JSON.parse(readFileSync(join(root, commitKey('okta', 'Event', 'nested-manifest')), 'utf8'));
    expect(raw.records.manifest.schema.columns[2]).toEqual({
      name: 'object_class',
      type: { kind: 'list', element: 'string' },
    });
  });
});
