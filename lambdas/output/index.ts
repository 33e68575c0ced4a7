/** Public surface of the output layer (encoders, sinks, manifests; the commit point is lambdas/lake/). */
export { type ClientSideEncryption, decryptFile, kmsKeyringFor } from './client-side-encryption.js';
export { type ColumnSpec, columnsFromFields, type PhysicalType, physicalTypeOf } from './columns.js';
export type { Compression, OutputFormat } from './encoders/types.js';
export { ColumnValueError, OutputConfigError, OutputWriteError } from './errors.js';
export { partKey, runKeyPrefix } from './keys.js';
export { buildManifest, type RunManifest, type RunManifestInput, sealRunFiles } from './manifest.js';
export type { LocalTarget, OutputTarget, S3Target, SseKms } from './sinks/types.js';
export {
  createOutputWriter,
  DEFAULT_TARGET_FILE_BYTES,
  type FileEntry,
  type OutputObserver,
  type OutputWriter,
  type OutputWriterOptions,
} from './writer.js';
