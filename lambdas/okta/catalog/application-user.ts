/**
 * ApplicationUser — the users assigned to each app, directly (scope USER) or through a group (scope GROUP):
 * `GET /api/v1/apps/{id}/users` (limit ≤ 500) for every app. Key (app_id, user_id). Never any credential secret:
 * only `credentials.userName` is a field (an app user's password is not readable here in any form).
 */
import { APPLICATION_PARENT_FIELDS, applicationParentColumns } from './application-parent.js';
import { defineObject, field } from './field.js';
import type { ObjectDef } from './types.js';

export const applicationUserDef: ObjectDef = defineObject({
  name: 'ApplicationUser',
  label: 'Application User',
  description: 'App assignments of users: one row per (app, user), scope USER (direct) or GROUP (through a group).',
  listPath: '/api/v1/apps/{id}/users',
  itemPath: (id) => `/api/v1/apps/${encodeURIComponent(id)}/users`,
  scope: 'okta.apps.read',
  pageLimit: 500,
  primaryKey: ['app_id', 'user_id'],
  cursorField: null,
  sliceFields: [],
  source: {
    kind: 'children',
    parent: 'Application',
    childPath: (id) => `/api/v1/apps/${encodeURIComponent(id)}/users`,
    childLimit: 500,
    parentFields: APPLICATION_PARENT_FIELDS,
    cost: 'app pages + one request per 500 assigned users of each app (the apps bucket, often 100/min)',
  },
  fields: [
    field({ column: 'app_id', label: 'Application ID', path: '_parent.id', type: 'String', description: 'App id.' }),
    field({ column: 'user_id', label: 'User ID', path: 'id', type: 'String', description: 'User id (00u…).' }),
    field({ column: 'scope', label: 'Scope', path: 'scope', type: 'String', description: 'USER (direct) or GROUP.' }),
    field({ column: 'status', label: 'Status', path: 'status', type: 'String', description: 'Assignment status.' }),
    field({
      column: 'sync_state',
      label: 'Sync State',
      path: 'syncState',
      type: 'String',
      description: 'Provisioning sync state.',
    }),
    field({
      column: 'user_name',
      label: 'App Username',
      path: 'credentials.userName',
      type: 'String',
      description: "The user's username in the app (credentials.userName; never a password).",
    }),
    field({
      column: 'external_id',
      label: 'External ID',
      path: 'externalId',
      type: 'String',
      description: 'Id in the app.',
    }),
    field({ column: 'created', label: 'Created', path: 'created', type: 'DateTime', description: 'Assigned at.' }),
    field({
      column: 'last_updated',
      label: 'Last Updated',
      path: 'lastUpdated',
      type: 'DateTime',
      description: 'Last change of the assignment.',
    }),
    field({
      column: 'status_changed',
      label: 'Status Changed',
      path: 'statusChanged',
      type: 'DateTime',
      description: 'Last status change.',
    }),
    field({
      column: 'profile',
      label: 'App Profile',
      path: 'profile',
      type: 'Struct',
      description: 'App user profile.',
    }),
    ...applicationParentColumns(),
  ],
});
