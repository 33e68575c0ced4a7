/**
 * The columns of an object's lake tables: every column any committed run of the object wrote (the union over runs,
 * in first-seen order), kept in the state store (`lake/<Object>/columns.json`) and merged at each commit before the
 * commit point. Glue tables and views are generated from it, and plan time reads it to spot type drift.
 *
 * A column name always has one type: a custom attribute that changes type gets a new column (see column-drift.ts),
 * so old files and new files never disagree about a column. Two runs that still manage to write one name with two
 * types (planned concurrently across the change) are caught here: the later commit fails and its next run re-plans.
 */
import { z } from 'zod';
import { ConflictError } from '../flow/state/errors.js';
import { lakeColumnsKey } from '../flow/state/state-keys.js';
import type { StateStore } from '../flow/state/state-store.js';
import type { ColumnSpec } from '../output/columns.js';
import type { OutputFormat } from '../output/encoders/types.js';
import { type LakeType, lakeTypeSchema, typeKey } from './lake-types.js';

export const lakeColumnSchema = z.object({
  /** Column name in Parquet/CSV (the catalog's snake_case column). */
  name: z.string().min(1),
  /** Path in Okta's record: the JSON keys of JSONL files. */
  path: z.array(z.string()).min(1),
  type: lakeTypeSchema,
});
export type LakeColumn = z.infer<typeof lakeColumnSchema>;

export const lakeColumnsDocSchema = z.object({
  v: z.literal(1),
  object: z.string(),
  records: z.array(lakeColumnSchema),
  deletes: z.array(lakeColumnSchema),
});
export interface LakeColumnsDoc {
  readonly v: 1;
  readonly object: string;
  readonly records: readonly LakeColumn[];
  readonly deletes: readonly LakeColumn[];
}

/** A column committed with one type is being committed with another. */
export class LakeColumnConflictError extends Error {
  override readonly name = 'LakeColumnConflictError';
  constructor(object: string, column: string, committed: LakeType, now: LakeType) {
    super(
      `${object} column "${column}" was committed as ${typeKey(committed)} and this run wrote ${typeKey(now)} ` +
        '(the attribute changed type while runs were planned). Nothing of this run is committed; run the flow ' +
        'again: it writes the new type to its own column.',
    );
  }
}

/** The lake columns of output columns (same names, paths and types). */
export function lakeColumnsOf(columns: readonly ColumnSpec[]): LakeColumn[] {
  return columns.map((c) => ({ name: c.name, path: [...c.path], type: c.type }));
}

/** `existing` with the columns of `added` it lacks appended; throws on a name whose type differs. */
export function mergeColumns(
  object: string,
  existing: readonly LakeColumn[],
  added: readonly LakeColumn[],
): LakeColumn[] {
  const out = [...existing];
  for (const column of added) {
    const known = out.find((c) => c.name === column.name);
    if (known === undefined) out.push(column);
    else if (typeKey(known.type) !== typeKey(column.type)) {
      throw new LakeColumnConflictError(object, column.name, known.type, column.type);
    }
  }
  return out;
}

export async function readLakeColumns(state: StateStore, object: string): Promise<LakeColumnsDoc | null> {
  const stored = await state.getDocument(lakeColumnsKey(object));
  return stored === null ? null : parseDoc(object, stored.body);
}

/** Merges a run's columns into the object's lake columns (compare-and-swap, retried on a concurrent commit). */
export async function recordLakeColumns(
  state: StateStore,
  object: string,
  records: readonly LakeColumn[],
  deletes: readonly LakeColumn[],
): Promise<LakeColumnsDoc> {
  const key = lakeColumnsKey(object);
  for (let attempt = 0; ; attempt++) {
    const stored = await state.getDocument(key);
    const current = stored === null ? null : parseDoc(object, stored.body);
    const next: LakeColumnsDoc = {
      v: 1,
      object,
      records: mergeColumns(object, current?.records ?? [], records),
      deletes: mergeColumns(object, current?.deletes ?? [], deletes),
    };
    if (current !== null && JSON.stringify(current) === JSON.stringify(next)) return current;
    try {
      await state.putDocument(key, JSON.stringify(next), stored?.version ?? null);
      return next;
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= 4) throw error;
    }
  }
}

function parseDoc(object: string, body: string): LakeColumnsDoc {
  const parsed = lakeColumnsDocSchema.safeParse(JSON.parse(body));
  if (!parsed.success || parsed.data.object !== object) {
    throw new Error(
      `The lake columns of ${object} in the state store are not what okta-flow wrote (${lakeColumnsKey(object)})`,
    );
  }
  return parsed.data;
}

/** One column of a lake table as the engines see it: its name, type, and (JSONL) its JSON key. */
export interface TableColumn {
  readonly name: string;
  /** The JSON key in the file (JSONL); the column name otherwise. */
  readonly key: string;
  readonly type: LakeType;
}

/**
 * The columns of a table over files of one format. Parquet and CSV: one per lake column. JSONL: the files keep
 * Okta's nesting, so the columns are the top-level keys (lower case, as Glue stores them), nested ones as structs of
 * their typed fields. A field that holds a whole subtree as JSON (User `profile`) gives way to the typed fields under
 * it when there are any (so custom attributes are typed columns in JSONL too; keys no run has seen are still in the
 * files). A path written with two types (schema drift) is read as text, which every JSON value can be.
 */
export function tableColumns(format: OutputFormat, columns: readonly LakeColumn[]): TableColumn[] {
  if (format !== 'jsonl') return columns.map((c) => ({ name: c.name, key: c.name, type: asWritten(c.type, 'name') }));
  interface Node {
    leaf?: LakeType;
    children: Map<string, Node>;
  }
  const root: Node = { children: new Map() };
  for (const column of columns) {
    let node = root;
    for (const step of column.path) {
      let child = node.children.get(step);
      if (child === undefined) {
        child = { children: new Map() };
        node.children.set(step, child);
      }
      node = child;
    }
    const type = asWritten(column.type, 'key');
    node.leaf = node.leaf === undefined || typeKey(node.leaf) === typeKey(type) ? type : 'json';
  }
  const typeOf = (node: Node): LakeType =>
    node.children.size === 0
      ? (node.leaf ?? 'json')
      : {
          kind: 'struct',
          fields: [...node.children].map(([key, child]) => ({ name: key.toLowerCase(), key, type: typeOf(child) })),
        };
  return [...root.children].map(([key, node]) => ({ name: key.toLowerCase(), key, type: typeOf(node) }));
}

/**
 * A type with its struct fields named as the files name them: Parquet and CSV by output name (`name`), JSONL by
 * Okta's key. `key` is what a reader matches in the file; `name` what Glue and Athena call it (lower case).
 */
function asWritten(type: LakeType, by: 'name' | 'key'): LakeType {
  if (typeof type === 'string') return type;
  if (type.kind === 'list') return { kind: 'list', element: asWritten(type.element, by) };
  return {
    kind: 'struct',
    fields: type.fields.map((f) => {
      const written = by === 'name' ? f.name : f.key;
      return { name: written.toLowerCase(), key: written, type: asWritten(f.type, by) };
    }),
  };
}
