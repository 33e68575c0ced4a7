/**
 * ListEntities / DescribeEntity: the catalog seen through AppFlow's eyes. Each catalog column is one AppFlow field
 * (`fieldName` = the column, e.g. `last_updated`); records carry exactly those keys. Sensitive fields (password and
 * recovery-question objects) are not offered at all, so "map all fields" can never copy them.
 */
import { isQueryParameterField } from '../okta/catalog/index.js';
import type { FieldDef, FilterOperator, ObjectDef } from '../okta/catalog/types.js';
import { windowColumn } from '../okta/extract/bounds.js';
import type { CacheControl, Entity, EntityDefinition, FieldDefinition } from './protocol.js';
import { WRITABLE_ENTITIES } from './write-data.js';

/** Entities and their fields change rarely; AppFlow's minimum is 600 s, its default one hour. */
export const METADATA_CACHE_CONTROL: CacheControl = { timeToLive: 3600, timeToLiveUnit: 'SECONDS' };

/** The filter operators AppFlow's ConnectorOperator enum can express (the catalog's IN is DSL-only). */
const APPFLOW_FILTER_OPERATORS: readonly FilterOperator[] = [
  'EQUAL_TO',
  'NOT_EQUAL_TO',
  'GREATER_THAN',
  'GREATER_THAN_OR_EQUAL_TO',
  'LESS_THAN',
  'LESS_THAN_OR_EQUAL_TO',
  'CONTAINS',
  'BETWEEN',
];

export function toEntity(def: ObjectDef): Entity {
  return {
    entityIdentifier: def.name,
    hasNestedEntities: false,
    isWritable: def.name in WRITABLE_ENTITIES,
    label: def.label,
    description: def.description,
    customProperties: null,
  };
}

/** The fields AppFlow may see and select: every non-sensitive catalog field. */
export function offeredFields(def: ObjectDef): FieldDef[] {
  return def.fields.filter((f) => !f.sensitive);
}

export function toFieldDefinition(def: ObjectDef, field: FieldDef): FieldDefinition {
  const queryParameter = isQueryParameterField(def, field);
  const operators = APPFLOW_FILTER_OPERATORS.filter((op) => field.operators.includes(op));
  return {
    fieldName: field.column,
    dataType: field.type,
    dataTypeLabel: field.type,
    label: field.label,
    description: field.description,
    defaultValue: null,
    isPrimaryKey: def.primaryKey.includes(field.column),
    isDeprecated: false,
    // No constraints: AppFlow reads Okta's ISO-8601 timestamps as they are; allowed values are not enforced.
    constraints: null,
    readProperties: {
      // Query parameters (Application group_id / user_id) narrow the listing but are not record attributes.
      isRetrievable: !queryParameter,
      isNullable: !def.primaryKey.includes(field.column),
      isQueryable: operators.length > 0,
      isTimestampFieldForIncrementalQueries: field.type === 'DateTime' && field.column === windowColumn(def),
    },
    writeProperties: writePropertiesOf(def, field),
    filterOperators: operators,
    customProperties: field.custom ? { custom: 'true', oktaPath: field.path.join('.') } : null,
  };
}

export function toEntityDefinition(def: ObjectDef): EntityDefinition {
  return {
    entity: toEntity(def),
    fields: offeredFields(def).map((f) => toFieldDefinition(def, f)),
    customProperties: null,
  };
}

/** User's write fields: `id` identifies the user to UPDATE, `profile` is what INSERT creates and UPDATE changes. */
function writePropertiesOf(def: ObjectDef, field: FieldDef): FieldDefinition['writeProperties'] {
  if (def.name !== 'User' || (field.column !== 'id' && field.column !== 'profile')) return null;
  const profile = field.column === 'profile';
  return {
    isCreatable: profile,
    isUpdatable: profile,
    isNullable: false,
    isUpsertable: false,
    isDefaultedOnCreate: !profile,
    supportedWriteOperations: profile ? ['INSERT', 'UPDATE'] : ['UPDATE'],
  };
}
