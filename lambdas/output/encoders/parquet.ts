/**
 * Parquet encoder on hyparquet-writer (chosen by measurement: docs/parquet-library-choice.md).
 *
 * Rows are buffered column-wise until a row group is full (estimated uncompressed bytes or a row count), then the
 * row group is encoded and its bytes handed out, so memory holds at most one row group, never a whole file.
 * Row groups default to 32 MiB of estimated uncompressed data: big enough for Athena/Spark to read efficiently
 * (engines split work per row group; tiny groups multiply footer metadata and requests), small enough for a 1–2 GB
 * Lambda while the group is held as JS values (several times its raw size; see docs/parquet-library-choice.md).
 */
import * as zlib from 'node:zlib';
import type { SchemaElement } from 'hyparquet';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import type { OktaRecord } from '../../okta/types.js';
import { type Cell, type ColumnSpec, type PhysicalType, rawValueAt, type ScalarType, toCell } from '../columns.js';
import { OutputConfigError } from '../errors.js';
import type { Compression, FileEncoder } from './types.js';

export const DEFAULT_ROW_GROUP_BYTES = 32 * 1024 * 1024;
export const DEFAULT_ROW_GROUP_ROWS = 500_000;

export interface ParquetEncoderOptions {
  compression?: Exclude<Compression, 'none'> | 'none';
  rowGroupBytes?: number;
  rowGroupRows?: number;
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

function cellBytes(cell: Cell): number {
  if (cell === null) return 1;
  if (typeof cell === 'string') return cell.length + 4;
  if (Array.isArray(cell)) return cell.reduce((n: number, c: Cell) => n + cellBytes(c), 8);
  if (typeof cell === 'object') return Object.values(cell).reduce((n: number, c: Cell) => n + cellBytes(c), 8);
  return 8;
}

export function createParquetEncoder(columns: readonly ColumnSpec[], options: ParquetEncoderOptions = {}): FileEncoder {
  const compression = options.compression ?? 'snappy';
  const rowGroupBytes = options.rowGroupBytes ?? DEFAULT_ROW_GROUP_BYTES;
  const rowGroupRows = options.rowGroupRows ?? DEFAULT_ROW_GROUP_ROWS;
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
  let buffers: Cell[][] = columns.map(() => []);
  let rows = 0;
  let held = 0;
  let finished = false;

  const flushRowGroup = (): void => {
    if (rows === 0) return;
    const result = writer.write({
      columnData: columns.map((c, i) => ({ name: c.name, data: buffers[i] ?? [] })),
      rowGroupSize: rows,
    });
    if (result instanceof Promise) throw new OutputConfigError('unexpected asynchronous Parquet writer');
    buffers = columns.map(() => []);
    rows = 0;
    held = 0;
  };

  return {
    get heldBytes() {
      return held;
    },
    encode(records: readonly OktaRecord[]) {
      if (finished) throw new OutputConfigError('Parquet encoder used after finish()');
      for (const record of records) {
        for (let i = 0; i < columns.length; i++) {
          const column = columns[i] as ColumnSpec;
          const cell = toCell(column, rawValueAt(record, column.path));
          (buffers[i] as Cell[]).push(cell);
          held += cellBytes(cell);
        }
        rows++;
        if (held >= rowGroupBytes || rows >= rowGroupRows) flushRowGroup();
      }
      return sink.take();
    },
    finish() {
      if (finished) return [];
      finished = true;
      flushRowGroup();
      const done = writer.finish();
      if (done instanceof Promise) throw new OutputConfigError('unexpected asynchronous Parquet writer');
      return sink.take();
    },
  };
}
