/**
 * Parquet encoder on hyparquet-writer (chosen by measurement: docs/parquet-library-choice.md).
 *
 * Rows are buffered column-wise in compact typed buffers (encoders/column-buffer.ts) until a row group is full —
 * its share of the process-wide memory budget (memory-budget.ts: 16 MiB under the Lambda's heap cap, split among
 * the encoders open at once), at most 32 MiB, or a row count — then the row group is encoded and its bytes handed
 * out, so memory holds at most one row group per open file, never a whole file.
 */
import * as zlib from 'node:zlib';
import type { ColumnChunk, DecodedArray, SchemaElement } from 'hyparquet';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import type { OktaRecord } from '../../okta/types.js';
import { type ColumnSpec, isScalar, type PhysicalType, type ScalarType } from '../columns.js';
import { OutputConfigError } from '../errors.js';
import { type MemoryBudget, processMemoryBudget } from '../memory-budget.js';
import { type ColumnBuffer, createColumnBuffer } from './column-buffer.js';
import type { Compression, FileEncoder } from './types.js';

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
}

type Codec = 'SNAPPY' | 'GZIP' | 'ZSTD' | 'UNCOMPRESSED';

const CODEC: Record<Compression, Codec> = { snappy: 'SNAPPY', gzip: 'GZIP', zstd: 'ZSTD', none: 'UNCOMPRESSED' };

/** node:zlib has zstd from Node 22.15 (the Lambda runtime); on older Node it is undefined at run time. */
const zstdCompressSync = (zlib as unknown as { zstdCompressSync?: (data: Uint8Array) => Buffer }).zstdCompressSync;

function compressors(compression: Compression): Record<string, (input: Uint8Array) => Uint8Array> {
  if (compression === 'gzip') return { GZIP: (input) => zlib.gzipSync(input) };
  if (compression === 'zstd') {
    const zstd = zstdCompressSync;
    if (zstd === undefined) {
      throw new OutputConfigError(
        `Parquet ZSTD compression needs Node.js >= 22.15 (node:zlib zstd); this is ${process.version}. ` +
          `Use 'snappy' or 'gzip', or run on the nodejs22.x Lambda runtime.`,
      );
    }
    return { ZSTD: (input) => zstd(input) };
  }
  return {};
}

export function parquetSchema(columns: readonly ColumnSpec[]): SchemaElement[] {
  const root: SchemaElement = { name: 'root', num_children: columns.length };
  return [root, ...columns.flatMap((c) => schemaElements(c.name, c.type))];
}

/**
 * Schema elements of one column, depth first. Lists use the standard three-level LIST layout
 * (`<name> (LIST) → repeated group list → element`) that Athena/Hive, Spark, DuckDB and Arrow all read as arrays;
 * structs are plain groups. Every level is OPTIONAL, so null lists, null elements and null members all survive.
 */
function schemaElements(name: string, type: PhysicalType): SchemaElement[] {
  if (typeof type !== 'string') {
    if (type.kind === 'list') {
      return [
        { name, repetition_type: 'OPTIONAL', num_children: 1, converted_type: 'LIST', logical_type: { type: 'LIST' } },
        { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
        ...schemaElements('element', type.element),
      ];
    }
    return [
      { name, repetition_type: 'OPTIONAL', num_children: type.fields.length },
      ...type.fields.flatMap((f) => schemaElements(f.name, f.type)),
    ];
  }
  return [scalarElement(name, type)];
}

function scalarElement(name: string, type: ScalarType): SchemaElement {
  const base = { name, repetition_type: 'OPTIONAL' as const };
  switch (type) {
    case 'string':
    case 'json':
      // JSON stays a plain UTF8 string: Athena/Hive do not all understand the JSON logical type.
      return { ...base, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } };
    case 'int64':
      return { ...base, type: 'INT64' };
    case 'double':
      return { ...base, type: 'DOUBLE' };
    case 'boolean':
      return { ...base, type: 'BOOLEAN' };
    case 'timestamp':
      return {
        ...base,
        type: 'INT64',
        converted_type: 'TIMESTAMP_MILLIS',
        logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
      };
  }
}

/** A ByteWriter whose bytes are taken out after each row group, so the file is never held whole. */
class DrainingWriter extends ByteWriter {
  readonly drained: Uint8Array[] = [];
  flush(): void {
    if (this.index === 0) return;
    this.drained.push(new Uint8Array(this.buffer.slice(0, this.index)));
    this.index = 0;
  }
  override finish(): void {
    this.flush();
  }
  take(): Uint8Array[] {
    return this.drained.splice(0, this.drained.length);
  }
}

/**
 * Min/max of text columns are views into the column buffers, which the next row group overwrites; the writer keeps
 * them until the footer. Copy them out (also so a held view does not pin a whole row group's bytes).
 */
function detachStatistics(chunks: readonly ColumnChunk[]): void {
  for (const chunk of chunks) {
    const stats = chunk.meta_data?.statistics as Record<string, unknown> | undefined;
    if (stats === undefined) continue;
    for (const key of ['min_value', 'max_value', 'min', 'max']) {
      const value = stats[key];
      if (value instanceof Uint8Array) stats[key] = value.slice();
    }
  }
}

/** Leaf chunk index of each top-level column in a row group (a nested column has several leaves). */
function leafOffsets(columns: readonly ColumnSpec[]): number[] {
  const leaves = (type: PhysicalType): number =>
    typeof type === 'string'
      ? 1
      : type.kind === 'list'
        ? leaves(type.element)
        : type.fields.reduce((n, f) => n + leaves(f.type), 0);
  let at = 0;
  return columns.map((c) => {
    const offset = at;
    at += leaves(c.type);
    return offset;
  });
}

export function createParquetEncoder(columns: readonly ColumnSpec[], options: ParquetEncoderOptions = {}): FileEncoder {
  const compression = options.compression ?? 'snappy';
  const budget = options.budget ?? processMemoryBudget;
  const rowGroupRows = options.rowGroupRows ?? DEFAULT_ROW_GROUP_ROWS;
  const rowGroupBytes = (): number => options.rowGroupBytes ?? Math.min(DEFAULT_ROW_GROUP_BYTES, budget.share());
  const sink = new DrainingWriter(1024 * 1024);
  const writer = new ParquetWriter({
    writer: sink,
    schema: parquetSchema(columns),
    codec: CODEC[compression],
    compressors: compressors(compression),
    // Min/max of long strings (1 MB descriptions) would bloat every footer; truncated stats are spec-compliant.
    statisticsTruncateLength: 64,
    kvMetadata: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
    createdBy: 'okta-flow (hyparquet-writer)',
  });
  const buffers = columns.map(createColumnBuffer);
  const leaves = leafOffsets(columns);
  // Columns whose first row group was not worth a dictionary (ids, logins, emails, timestamps) skip the attempt
  // in later row groups: the attempt builds a whole-group hash map only to throw it away.
  const plain = columns.map(() => false);
  const leave = budget.join();
  let rows = 0;
  let limit = rowGroupBytes();
  let finished = false;

  const heldBytes = (): number => {
    let n = 0;
    for (const b of buffers) n += b.bytes;
    return n;
  };

  const flushRowGroup = (): void => {
    if (rows === 0) return;
    const first = writer.row_groups.length === 0;
    const result = writer.write({
      // Built one column at a time as the writer reaches it, so only one column's cells exist as JS values.
      columnData: columns.map((c, i) => {
        const buffer = buffers[i] as ColumnBuffer;
        return {
          name: c.name,
          get data() {
            return buffer.values() as DecodedArray;
          },
          ...(plain[i] ? { encoding: 'PLAIN' as const } : {}),
          // Min/max of JSON text prunes nothing and costs a byte comparison per value.
          ...(c.type === 'json' ? { statistics: false } : {}),
        };
      }),
      rowGroupSize: rows,
    });
    if (result instanceof Promise) throw new OutputConfigError('unexpected asynchronous Parquet writer');
    detachStatistics(writer.row_groups.at(-1)?.columns ?? []);
    if (first) {
      const chunks = writer.row_groups[0]?.columns ?? [];
      columns.forEach((c, i) => {
        const encodings = chunks[leaves[i] as number]?.meta_data?.encodings ?? [];
        plain[i] = isScalar(c.type) && !encodings.includes('RLE_DICTIONARY');
      });
    }
    for (const b of buffers) b.reset();
    rows = 0;
    limit = rowGroupBytes();
  };

  return {
    get heldBytes() {
      return heldBytes();
    },
    encode(records: readonly OktaRecord[]) {
      if (finished) throw new OutputConfigError('Parquet encoder used after finish()');
      for (const record of records) {
        for (const buffer of buffers) buffer.push(record);
        rows++;
        // Checking the bytes every 64 rows keeps the sum off the per-row path; 64 rows are a few KiB.
        if (rows >= rowGroupRows || ((rows & 63) === 0 && heldBytes() >= limit)) flushRowGroup();
      }
      return sink.take();
    },
    finish() {
      if (finished) return [];
      finished = true;
      try {
        flushRowGroup();
        const done = writer.finish();
        if (done instanceof Promise) throw new OutputConfigError('unexpected asynchronous Parquet writer');
      } finally {
        leave();
      }
      return sink.take();
    },
  };
}
