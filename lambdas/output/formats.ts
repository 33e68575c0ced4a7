/** Per-format defaults and naming: file extension, content type, allowed compression. */
import type { ColumnSpec } from './columns.js';
import { createCsvEncoder } from './encoders/csv.js';
import { processEncoderPool } from './encoders/encoder-pool.js';
import { createJsonlEncoder } from './encoders/jsonl.js';
import { createParquetEncoder, createParquetWorkerEncoder, type ParquetEncoderOptions } from './encoders/parquet.js';
import type { Compression, FileEncoder, OutputFormat } from './encoders/types.js';
import { OutputConfigError } from './errors.js';

export interface FormatSettings {
  readonly format: OutputFormat;
  readonly compression: Compression;
  /** Whole-file gzip applied by the writer (CSV/JSONL only; Parquet compresses inside the file). */
  readonly gzipStream: boolean;
  readonly extension: string;
  readonly contentType: string;
}

export function resolveFormat(format: OutputFormat, compression?: Compression): FormatSettings {
  if (format === 'parquet') {
    const c = compression ?? 'snappy';
    return {
      format,
      compression: c,
      gzipStream: false,
      extension: 'parquet',
      contentType: 'application/vnd.apache.parquet',
    };
  }
  const c = compression ?? 'none';
  if (c !== 'none' && c !== 'gzip') {
    throw new OutputConfigError(`${format.toUpperCase()} supports compression 'gzip' or 'none', not '${c}'`);
  }
  const gz = c === 'gzip';
  const base = format === 'csv' ? 'csv' : 'jsonl';
  const contentType = gz ? 'application/gzip' : format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson';
  return { format, compression: c, gzipStream: gz, extension: gz ? `${base}.gz` : base, contentType };
}

export function createEncoder(
  settings: FormatSettings,
  columns: readonly ColumnSpec[],
  options: { csvNull?: string; parquet?: Omit<ParquetEncoderOptions, 'compression'> },
): FileEncoder {
  switch (settings.format) {
    case 'parquet': {
      const parquet = { ...options.parquet, compression: settings.compression };
      const pool = options.parquet?.worker ?? processEncoderPool();
      return pool !== undefined
        ? createParquetWorkerEncoder(columns, pool, parquet)
        : createParquetEncoder(columns, parquet);
    }
    case 'csv':
      return createCsvEncoder(columns, { nullValue: options.csvNull });
    case 'jsonl':
      return createJsonlEncoder(columns);
  }
}
