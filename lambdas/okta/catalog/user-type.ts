/**
 * UserType — `GET /api/v1/meta/types/user`: an unpaginated array of at most 10 types, no server-side filtering;
 * every filter is residual.
 */
import { defineObject, field } from './field.js';
import type { ObjectDef } from './types.js';

export const userTypeDef: ObjectDef = defineObject({
  name: 'UserType',
  label: 'User Type',
  description: 'User types (each with its own profile schema).',
  listPath: '/api/v1/meta/types/user',
  itemPath: (id) => `/api/v1/meta/types/user/${encodeURIComponent(id)}`,
  scope: 'okta.userTypes.read',
  pageLimit: null,
  primaryKey: ['id'],
  cursorField: null,
  sliceFields: [],
  fields: [
    field({ column: 'id', label: 'ID', path: 'id', type: 'String', description: 'User type id (oty…).' }),
    field({ column: 'name', label: 'Name', path: 'name', type: 'String', description: 'Type name (immutable).' }),
    field({
      column: 'display_name',
      label: 'Display Name',
      path: 'displayName',
      type: 'String',
      description: 'Display name.',
    }),
    field({
      column: 'description',
      label: 'Description',
      path: 'description',
      type: 'String',
      description: 'Description.',
    }),
    field({
      column: 'is_default',
      label: 'Default',
      path: 'default',
      type: 'Boolean',
      description: 'The org default type.',
    }),
    field({ column: 'created', label: 'Created', path: 'created', type: 'DateTime', description: 'Creation time.' }),
    field({ column: 'created_by', label: 'Created By', path: 'createdBy', type: 'String', description: 'Creator id.' }),
    field({
      column: 'last_updated',
      label: 'Last Updated',
      path: 'lastUpdated',
      type: 'DateTime',
      description: 'Last change.',
    }),
    field({
      column: 'last_updated_by',
      label: 'Last Updated By',
      path: 'lastUpdatedBy',
      type: 'String',
      description: 'Last editor id.',
    }),
    field({
      column: 'schema_href',
      label: 'Schema URL',
      path: '_links.schema.href',
      type: 'String',
      description: "URL of the type's profile schema.",
    }),
    field({ column: 'links', label: 'Links', path: '_links', type: 'Struct', description: 'Related resource links.' }),
  ],
});
