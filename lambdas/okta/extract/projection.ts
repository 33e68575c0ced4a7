/**
 * Projection: a record cut down to the selected fields, still in Okta's nested shape (`{id, profile: {department}}`),
 * so Struct and List values stay lossless and every consumer reads values with the catalog's `getValue`.
 */
import { getValue, isQueryParameterField, keyFields } from '../catalog/index.js';
import type { FieldDef, ObjectDef } from '../catalog/types.js';
import type { OktaRecord } from '../types.js';

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Fields whose whole value is copied; a field inside one of them adds nothing. */
function withoutCovered(fields: readonly FieldDef[]): FieldDef[] {
  const sorted = [...fields].sort((a, b) => a.path.length - b.path.length);
  const kept: FieldDef[] = [];
  for (const f of sorted) {
    const covered = kept.some((k) => k.path.length <= f.path.length && k.path.every((seg, i) => f.path[i] === seg));
    if (!covered) kept.push(f);
  }
  return kept;
}

/** A function that projects records onto `fields` (plus the primary key's fields). */
export function compileProjection(def: ObjectDef, fields: readonly FieldDef[]): (record: OktaRecord) => OktaRecord {
  const all = [...keyFields(def).filter((k) => !fields.includes(k)), ...fields];
  const selected = withoutCovered(all.filter((f) => !isQueryParameterField(def, f)));
  return (record) => {
    const out: OktaRecord = {};
    for (const f of selected) {
      const value = getValue(record, f);
      if (value === undefined) continue;
      let target = out;
      const last = f.path.length - 1;
      for (let i = 0; i < last; i++) {
        const key = f.path[i] as string;
        const next = target[key];
        if (isObject(next)) {
          target = next;
        } else {
          const created: Record<string, unknown> = {};
          target[key] = created;
          target = created;
        }
      }
      target[f.path[last] as string] = value;
    }
    return out;
  };
}
