import { GetObjectCommand, PutObjectCommand, S3ServiceException } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  LeaseHeldError,
  S3StateStore,
  StateAccessDeniedError,
} from '../../../../lambdas/flow/state/index.js';
import { fakeS3 } from './fake-s3.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('S3StateStore', () => {
  it('keeps state under <prefix>/_state/ and encrypts every write with the configured KMS key', async () => {
    const s3 = fakeS3();
    const store = new S3StateStore({ client: s3.client, bucket: 'exports', prefix: 'okta/', kmsKeyId: KEY });
    await store.putFlowState('users-hourly', { schemaVersion: 1, flow: 'users-hourly', watermark: null }, null);
    await store.acquireLease('users-hourly', 'run-a', 60_000, T0);
    await store.putCheckpoint({ flow: 'users-hourly', runId: 'run-a', slice: 'User.0' }, { page: 1 }, null);
    expect([...s3.objects.keys()].sort()).toEqual([
      'exports/okta/_state/flows/users-hourly/lease.json',
      'exports/okta/_state/flows/users-hourly/runs/run-a/checkpoints/User.0.json',
      'exports/okta/_state/flows/users-hourly/state.json',
    ]);
    for (const object of s3.objects.values()) {
      expect(object.input).toMatchObject({
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: KEY,
        BucketKeyEnabled: true,
        ContentType: 'application/json',
      });
    }
  });

  it('sends If-None-Match: * to create and If-Match: <ETag> to replace', async () => {
    const s3 = fakeS3();
    const store = new S3StateStore({ client: s3.client, bucket: 'exports', prefix: 'okta' });
    const v1 = await store.putFlowState('f', { schemaVersion: 1, flow: 'f', watermark: null }, null);
    await store.putFlowState('f', { schemaVersion: 1, flow: 'f', watermark: '2026-01-01T00:00:00.000Z' }, v1);
    const puts = s3.mock.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
    expect(puts[0]).toMatchObject({ IfNoneMatch: '*' });
    expect(puts[0]?.IfMatch).toBeUndefined();
    expect(puts[1]).toMatchObject({ IfMatch: v1 });
    expect(puts[1]?.ServerSideEncryption).toBeUndefined();
  });

  it('treats 409 ConditionalRequestConflict as losing the race', async () => {
    const s3 = fakeS3({ conflictOnOverlap: true });
    const store = new S3StateStore({ client: s3.client, bucket: 'exports', prefix: 'okta' });
    const results = await Promise.allSettled([
      store.acquireLease('f', 'run-a', 60_000, T0),
      store.acquireLease('f', 'run-b', 60_000, T0),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failures = await Promise.all(
      s3.mock.commandCalls(PutObjectCommand).map((call) =>
        call.returnValue.then(
          () => null,
          (e: unknown) => e,
        ),
      ),
    );
    expect(failures.some((e) => e instanceof S3ServiceException && e.name === 'ConditionalRequestConflict')).toBe(true);
    const lost = results.find((r) => r.status === 'rejected');
    expect(lost?.status === 'rejected' && lost.reason).toBeInstanceOf(LeaseHeldError);
  });

  it('maps If-Match on a deleted object (404) to a conflict', async () => {
    const s3 = fakeS3();
    const store = new S3StateStore({ client: s3.client, bucket: 'exports', prefix: 'okta' });
    const v1 = await store.putFlowState('f', { schemaVersion: 1, flow: 'f', watermark: null }, null);
    s3.objects.clear();
    await expect(store.putFlowState('f', { schemaVersion: 1, flow: 'f', watermark: null }, v1)).rejects.toBeInstanceOf(
      ConflictError,
    );
  });

  it('lets other S3 errors through unchanged', async () => {
    const s3 = fakeS3();
    const boom = new S3ServiceException({
      name: 'InternalError',
      $fault: 'server',
      $metadata: { httpStatusCode: 500 },
      message: 'We encountered an internal error.',
    });
    s3.mock.on(GetObjectCommand).rejects(boom);
    const store = new S3StateStore({ client: s3.client, bucket: 'exports', prefix: 'okta' });
    await expect(store.getFlowState('f')).rejects.toBe(boom);
  });

  it('a 403 on a state read (a missing key without s3:ListBucket) names both permissions it needs', async () => {
    const s3 = fakeS3();
    s3.mock.on(GetObjectCommand).rejects(
      new S3ServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
        message: 'Access Denied',
      }),
    );
    const store = new S3StateStore({ client: s3.client, bucket: 'exports', prefix: 'okta' });
    const read = store.getLease('users-hourly');
    await expect(read).rejects.toBeInstanceOf(StateAccessDeniedError);
    await expect(store.getFlowState('users-hourly')).rejects.toThrow(
      /s3:GetObject on arn:aws:s3:::exports\/okta\/_state\/flows\/users-hourly\/state\.json and s3:ListBucket on arn:aws:s3:::exports without an s3:prefix condition/,
    );
  });
});
