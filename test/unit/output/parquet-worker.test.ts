import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { afterAll, describe, expect, it } from 'vitest';
import type { OktaRecord } from '../../../lambdas/okta/types.js';
import type { ColumnSpec } from '../../../lambdas/output/columns.js';
import { createEncoderPool } from '../../../lambdas/output/encoders/encoder-pool.js';
import {
  createParquetEncoder,
  createParquetWorkerEncoder,
  type ParquetEncoderOptions,
} from '../../../lambdas/output/encoders/parquet.js';
import { EncoderWorkerError, OutputWriteError } from '../../../lambdas/output/errors.js';
import { columnsFromFields, createOutputWriter, runKeyPrefix } from '../../../lambdas/output/index.js';
import { fixtureUsers, manyUsers, userFields } from './fixtures.js';
import { nestedFields, nestedRecords } from './nested-fixtures.js';

const pool = createEncoderPool();
afterAll(() => pool.close());

const toArrayBuffer = (chunks: readonly Uint8Array[]): ArrayBuffer => {
  const all = Buffer.concat(chunks);
  return all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer;
};

function inThread(columns: readonly ColumnSpec[], records: OktaRecord[], options: ParquetEncoderOptions): Buffer {
  const encoder = createParquetEncoder(columns, options);
  return Buffer.concat([...encoder.encode(records), ...encoder.finish()]);
}

async function inWorker(columns: readonly ColumnSpec[], records: OktaRecord[], options: ParquetEncoderOptions) {
  const encoder = createParquetWorkerEncoder(columns, pool, options);
  const chunks: Uint8Array[] = [];
  // Several encode() calls, as the writer makes them, so row groups are in flight while more rows come.
  for (let i = 0; i < records.length; i += 97) chunks.push(...(await encoder.encode(records.slice(i, i + 97))));
  chunks.push(...(await encoder.finish()));
  return Buffer.concat(chunks);
}

describe('Parquet encoding in the worker thread', () => {
  const flat = columnsFromFields(userFields);
  const nested = columnsFromFields(nestedFields);

  it('writes the same bytes as the in-thread encoder: every scalar type, nulls, unicode, 1 MB strings', async () => {
    const records = fixtureUsers();
    const expected = inThread(flat, records, {});
    expect((await inWorker(flat, records, {})).equals(expected)).toBe(true);
    const rows = await parquetReadObjects({ file: toArrayBuffer([expected]) });
    expect(rows).toHaveLength(records.length);
    expect(new Set(flat.map((c) => c.type))).toEqual(
      new Set(['string', 'timestamp', 'int64', 'double', 'boolean', 'json']),
    );
  });

  it('writes the same bytes over many row groups, with and without dictionaries, and with gzip', async () => {
    const records = manyUsers(3000);
    for (const options of [{ rowGroupRows: 256 }, { rowGroupRows: 1000, compression: 'gzip' as const }]) {
      const expected = inThread(flat, records, options);
      const actual = await inWorker(flat, records, options);
      expect(actual.equals(expected)).toBe(true);
      const meta = parquetMetadata(toArrayBuffer([actual]));
      expect(meta.row_groups.length).toBe(Math.ceil(3000 / options.rowGroupRows));
      const encodings = meta.row_groups.flatMap((g) => g.columns.flatMap((c) => c.meta_data?.encodings ?? []));
      expect(encodings).toContain('RLE_DICTIONARY');
      expect(encodings).toContain('PLAIN');
    }
  });

  it('writes the same bytes for typed lists and structs (nested columns)', async () => {
    const records = nestedRecords();
    const expected = inThread(nested, records, { rowGroupRows: 2 });
    expect((await inWorker(nested, records, { rowGroupRows: 2 })).equals(expected)).toBe(true);
  });

  it('keeps files of concurrent writers apart on the one shared worker, within the in-flight bound', async () => {
    const bounded = createEncoderPool({ maxInFlightBytes: 1 });
    try {
      const a = manyUsers(1500);
      const b = nestedRecords();
      const encode = async (columns: readonly ColumnSpec[], records: OktaRecord[]) => {
        const encoder = createParquetWorkerEncoder(columns, bounded, { rowGroupRows: 100 });
        const chunks: Uint8Array[] = [];
        for (const r of records) chunks.push(...(await encoder.encode([r])));
        chunks.push(...(await encoder.finish()));
        return Buffer.concat(chunks);
      };
      const [fa, fb] = await Promise.all([encode(flat, a), encode(nested, b)]);
      expect(fa.equals(inThread(flat, a, { rowGroupRows: 100 }))).toBe(true);
      expect(fb.equals(inThread(nested, b, { rowGroupRows: 100 }))).toBe(true);
      expect(bounded.inFlightBytes).toBe(0);
    } finally {
      await bounded.close();
    }
  });
});

describe('a crash of the encoder worker', () => {
  const root = mkdtempSync(join(tmpdir(), 'okta-flow-worker-crash-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('fails the write with EncoderWorkerError and commits no file', async () => {
    const crashing = createEncoderPool({ entry: new URL('./workers/crashing-encoder-worker.ts', import.meta.url) });
    try {
      const writer = createOutputWriter({
        target: { kind: 'local', rootDir: root },
        keyPrefix: runKeyPrefix({ prefix: 'okta', object: 'User', dt: '2025-02-03', runId: 'crash' }),
        format: 'parquet',
        columns: columnsFromFields(userFields),
        parquet: { worker: crashing, rowGroupRows: 100 },
      });
      const failure = (async () => {
        await writer.write(manyUsers(1000));
        await writer.close();
      })();
      const error = await failure.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(OutputWriteError);
      expect((error as Error).cause).toBeInstanceOf(EncoderWorkerError);
      expect((error as Error).message).toMatch(/encoder worker stopped.*exit code 70/);
      expect(readdirSync(root, { recursive: true }).filter((f) => String(f).endsWith('.parquet'))).toEqual([]);
      // The next file starts a new worker (which crashes again here): the pool does not hang on the dead one.
      const again = createParquetWorkerEncoder(columnsFromFields(userFields), crashing, { rowGroupRows: 1 });
      await expect(
        (async () => {
          await again.encode(manyUsers(2));
          await again.finish();
        })(),
      ).rejects.toBeInstanceOf(EncoderWorkerError);
    } finally {
      await crashing.close();
    }
  });
});
