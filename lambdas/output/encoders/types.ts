import type { OktaRecord } from '../../okta/types.js';

export type OutputFormat = 'parquet' | 'csv' | 'jsonl';
/** Parquet: codec inside the file. CSV/JSONL: whole-file gzip (`.gz` suffix) or none. */
export type Compression = 'snappy' | 'zstd' | 'gzip' | 'none';

/**
 * Turns records into the bytes of ONE file, incrementally. Stateful: create one per file.
 * Returned chunks are ready to be written in order; the encoder may hold some bytes back (a Parquet row group).
 * An encoder that works off-thread (the Parquet worker encoder) returns promises.
 */
export interface FileEncoder {
  encode(records: readonly OktaRecord[]): Uint8Array[] | Promise<Uint8Array[]>;
  /** Emits everything still held plus the file trailer (Parquet footer). The encoder is unusable afterwards. */
  finish(): Uint8Array[] | Promise<Uint8Array[]>;
  /** Estimated bytes held in memory and not yet returned (for rolling decisions and memory bounds). */
  readonly heldBytes: number;
}

/** An encoder that does its work in the caller's thread. */
export interface SyncFileEncoder extends FileEncoder {
  encode(records: readonly OktaRecord[]): Uint8Array[];
  finish(): Uint8Array[];
}
