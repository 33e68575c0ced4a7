/**
 * Column model of the output files: catalog fields (AppFlow types) → physical columns every encoder understands.
 * Scalars map one to one; a List with a known element type becomes a typed list and a Struct with declared members
 * a typed struct, nested to any depth. Everything else nested (a List without `items`, a Map, a Struct without
 * members) becomes JSON text so nothing is lost. Timestamps are UTC milliseconds.
 */
import type { AppFlowDataType, FieldDef, MemberDef } from '../okta/catalog/types.js';
import type { OktaRecord } from '../okta/types.js';
import { ColumnValueError } from './errors.js';
import { parseIsoMillis } from './iso-timestamp.js';

export type ScalarType = 'string' | 'int64' | 'double' | 'boolean' | 'timestamp' | 'json';

/** A list of values of one type (Parquet LIST, Glue `array<…>`). Elements may be null. */
export interface ListType {
  readonly kind: 'list';
  readonly element: PhysicalType;
}

export interface StructField {
  /** Output name of the member (Parquet field, Glue struct member). */
  readonly name: string;
  /** The key in Okta's JSON object. */
  readonly key: string;
  readonly type: PhysicalType;
}

/** A record of named members (Parquet group, Glue `struct<…>`). Members may be null. */
export interface StructType {
  readonly kind: 'struct';
  readonly fields: readonly StructField[];
}

export type PhysicalType = ScalarType | ListType | StructType;

export interface ColumnSpec {
  /** Output column name (the catalog's snake_case `column`). */
  readonly name: string;
  /** Path in the Okta record, e.g. ['profile', 'department']. */
  readonly path: readonly string[];
  readonly type: PhysicalType;
}

const SCALAR: Record<AppFlowDataType, ScalarType> = {
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

/** What a field or struct member declares about its shape (FieldDef and MemberDef both fit). */
export interface DeclaredShape {
  readonly type: AppFlowDataType;
  readonly items?: AppFlowDataType | undefined;
  readonly members?: readonly MemberDef[] | undefined;
}

/** Physical type of a declared shape. `physicalTypeOf('List')` alone (no element type) is JSON text. */
export function physicalTypeOf(type: AppFlowDataType, shape: Omit<DeclaredShape, 'type'> = {}): PhysicalType {
  if (type === 'Struct') return shape.members ? structOf(shape.members) : 'json';
  if (type !== 'List' || shape.items === undefined) return SCALAR[type];
  if (shape.items === 'Struct') return shape.members ? { kind: 'list', element: structOf(shape.members) } : 'json';
  // A list of lists or maps has no declared inner shape: the whole value stays JSON text.
  if (shape.items === 'List' || shape.items === 'Map') return 'json';
  return { kind: 'list', element: SCALAR[shape.items] };
}

function structOf(members: readonly MemberDef[]): StructType {
  return {
    kind: 'struct',
    fields: members.map((m) => ({ name: m.column, key: m.key, type: physicalTypeOf(m.type, m) })),
  };
}

export function columnsFromFields(fields: readonly FieldDef[]): ColumnSpec[] {
  return fields.map((f) => ({ name: f.column, path: f.path, type: physicalTypeOf(f.type, f) }));
}

export function isScalar(type: PhysicalType): type is ScalarType {
  return typeof type === 'string';
}

/** Readable type text for messages and docs: `list<struct<id:string,type:string>>`. */
export function describeType(type: PhysicalType): string {
  if (isScalar(type)) return type;
  if (type.kind === 'list') return `list<${describeType(type.element)}>`;
  return `struct<${type.fields.map((f) => `${f.name}:${describeType(f.type)}`).join(',')}>`;
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

/**
 * A value normalized to its column's physical type. Timestamps are epoch milliseconds (UTC); a list is an array of
 * cells; a struct is an object keyed by member `name` (not Okta's key).
 */
export type Cell = string | number | bigint | boolean | null | readonly Cell[] | { readonly [name: string]: Cell };

const ISO_DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Normalizes a raw value to the column's physical type; null/absent → null. Throws ColumnValueError rather than
 * silently dropping or truncating a value that does not fit (lossless or loud).
 */
export function toCell(column: ColumnSpec, raw: unknown): Cell {
  return toValue(column, column.type, raw, '');
}

function toValue(column: ColumnSpec, type: PhysicalType, raw: unknown, at: string): Cell {
  if (raw === undefined || raw === null) return null;
  if (!isScalar(type)) {
    if (type.kind === 'list') {
      if (!Array.isArray(raw)) throw mismatch(column, type, raw, at);
      return raw.map((element, i) => toValue(column, type.element, element, `${at}[${i}]`));
    }
    if (typeof raw !== 'object' || Array.isArray(raw)) throw mismatch(column, type, raw, at);
    const source = raw as Record<string, unknown>;
    const out: Record<string, Cell> = {};
    for (const field of type.fields)
      out[field.name] = toValue(column, field.type, source[field.key], `${at}.${field.key}`);
    return out;
  }
  switch (type) {
    case 'string':
      if (typeof raw === 'string') return raw;
      if (typeof raw === 'number' || typeof raw === 'boolean' || typeof raw === 'bigint') return String(raw);
      // An object in a String field (schema drift): keep it, as JSON, rather than lose it.
      return JSON.stringify(raw);
    case 'int64':
      return toInt64(column, raw, at);
    case 'double':
      if (typeof raw === 'number') return raw;
      if (typeof raw === 'string' && raw.trim() !== '' && !Number.isNaN(Number(raw))) return Number(raw);
      throw mismatch(column, type, raw, at);
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === 'false') return raw === 'true';
      throw mismatch(column, type, raw, at);
    case 'timestamp':
      return toEpochMillis(column, raw, at);
    case 'json':
      return JSON.stringify(raw);
  }
}

function toInt64(column: ColumnSpec, raw: unknown, at: string): bigint {
  if (typeof raw === 'bigint') return raw;
  if (typeof raw === 'number' && Number.isSafeInteger(raw)) return BigInt(raw);
  if (typeof raw === 'string' && /^-?\d+$/.test(raw)) return BigInt(raw);
  throw mismatch(column, 'int64', raw, at);
}

function toEpochMillis(column: ColumnSpec, raw: unknown, at: string): number {
  if (typeof raw === 'number' && Number.isFinite(raw)) return Math.trunc(raw);
  if (typeof raw === 'string') {
    // Okta timestamps are ISO-8601 with Z (`2024-05-01T12:00:00.000Z`); a bare date is its UTC midnight.
    const ms = parseIsoMillis(ISO_DATE_ONLY.test(raw) ? `${raw}T00:00:00.000Z` : raw);
    if (!Number.isNaN(ms)) return ms;
  }
  throw mismatch(column, 'timestamp', raw, at);
}

function mismatch(column: ColumnSpec, type: PhysicalType, raw: unknown, at: string): ColumnValueError {
  const kind = Array.isArray(raw) ? 'array' : typeof raw;
  const where = at === '' ? '' : ` at ${at}`;
  const expected = isScalar(type) ? type : type.kind;
  return new ColumnValueError(
    `Column "${column.name}" (${expected}${where}) got a ${kind} value that cannot be stored losslessly; ` +
      `fix the catalog type of "${column.path.join('.')}" or choose the field's JSON column.`,
    column.name,
  );
}

/** ISO-8601 UTC with milliseconds, the text form of timestamps in CSV. */
export function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * JSON text of a normalized nested cell in Okta's own shape (struct members under their Okta keys, timestamps as
 * ISO-8601, int64 as exact JSON numbers, `json` members embedded as the JSON they hold). Used where a nested value
 * must be one text field (CSV).
 */
export function cellToJson(type: PhysicalType, cell: Cell): string {
  if (cell === null) return 'null';
  if (isScalar(type)) {
    switch (type) {
      case 'json':
        return String(cell);
      case 'timestamp':
        return JSON.stringify(formatTimestamp(cell as number));
      case 'int64':
        return String(cell);
      default:
        return JSON.stringify(cell);
    }
  }
  if (type.kind === 'list') {
    const items = cell as readonly Cell[];
    return `[${items.map((item) => cellToJson(type.element, item)).join(',')}]`;
  }
  const record = cell as { readonly [name: string]: Cell };
  const members = type.fields
    .filter((f) => record[f.name] !== null && record[f.name] !== undefined)
    .map((f) => `${JSON.stringify(f.key)}:${cellToJson(f.type, record[f.name] ?? null)}`);
  return `{${members.join(',')}}`;
}
