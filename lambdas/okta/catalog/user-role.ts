/**
 * UserRole — admin role assignments: the users holding a role (`GET /api/v1/iam/assignees/users`), then
 * `GET /api/v1/users/{id}/roles` for each. Key (user_id, role_assignment_id). A filter naming users (user_id = …)
 * reads those users' roles directly, without the assignee listing. Needs okta.roles.read (not a super-admin token).
 */
import { defineObject, field } from './field.js';
import type { ObjectDef } from './types.js';

export const userRoleDef: ObjectDef = defineObject({
  name: 'UserRole',
  label: 'User Role',
  description:
    'Admin role assignments of users, direct (USER) or through a group (GROUP); custom roles with their resource set.',
  listPath: '/api/v1/users/{id}/roles',
  itemPath: (id) => `/api/v1/users/${encodeURIComponent(id)}/roles`,
  scope: 'okta.roles.read',
  pageLimit: null,
  primaryKey: ['user_id', 'role_assignment_id'],
  cursorField: null,
  sliceFields: [],
  source: {
    kind: 'children',
    parent: 'User',
    parentList: 'assignees',
    parentLimit: 100,
    childPath: (id) => `/api/v1/users/${encodeURIComponent(id)}/roles`,
    childLimit: null,
    parentFields: { user_id: 'id' },
    directParentIds: true,
    cost: 'role-assignee pages + one request per user holding a role',
  },
  fields: [
    field({ column: 'user_id', label: 'User ID', path: '_parent.id', type: 'String', description: 'User id (00u…).' }),
    field({
      column: 'role_assignment_id',
      label: 'Role Assignment ID',
      path: 'id',
      type: 'String',
      description: 'Assignment id.',
    }),
    field({ column: 'type', label: 'Role Type', path: 'type', type: 'String', description: 'SUPER_ADMIN, …, CUSTOM.' }),
    field({ column: 'label', label: 'Label', path: 'label', type: 'String', description: 'Role label.' }),
    field({ column: 'status', label: 'Status', path: 'status', type: 'String', description: 'ACTIVE or INACTIVE.' }),
    field({
      column: 'assignment_type',
      label: 'Assignment Type',
      path: 'assignmentType',
      type: 'String',
      description: 'USER (direct) or GROUP (through an admin group).',
    }),
    field({ column: 'role', label: 'Custom Role', path: 'role', type: 'String', description: 'CUSTOM: the role id.' }),
    field({
      column: 'resource_set',
      label: 'Resource Set',
      path: 'resource-set',
      type: 'String',
      description: 'CUSTOM: the resource set id.',
    }),
    field({ column: 'created', label: 'Created', path: 'created', type: 'DateTime', description: 'Assigned at.' }),
    field({
      column: 'last_updated',
      label: 'Last Updated',
      path: 'lastUpdated',
      type: 'DateTime',
      description: 'Last change.',
    }),
  ],
});
