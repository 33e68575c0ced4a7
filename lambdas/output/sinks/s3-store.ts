/**
 * S3 object store: streaming multipart uploads through @aws-sdk/lib-storage, SSE-KMS on every write request.
 * Retries of individual requests (parts included) are the S3Client's own retry strategy.
 */
import { PassThrough } from 'node:stream';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
  type ServerSideEncryption,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { OutputWriteError } from '../errors.js';
import type { ObjectStore, ObjectUpload, S3Target } from './types.js';

export const DEFAULT_PART_SIZE_BYTES = 8 * 1024 * 1024;
export const DEFAULT_QUEUE_SIZE = 4;

/** The encryption parameters every PutObject / CreateMultipartUpload carries. */
export function sseKmsParams(target: S3Target): {
  ServerSideEncryption: ServerSideEncryption;
  SSEKMSKeyId: string;
  BucketKeyEnabled: boolean;
} {
  return {
    ServerSideEncryption: 'aws:kms',
    SSEKMSKeyId: target.sseKms.kmsKeyId,
    BucketKeyEnabled: target.sseKms.bucketKeyEnabled ?? true,
  };
}

export function createS3Store(target: S3Target): ObjectStore {
  const { client, bucket } = target;
  const sse = sseKmsParams(target);
  return {
    description: `s3://${bucket}`,
    openUpload(key, contentType) {
      return openS3Upload(client, target, key, contentType);
    },
    async putObject(key, body, contentType) {
      try {
        await client.send(
          new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType, ...sse }),
        );
      } catch (cause) {
        throw new OutputWriteError(`Writing s3://${bucket}/${key} failed: ${describe(cause)}`, key, { cause });
      }
    },
    async getObject(key) {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
      } catch (cause) {
        if (cause instanceof NoSuchKey || (cause instanceof Error && cause.name === 'NoSuchKey')) return null;
        throw cause;
      }
    },
    async listKeys(prefix) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        );
        for (const item of page.Contents ?? []) if (item.Key !== undefined) keys.push(item.Key);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token !== undefined);
      return keys.sort();
    },
    async deleteKeys(keys) {
      for (let i = 0; i < keys.length; i += 1000) {
        const batch = keys.slice(i, i + 1000);
        const out = await client.send(
          new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }),
        );
        const failed = out.Errors?.[0];
        if (failed) {
          const key = failed.Key ?? batch[0] ?? '';
          throw new OutputWriteError(`Deleting s3://${bucket}/${key} failed: ${failed.Code} ${failed.Message}`, key);
        }
      }
    },
  };
}

function openS3Upload(client: S3Client, target: S3Target, key: string, contentType: string): ObjectUpload {
  const partSize = target.partSizeBytes ?? DEFAULT_PART_SIZE_BYTES;
  const body = new PassThrough({ highWaterMark: 1024 * 1024 });
  const upload = new Upload({
    client,
    params: { Bucket: target.bucket, Key: key, Body: body, ContentType: contentType, ...sseKmsParams(target) },
    partSize,
    queueSize: target.queueSize ?? DEFAULT_QUEUE_SIZE,
    // On failure lib-storage sends AbortMultipartUpload itself once every part uploader has stopped.
    leavePartsOnError: false,
  });
  // Started now so parts go out while the encoder is still producing; failures surface through done()/the stream.
  const completion = upload.done().then(
    () => undefined,
    (cause: unknown) => {
      // Unblock a writer waiting on backpressure: nobody reads the body any more.
      body.destroy(cause instanceof Error ? cause : new Error(String(cause)));
      throw new OutputWriteError(`Uploading s3://${target.bucket}/${key} failed: ${describe(cause)}`, key, { cause });
    },
  );
  completion.catch(() => undefined); // observed by done(); avoid an unhandled rejection meanwhile
  return {
    stream: body,
    done: () => completion,
    async abort(reason) {
      // Failing the body makes every part uploader stop; lib-storage then aborts the multipart upload and
      // settles done(), so awaiting completion means the abort request has been sent (no orphan parts).
      body.destroy(new Error(`aborted: ${reason}`));
      await completion.catch(() => undefined);
    },
  };
}

function describe(cause: unknown): string {
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`;
  return String(cause);
}
