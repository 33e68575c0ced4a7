/**
 * The lake in DuckDB, for `okta-flow query`: the same tables and views as Athena (lambdas/lake/views.ts runs
 * unchanged), over a local output folder or files fetched from s3://bucket/prefix.
 *
 * Under the views, as in Glue: `_<table>_parts` and `_<object>_deletes_parts` read the run folders' part files with
 * the lake's columns and types (a column no file has yet reads as null, like Athena) and expose `dt` and `"$path"`;
 * `_<table>_commits` holds the commit records. By default only the files commit records list are read (a folder may
 * hold half-written files of a killed local run); `files: 'location'` reads every part file under each table's
 * location, exactly what Athena lists, so tests can show the views themselves keep uncommitted runs out.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { type CommitRecord, committedObjects, listCommits } from '../../lambdas/lake/commit-log.js';
import { type LakeColumn, mergeColumns, type TableColumn, tableColumns } from '../../lambdas/lake/lake-columns.js';
import { duckdbType, quoteIdentifier as q } from '../../lambdas/lake/lake-types.js';
import { lakeTableNames } from '../../lambdas/lake/table-names.js';
import { COMMIT_COLUMNS, lakeViews, TOMBSTONE_LAKE_COLUMNS } from '../../lambdas/lake/views.js';
import { getObjectDef } from '../../lambdas/okta/catalog/index.js';
import type { OutputFormat } from '../../lambdas/output/encoders/types.js';
import { PART_NAME } from '../../lambdas/output/keys.js';
import { storeFor } from '../../lambdas/output/sinks/store.js';
import type { OutputTarget } from '../../lambdas/output/sinks/types.js';

export class LakeQueryError extends Error {
  override readonly name = 'LakeQueryError';
}

export interface LocalLakeOptions {
  readonly target: OutputTarget;
  /** The output prefix inside the target (`okta`). */
  readonly prefix: string;
  /** `committed` (default): the files commit records list. `location`: every part file, as Athena lists them. */
  readonly files?: 'committed' | 'location';
  /** Where files of an s3:// target are fetched to (required for S3). */
  readonly cacheDir?: string;
}

export interface LocalLake {
  readonly connection: DuckDBConnection;
  /** The views readers query, per object: history, current, deletes. */
  readonly views: readonly string[];
  /** Every table and view defined, views last. */
  readonly relations: readonly string[];
  close(): void;
}

const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`;

interface FileSet {
  readonly format: OutputFormat;
  readonly paths: string[];
  readonly csvNull: string;
}

export async function openLocalLake(options: LocalLakeOptions): Promise<LocalLake> {
  const objects = await committedObjects(options.target, options.prefix);
  if (objects.length === 0) {
    throw new LakeQueryError(
      `No committed runs under ${describeTarget(options)}: run a flow first (\`okta-flow run <flow> --out …\`).`,
    );
  }
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    // Timestamps are UTC wall-clock values, as Athena reads them.
    await connection.run("SET TimeZone = 'UTC'");
    const views: string[] = [];
    const relations: string[] = [];
    for (const object of objects) {
      const def = getObjectDef(object);
      const names = lakeTableNames(def.name);
      const commits = await listCommits(options.target, options.prefix, object);
      const format = formatOf(object, commits);
      let records: LakeColumn[] = [];
      for (const commit of commits) records = mergeColumns(object, records, commit.records.columns);
      const csvNull = commits.at(-1)?.records.csvNull ?? '';
      const data = await fileSet(options, object, commits, 'records', format, csvNull);
      const deletes = await fileSet(options, `${object}_deletes`, commits, 'deletes', format, csvNull);
      await createParts(connection, names.parts, tableColumns(format, records), data);
      await createParts(connection, names.deletesParts, tableColumns(format, TOMBSTONE_LAKE_COLUMNS), deletes);
      await createCommits(connection, names.commits, commits);
      relations.push(names.parts, names.deletesParts, names.commits);
      for (const view of lakeViews({ def, format, records })) {
        await connection.run(`CREATE VIEW ${q(view.name)} AS\n${view.sql}`);
        views.push(view.name);
      }
    }
    return {
      connection,
      views,
      relations: [...relations, ...views],
      close: () => {
        connection.closeSync();
        instance.closeSync();
      },
    };
  } catch (error) {
    connection.closeSync();
    instance.closeSync();
    throw error;
  }
}

function describeTarget(options: LocalLakeOptions): string {
  const where = options.target.kind === 's3' ? `s3://${options.target.bucket}` : resolve(options.target.rootDir);
  return options.prefix === '' ? where : `${where}/${options.prefix}`;
}

/** One format per object: the files of its committed runs must agree (a config change of format mixes them). */
function formatOf(object: string, commits: readonly CommitRecord[]): OutputFormat {
  const formats = new Set(commits.map((c) => c.records.manifest.format));
  if (formats.size > 1) {
    throw new LakeQueryError(
      `${object} has committed runs in ${[...formats].join(' and ')}: okta-flow query reads one format per object. ` +
        'Query a folder with one format (or re-run the flows with --full into a fresh --out).',
    );
  }
  if (commits.some((c) => c.records.manifest.encryption.clientSide !== null)) {
    throw new LakeQueryError(
      `${object} files are client-side encrypted: decrypt them first (see the README, "Decrypting client-side-encrypted files").`,
    );
  }
  return commits[0]?.records.manifest.format ?? 'parquet';
}

async function fileSet(
  options: LocalLakeOptions,
  folder: string,
  commits: readonly CommitRecord[],
  kind: 'records' | 'deletes',
  format: OutputFormat,
  csvNull: string,
): Promise<FileSet> {
  const store = storeFor(options.target);
  let keys: string[];
  if (options.files === 'location') {
    const location = [options.prefix.replace(/^\/+|\/+$/g, ''), folder].filter((s) => s !== '').join('/');
    const extension = format === 'jsonl' ? /\.jsonl(\.gz)?$/ : format === 'csv' ? /\.csv(\.gz)?$/ : /\.parquet$/;
    keys = (await store.listKeys(`${location}/`)).filter((k) => {
      const name = k.slice(k.lastIndexOf('/') + 1);
      return PART_NAME.test(name) && extension.test(name);
    });
  } else {
    keys = commits.flatMap((c) => (kind === 'records' ? c.records : c.deletes)?.manifest.files.map((f) => f.key) ?? []);
  }
  if (options.target.kind === 'local') {
    const root = resolve(options.target.rootDir);
    return { format, csvNull, paths: keys.map((k) => join(root, ...k.split('/'))) };
  }
  if (options.cacheDir === undefined) throw new LakeQueryError('Reading s3:// output needs a local cache folder');
  const paths: string[] = [];
  for (const key of keys) {
    const bytes = await store.getObject(key);
    if (bytes === null) continue;
    const path = join(options.cacheDir, ...key.split('/'));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, bytes);
    paths.push(path);
  }
  return { format, csvNull, paths };
}

/** The reader of a file set with every column as found in the files (names as in the files). */
function reader(files: FileSet, columns: readonly TableColumn[]): string {
  const list = `[${files.paths.map(literal).join(', ')}]`;
  switch (files.format) {
    case 'parquet':
      return `read_parquet(${list}, union_by_name = true, filename = true, hive_partitioning = false)`;
    case 'jsonl': {
      const typed = columns.map((c) => `${literal(c.key)}: ${literal(duckdbType(c.type))}`).join(', ');
      return `read_json(${list}, format = 'newline_delimited', columns = {${typed}}, filename = true, hive_partitioning = false)`;
    }
    case 'csv':
      return (
        `read_csv(${list}, header = true, union_by_name = true, all_varchar = true, filename = true, hive_partitioning = false, ` +
        `quote = '"', escape = '"', allow_quoted_nulls = false, nullstr = ${literal(files.csvNull)})`
      );
  }
}

/** A column of a file set as the lake declares it. CSV cells are text: typed by a cast (lists through JSON). */
function columnExpression(files: FileSet, column: TableColumn, present: ReadonlySet<string>): string {
  const type = duckdbType(column.type);
  if (!present.has(column.key.toLowerCase())) return `CAST(NULL AS ${type}) AS ${q(column.name)}`;
  const source = q(column.key);
  if (files.format === 'csv' && typeof column.type !== 'string') {
    return `CAST(CAST(${source} AS JSON) AS ${type}) AS ${q(column.name)}`;
  }
  return `CAST(${source} AS ${type}) AS ${q(column.name)}`;
}

async function createParts(
  connection: DuckDBConnection,
  name: string,
  columns: readonly TableColumn[],
  files: FileSet,
): Promise<void> {
  const run = [`CAST(NULL AS VARCHAR) AS "dt"`, `CAST(NULL AS VARCHAR) AS "$path"`];
  if (files.paths.length === 0) {
    const empty = columns.map((c) => `CAST(NULL AS ${duckdbType(c.type)}) AS ${q(c.name)}`);
    await connection.run(`CREATE VIEW ${q(name)} AS SELECT ${[...empty, ...run].join(', ')} WHERE false`);
    return;
  }
  const source = reader(files, columns);
  const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
  const present = new Set(described.getRowObjectsJS().map((row) => String(row.column_name).toLowerCase()));
  const select = [
    ...columns.map((c) => columnExpression(files, c, present)),
    `regexp_extract(filename, '/dt=([^/]+)/[^/]*/[^/]*$', 1) AS "dt"`,
    `filename AS "$path"`,
  ];
  await connection.run(`CREATE VIEW ${q(name)} AS SELECT ${select.join(', ')} FROM ${source}`);
}

async function createCommits(
  connection: DuckDBConnection,
  name: string,
  commits: readonly CommitRecord[],
): Promise<void> {
  await connection.run(`CREATE TABLE ${q(name)} (${COMMIT_COLUMNS.map((c) => `${q(c.name)} VARCHAR`).join(', ')})`);
  const insert = await connection.prepare(
    `INSERT INTO ${q(name)} VALUES (${COMMIT_COLUMNS.map(() => '?').join(', ')})`,
  );
  for (const commit of commits) {
    const row = commit as unknown as Record<string, unknown>;
    COMMIT_COLUMNS.forEach((c, i) => {
      const value = row[c.name];
      if (typeof value === 'string') insert.bindVarchar(i + 1, value);
      else insert.bindNull(i + 1);
    });
    await insert.run();
  }
}
