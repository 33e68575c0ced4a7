/** ApplicationGroup — the groups assigned to each app: `GET /api/v1/apps/{id}/groups` (limit ≤ 200). Key (app_id, group_id). */
import { APPLICATION_PARENT_FIELDS, applicationParentColumns } from './application-parent.js';
import { defineObject, field } from './field.js';
import type { ObjectDef } from './types.js';

export const applicationGroupDef: ObjectDef = defineObject({
  name: 'ApplicationGroup',
  label: 'Application Group',
  description: 'App assignments of groups: one row per (app, group), with priority and the assignment profile.',
  listPath: '/api/v1/apps/{id}/groups',
  itemPath: (id) => `/api/v1/apps/${encodeURIComponent(id)}/groups`,
  scope: 'okta.apps.read',
  pageLimit: 200,
  primaryKey: ['app_id', 'group_id'],
  cursorField: null,
  sliceFields: [],
  source: {
    kind: 'children',
    parent: 'Application',
    childPath: (id) => `/api/v1/apps/${encodeURIComponent(id)}/groups`,
    childLimit: 200,
    parentFields: APPLICATION_PARENT_FIELDS,
    cost: 'app pages + one request per 200 assigned groups of each app (the apps bucket)',
  },
  fields: [
    field({ column: 'app_id', label: 'Application ID', path: '_parent.id', type: 'String', description: 'App id.' }),
    field({ column: 'group_id', label: 'Group ID', path: 'id', type: 'String', description: 'Group id (00g…).' }),
    field({
      column: 'priority',
      label: 'Priority',
      path: 'priority',
      type: 'Integer',
      description: 'Assignment priority.',
    }),
    field({
      column: 'last_updated',
      label: 'Last Updated',
      path: 'lastUpdated',
      type: 'DateTime',
      description: 'Last change of the assignment.',
    }),
    field({ column: 'profile', label: 'Profile', path: 'profile', type: 'Struct', description: 'Assignment profile.' }),
    ...applicationParentColumns(),
  ],
});
