/**
 * Column types of the lake tables, in every dialect that reads them. A LakeType is the physical type the encoders
 * write (`PhysicalType` of lambdas/output/columns.ts: scalars, `json` text, and the nested list/struct shapes of the
 * cross-cutting contract), so Glue, Athena views and DuckDB all declare exactly what the files hold.
 */
import { z } from 'zod';

export type LakeScalar = 'string' | 'int64' | 'double' | 'boolean' | 'timestamp' | 'json';

export interface LakeList {
  readonly kind: 'list';
  readonly element: LakeType;
}

export interface LakeStruct {
  readonly kind: 'struct';
  /** `name`: the column name of the field; `key`: the JSON key in Okta's record. */
  readonly fields: readonly { readonly name: string; readonly key: string; readonly type: LakeType }[];
}

export type LakeType = LakeScalar | LakeList | LakeStruct;

export const lakeTypeSchema: z.ZodType<LakeType> = z.lazy(() =>
  z.union([
    z.enum(['string', 'int64', 'double', 'boolean', 'timestamp', 'json']),
    z.object({ kind: z.literal('list'), element: lakeTypeSchema }),
    z.object({
      kind: z.literal('struct'),
      fields: z.array(z.object({ name: z.string(), key: z.string(), type: lakeTypeSchema })),
    }),
  ]),
);

/** A canonical text of a type: equal types, equal keys (`list<string>`, `struct<a:int64>`). */
export function typeKey(type: LakeType): string {
  if (typeof type === 'string') return type;
  if (type.kind === 'list') return `list<${typeKey(type.element)}>`;
  return `struct<${type.fields.map((f) => `${f.name}:${typeKey(f.type)}`).join(',')}>`;
}

/** The suffix a column takes when its attribute changes to this type (`list<int64>` → `list_int64`). */
export function typeSuffix(type: LakeType): string {
  return typeKey(type)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** Hive type, as Glue table columns declare it. Names inside structs are lower case, as Glue stores them. */
export function hiveType(type: LakeType): string {
  if (typeof type !== 'string') {
    if (type.kind === 'list') return `array<${hiveType(type.element)}>`;
    return `struct<${type.fields.map((f) => `${f.name.toLowerCase()}:${hiveType(f.type)}`).join(',')}>`;
  }
  switch (type) {
    case 'string':
    case 'json':
      return 'string';
    case 'int64':
      return 'bigint';
    case 'double':
      return 'double';
    case 'boolean':
      return 'boolean';
    case 'timestamp':
      return 'timestamp';
  }
}

/** Trino (Athena engine 3) type, as Athena views declare their columns. */
export function trinoType(type: LakeType): string {
  if (typeof type !== 'string') {
    if (type.kind === 'list') return `array(${trinoType(type.element)})`;
    return `row(${type.fields.map((f) => `${f.name.toLowerCase()} ${trinoType(f.type)}`).join(', ')})`;
  }
  switch (type) {
    case 'string':
    case 'json':
      return 'varchar';
    case 'int64':
      return 'bigint';
    case 'double':
      return 'double';
    case 'boolean':
      return 'boolean';
    case 'timestamp':
      return 'timestamp(3)';
  }
}

/** DuckDB type, for the local query. Struct keys keep Okta's case (DuckDB reads JSON keys by exact name). */
export function duckdbType(type: LakeType): string {
  if (typeof type !== 'string') {
    if (type.kind === 'list') return `${duckdbType(type.element)}[]`;
    return `STRUCT(${type.fields.map((f) => `${quoteIdentifier(f.key)} ${duckdbType(f.type)}`).join(', ')})`;
  }
  switch (type) {
    case 'string':
    case 'json':
      return 'VARCHAR';
    case 'int64':
      return 'BIGINT';
    case 'double':
      return 'DOUBLE';
    case 'boolean':
      return 'BOOLEAN';
    case 'timestamp':
      return 'TIMESTAMP';
  }
}

/** A double-quoted SQL identifier (Trino and DuckDB both double an embedded quote). */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
