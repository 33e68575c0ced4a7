/**
 * The storage primitive every StateStore implementation is built on: small blobs with an opaque version and
 * compare-and-swap writes (S3 ETag + If-Match / If-None-Match). Lease and state logic is written once on top of it,
 * so S3, memory and local-file stores cannot drift apart in semantics.
 */

export interface VersionedBlob {
  readonly body: string;
  /** Opaque; changes on every write (S3: the ETag). */
  readonly version: string;
}

/** `create`: only if absent (If-None-Match: *). `replace`: only if still at this version (If-Match). */
export type WriteCondition = { readonly ifNoneMatch: '*' } | { readonly ifMatch: string };

export interface VersionedBlobStore {
  get(key: string): Promise<VersionedBlob | null>;
  /** Writes when the condition holds and returns the new version; throws WriteConditionFailed otherwise. */
  put(key: string, body: string, condition: WriteCondition): Promise<string>;
  /** Removes the blob if present (unconditional: used only for run-scoped data such as checkpoints). */
  delete(key: string): Promise<void>;
}

/** The condition of a conditional write did not hold (S3 412 PreconditionFailed or 409 ConditionalRequestConflict). */
export class WriteConditionFailed extends Error {
  override readonly name = 'WriteConditionFailed';
  readonly key: string;

  constructor(key: string, options?: { cause?: unknown }) {
    super(`Conditional write to ${key} failed: the object changed (or appeared) since it was read`, options);
    this.key = key;
  }
}
