/**
 * The SQL of the lake's views, in ONE place: Athena runs it (Glue views, registered by the stack and kept current at
 * each commit) and `okta-flow query` runs it (DuckDB over the same files). It uses only what both engines share:
 * quoted identifiers, joins, `regexp_extract`, `row_number() OVER`, `NOT EXISTS`.
 *
 * Under the views, per object (lake/table-names.ts):
 *   _users_parts          every data file under `<prefix>/User/` (Athena lists the location: committed or not)
 *   _user_deletes_parts   every tombstone file under `<prefix>/User_deletes/`
 *   _users_commits        the commit records under `<prefix>/_commits/User/`: one row per committed run
 * A file belongs to the run named in its path (`…/run_id=<id>/part-…`); a row is visible only when that run has a
 * commit record, so parts of running, failed or killed runs are never read through the views.
 *
 *   users          every committed version, with the run it came from (dt, run_id, flow, committed_at)
 *   user_deletes   every committed tombstone, likewise
 *   users_current  per primary key, the latest committed version (greatest cursor, e.g. last_updated, then the
 *                  latest commit: `committed_at`, then the run id), unless a tombstone committed with that run or
 *                  after it says the key is gone. Incremental and full runs of every flow of the object are merged.
 *                  Commit order, not run-id text: run ids carry the plan time to the second plus a random suffix, so
 *                  two runs of one second (or run ids given by hand) would sort at random, and a tombstone could
 *                  hide behind the version it deletes. Each flow's commit times strictly increase (commit-run.ts).
 */

import { TOMBSTONE_COLUMNS } from '../flow/deletes/system-log-deletes.js';
import { keyFields } from '../okta/catalog/index.js';
import type { FieldDef, ObjectDef } from '../okta/catalog/types.js';
import type { OutputFormat } from '../output/encoders/types.js';
import { type LakeColumn, lakeColumnsOf, type TableColumn, tableColumns } from './lake-columns.js';
import { quoteIdentifier as q } from './lake-types.js';
import { lakeTableNames } from './table-names.js';

/** Columns of the commits tables: the top-level keys of every commit record. */
export const COMMIT_COLUMNS: readonly TableColumn[] = [
  'run_id',
  'flow',
  'object',
  'dt',
  'committed_at',
  'mode',
  'trigger',
  'window_from',
  'window_to',
].map((name) => ({ name, key: name, type: 'string' as const }));

/** What the views add to each row: which committed run it came from. */
export const RUN_COLUMNS: readonly TableColumn[] = ['dt', 'run_id', 'flow', 'committed_at'].map((name) => ({
  name,
  key: name,
  type: 'string' as const,
}));

/** The run id of the file a row was read from (Athena's `"$path"`; the local query gives DuckDB the same column). */
export const RUN_ID_OF_PATH = `regexp_extract(p."$path", '/run_id=([^/]+)/[^/]*$', 1)`;

export interface LakeView {
  readonly name: string;
  readonly sql: string;
  readonly columns: readonly TableColumn[];
}

export interface LakeViewsInput {
  readonly def: ObjectDef;
  readonly format: OutputFormat;
  /** The lake's data columns of the object (the union over committed runs). */
  readonly records: readonly LakeColumn[];
}

/** The tombstone columns, as every deletes table has them. */
export const TOMBSTONE_LAKE_COLUMNS: readonly LakeColumn[] = lakeColumnsOf(TOMBSTONE_COLUMNS);

/** The SQL expression of a field in a table over files of `format` (JSONL: a path into the nested columns). */
function fieldExpression(alias: string, field: FieldDef, format: OutputFormat): string {
  if (format !== 'jsonl') return `${alias}.${q(field.column)}`;
  return [alias, ...field.path.map((step) => q(step.toLowerCase()))].join('.');
}

function hasField(field: FieldDef, format: OutputFormat, records: readonly LakeColumn[]): boolean {
  return records.some((c) =>
    format === 'jsonl' ? c.path.join('\u0000') === field.path.join('\u0000') : c.name === field.column,
  );
}

function selectList(alias: string, columns: readonly TableColumn[]): string {
  return columns.map((c) => `${alias}.${q(c.name)}`).join(', ');
}

/** Every view of one object, in dependency order (history and deletes before current). */
export function lakeViews(input: LakeViewsInput): LakeView[] {
  const { def, format, records } = input;
  const names = lakeTableNames(def.name);
  const data = tableColumns(format, records);
  const tombstones = tableColumns(format, TOMBSTONE_LAKE_COLUMNS);
  const withRun = (columns: readonly TableColumn[]) => [
    ...columns.filter((c) => !RUN_COLUMNS.some((r) => r.name === c.name)),
    ...RUN_COLUMNS,
  ];
  const committed = (parts: string, columns: readonly TableColumn[]) =>
    [
      `SELECT ${selectList('p', columns)}, p."dt" AS "dt", c."run_id" AS "run_id", c."flow" AS "flow", c."committed_at" AS "committed_at"`,
      `FROM ${q(parts)} AS p`,
      `JOIN ${q(names.commits)} AS c ON c."run_id" = ${RUN_ID_OF_PATH}`,
    ].join('\n');

  const historyColumns = withRun(data.filter((c) => c.name !== 'dt'));
  const deletesColumns = withRun(tombstones);
  const keys = keyFields(def);
  const cursor = def.fields.find((f) => f.column === def.cursorField);
  const order = [
    ...(cursor !== undefined && hasField(cursor, format, records)
      ? [`${fieldExpression('h', cursor, format)} DESC NULLS LAST`]
      : []),
    'h."committed_at" DESC',
    'h."run_id" DESC',
  ];
  // Tombstones carry the record key as one string: the id itself, or the JSON array of a composite key.
  const keyText =
    keys.length === 1
      ? fieldExpression('v', keys[0] as FieldDef, format)
      : `'[' || ${keys.map((k) => `'"' || ${fieldExpression('v', k, format)} || '"'`).join(" || ',' || ")} || ']'`;
  const current = [
    `SELECT ${selectList('v', historyColumns)}`,
    'FROM (',
    `  SELECT h.*, row_number() OVER (PARTITION BY ${keys.map((k) => fieldExpression('h', k, format)).join(', ')} ORDER BY ${order.join(', ')}) AS "version_rank"`,
    `  FROM ${q(names.history)} AS h`,
    ') AS v',
    'WHERE v."version_rank" = 1',
    `  AND NOT EXISTS (SELECT 1 FROM ${q(names.deletes)} AS d WHERE d."id" = ${keyText}`,
    '    AND (d."committed_at" > v."committed_at" OR (d."committed_at" = v."committed_at" AND d."run_id" >= v."run_id")))',
  ].join('\n');

  return [
    {
      name: names.history,
      sql: committed(
        names.parts,
        data.filter((c) => !RUN_COLUMNS.some((r) => r.name === c.name)),
      ),
      columns: historyColumns,
    },
    { name: names.deletes, sql: committed(names.deletesParts, tombstones), columns: deletesColumns },
    { name: names.current, sql: current, columns: historyColumns },
  ];
}
