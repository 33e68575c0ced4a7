/**
 * Glue definitions of an object's lake tables and views, from its lake columns. The stack registers them at deploy
 * (lib/glue-tables.ts, with the columns known from the config) and CommitRun re-registers them when a run brings
 * columns Glue does not have yet (custom attributes, schema drift): one function, so both always agree.
 *
 * - `_<table>_parts` / `_<object>_deletes_parts`: external tables over the run folders, partition projection on `dt`
 *   (no crawler, no MSCK REPAIR), Parquet or JSON SerDe by the output format.
 * - `_<table>_commits`: the commit records (one JSON line each), OpenX JSON SerDe.
 * - the views (lake/views.ts) as Athena views: Glue VIRTUAL_VIEW tables whose `ViewOriginalText` is
 *   `/* Presto View: <base64 of {originalSql, catalog, schema, columns}> *\/`, the form Athena itself stores.
 *
 * CSV output gets no Glue tables: Athena's OpenCSVSerDe cannot read RFC 4180 CSV back exactly (it treats a backslash
 * as an escape and splits rows at line breaks inside quotes), so values with backslashes, JSON or newlines would come
 * back wrong. Query CSV output with `okta-flow query`, or choose Parquet or JSONL for Athena.
 */
import type { ObjectDef } from '../okta/catalog/types.js';
import type { OutputFormat } from '../output/encoders/types.js';
import { COMMITS_FOLDER } from './commit-log.js';
import type { LakeColumn, TableColumn } from './lake-columns.js';
import { tableColumns } from './lake-columns.js';
import { hiveType, trinoType } from './lake-types.js';
import { lakeTableNames } from './table-names.js';
import { COMMIT_COLUMNS, lakeViews, TOMBSTONE_LAKE_COLUMNS } from './views.js';

/** A Glue table input, in CloudFormation's (camelCase) shape; glue-catalog.ts converts it for the Glue API. */
export interface GlueTableDefinition {
  readonly name: string;
  readonly description: string;
  readonly tableType: 'EXTERNAL_TABLE' | 'VIRTUAL_VIEW';
  readonly parameters: Readonly<Record<string, string>>;
  readonly partitionKeys: readonly GlueColumn[];
  readonly storageDescriptor: {
    readonly location?: string;
    readonly columns: readonly GlueColumn[];
    readonly inputFormat?: string;
    readonly outputFormat?: string;
    readonly serdeInfo: {
      readonly serializationLibrary?: string;
      readonly parameters?: Readonly<Record<string, string>>;
    };
  };
  readonly viewOriginalText?: string;
  readonly viewExpandedText?: string;
}

export interface GlueColumn {
  readonly name: string;
  readonly type: string;
  readonly comment?: string;
}

export interface GlueDefinitionsInput {
  readonly databaseName: string;
  /** The output bucket's name (a CDK token at synth time). */
  readonly bucketName: string;
  readonly prefix: string;
  readonly def: ObjectDef;
  readonly format: Exclude<OutputFormat, 'csv'>;
  /** First day partition projection enumerates (yyyy-MM-dd). */
  readonly firstDay: string;
  /** The object's data columns (lake columns, or the columns known at synth). */
  readonly records: readonly LakeColumn[];
}

/** First day Athena's partition projection enumerates (the stack and CommitRun register the same tables). */
export const FIRST_PARTITION_DAY = '2020-01-01';

/** Whether a config's output gets Glue tables at all (see above: not CSV, not client-side encrypted). */
export function hasGlueTables(output: {
  readonly format: OutputFormat;
  readonly encryption: { readonly clientSide: boolean };
}): boolean {
  return output.format !== 'csv' && !output.encryption.clientSide;
}

const TEXT_INPUT = 'org.apache.hadoop.mapred.TextInputFormat';
const TEXT_OUTPUT = 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat';
const JSON_SERDE = {
  serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
  parameters: { 'case.insensitive': 'true', 'ignore.malformed.json': 'false' },
};

/** Input/output format and SerDe of data files in one format. */
export function storageOf(format: Exclude<OutputFormat, 'csv'>) {
  if (format === 'parquet') {
    return {
      inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
      outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
      serdeInfo: {
        serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
        parameters: { 'serialization.format': '1' },
      },
      classification: 'parquet',
    };
  }
  return { inputFormat: TEXT_INPUT, outputFormat: TEXT_OUTPUT, serdeInfo: JSON_SERDE, classification: 'json' };
}

function glueColumns(columns: readonly TableColumn[]): GlueColumn[] {
  return columns.map((c) => ({ name: c.name, type: hiveType(c.type) }));
}

function trimPrefix(prefix: string): string {
  return prefix.replace(/^\/+|\/+$/g, '');
}

/** The text Athena stores for a view: its SQL, default catalog/schema and typed columns, base64 in a comment. */
export function prestoViewText(sql: string, databaseName: string, columns: readonly TableColumn[]): string {
  const view = {
    originalSql: sql,
    catalog: 'awsdatacatalog',
    schema: databaseName,
    columns: columns.map((c) => ({ name: c.name, type: trinoType(c.type) })),
  };
  return `/* Presto View: ${Buffer.from(JSON.stringify(view), 'utf8').toString('base64')} */`;
}

/** Decodes `prestoViewText` (tests, and comparing what Glue holds with what a commit wants). */
export function decodePrestoView(text: string): {
  originalSql: string;
  schema: string;
  columns: { name: string; type: string }[];
} {
  const match = /^\/\* Presto View: ([A-Za-z0-9+/=]+) \*\/$/.exec(text);
  if (!match?.[1]) throw new Error('not an Athena (Presto) view text');
  return JSON.parse(Buffer.from(match[1], 'base64').toString('utf8'));
}

/** Every Glue definition of one object: the three tables, then the three views. */
export function glueDefinitions(input: GlueDefinitionsInput): GlueTableDefinition[] {
  const { def, format } = input;
  const names = lakeTableNames(def.name);
  const storage = storageOf(format);
  const prefix = trimPrefix(input.prefix);
  const root = prefix === '' ? `s3://${input.bucketName}` : `s3://${input.bucketName}/${prefix}`;
  const external = (
    name: string,
    description: string,
    folder: string,
    columns: readonly TableColumn[],
  ): GlueTableDefinition => {
    const location = `${root}/${folder}/`;
    return {
      name,
      description,
      tableType: 'EXTERNAL_TABLE',
      parameters: {
        classification: storage.classification,
        EXTERNAL: 'TRUE',
        'projection.enabled': 'true',
        'projection.dt.type': 'date',
        'projection.dt.format': 'yyyy-MM-dd',
        'projection.dt.range': `${input.firstDay},NOW`,
        'projection.dt.interval': '1',
        'projection.dt.interval.unit': 'DAYS',
        'storage.location.template': `${location}dt=\${dt}/`,
      },
      partitionKeys: [{ name: 'dt', type: 'string', comment: 'UTC day of the run (yyyy-MM-dd)' }],
      storageDescriptor: {
        location,
        columns: glueColumns(columns),
        inputFormat: storage.inputFormat,
        outputFormat: storage.outputFormat,
        serdeInfo: storage.serdeInfo,
      },
    };
  };
  const tables: GlueTableDefinition[] = [
    external(
      names.parts,
      `okta-flow ${def.label} files of every run, committed or not: query the ${names.history} and ${names.current} views instead`,
      def.name,
      tableColumns(format, input.records).filter((c) => c.name !== 'dt'),
    ),
    external(
      names.deletesParts,
      `okta-flow ${def.label} tombstone files of every run: query the ${names.deletes} view instead`,
      `${def.name}_deletes`,
      tableColumns(format, TOMBSTONE_LAKE_COLUMNS),
    ),
    {
      name: names.commits,
      description: `okta-flow commit records of ${def.label} runs: one row per committed run`,
      tableType: 'EXTERNAL_TABLE',
      parameters: { classification: 'json', EXTERNAL: 'TRUE' },
      partitionKeys: [],
      storageDescriptor: {
        location: `${root}/${COMMITS_FOLDER}/${def.name}/`,
        columns: glueColumns(COMMIT_COLUMNS),
        inputFormat: TEXT_INPUT,
        outputFormat: TEXT_OUTPUT,
        serdeInfo: JSON_SERDE,
      },
    },
  ];
  const views = lakeViews({ def, format, records: input.records }).map(
    (view): GlueTableDefinition => ({
      name: view.name,
      description: `okta-flow view (${def.label}); its SQL is lambdas/lake/views.ts`,
      tableType: 'VIRTUAL_VIEW',
      parameters: { presto_view: 'true', comment: 'Presto View' },
      partitionKeys: [],
      storageDescriptor: { columns: glueColumns(view.columns), serdeInfo: {} },
      viewOriginalText: prestoViewText(view.sql, input.databaseName, view.columns),
      viewExpandedText: '/* Presto View */',
    }),
  );
  return [...tables, ...views];
}
