/**
 * The columns a config's flows of one object write, as far as the config alone tells (built-in fields; custom
 * attributes are known only once a run reads the org's schemas, and reach the tables through the lake columns).
 * The stack registers the tables with these; CommitRun keeps them in every later registration.
 */
import type { FlowConfig } from '../flow/config/schema.js';
import { defaultFields, isQueryParameterField, keyFields, resolveField } from '../okta/catalog/index.js';
import type { FieldDef, ObjectDef } from '../okta/catalog/types.js';
import { columnsFromFields } from '../output/columns.js';
import { type LakeColumn, lakeColumnsOf } from './lake-columns.js';

/** Every field any of the flows writes (the key always), in catalog order; a flow without `fields` writes defaults. */
export function configuredFields(def: ObjectDef, flows: readonly FlowConfig[]): FieldDef[] {
  const chosen = new Set<string>(keyFields(def).map((f) => f.column));
  for (const flow of flows) {
    const fields =
      flow.fields === undefined
        ? defaultFields(def)
        : flow.fields.map((name) => resolveField(def, name)).filter((f): f is FieldDef => f !== undefined);
    for (const f of fields) if (!isQueryParameterField(def, f)) chosen.add(f.column);
  }
  return def.fields.filter((f) => chosen.has(f.column));
}

export function configuredColumns(def: ObjectDef, flows: readonly FlowConfig[]): LakeColumn[] {
  return lakeColumnsOf(columnsFromFields(configuredFields(def, flows)));
}

/** The configured columns, then every lake column they lack (committed custom attributes, drift columns). */
export function tableColumnsFor(configured: readonly LakeColumn[], committed: readonly LakeColumn[]): LakeColumn[] {
  const out = [...configured];
  for (const column of committed) {
    const at = out.findIndex((c) => c.name === column.name);
    // What the files hold wins over what the catalog expected.
    if (at >= 0) out[at] = column;
    else out.push(column);
  }
  return out;
}
