/**
 * Parquet encoder on hyparquet-writer (chosen by measurement: docs/parquet-library-choice.md).
 *
 * Rows are buffered column-wise in compact typed buffers (encoders/column-buffer.ts) until a row group is full —
 * its share of the process-wide memory budget (memory-budget.ts: 16 MiB under the Lambda's heap cap, split among
 * the encoders open at once), at most 32 MiB, or a row count — then the row group is encoded and its bytes handed
 * out, so memory holds at most one row group per open file, never a whole file.
 *
 * Two ways to encode a full row group, same bytes (encoders/row-group-writer.ts does both):
 * - in this thread (default): `createParquetEncoder`, synchronous;
 * - in the encoder worker (`options.worker`, see encoder-pool.ts): the buffers' arrays are transferred to one
 *   worker thread shared by every open file of the process, so fetching and JSON parsing go on while it encodes.
 */
import type { OktaRecord } from '../../okta/types.js';
import type { ColumnSpec } from '../columns.js';
import { OutputConfigError } from '../errors.js';
import { type MemoryBudget, processMemoryBudget } from '../memory-budget.js';
import { type ColumnBuffer, createColumnBuffer } from './column-buffer.js';
import type { ColumnSnapshot } from './column-snapshot.js';
import type { EncoderPool } from './encoder-pool.js';
import { compressors, createRowGroupWriter, type ParquetFileSpec } from './row-group-writer.js';
import type { Compression, FileEncoder, SyncFileEncoder } from './types.js';

export { parquetSchema } from './row-group-writer.js';

export const DEFAULT_ROW_GROUP_BYTES = 32 * 1024 * 1024;
export const DEFAULT_ROW_GROUP_ROWS = 500_000;

export interface ParquetEncoderOptions {
  compression?: Exclude<Compression, 'none'> | 'none';
  /** Fixed row-group size in held bytes; by default the encoder's share of `budget`, at most 32 MiB. */
  rowGroupBytes?: number;
  rowGroupRows?: number;
  /** Memory budget shared with the other open encoders (default: the process-wide one). */
  budget?: MemoryBudget;
  /** Written into the footer's key/value metadata (e.g. schema version, run id). */
  metadata?: Readonly<Record<string, string>>;
  /** Encode row groups in this worker pool instead of this thread (createParquetWorkerEncoder). */
  worker?: EncoderPool;
}

/** Buffers rows and says when a row group is full; shared by both encoders. */
function rowGroupBuffers(columns: readonly ColumnSpec[], options: ParquetEncoderOptions, shareScale = 1) {
  const budget = options.budget ?? processMemoryBudget;
  const rowGroupRows = options.rowGroupRows ?? DEFAULT_ROW_GROUP_ROWS;
  const rowGroupBytes = (): number =>
    options.rowGroupBytes ?? Math.min(DEFAULT_ROW_GROUP_BYTES, budget.share()) * shareScale;
  const buffers: ColumnBuffer[] = columns.map(createColumnBuffer);
  const leave = budget.join();
  let limit = rowGroupBytes();
  const state = {
    rows: 0,
    buffers,
    leave,
    heldBytes(): number {
      let n = 0;
      for (const b of buffers) n += b.bytes;
      return n;
    },
    /** Pushes one record; true when the row group is full. */
    push(record: OktaRecord): boolean {
      for (const buffer of buffers) buffer.push(record);
      state.rows++;
      // Checking the bytes every 64 rows keeps the sum off the per-row path; 64 rows are a few KiB.
      return state.rows >= rowGroupRows || ((state.rows & 63) === 0 && state.heldBytes() >= limit);
    },
    /** Empties the buffers for the next row group. */
    next(): void {
      state.rows = 0;
      limit = rowGroupBytes();
    },
  };
  return state;
}

function fileSpec(columns: readonly ColumnSpec[], options: ParquetEncoderOptions): ParquetFileSpec {
  const compression = options.compression ?? 'snappy';
  compressors(compression); // fails now, not at the first row group, when this Node cannot do the codec
  return { columns, compression, ...(options.metadata !== undefined ? { metadata: options.metadata } : {}) };
}

export function createParquetEncoder(
  columns: readonly ColumnSpec[],
  options: ParquetEncoderOptions = {},
): SyncFileEncoder {
  const writer = createRowGroupWriter(fileSpec(columns, options));
  const group = rowGroupBuffers(columns, options);
  let finished = false;
  const out: Uint8Array[] = [];

  const flushRowGroup = (): void => {
    if (group.rows === 0) return;
    out.push(
      ...writer.writeRowGroup(
        group.buffers.map((b) => b.view()),
        group.rows,
      ),
    );
    for (const b of group.buffers) b.reset();
    group.next();
  };

  return {
    get heldBytes() {
      return group.heldBytes();
    },
    encode(records: readonly OktaRecord[]) {
      if (finished) throw new OutputConfigError('Parquet encoder used after finish()');
      for (const record of records) if (group.push(record)) flushRowGroup();
      return out.splice(0, out.length);
    },
    finish() {
      if (finished) return [];
      finished = true;
      try {
        flushRowGroup();
        out.push(...writer.finish());
      } finally {
        group.leave();
      }
      return out.splice(0, out.length);
    },
  };
}

interface InFlight {
  readonly bytes: number;
  result?: Uint8Array[];
  error?: unknown;
}

/**
 * The same encoder with row groups encoded by `pool`'s worker: a full row group's arrays are transferred (the
 * buffers start again on fresh ones) and the encoder goes on buffering; encoded bytes come out of a later
 * encode() or finish(), in order. Row groups in flight count against the pool's bound (backpressure).
 */
export function createParquetWorkerEncoder(
  columns: readonly ColumnSpec[],
  pool: EncoderPool,
  options: ParquetEncoderOptions = {},
): FileEncoder {
  const file = pool.open(fileSpec(columns, options));
  // Double buffering (one group filling, one in the worker) in the memory one in-thread group takes: half a share.
  const group = rowGroupBuffers(columns, options, 0.5);
  const inFlight: { entry: InFlight; settled: Promise<void> }[] = [];
  // Arrays of row groups the worker is done with, per column, for the next take() (no allocation per group).
  let spares: readonly ColumnSnapshot[] = [];
  let finished = false;

  const flushRowGroup = async (): Promise<void> => {
    if (group.rows === 0) return;
    const bytes = group.heldBytes();
    const reuse = spares;
    spares = [];
    const snapshots: ColumnSnapshot[] = group.buffers.map((b, i) => b.take(reuse[i]));
    const rows = group.rows;
    group.next();
    await pool.room(bytes);
    const entry: InFlight = { bytes };
    const settled = file.rowGroup(snapshots, rows, bytes).then(
      ({ chunks, spent }) => {
        entry.result = chunks;
        spares = spent;
      },
      (error: unknown) => {
        entry.error = error;
      },
    );
    inFlight.push({ entry, settled });
  };

  /** Bytes of the row groups done so far, in order; the first failure is thrown. */
  const done = (): Uint8Array[] => {
    const out: Uint8Array[] = [];
    while (inFlight.length > 0) {
      const { entry } = inFlight[0] as { entry: InFlight };
      if (entry.error !== undefined) throw entry.error;
      if (entry.result === undefined) break;
      out.push(...entry.result);
      inFlight.shift();
    }
    return out;
  };

  return {
    get heldBytes() {
      let n = group.heldBytes();
      for (const { entry } of inFlight) n += entry.result === undefined ? entry.bytes : 0;
      return n;
    },
    async encode(records: readonly OktaRecord[]) {
      if (finished) throw new OutputConfigError('Parquet encoder used after finish()');
      for (const record of records) if (group.push(record)) await flushRowGroup();
      return done();
    },
    async finish() {
      if (finished) return [];
      finished = true;
      try {
        await flushRowGroup();
        await Promise.all(inFlight.map((f) => f.settled));
        const out = done();
        out.push(...(await file.finish()));
        return out;
      } catch (error) {
        file.drop();
        throw error;
      } finally {
        group.leave();
      }
    },
  };
}
