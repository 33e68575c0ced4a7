/** `selectedFieldNames` → catalog fields: names AppFlow got from DescribeEntity (columns), aliases tolerated. */
import { defaultFields, resolveField } from '../okta/catalog/index.js';
import type { FieldDef, ObjectDef } from '../okta/catalog/types.js';
import { InvalidRequestError } from './errors.js';

/** The fields to return: the selection in order (deduplicated), or every default field when none is given. */
export function selectedFields(def: ObjectDef, names: readonly string[] | null | undefined): FieldDef[] {
  if (names === null || names === undefined || names.length === 0) return defaultFields(def);
  const out: FieldDef[] = [];
  for (const name of names) {
    const field = resolveField(def, name);
    if (field === undefined || field.sensitive) {
      throw new InvalidRequestError(
        `${def.name} has no field "${name}"${field?.sensitive ? ' that can be selected (it holds secrets)' : ''}. ` +
          'Refresh the entity in AppFlow (DescribeEntity) and map its fields again.',
      );
    }
    if (!out.includes(field)) out.push(field);
  }
  return out;
}
