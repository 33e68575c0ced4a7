/**
 * GroupMember — the users of each group: `GET /api/v1/groups/{id}/users` (limit ≤ 1000) for every group of
 * `GET /api/v1/groups?expand=stats` (groups whose stats say 0 members are not asked). Key (group_id, user_id).
 * Filters on group columns (group_id, group_type, group_name, group_last_membership_updated) run as the group scan's
 * filter; the incremental cursor is the group's lastMembershipUpdated (only groups whose membership changed are re-read).
 */
import { defineObject, field } from './field.js';
import type { ObjectDef } from './types.js';

export const groupMemberDef: ObjectDef = defineObject({
  name: 'GroupMember',
  label: 'Group Member',
  description: 'Group memberships: one row per (group, user), with the user login and status for convenience.',
  listPath: '/api/v1/groups/{id}/users',
  itemPath: (id) => `/api/v1/groups/${encodeURIComponent(id)}/users`,
  scope: 'okta.groups.read',
  pageLimit: 1000,
  primaryKey: ['group_id', 'user_id'],
  cursorField: 'group_last_membership_updated',
  sliceFields: [],
  source: {
    kind: 'children',
    parent: 'Group',
    parentQuery: 'expand=stats',
    parentColumns: ['embedded'],
    parentLimit: 1000,
    existenceLimit: 10_000,
    childPath: (id) => `/api/v1/groups/${encodeURIComponent(id)}/users`,
    childLimit: 1000,
    parentFields: {
      group_id: 'id',
      group_type: 'type',
      group_name: 'name',
      group_last_membership_updated: 'last_membership_updated',
    },
    skipParent: (parent) => {
      const embedded = parent._embedded as { stats?: { usersCount?: unknown } } | undefined;
      return embedded?.stats?.usersCount === 0;
    },
    cost: 'group pages + one request per 1000 members of each non-empty group (empty groups are skipped: expand=stats)',
  },
  fields: [
    field({
      column: 'group_id',
      label: 'Group ID',
      path: '_parent.id',
      type: 'String',
      description: 'Group id (00g…).',
    }),
    field({ column: 'user_id', label: 'User ID', path: 'id', type: 'String', description: 'User id (00u…).' }),
    field({ column: 'login', label: 'Login', path: 'profile.login', type: 'String', description: "The user's login." }),
    field({ column: 'email', label: 'Email', path: 'profile.email', type: 'String', description: "The user's email." }),
    field({
      column: 'status',
      label: 'User Status',
      path: 'status',
      type: 'String',
      description: "The user's status.",
    }),
    field({
      column: 'group_name',
      label: 'Group Name',
      path: '_parent.profile.name',
      type: 'String',
      description: 'The group name.',
    }),
    field({
      column: 'group_type',
      label: 'Group Type',
      path: '_parent.type',
      type: 'String',
      description: 'OKTA_GROUP, APP_GROUP or BUILT_IN.',
    }),
    field({
      column: 'group_last_membership_updated',
      label: 'Group Last Membership Updated',
      path: '_parent.lastMembershipUpdated',
      type: 'DateTime',
      description: "The group's last membership change; the incremental cursor.",
    }),
  ],
});
