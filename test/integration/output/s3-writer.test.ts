import { createHash } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commitKey, listCommits, readCommit } from '../../../lambdas/lake/commit-log.js';
import type { OktaRecord } from '../../../lambdas/okta/types.js';
import {
  buildManifest,
  columnsFromFields,
  createOutputWriter,
  OutputWriteError,
  runKeyPrefix,
  type S3Target,
  sealRunFiles,
} from '../../../lambdas/output/index.js';
import { manyUsers, userFields } from '../../unit/output/fixtures.js';
import { commitManifest } from './commit-helper.js';
import { permanentError, type S3Harness, SSE_HEADERS, startS3, transientError } from './s3-harness.js';

const KMS_KEY = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const columns = columnsFromFields(userFields);
const MiB = 1024 * 1024;

let s3: S3Harness;
let target: S3Target;

beforeAll(async () => {
  s3 = await startS3();
  target = {
    kind: 's3',
    client: s3.client,
    bucket: s3.bucket,
    sseKms: { kmsKeyId: KMS_KEY },
    partSizeBytes: 5 * MiB,
    queueSize: 2,
  };
});
afterAll(async () => {
  await s3?.close();
});
beforeEach(() => {
  s3.requests.length = 0;
  s3.setFault(undefined);
});

/** Users with a 100 KB description: ~130 of them make a CSV of several 5 MiB parts. */
function bulkyUsers(n: number, start = 0): OktaRecord[] {
  return manyUsers(n, start).map((u, i) => ({
    ...u,
    profile: { ...(u.profile as object), description: `${i}:${'x'.repeat(100_000)}` },
  }));
}

async function getBytes(key: string): Promise<Buffer> {
  const out = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
  return Buffer.from((await out.Body?.transformToByteArray()) ?? []);
}

async function listKeys(prefix: string): Promise<string[]> {
  const out = await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix }));
  return (out.Contents ?? []).map((c) => c.Key ?? '').sort();
}

function prefixFor(runId: string): string {
  return runKeyPrefix({ prefix: 'okta', object: 'User', dt: '2025-01-02', runId });
}

describe('S3 sink on s3rver', () => {
  it('streams a large file as a multipart upload with SSE-KMS on every write request', async () => {
    const keyPrefix = prefixFor('multipart');
    const writer = createOutputWriter({ target, keyPrefix, format: 'csv', columns });
    const users = bulkyUsers(160);
    for (let i = 0; i < users.length; i += 20) await writer.write(users.slice(i, i + 20));
    const { files } = await writer.close();

    expect(files).toHaveLength(1);
    const file = files[0];
    expect(file?.key).toBe(`${keyPrefix}/part-00000.csv`);
    const commands = s3.requests.map((r) => r.command);
    expect(commands.filter((c) => c === 'CreateMultipartUploadCommand')).toHaveLength(1);
    expect(commands.filter((c) => c === 'UploadPartCommand').length).toBeGreaterThanOrEqual(3);
    expect(commands).toContain('CompleteMultipartUploadCommand');

    // Every request that creates an object carries the customer key and the bucket key flag, on the wire.
    const writes = s3.requests.filter((r) => ['PutObjectCommand', 'CreateMultipartUploadCommand'].includes(r.command));
    expect(writes.length).toBeGreaterThan(0);
    for (const write of writes) {
      expect(write.headers[SSE_HEADERS[0] as string]).toBe('aws:kms');
      expect(write.headers[SSE_HEADERS[1] as string]).toBe(KMS_KEY);
      expect(write.headers[SSE_HEADERS[2] as string]).toBe('true');
    }

    const body = await getBytes(file?.key ?? '');
    expect(body.length).toBe(file?.bytes);
    expect(createHash('sha256').update(body).digest('hex')).toBe(file?.sha256);
    const rows: string[][] = parse(body);
    expect(rows).toHaveLength(161);
    expect(rows.slice(1).map((r) => r[0])).toEqual(users.map((u) => u.id));
    expect(await s3.openMultipartUploads()).toEqual([]);
  });

  it('rolls files at the record limit and at the target size, with sequential deterministic keys', async () => {
    const byCount = createOutputWriter({
      target,
      keyPrefix: prefixFor('roll-count'),
      format: 'jsonl',
      columns,
      maxRecordsPerFile: 40,
    });
    await byCount.write(manyUsers(100));
    const counted = await byCount.close();
    expect(counted.files.map((f) => [f.key.split('/').at(-1), f.records])).toEqual([
      ['part-00000.jsonl', 40],
      ['part-00001.jsonl', 40],
      ['part-00002.jsonl', 20],
    ]);

    const bySize = createOutputWriter({
      target,
      keyPrefix: prefixFor('roll-size'),
      format: 'csv',
      columns,
      targetFileBytes: 6 * MiB,
    });
    const users = bulkyUsers(200);
    for (let i = 0; i < users.length; i += 10) await bySize.write(users.slice(i, i + 10));
    const sized = await bySize.close();
    expect(sized.files.length).toBeGreaterThanOrEqual(3);
    expect(sized.files.reduce((n, f) => n + f.records, 0)).toBe(200);
    for (const f of sized.files.slice(0, -1)) {
      expect(f.bytes).toBeGreaterThanOrEqual(6 * MiB);
      expect(f.bytes).toBeLessThan(6 * MiB + 11 * 101_000); // at most one batch past the target
    }
    expect(await listKeys(prefixFor('roll-size'))).toEqual(sized.files.map((f) => f.key));
  });

  it('retries a failed part and still completes the upload', async () => {
    s3.setFault((command, input, attempt) =>
      command === 'UploadPartCommand' && input.PartNumber === 2 && attempt === 1 ? transientError() : undefined,
    );
    const writer = createOutputWriter({ target, keyPrefix: prefixFor('retry'), format: 'csv', columns });
    await writer.write(bulkyUsers(130));
    const { files } = await writer.close();
    const part2 = s3.requests.filter((r) => r.command === 'UploadPartCommand' && r.query.partNumber === '2');
    expect(part2).toHaveLength(2);
    expect(
      createHash('sha256')
        .update(await getBytes(files[0]?.key ?? ''))
        .digest('hex'),
    ).toBe(files[0]?.sha256);
  });

  it('aborts the multipart upload on an unrecoverable part error and names the file', async () => {
    s3.setFault((command, input) =>
      command === 'UploadPartCommand' && input.PartNumber === 2 ? permanentError() : undefined,
    );
    const keyPrefix = prefixFor('fail');
    const writer = createOutputWriter({ target, keyPrefix, format: 'csv', columns });
    const failure = (async () => {
      const users = bulkyUsers(200);
      for (let i = 0; i < users.length; i += 20) await writer.write(users.slice(i, i + 20));
      await writer.close();
    })();
    const error = await failure.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OutputWriteError);
    expect((error as OutputWriteError).key).toBe(`${keyPrefix}/part-00000.csv`);
    expect((error as Error).message).toMatch(/part-00000\.csv.*AccessDenied/s);
    expect(s3.requests.map((r) => r.command)).toContain('AbortMultipartUploadCommand');
    expect(await s3.openMultipartUploads()).toEqual([]);
    expect(await listKeys(keyPrefix)).toEqual([]);
    await expect(writer.write(manyUsers(1))).rejects.toThrow(/failed/);
  });

  it('abort() discards the open file without leaving parts behind', async () => {
    const keyPrefix = prefixFor('abort');
    const writer = createOutputWriter({ target, keyPrefix, format: 'csv', columns });
    await writer.write(bulkyUsers(130)); // > 2 parts already handed to the upload
    await writer.abort('extract failed');
    expect(await s3.openMultipartUploads()).toEqual([]);
    expect(await listKeys(keyPrefix)).toEqual([]);
  });

  it('abort() during an in-flight write stops it and leaves nothing behind', async () => {
    const keyPrefix = prefixFor('abort-inflight');
    const writer = createOutputWriter({ target, keyPrefix, format: 'csv', columns, partLabel: 's01' });
    const inflight = writer.write(bulkyUsers(200));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await writer.abort('run cancelled');
    await inflight.catch(() => undefined);
    await expect(writer.write(manyUsers(1))).rejects.toThrow(/output writer is failed/);
    expect(await s3.openMultipartUploads()).toEqual([]);
    expect(await listKeys(keyPrefix)).toEqual([]);
  });

  it('commits with the one commit record last; a re-run of the same run id overwrites and drops stale parts', async () => {
    const keyPrefix = prefixFor('rerun');
    const startedAt = '2025-01-02T00:00:00.000Z';
    const commit = async (count: number) => {
      const writer = createOutputWriter({ target, keyPrefix, format: 'parquet', columns, maxRecordsPerFile: 30 });
      await writer.write(manyUsers(count));
      const { files } = await writer.close();
      const manifest = buildManifest(target, {
        runId: 'rerun',
        flow: 'users-daily',
        object: 'User',
        window: { from: '2025-01-01T00:00:00.000Z', to: '2025-01-02T00:00:00.000Z' },
        filter: { kind: 'compare', field: 'status', op: 'EQUAL_TO', value: 'ACTIVE' },
        schemaVersion: '1',
        columns,
        files,
        startedAt,
        finishedAt: '2025-01-02T00:05:00.000Z',
        format: 'parquet',
        compression: 'snappy',
      });
      return commitManifest(target, keyPrefix, manifest, columns);
    };

    await commit(100); // 4 parts
    expect((await listKeys(keyPrefix)).filter((k) => k.includes('part-'))).toHaveLength(4);
    s3.requests.length = 0;
    const recordKey = await commit(50); // 2 parts
    expect(recordKey).toBe(commitKey('okta', 'User', 'rerun'));

    const writes = s3.requests.filter((r) =>
      ['PutObjectCommand', 'CreateMultipartUploadCommand', 'DeleteObjectsCommand'].includes(r.command),
    );
    // Parts first, then the stale parts of the longer attempt go, then the commit record, last and SSE-KMS.
    expect(writes.at(-2)?.command).toBe('DeleteObjectsCommand');
    expect(writes.at(-1)?.command).toBe('PutObjectCommand');
    expect(writes.at(-1)?.path).toContain('/okta/_commits/User/rerun.json');
    expect(writes.at(-1)?.headers['x-amz-server-side-encryption-aws-kms-key-id']).toBe(KMS_KEY);

    expect(await listKeys(keyPrefix)).toEqual([`${keyPrefix}/part-00000.parquet`, `${keyPrefix}/part-00001.parquet`]);
    const manifest = (await readCommit(target, 'okta', 'User', 'rerun'))?.records.manifest;
    expect(manifest?.files.map((f) => f.records)).toEqual([30, 20]);
    expect(manifest?.totals).toEqual({
      records: 50,
      files: 2,
      bytes: (manifest?.files ?? []).reduce((n, f) => n + f.bytes, 0),
    });
    expect(manifest?.encryption.serverSide).toEqual({ type: 'aws:kms', kmsKeyId: KMS_KEY, bucketKeyEnabled: true });
    expect(manifest?.filter).toEqual({ kind: 'compare', field: 'status', op: 'EQUAL_TO', value: 'ACTIVE' });
    for (const f of manifest?.files ?? []) {
      expect(
        createHash('sha256')
          .update(await getBytes(f.key))
          .digest('hex'),
      ).toBe(f.sha256);
      const head = await s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: f.key }));
      expect(head.ContentLength).toBe(f.bytes);
    }
  });

  it('lists only runs that have a commit record', async () => {
    const uncommitted = createOutputWriter({ target, keyPrefix: prefixFor('no-manifest'), format: 'jsonl', columns });
    await uncommitted.write(manyUsers(3));
    await uncommitted.close();
    const runs = await listCommits(target, 'okta', 'User');
    const ids = runs.map((r) => r.run_id);
    expect(ids).toContain('rerun');
    expect(ids).not.toContain('no-manifest');
    expect(runs.find((r) => r.run_id === 'rerun')).toMatchObject({ dt: '2025-01-02', run_id: 'rerun', object: 'User' });
    expect(await readCommit(target, 'okta', 'User', 'no-manifest')).toBeNull();
  });

  it('refuses to commit a manifest that lists a missing file', async () => {
    const keyPrefix = prefixFor('missing');
    const manifest = buildManifest(target, {
      runId: 'missing',
      flow: 'f',
      object: 'User',
      window: {},
      filter: null,
      schemaVersion: '1',
      columns,
      files: [{ key: `${keyPrefix}/part-00000.parquet`, bytes: 1, records: 1, sha256: '0'.repeat(64) }],
      startedAt: 'x',
      finishedAt: 'y',
      format: 'parquet',
      compression: 'snappy',
    });
    await expect(sealRunFiles(target, keyPrefix, manifest)).rejects.toThrow(/listed but missing/);
    expect(await listKeys(keyPrefix)).toEqual([]);
  });
});
