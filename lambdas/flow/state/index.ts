/** Flow state: watermarks, checkpoints, leases. S3 in the cloud, memory in tests, a folder for `okta-flow run --out`. */
export { BlobStateStore } from './blob-state-store.js';
export {
  ConflictError,
  InvalidStateKeyError,
  LeaseHeldError,
  LeaseLostError,
  StateAccessDeniedError,
  StateCorruptError,
} from './errors.js';
export {
  type Checkpoint,
  type CheckpointRef,
  type FlowState,
  flowStateSchema,
  initialFlowState,
  type Lease,
  type LeaseHolder,
  leaseHolderSchema,
  type RunDocumentRef,
} from './flow-state.js';
export {
  LocalFileBlobStore,
  LocalFileStateStore,
  type LocalFileStateStoreOptions,
  LockTimeoutError,
} from './local-file-state-store.js';
export { MemoryBlobStore, MemoryStateStore } from './memory-state-store.js';
export { S3BlobStore, S3StateStore, type S3StateStoreOptions } from './s3-state-store.js';
export {
  checkpointKey,
  flowStateKey,
  lakeColumnsKey,
  leaseKey,
  resolvedSchemaKey,
  runDocumentKey,
} from './state-keys.js';
export type { StateStore } from './state-store.js';
export {
  type VersionedBlob,
  type VersionedBlobStore,
  type WriteCondition,
  WriteConditionFailed,
} from './versioned-blob-store.js';
