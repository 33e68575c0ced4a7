/**
 * A small stateful S3 behind aws-sdk-client-mock that honours conditional writes the way S3 does:
 * If-None-Match: * on an existing key → 412 PreconditionFailed; If-Match with a stale ETag → 412; If-Match on a
 * missing key → 404 NoSuchKey; a conditional write while another one to the same key is in flight → 409
 * ConditionalRequestConflict (enabled with `conflictOnOverlap`, to exercise that path).
 */
import { createHash } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  NoSuchKey,
  PutObjectCommand,
  type PutObjectCommandInput,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';

export interface FakeObject {
  readonly body: string;
  readonly etag: string;
  readonly input: PutObjectCommandInput;
}

function s3Error(name: string, status: number, message: string): S3ServiceException {
  return new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status }, message });
}

export function fakeS3(options: { conflictOnOverlap?: boolean } = {}) {
  const client = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
  const mock = mockClient(client);
  const objects = new Map<string, FakeObject>();
  const inFlight = new Set<string>();
  let writes = 0;
  const id = (bucket: string | undefined, key: string | undefined) => `${bucket}/${key}`;

  mock.on(GetObjectCommand).callsFake(async (input: { Bucket?: string; Key?: string }) => {
    await Promise.resolve();
    const object = objects.get(id(input.Bucket, input.Key));
    if (!object)
      throw new NoSuchKey({ $metadata: { httpStatusCode: 404 }, message: 'The specified key does not exist.' });
    const body = object.body;
    return {
      ETag: object.etag,
      Body: { transformToString: async () => body } as unknown as GetObjectCommandOutput['Body'],
    };
  });

  mock.on(PutObjectCommand).callsFake(async (input: PutObjectCommandInput) => {
    const key = id(input.Bucket, input.Key);
    const conditional = input.IfMatch !== undefined || input.IfNoneMatch !== undefined;
    if (conditional && options.conflictOnOverlap && inFlight.has(key)) {
      throw s3Error('ConditionalRequestConflict', 409, 'A conflicting conditional operation is in progress.');
    }
    if (conditional) inFlight.add(key);
    try {
      await Promise.resolve();
      await Promise.resolve();
      const current = objects.get(key);
      if (input.IfNoneMatch === '*' && current)
        throw s3Error('PreconditionFailed', 412, 'At least one precondition failed');
      if (input.IfMatch !== undefined) {
        if (!current)
          throw new NoSuchKey({ $metadata: { httpStatusCode: 404 }, message: 'The specified key does not exist.' });
        if (current.etag !== input.IfMatch)
          throw s3Error('PreconditionFailed', 412, 'At least one precondition failed');
      }
      const body = String(input.Body);
      writes += 1;
      const etag = `"${createHash('md5').update(`${writes}:${body}`).digest('hex')}"`;
      objects.set(key, { body, etag, input });
      return { ETag: etag };
    } finally {
      if (conditional) inFlight.delete(key);
    }
  });

  mock.on(DeleteObjectCommand).callsFake(async (input: { Bucket?: string; Key?: string }) => {
    objects.delete(id(input.Bucket, input.Key));
    return {};
  });

  return { client, mock, objects };
}
