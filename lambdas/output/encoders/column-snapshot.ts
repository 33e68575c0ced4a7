/**
 * A row group's worth of one column as plain data: the typed arrays of a column buffer (column-buffer.ts), or the
 * nested cells. Snapshots are what the row-group writer encodes, in this thread or in the encoder worker
 * (encoder-worker.ts): typed arrays move to the worker as transferred ArrayBuffers, without a copy.
 */
import type { Cell } from '../columns.js';

export type ColumnSnapshot =
  /** string / json: UTF-8 of every cell back to back; `ends[i]` is the end offset of row i; `nulls[i]` 1 = null. */
  | {
      readonly kind: 'utf8';
      readonly length: number;
      readonly data: Uint8Array<ArrayBuffer>;
      readonly ends: Int32Array<ArrayBuffer>;
      readonly nulls: Uint8Array<ArrayBuffer>;
    }
  /** timestamp (UTC millis) / double. */
  | {
      readonly kind: 'float64';
      readonly length: number;
      readonly data: Float64Array<ArrayBuffer>;
      readonly nulls: Uint8Array<ArrayBuffer>;
    }
  | {
      readonly kind: 'int64';
      readonly length: number;
      readonly data: BigInt64Array<ArrayBuffer>;
      readonly nulls: Uint8Array<ArrayBuffer>;
    }
  /** 0 false, 1 true, 2 null. */
  | { readonly kind: 'boolean'; readonly length: number; readonly data: Uint8Array<ArrayBuffer> }
  /** Typed lists and structs: the cells themselves (structured-cloned to the worker). */
  | { readonly kind: 'nested'; readonly length: number; readonly cells: readonly Cell[] };

/**
 * The cells as hyparquet-writer takes them: null, Uint8Array (a view of the UTF-8 of a string), number, bigint,
 * boolean or a nested cell. Built one column at a time as the writer reaches it.
 */
export function snapshotValues(s: ColumnSnapshot): unknown[] {
  if (s.kind === 'nested') return s.cells as unknown[];
  const out = new Array<unknown>(s.length);
  switch (s.kind) {
    case 'utf8': {
      const { buffer, byteOffset } = s.data;
      let start = 0;
      for (let i = 0; i < s.length; i++) {
        const end = s.ends[i] as number;
        out[i] = s.nulls[i] === 1 ? null : new Uint8Array(buffer, byteOffset + start, end - start);
        start = end;
      }
      return out;
    }
    case 'float64':
    case 'int64':
      for (let i = 0; i < s.length; i++) out[i] = s.nulls[i] === 1 ? null : s.data[i];
      return out;
    case 'boolean':
      for (let i = 0; i < s.length; i++) {
        const v = s.data[i];
        out[i] = v === 2 ? null : v === 1;
      }
      return out;
  }
}

/** The ArrayBuffers a snapshot can hand to a worker without copying (distinct, whole buffers only). */
export function transferables(snapshots: readonly ColumnSnapshot[]): ArrayBuffer[] {
  const seen = new Set<ArrayBuffer>();
  for (const s of snapshots) {
    if (s.kind === 'nested') continue;
    const arrays = s.kind === 'utf8' ? [s.data, s.ends, s.nulls] : s.kind === 'boolean' ? [s.data] : [s.data, s.nulls];
    for (const a of arrays) if (a.buffer instanceof ArrayBuffer) seen.add(a.buffer);
  }
  return [...seen];
}
