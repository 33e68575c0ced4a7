/** The catalog: one definition per Okta object, name resolution, default projections and value access. */
import { APPLICATION_QUERY_PARAMETER_COLUMNS, applicationDef } from './application.js';
import { deviceDef } from './device.js';
import { groupDef } from './group.js';
import type { FieldDef, ObjectDef, OktaObjectName } from './types.js';
import { userDef } from './user.js';
import { userTypeDef } from './user-type.js';

export { customAttributes, snakeCase, UserSchemaError, withCustomUserAttributes } from './custom-attributes.js';
export { getValue, readPath } from './values.js';
export { applicationDef, deviceDef, groupDef, userDef, userTypeDef };

const DEFS: Readonly<Record<OktaObjectName, ObjectDef>> = {
  Application: applicationDef,
  Device: deviceDef,
  Group: groupDef,
  User: userDef,
  UserType: userTypeDef,
};

export class UnknownObjectError extends Error {
  constructor(name: string) {
    super(`Unknown Okta object "${name}". Known objects: ${Object.keys(DEFS).join(', ')}.`);
    this.name = 'UnknownObjectError';
  }
}

/** The definition of an object by name, case-insensitive (`User`, `user`, `userType`); throws when unknown. */
export function getObjectDef(name: string): ObjectDef {
  const key = (Object.keys(DEFS) as OktaObjectName[]).find((k) => k.toLowerCase() === name.toLowerCase());
  if (key === undefined) throw new UnknownObjectError(name);
  return DEFS[key];
}

/** Every object definition, in a stable order. */
export function listObjectDefs(): readonly ObjectDef[] {
  return Object.values(DEFS);
}

/**
 * The field a name refers to: its column, an alias (the dotted Okta path such as `profile.department`, Okta's
 * attribute name) or its AppFlow label; exact matches first, then case-insensitive matches on columns and labels.
 */
export function resolveField(def: ObjectDef, nameOrAlias: string): FieldDef | undefined {
  const exact =
    def.fields.find((f) => f.column === nameOrAlias) ??
    def.fields.find((f) => f.aliases.includes(nameOrAlias)) ??
    def.fields.find((f) => f.label === nameOrAlias);
  if (exact !== undefined) return exact;
  const lower = nameOrAlias.toLowerCase();
  return (
    def.fields.find((f) => f.column.toLowerCase() === lower) ?? def.fields.find((f) => f.label.toLowerCase() === lower)
  );
}

/**
 * True for fields that are Okta query parameters rather than record attributes (Application `group_id`,
 * `user_id`): their push-down is exact, a residual must treat them as satisfied, records carry no value for them.
 */
export function isQueryParameterField(def: ObjectDef, field: FieldDef): boolean {
  return def.name === 'Application' && APPLICATION_QUERY_PARAMETER_COLUMNS.includes(field.column);
}

/** The columns a flow gets when it names none: every non-sensitive field that has a value in records. */
export function defaultFields(def: ObjectDef): FieldDef[] {
  return def.fields.filter((f) => !f.sensitive && !isQueryParameterField(def, f));
}
