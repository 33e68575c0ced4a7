/** Messages between the encoder pool (encoder-pool.ts) and its worker thread (encoder-worker.ts). */
import type { ColumnSnapshot } from './column-snapshot.js';
import type { ParquetFileSpec } from './row-group-writer.js';

export type ToWorker =
  | { readonly op: 'open'; readonly file: number; readonly spec: ParquetFileSpec }
  | {
      readonly op: 'rowGroup';
      readonly id: number;
      readonly file: number;
      readonly snapshots: readonly ColumnSnapshot[];
      readonly rows: number;
    }
  | { readonly op: 'finish'; readonly id: number; readonly file: number }
  | { readonly op: 'drop'; readonly file: number };

export type FromWorker =
  /** `spent`: a row group's snapshots handed back (their buffers transferred) for the encoder to reuse. */
  | { readonly id: number; readonly chunks: Uint8Array[]; readonly spent?: readonly ColumnSnapshot[] }
  | { readonly id: number; readonly error: { readonly name: string; readonly message: string } };
