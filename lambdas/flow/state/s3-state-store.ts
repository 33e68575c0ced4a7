/**
 * State in S3 under `<prefix>/_state/`, beside the data it describes (see docs/adr/0001-state-store.md).
 * Compare-and-swap through S3 conditional writes: `If-None-Match: *` to create, `If-Match: <ETag>` to replace;
 * S3 answers 412 PreconditionFailed when the condition fails and 409 ConditionalRequestConflict when a concurrent
 * conditional write to the same key is in flight: both mean "someone else wrote first".
 */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  type PutObjectCommandInput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { BlobStateStore } from './blob-state-store.js';
import { StateAccessDeniedError } from './errors.js';
import {
  type VersionedBlob,
  type VersionedBlobStore,
  type WriteCondition,
  WriteConditionFailed,
} from './versioned-blob-store.js';

export interface S3StateStoreOptions {
  readonly client: S3Client;
  readonly bucket: string;
  /** The output prefix (`okta`); state goes under `<prefix>/_state/`. */
  readonly prefix: string;
  /** SSE-KMS key for state objects; omitted: the bucket's default encryption applies. */
  readonly kmsKeyId?: string | undefined;
}

export class S3BlobStore implements VersionedBlobStore {
  private readonly root: string;

  constructor(private readonly options: S3StateStoreOptions) {
    const prefix = options.prefix.replace(/^\/+|\/+$/g, '');
    this.root = prefix === '' ? '_state/' : `${prefix}/_state/`;
  }

  /** The S3 key of a state key. */
  keyOf(key: string): string {
    return `${this.root}${key}`;
  }

  async get(key: string): Promise<VersionedBlob | null> {
    try {
      const out = await this.options.client.send(
        new GetObjectCommand({ Bucket: this.options.bucket, Key: this.keyOf(key) }),
      );
      const body = (await out.Body?.transformToString('utf-8')) ?? '';
      if (out.ETag === undefined) throw new Error(`S3 returned no ETag for ${this.keyOf(key)}`);
      return { body, version: out.ETag };
    } catch (error) {
      if (isNotFound(error)) return null;
      if (isAccessDenied(error))
        throw new StateAccessDeniedError(this.options.bucket, this.keyOf(key), { cause: error });
      throw error;
    }
  }

  async put(key: string, body: string, condition: WriteCondition): Promise<string> {
    const input: PutObjectCommandInput = {
      Bucket: this.options.bucket,
      Key: this.keyOf(key),
      Body: body,
      ContentType: 'application/json',
      ...('ifNoneMatch' in condition ? { IfNoneMatch: '*' } : { IfMatch: condition.ifMatch }),
      ...(this.options.kmsKeyId
        ? { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: this.options.kmsKeyId, BucketKeyEnabled: true }
        : {}),
    };
    try {
      const out = await this.options.client.send(new PutObjectCommand(input));
      if (out.ETag === undefined) throw new Error(`S3 returned no ETag for ${input.Key}`);
      return out.ETag;
    } catch (error) {
      // If-Match on a key that no longer exists answers 404: the version expected is gone, the same failure.
      const gone = 'ifMatch' in condition && isNotFound(error);
      if (gone || isConditionFailure(error)) throw new WriteConditionFailed(this.keyOf(key), { cause: error });
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.options.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: this.keyOf(key) }));
  }
}

function errorInfo(error: unknown): { name: string; status: number | undefined } {
  if (error === null || typeof error !== 'object') return { name: '', status: undefined };
  const name = 'name' in error && typeof error.name === 'string' ? error.name : '';
  const metadata = '$metadata' in error ? (error.$metadata as { httpStatusCode?: number } | undefined) : undefined;
  return { name, status: metadata?.httpStatusCode };
}

function isNotFound(error: unknown): boolean {
  const { name, status } = errorInfo(error);
  return name === 'NoSuchKey' || name === 'NotFound' || status === 404;
}

function isAccessDenied(error: unknown): boolean {
  const { name, status } = errorInfo(error);
  return name === 'AccessDenied' || status === 403;
}

function isConditionFailure(error: unknown): boolean {
  const { name, status } = errorInfo(error);
  return name === 'PreconditionFailed' || name === 'ConditionalRequestConflict' || status === 412 || status === 409;
}

export class S3StateStore extends BlobStateStore {
  readonly s3: S3BlobStore;

  constructor(options: S3StateStoreOptions) {
    const s3 = new S3BlobStore(options);
    super(s3);
    this.s3 = s3;
  }
}
