import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { RawAesKeyringNode, RawAesWrappingSuiteIdentifier } from '@aws-crypto/client-node';
import { DuckDBInstance } from '@duckdb/node-api';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCommits, readCommit } from '../../../lambdas/lake/commit-log.js';
import type { OktaRecord } from '../../../lambdas/okta/types.js';
import {
  buildManifest,
  ColumnValueError,
  columnsFromFields,
  createOutputWriter,
  decryptFile,
  type LocalTarget,
  runKeyPrefix,
} from '../../../lambdas/output/index.js';
import { fixtureUsers, manyUsers, ONE_MB_STRING, userFields } from '../../unit/output/fixtures.js';
import { commitManifest } from './commit-helper.js';

const columns = columnsFromFields(userFields);
let root: string;
let target: LocalTarget;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'okta-flow-out-'));
  target = { kind: 'local', rootDir: root };
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const prefixFor = (runId: string) => runKeyPrefix({ prefix: 'okta', object: 'User', dt: '2025-02-03', runId });
const read = (key: string) => readFileSync(join(root, key));

async function duckRows(path: string): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  const result = await connection.runAndReadAll(
    `SELECT *, epoch_ms(created) AS created_ms, epoch_ms(last_login) AS last_login_ms,
            typeof(created) AS created_type, typeof(employee_number) AS employee_number_type
     FROM read_parquet('${path.replaceAll("'", "''")}') ORDER BY id`,
  );
  const rows = result.getRowObjectsJS() as Record<string, unknown>[];
  connection.closeSync();
  return rows;
}

/** The expected value of every column as DuckDB returns it, derived from the source records. */
function expectedDuckRow(record: OktaRecord): Record<string, unknown> {
  const profile = (record.profile ?? {}) as Record<string, unknown>;
  const ts = (v: unknown) => (typeof v === 'string' ? BigInt(Date.parse(v)) : null);
  const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));
  const provider = (record.credentials as Record<string, unknown> | undefined)?.provider;
  return {
    id: record.id,
    status: record.status,
    created_ms: ts(record.created),
    last_login_ms: ts(record.lastLogin),
    login: profile.login,
    first_name: profile.firstName ?? null,
    department: profile.department ?? null,
    description: profile.description ?? null,
    employee_number: profile.employeeNumber === undefined ? null : BigInt(profile.employeeNumber as string),
    score: profile.score ?? null,
    is_contractor: profile.isContractor ?? null,
    cost_centers: json(profile.costCenters),
    credentials_provider: json(provider),
    type: json(record.type),
    created_type: 'TIMESTAMP WITH TIME ZONE',
    employee_number_type: 'BIGINT',
  };
}

describe('local sink', () => {
  it.each(['snappy', 'gzip', 'none'] as const)(
    'Parquet (%s) is read by DuckDB record for record',
    async (compression) => {
      const keyPrefix = prefixFor(`pq-${compression}`);
      const writer = createOutputWriter({ target, keyPrefix, format: 'parquet', compression, columns });
      await writer.write(fixtureUsers());
      const { files } = await writer.close();
      expect(files.map((f) => f.key)).toEqual([`${keyPrefix}/part-00000.parquet`]);
      const rows = await duckRows(join(root, files[0]?.key ?? ''));
      expect(rows).toHaveLength(3);
      fixtureUsers().forEach((record, i) => {
        expect(rows[i]).toMatchObject(expectedDuckRow(record));
      });
      expect(rows[1]?.description).toBe(ONE_MB_STRING);
    },
  );

  it('Parquet ZSTD works where node:zlib has zstd, and says why not elsewhere', async () => {
    const hasZstd = 'zstdCompressSync' in (await import('node:zlib'));
    const writer = createOutputWriter({
      target,
      keyPrefix: prefixFor('pq-zstd'),
      format: 'parquet',
      compression: 'zstd',
      columns,
    });
    if (hasZstd) {
      await writer.write(fixtureUsers());
      const { files } = await writer.close();
      const rows = await duckRows(join(root, files[0]?.key ?? ''));
      expect(rows.map((r) => r.id)).toEqual(['00u1', '00u2', '00u3']);
    } else {
      await expect(writer.write(fixtureUsers())).rejects.toThrow(/ZSTD compression needs Node\.js >= 22\.15/);
    }
  });

  it('gzip CSV and JSONL end in .gz and decompress to the plain encodings', async () => {
    const csv = createOutputWriter({ target, keyPrefix: prefixFor('gz'), format: 'csv', compression: 'gzip', columns });
    await csv.write(fixtureUsers());
    const csvFiles = (await csv.close()).files;
    expect(csvFiles[0]?.key).toMatch(/part-00000\.csv\.gz$/);
    const rows: string[][] = parse(gunzipSync(read(csvFiles[0]?.key ?? '')));
    expect(rows.slice(1).map((r) => r[0])).toEqual(['00u1', '00u2', '00u3']);

    const jsonl = createOutputWriter({
      target,
      keyPrefix: prefixFor('gz'),
      format: 'jsonl',
      compression: 'gzip',
      columns,
    });
    await jsonl.write(fixtureUsers());
    const jsonlFiles = (await jsonl.close()).files;
    expect(jsonlFiles[0]?.key).toMatch(/part-00000\.jsonl\.gz$/);
    const stored = read(jsonlFiles[0]?.key ?? '');
    expect(createHash('sha256').update(stored).digest('hex')).toBe(jsonlFiles[0]?.sha256);
    const lines = gunzipSync(stored).toString('utf8').trim().split('\n');
    expect(JSON.parse(lines[1] ?? '').profile.description).toBe(ONE_MB_STRING);
  });

  it('checkpoint() ends the part; a resumed writer continues numbering; the manifest commits both', async () => {
    const keyPrefix = prefixFor('resume');
    const first = createOutputWriter({ target, keyPrefix, format: 'parquet', columns });
    await first.write(manyUsers(10));
    const cp = await first.checkpoint();
    expect(cp).toMatchObject({ nextPartIndex: 1, files: [{ key: `${keyPrefix}/part-00000.parquet`, records: 10 }] });
    const second = createOutputWriter({
      target,
      keyPrefix,
      format: 'parquet',
      columns,
      startPartIndex: cp.nextPartIndex,
    });
    await second.write(manyUsers(5, 10));
    const done = await second.close();
    expect(done.files.map((f) => f.key)).toEqual([`${keyPrefix}/part-00001.parquet`]);
    const manifest = buildManifest(target, {
      runId: 'resume',
      flow: 'users',
      object: 'User',
      window: { to: '2025-02-03T00:00:00.000Z' },
      filter: null,
      schemaVersion: '1',
      columns,
      files: [...cp.files, ...done.files],
      startedAt: '2025-02-03T00:00:00.000Z',
      finishedAt: '2025-02-03T00:01:00.000Z',
      format: 'parquet',
      compression: 'snappy',
    });
    await commitManifest(target, keyPrefix, manifest, columns);
    const stored = (await readCommit(target, 'okta', 'User', 'resume'))?.records.manifest;
    expect(stored?.totals).toMatchObject({ records: 15, files: 2 });
    expect(stored?.encryption).toEqual({ serverSide: { type: 'none' }, clientSide: null });
    expect((await listCommits(target, 'okta', 'User')).map((r) => r.run_id)).toEqual(['resume']);
    const rows = await duckRows(join(root, keyPrefix, 'part-*.parquet'));
    expect(rows).toHaveLength(15);
  });

  it('a value that does not fit its column fails loudly and leaves no partial file', async () => {
    const keyPrefix = prefixFor('bad-value');
    const writer = createOutputWriter({ target, keyPrefix, format: 'csv', columns });
    const bad = { ...manyUsers(1)[0], created: 'yesterday-ish' };
    await expect(writer.write([...manyUsers(3), bad])).rejects.toBeInstanceOf(ColumnValueError);
    await expect(writer.close()).rejects.toThrow(/failed/);
    const leftovers = await (await import('node:fs/promises')).readdir(join(root, keyPrefix)).catch(() => []);
    expect(leftovers).toEqual([]);
  });

  it('client-side envelope encryption: ciphertext stored and hashed, decryptable only for its own key', async () => {
    const keyring = new RawAesKeyringNode({
      keyName: 'test-key',
      keyNamespace: 'okta-flow-test',
      unencryptedMasterKey: new Uint8Array(randomBytes(32)),
      wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
    });
    const keyPrefix = prefixFor('cse');
    const writer = createOutputWriter({
      target,
      keyPrefix,
      format: 'jsonl',
      columns,
      maxRecordsPerFile: 2,
      clientSideEncryption: { keyring, keyDescription: 'raw-aes test key' },
    });
    await writer.write(fixtureUsers());
    const { files } = await writer.close();
    expect(files.map((f) => f.key.split('/').at(-1))).toEqual([
      'part-00000.jsonl.encrypted',
      'part-00001.jsonl.encrypted',
    ]);
    const ciphertext = read(files[0]?.key ?? '');
    expect(ciphertext.includes(Buffer.from('zoë@example.com'))).toBe(false);
    expect(createHash('sha256').update(ciphertext).digest('hex')).toBe(files[0]?.sha256);
    const plaintext = await decryptFile(keyring, ciphertext, files[0]?.key ?? '');
    const lines = plaintext
      .toString('utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(['00u1', '00u2']);
    await expect(decryptFile(keyring, ciphertext, files[1]?.key ?? '')).rejects.toThrow(/different key/);
  });
});
