/**
 * Glue table shape for one Okta object in one output format, from the catalog. Pure (no CDK), so it is tested alone.
 *
 * - parquet: one column per catalog field, by name (the snake_case column); DateTime → timestamp (the encoder writes
 *   TIMESTAMP_MILLIS, UTC), typed lists → array<…>, declared structs → struct<…> (member output names), other
 *   Struct/List/Map → string (JSON text).
 * - csv: one column per field in header order, OpenCSVSerde (RFC 4180 quoting; nested values are JSON text in
 *   quotes, so every nested column is string). OpenCSVSerde reads timestamps only as epoch numbers, so ISO-8601
 *   timestamps are declared string: query them with from_iso8601_timestamp(…).
 * - jsonl: Okta's own nested shape (the encoder projects records, it does not flatten), so columns are the top-level
 *   keys, nested ones as struct<…>; the OpenX JSON SerDe matches keys case-insensitively (`lastUpdated` →
 *   `lastupdated`) and reads ISO-8601 timestamps. Typed lists and declared structs are array<…>/struct<…> over
 *   Okta's keys; other Struct/List/Map fields are declared string (the SerDe hands their JSON text).
 */
import type { OutputFormat } from '../lambdas/flow/config/index.js';
import type { FieldDef } from '../lambdas/okta/catalog/types.js';
import { isScalar, type PhysicalType, physicalTypeOf, type ScalarType } from '../lambdas/output/columns.js';

export interface GlueColumn {
  readonly name: string;
  readonly type: string;
  readonly comment?: string;
}

export interface GlueStorageShape {
  readonly columns: GlueColumn[];
  readonly inputFormat: string;
  readonly outputFormat: string;
  readonly serializationLibrary: string;
  readonly serdeParameters: Record<string, string>;
  /** Table parameters besides partition projection (e.g. the header skip of CSV). */
  readonly tableParameters: Record<string, string>;
}

const SCALAR: Record<ScalarType, string> = {
  string: 'string',
  int64: 'bigint',
  double: 'double',
  boolean: 'boolean',
  timestamp: 'timestamp',
  json: 'string',
};

/**
 * Glue type of a physical column in Parquet or JSON (CSV differs: see glueStorageShape). Lists are `array<…>`,
 * structs `struct<…>`; struct members are named by their output name in Parquet (`naming: 'name'`) and by Okta's
 * JSON key, lowercased, in JSON Lines (`naming: 'key'`), where the records keep Okta's shape.
 */
export function glueTypeOf(type: PhysicalType, naming: 'name' | 'key' = 'name'): string {
  if (isScalar(type)) return SCALAR[type];
  if (type.kind === 'list') return `array<${glueTypeOf(type.element, naming)}>`;
  const members = type.fields.map(
    (f) => `${naming === 'name' ? f.name : f.key.toLowerCase()}:${glueTypeOf(f.type, naming)}`,
  );
  return `struct<${members.join(',')}>`;
}

/** Glue type of a catalog field's values in one format. */
export function glueFieldType(field: FieldDef, format: OutputFormat): string {
  const type = physicalTypeOf(field.type, field);
  if (format === 'csv') return type === 'timestamp' || !isScalar(type) ? 'string' : glueTypeOf(type);
  return glueTypeOf(type, format === 'jsonl' ? 'key' : 'name');
}

const TEXT_INPUT = 'org.apache.hadoop.mapred.TextInputFormat';
const TEXT_OUTPUT = 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat';

export function glueStorageShape(fields: readonly FieldDef[], format: OutputFormat): GlueStorageShape {
  switch (format) {
    case 'parquet':
      return {
        columns: fields.map((f) => column(f.column, glueFieldType(f, format), f.description)),
        inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
        outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
        serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
        serdeParameters: { 'serialization.format': '1' },
        tableParameters: { classification: 'parquet' },
      };
    case 'csv':
      return {
        columns: fields.map((f) => column(f.column, glueFieldType(f, format), f.description)),
        inputFormat: TEXT_INPUT,
        outputFormat: TEXT_OUTPUT,
        serializationLibrary: 'org.apache.hadoop.hive.serde2.OpenCSVSerde',
        serdeParameters: { separatorChar: ',', quoteChar: '"', escapeChar: '\\' },
        tableParameters: { classification: 'csv', 'skip.header.line.count': '1' },
      };
    case 'jsonl':
      return {
        columns: nestedColumns(fields),
        inputFormat: TEXT_INPUT,
        outputFormat: TEXT_OUTPUT,
        serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
        serdeParameters: { 'case.insensitive': 'true', 'ignore.malformed.json': 'false' },
        tableParameters: { classification: 'json' },
      };
  }
}

function column(name: string, type: string, comment: string): GlueColumn {
  // Glue caps column comments at 255 characters.
  return comment === '' ? { name, type } : { name, type, comment: comment.slice(0, 255) };
}

interface Node {
  type?: string;
  children: Map<string, Node>;
}

/** Top-level columns of Okta's nested JSON, e.g. profile → struct<login:string,department:string>. */
export function nestedColumns(fields: readonly FieldDef[]): GlueColumn[] {
  const root: Node = { children: new Map() };
  for (const field of fields) {
    let node: Node | undefined = root;
    for (const step of field.path) {
      const key = step.toLowerCase();
      let child: Node | undefined = node.children.get(key);
      if (child === undefined) {
        child = { children: new Map() };
        node.children.set(key, child);
      }
      node = child;
      // A whole-subtree field (e.g. a Struct) already covers narrower fields under it: its JSON text holds them.
      if (node.type !== undefined) {
        node = undefined;
        break;
      }
    }
    if (node === undefined) continue;
    node.type = glueFieldType(field, 'jsonl');
    node.children.clear();
  }
  return [...root.children].map(([name, node]) => ({ name, type: render(node) }));
}

function render(node: Node): string {
  if (node.type !== undefined) return node.type;
  return `struct<${[...node.children].map(([name, child]) => `${name}:${render(child)}`).join(',')}>`;
}
