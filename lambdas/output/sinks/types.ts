import type { Writable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';

/** SSE-KMS settings applied to EVERY object okta-flow writes to S3 (data parts and manifests). */
export interface SseKms {
  /** Customer-managed KMS key id, ARN or alias ARN. */
  readonly kmsKeyId: string;
  /** S3 Bucket Keys cut KMS request costs by ~99%; on unless explicitly disabled. */
  readonly bucketKeyEnabled?: boolean;
}

export interface S3Target {
  readonly kind: 's3';
  readonly client: S3Client;
  readonly bucket: string;
  readonly sseKms: SseKms;
  /** Multipart part size (default 8 MiB, S3 minimum 5 MiB). Peak buffered bytes ≈ partSizeBytes × (queueSize + 1). */
  readonly partSizeBytes?: number;
  /** Parts uploaded in parallel (default 4). */
  readonly queueSize?: number;
}

/** A folder on disk laid out exactly like the bucket (keys become relative paths). */
export interface LocalTarget {
  readonly kind: 'local';
  readonly rootDir: string;
}

export type OutputTarget = S3Target | LocalTarget;

/** One object being written as a stream. */
export interface ObjectUpload {
  /** Write the object's bytes here (honour backpressure). End it, then await done(). */
  readonly stream: Writable;
  /** Resolves once the object is durably stored (multipart completed / file renamed into place). */
  done(): Promise<void>;
  /** Discards the object: aborts the multipart upload (no orphan parts) or deletes the temp file. */
  abort(reason: string): Promise<void>;
}

/** The few storage operations the output layer needs, implemented for S3 and for a local folder. */
export interface ObjectStore {
  readonly description: string;
  openUpload(key: string, contentType: string): ObjectUpload;
  putObject(key: string, body: Uint8Array | string, contentType: string): Promise<void>;
  /** The object's bytes, or null when it does not exist. */
  getObject(key: string): Promise<Uint8Array | null>;
  /** All keys starting with prefix, sorted. */
  listKeys(prefix: string): Promise<string[]>;
  deleteKeys(keys: readonly string[]): Promise<void>;
}
