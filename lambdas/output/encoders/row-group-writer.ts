/**
 * One Parquet file's writer on hyparquet-writer: row groups in (as column snapshots), bytes out. The same code runs
 * in this thread (encoders/parquet.ts) and in the encoder worker (encoder-worker.ts), so both write the same bytes.
 * Everything it is created from is plain data (structured-clonable) so the worker can be told to open a file.
 */
import * as zlib from 'node:zlib';
import type { ColumnChunk, DecodedArray, SchemaElement } from 'hyparquet';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import { type ColumnSpec, isScalar, type PhysicalType, type ScalarType } from '../columns.js';
import { OutputConfigError } from '../errors.js';
import { type ColumnSnapshot, snapshotValues } from './column-snapshot.js';
import type { Compression } from './types.js';

export interface ParquetFileSpec {
  readonly columns: readonly ColumnSpec[];
  readonly compression: Compression;
  /** Written into the footer's key/value metadata (e.g. schema version, run id). */
  readonly metadata?: Readonly<Record<string, string>>;
}

export interface RowGroupWriter {
  /** Encodes one row group; returns the bytes written since the last call (the file header comes with the first). */
  writeRowGroup(snapshots: readonly ColumnSnapshot[], rows: number): Uint8Array[];
  /** The footer (and anything still held). */
  finish(): Uint8Array[];
}

type Codec = 'SNAPPY' | 'GZIP' | 'ZSTD' | 'UNCOMPRESSED';

const CODEC: Record<Compression, Codec> = { snappy: 'SNAPPY', gzip: 'GZIP', zstd: 'ZSTD', none: 'UNCOMPRESSED' };

/** node:zlib has zstd from Node 22.15 (the Lambda runtime); on older Node it is undefined at run time. */
const zstdCompressSync = (zlib as unknown as { zstdCompressSync?: (data: Uint8Array) => Buffer }).zstdCompressSync;

/** The codec map for hyparquet-writer; throws OutputConfigError when this Node cannot do the codec. */
export function compressors(compression: Compression): Record<string, (input: Uint8Array) => Uint8Array> {
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

export function createRowGroupWriter(spec: ParquetFileSpec): RowGroupWriter {
  const { columns, compression } = spec;
  const sink = new DrainingWriter(1024 * 1024);
  const writer = new ParquetWriter({
    writer: sink,
    schema: parquetSchema(columns),
    codec: CODEC[compression],
    compressors: compressors(compression),
    // Min/max of long strings (1 MB descriptions) would bloat every footer; truncated stats are spec-compliant.
    statisticsTruncateLength: 64,
    kvMetadata: Object.entries(spec.metadata ?? {}).map(([key, value]) => ({ key, value })),
    createdBy: 'okta-flow (hyparquet-writer)',
  });
  const leaves = leafOffsets(columns);
  // Columns whose first row group was not worth a dictionary (ids, logins, emails, timestamps) skip the attempt
  // in later row groups: the attempt builds a whole-group hash map only to throw it away.
  const plain = columns.map(() => false);
  return {
    writeRowGroup(snapshots, rows) {
      if (rows === 0) return sink.take();
      const first = writer.row_groups.length === 0;
      const result = writer.write({
        // Built one column at a time as the writer reaches it, so only one column's cells exist as JS values.
        columnData: columns.map((c, i) => {
          const snapshot = snapshots[i] as ColumnSnapshot;
          return {
            name: c.name,
            get data() {
              return snapshotValues(snapshot) as DecodedArray;
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
      return sink.take();
    },
    finish() {
      const done = writer.finish();
      if (done instanceof Promise) throw new OutputConfigError('unexpected asynchronous Parquet writer');
      return sink.take();
    },
  };
}
