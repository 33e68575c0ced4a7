/** The catalog: one definition per Okta object, name resolution, default projections and value access. */

import type { OktaRecord } from '../types.js';
import { APPLICATION_QUERY_PARAMETER_COLUMNS, applicationDef } from './application.js';
import { applicationGroupDef } from './application-group.js';
import { applicationUserDef } from './application-user.js';
import { deviceDef } from './device.js';
import { deviceUserDef } from './device-user.js';
import { groupDef } from './group.js';
import { groupMemberDef } from './group-member.js';
import { logEventDef } from './log-event.js';
import type { ChildrenSource, FieldDef, ObjectDef, OktaObjectName, StreamSource } from './types.js';
import { userDef } from './user.js';
import { userFactorDef } from './user-factor.js';
import { userRoleDef } from './user-role.js';
import { userTypeDef } from './user-type.js';
import { getValue } from './values.js';

export {
  type CustomAttribute,
  customAttributes,
  mergeUserSchemas,
  snakeCase,
  UserSchemaError,
  type UserTypeSchema,
  withCustomUserAttributes,
  withResolvedAttributes,
} from './custom-attributes.js';
export { getValue, readPath } from './values.js';
export {
  applicationDef,
  applicationGroupDef,
  applicationUserDef,
  deviceDef,
  deviceUserDef,
  groupDef,
  groupMemberDef,
  logEventDef,
  userDef,
  userFactorDef,
  userRoleDef,
  userTypeDef,
};

const DEFS: Readonly<Record<OktaObjectName, ObjectDef>> = {
  Application: applicationDef,
  Device: deviceDef,
  Group: groupDef,
  LogEvent: logEventDef,
  User: userDef,
  UserType: userTypeDef,
  GroupMember: groupMemberDef,
  ApplicationUser: applicationUserDef,
  ApplicationGroup: applicationGroupDef,
  DeviceUser: deviceUserDef,
  UserRole: userRoleDef,
  UserFactor: userFactorDef,
};

/** The children source of a relation object (GroupMember, …), or undefined for a directory object. */
export function childrenSource(def: ObjectDef): ChildrenSource | undefined {
  return def.source?.kind === 'children' ? def.source : undefined;
}

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

/** The stream source of an object read as a stream (the System Log), or null for listed objects. */
export function streamSourceOf(def: ObjectDef): StreamSource | null {
  return def.source?.kind === 'stream' ? def.source : null;
}

/**
 * Every read scope a flow can need, in catalog order: each object's own scope, then `okta.schemas.read` (PlanRun
 * reads the user profile schemas for custom attributes). The CLI's `connect` and the AppFlow connector ask for these.
 */
export function readScopes(): readonly string[] {
  return [...new Set([...Object.values(DEFS).map((d) => d.scope), 'okta.schemas.read'])];
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

/** The fields of the primary key, in key order; throws on a catalog whose key names no field. */
export function keyFields(def: ObjectDef): FieldDef[] {
  return def.primaryKey.map((column) => {
    const field = def.fields.find((f) => f.column === column);
    if (field === undefined) throw new Error(`catalog bug: ${def.name} key column ${column} is not a field`);
    return field;
  });
}

/**
 * A record's primary key as one string: the id itself for single-column keys (`00u…`), the JSON array of the values
 * for composite keys (`["00g…","00u…"]`). Undefined when a key value is missing, null or not a string or number: such
 * a record cannot be identified, and callers must refuse it rather than invent a key.
 */
export function recordKey(def: ObjectDef, record: OktaRecord): string | undefined {
  const values: (string | number)[] = [];
  for (const field of keyFields(def)) {
    const value = getValue(record, field);
    if (typeof value === 'string' && value !== '') values.push(value);
    else if (typeof value === 'number' && Number.isFinite(value)) values.push(value);
    else return undefined;
  }
  return values.length === 1 ? String(values[0]) : JSON.stringify(values);
}

/** The columns a flow gets when it names none: every non-sensitive field that has a value in records. */
export function defaultFields(def: ObjectDef): FieldDef[] {
  return def.fields.filter((f) => !f.sensitive && !isQueryParameterField(def, f));
}
