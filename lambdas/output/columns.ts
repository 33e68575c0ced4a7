/**
 * Column model of the output files: catalog fields (AppFlow types) → physical columns every encoder understands.
 * Struct/List/Map become JSON text so nothing nested is lost; timestamps are UTC milliseconds.
 */
import type { AppFlowDataType, FieldDef } from '../okta/catalog/types.js';
import type { OktaRecord } from '../okta/types.js';
import { ColumnValueError } from './errors.js';

export type PhysicalType = 'string' | 'int64' | 'double' | 'boolean' | 'timestamp' | 'json';

export interface ColumnSpec {
  /** Output column name (the catalog's snake_case `column`). */
  readonly name: string;
  /** Path in the Okta record, e.g. ['profile', 'department']. */
  readonly path: readonly string[];
  readonly type: PhysicalType;
}

const PHYSICAL: Record<AppFlowDataType, PhysicalType> = {
  String: 'string',
  Integer: 'int64',
  Long: 'int64',
  Double: 'double',
  Boolean: 'boolean',
  // Okta has no date-only fields today; a Date is stored as the timestamp of its UTC midnight.
  Date: 'timestamp',
  DateTime: 'timestamp',
  Struct: 'json',
  List: 'json',
  Map: 'json',
};

export function physicalTypeOf(type: AppFlowDataType): PhysicalType {
  return PHYSICAL[type];
}

export function columnsFromFields(fields: readonly FieldDef[]): ColumnSpec[] {
  return fields.map((f) => ({ name: f.column, path: f.path, type: physicalTypeOf(f.type) }));
}

/** The raw value at a path; `undefined` when any step is missing (absent field). */
export function rawValueAt(record: OktaRecord, path: readonly string[]): unknown {
  let current: unknown = record;
  for (const step of path) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[step];
  }
  return current;
}

/** A value normalized to its column's physical type. Timestamps are epoch milliseconds (UTC). */
export type Cell = string | number | bigint | boolean | null;

const ISO_DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Normalizes a raw value to the column's physical type; null/absent → null. Throws ColumnValueError rather than
 * silently dropping or truncating a value that does not fit (lossless or loud).
 */
export function toCell(column: ColumnSpec, raw: unknown): Cell {
  if (raw === undefined || raw === null) return null;
  switch (column.type) {
    case 'string':
      if (typeof raw === 'string') return raw;
      if (typeof raw === 'number' || typeof raw === 'boolean' || typeof raw === 'bigint') return String(raw);
      // An object in a String field (schema drift): keep it, as JSON, rather than lose it.
      return JSON.stringify(raw);
    case 'int64':
      return toInt64(column, raw);
    case 'double':
      if (typeof raw === 'number') return raw;
      if (typeof raw === 'string' && raw.trim() !== '' && !Number.isNaN(Number(raw))) return Number(raw);
      throw mismatch(column, raw);
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === 'false') return raw === 'true';
      throw mismatch(column, raw);
    case 'timestamp':
      return toEpochMillis(column, raw);
    case 'json':
      return JSON.stringify(raw);
  }
}

function toInt64(column: ColumnSpec, raw: unknown): bigint {
  if (typeof raw === 'bigint') return raw;
  if (typeof raw === 'number' && Number.isSafeInteger(raw)) return BigInt(raw);
  if (typeof raw === 'string' && /^-?\d+$/.test(raw)) return BigInt(raw);
  throw mismatch(column, raw);
}

function toEpochMillis(column: ColumnSpec, raw: unknown): number {
  if (typeof raw === 'number' && Number.isFinite(raw)) return Math.trunc(raw);
  if (typeof raw === 'string') {
    // Okta timestamps are ISO-8601 with Z (`2024-05-01T12:00:00.000Z`); a bare date is its UTC midnight.
    const ms = Date.parse(ISO_DATE_ONLY.test(raw) ? `${raw}T00:00:00.000Z` : raw);
    if (!Number.isNaN(ms)) return ms;
  }
  throw mismatch(column, raw);
}

function mismatch(column: ColumnSpec, raw: unknown): ColumnValueError {
  const kind = Array.isArray(raw) ? 'array' : typeof raw;
  return new ColumnValueError(
    `Column "${column.name}" (${column.type}) got a ${kind} value that cannot be stored losslessly; ` +
      `fix the catalog type of "${column.path.join('.')}" or choose the field's JSON column.`,
    column.name,
  );
}

/** ISO-8601 UTC with milliseconds, the text form of timestamps in CSV. */
export function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString();
}
