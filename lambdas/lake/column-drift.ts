/**
 * Schema drift of custom attributes, decided at plan time against the columns already committed (lake-columns.ts):
 *
 * - added: a new column (`profile_<name>`); older rows read it as null.
 * - removed: flows that name it fail at plan time; flows on default fields stop writing it; the column stays in the
 *   tables (older rows keep their values, newer rows are null).
 * - type changed: the attribute's values go to a new column `<column>__<type>` (e.g. `profile_badge__string`), so
 *   a column keeps one type in every file of the lake (Parquet files cannot be re-typed by a table). The old column
 *   keeps the old values. Changing back to the old type writes the old column again.
 */
import type { LakeColumn } from './lake-columns.js';
import { type LakeType, typeKey, typeSuffix } from './lake-types.js';

/** The column an attribute of `type` is written to, given the lake's committed columns. */
export function columnForType(column: string, type: LakeType, committed: readonly LakeColumn[]): string {
  const known = committed.find((c) => c.name === column);
  if (known === undefined || typeKey(known.type) === typeKey(type)) return column;
  return `${column}__${typeSuffix(type)}`;
}
