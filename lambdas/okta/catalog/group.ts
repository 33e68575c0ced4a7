/**
 * Group — `GET /api/v1/groups`. `search` covers every property but `_embedded`, `_links` and `objectClass`
 * (profile attributes, id, created, lastUpdated, lastMembershipUpdated, type, source.id) with `eq`/`sw`, `co` only on
 * profile.name|description, and `gt`/`lt` on dates (not `ge`/`le`). `filter` covers id and type (`eq`) and
 * lastUpdated/lastMembershipUpdated (`eq gt lt`).
 */
import { defineObject, field, type PushDownSpec } from './field.js';
import type { ObjectDef } from './types.js';

const SEARCH_EQ: PushDownSpec = { search: ['EQUAL_TO', 'IN'] };
const SEARCH_EQ_CO: PushDownSpec = { search: ['EQUAL_TO', 'IN', 'CONTAINS'] };
const SEARCH_AND_FILTER_EQ: PushDownSpec = { search: ['EQUAL_TO', 'IN'], filter: ['EQUAL_TO'] };
const SEARCH_DATE: PushDownSpec = { search: ['EQUAL_TO', 'GREATER_THAN', 'LESS_THAN'] };
const SEARCH_AND_FILTER_DATE: PushDownSpec = {
  search: ['EQUAL_TO', 'GREATER_THAN', 'LESS_THAN'],
  filter: ['EQUAL_TO', 'GREATER_THAN', 'LESS_THAN'],
};

export const groupDef: ObjectDef = defineObject({
  name: 'Group',
  label: 'Group',
  description: 'Okta groups: native, app-imported (Active Directory, LDAP, …) and built-in.',
  listPath: '/api/v1/groups',
  itemPath: (id) => `/api/v1/groups/${encodeURIComponent(id)}`,
  scope: 'okta.groups.read',
  pageLimit: 200,
  primaryKey: ['id'],
  cursorField: 'last_updated',
  sliceFields: ['created', 'last_updated'],
  fields: [
    field({
      column: 'id',
      label: 'ID',
      path: 'id',
      type: 'String',
      pushDown: SEARCH_AND_FILTER_EQ,
      description: 'Group id (00g…).',
    }),
    field({
      column: 'type',
      label: 'Type',
      path: 'type',
      type: 'String',
      pushDown: SEARCH_AND_FILTER_EQ,
      description: 'OKTA_GROUP, APP_GROUP or BUILT_IN.',
    }),
    field({
      column: 'name',
      label: 'Group Name',
      path: 'profile.name',
      type: 'String',
      pushDown: SEARCH_EQ_CO,
      description: 'Group name.',
    }),
    field({
      column: 'description',
      label: 'Group Description',
      path: 'profile.description',
      type: 'String',
      pushDown: SEARCH_EQ_CO,
      description: 'Group description.',
    }),
    field({
      column: 'created',
      label: 'Created',
      path: 'created',
      type: 'DateTime',
      pushDown: SEARCH_DATE,
      description: 'Creation time.',
    }),
    field({
      column: 'last_updated',
      label: 'Last Updated',
      path: 'lastUpdated',
      type: 'DateTime',
      pushDown: SEARCH_AND_FILTER_DATE,
      description: "Last change of the group's profile; the incremental cursor.",
    }),
    field({
      column: 'last_membership_updated',
      label: 'Last Membership Updated',
      path: 'lastMembershipUpdated',
      type: 'DateTime',
      pushDown: SEARCH_AND_FILTER_DATE,
      description: 'Last membership change.',
    }),
    field({
      column: 'object_class',
      label: 'Object Class',
      path: 'objectClass',
      type: 'List',
      items: 'String',
      description: 'Profile classes, e.g. okta:user_group.',
    }),
    field({
      column: 'source_id',
      label: 'Source ID',
      path: 'source.id',
      type: 'String',
      pushDown: SEARCH_EQ,
      description: "APP_GROUP: the source app's id (read from _links.source when absent).",
    }),
    field({
      column: 'sam_account_name',
      label: 'SAM Account Name',
      path: 'profile.samAccountName',
      type: 'String',
      pushDown: SEARCH_EQ,
      description: 'AD group: sAMAccountName.',
    }),
    field({
      column: 'external_id',
      label: 'GUID/objectGUID of the Windows group',
      path: 'profile.externalId',
      type: 'String',
      pushDown: SEARCH_EQ,
      aliases: ['guid'],
      description: 'AD group: objectGUID (base64).',
    }),
    field({
      column: 'windows_domain_qualified_name',
      label: 'Windows Domain Qualified Name',
      path: 'profile.windowsDomainQualifiedName',
      type: 'String',
      pushDown: SEARCH_EQ,
      description: 'AD group: DOMAIN\\name.',
    }),
    field({
      column: 'distinguished_name',
      label: 'Windows Group Distinguished Name',
      path: 'profile.dn',
      type: 'String',
      pushDown: SEARCH_EQ,
      description: 'AD group: distinguished name.',
    }),
    field({
      column: 'group_type',
      label: 'Windows Group Type',
      path: 'profile.groupType',
      type: 'String',
      pushDown: SEARCH_EQ,
      description: 'AD group: Security or Distribution.',
    }),
    field({
      column: 'group_scope',
      label: 'Windows Group Scope',
      path: 'profile.groupScope',
      type: 'String',
      pushDown: SEARCH_EQ,
      description: 'AD group: DomainLocal, Global or Universal.',
    }),
    field({
      column: 'object_sid',
      label: 'Windows Object SID',
      path: 'profile.objectSid',
      type: 'String',
      pushDown: SEARCH_EQ,
      description: 'AD group: objectSid.',
    }),
    field({ column: 'profile', label: 'Profile', path: 'profile', type: 'Struct', description: 'Group profile.' }),
    field({
      column: 'embedded',
      label: 'Embedded',
      path: '_embedded',
      type: 'Struct',
      description: 'Embedded stats/app (expand).',
    }),
    field({ column: 'links', label: 'Links', path: '_links', type: 'Struct', description: 'Related resource links.' }),
  ],
});
