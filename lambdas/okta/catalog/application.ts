/**
 * Application — `GET /api/v1/apps`. Okta's `filter` takes a single `eq` expression on id, status, name,
 * credentials.signing.kid, user.id or group.id; everything else (including `lastUpdated`) is residual, so apps have no
 * server-side incremental cursor.
 */
import { DATE_OPS, defineObject, field } from './field.js';
import type { ObjectDef } from './types.js';

const EQ_FILTER = { filter: ['EQUAL_TO'] } as const;

/**
 * Columns that are Okta query parameters rather than record attributes (`filter=group.id eq "…"` lists the apps
 * assigned to a group; the app JSON carries no group id). Push-down is exact; a residual must treat them as
 * satisfied and output has no value for them.
 */
export const APPLICATION_QUERY_PARAMETER_COLUMNS: readonly string[] = ['group_id', 'user_id'];

export const applicationDef: ObjectDef = defineObject({
  name: 'Application',
  label: 'Application',
  description: 'Okta applications (app integrations) with their sign-on mode, settings and visibility.',
  listPath: '/api/v1/apps',
  itemPath: (id) => `/api/v1/apps/${encodeURIComponent(id)}`,
  scope: 'okta.apps.read',
  pageLimit: 200,
  primaryKey: ['id'],
  cursorField: null,
  sliceFields: [],
  fields: [
    field({
      column: 'id',
      label: 'ID',
      path: 'id',
      type: 'String',
      pushDown: EQ_FILTER,
      description: 'App id (0oa…).',
    }),
    field({ column: 'orn', label: 'ORN', path: 'orn', type: 'String', description: 'Okta resource name.' }),
    field({
      column: 'name',
      label: 'Name',
      path: 'name',
      type: 'String',
      pushDown: EQ_FILTER,
      description: 'App key.',
    }),
    field({ column: 'label', label: 'Label', path: 'label', type: 'String', description: 'Display label.' }),
    field({
      column: 'status',
      label: 'Status',
      path: 'status',
      type: 'String',
      pushDown: EQ_FILTER,
      description: 'ACTIVE or INACTIVE.',
    }),
    field({
      column: 'sign_on_mode',
      label: 'signOnMode',
      path: 'signOnMode',
      type: 'String',
      description: 'Sign-on mode.',
    }),
    field({ column: 'created', label: 'Created', path: 'created', type: 'DateTime', description: 'Creation time.' }),
    field({
      column: 'last_updated',
      label: 'Last Updated',
      path: 'lastUpdated',
      type: 'DateTime',
      operators: DATE_OPS,
      description: 'Last change (residual filter only: Okta cannot filter apps on it).',
    }),
    field({ column: 'features', label: 'Features', path: 'features', type: 'List', description: 'Enabled features.' }),
    field({
      column: 'accessibility',
      label: 'Accessibility',
      path: 'accessibility',
      type: 'Struct',
      description: 'Self-service and error-redirect settings.',
    }),
    field({
      column: 'visibility',
      label: 'Visibility',
      path: 'visibility',
      type: 'Struct',
      description: 'Dashboard visibility settings.',
    }),
    field({ column: 'settings', label: 'Settings', path: 'settings', type: 'Struct', description: 'App settings.' }),
    field({ column: 'profile', label: 'Profile', path: 'profile', type: 'Struct', description: 'App profile.' }),
    field({
      column: 'request_object_signing_alg',
      label: 'Request Object Signing Alg',
      path: 'settings.oauthClient.request_object_signing_alg',
      type: 'List',
      aliases: ['requestObjectSigningAlg'],
      description: 'OIDC apps: algorithms allowed to sign request objects.',
    }),
    field({
      column: 'credentials',
      label: 'Credentials',
      path: 'credentials',
      type: 'Struct',
      sensitive: true,
      description: 'Whole credentials object; may hold client secrets and shared passwords.',
    }),
    field({
      column: 'credentials_signing_kid',
      label: 'Credentials Signing Key ID',
      path: 'credentials.signing.kid',
      type: 'String',
      pushDown: EQ_FILTER,
      description: 'Key id of the signing key.',
    }),
    field({
      column: 'credentials_scheme',
      label: 'Credentials Scheme',
      path: 'credentials.scheme',
      type: 'String',
      description: 'Authentication scheme of SWA/basic-auth apps.',
    }),
    field({
      column: 'credentials_user_name_template',
      label: 'Credentials User Name Template',
      path: 'credentials.userNameTemplate',
      type: 'Struct',
      description: 'Template for the app username.',
    }),
    field({
      column: 'credentials_oauth_client_id',
      label: 'OAuth Client ID',
      path: 'credentials.oauthClient.client_id',
      type: 'String',
      description: 'OIDC client id (public).',
    }),
    field({
      column: 'credentials_oauth_client_secret',
      label: 'OAuth Client Secret',
      path: 'credentials.oauthClient.client_secret',
      type: 'String',
      operators: [],
      sensitive: true,
      description: 'OIDC client secret.',
    }),
    field({
      column: 'credentials_user_name',
      label: 'Credentials User Name',
      path: 'credentials.userName',
      type: 'String',
      sensitive: true,
      description: 'Shared username of shared-credential apps.',
    }),
    field({
      column: 'credentials_password',
      label: 'Credentials Password',
      path: 'credentials.password',
      type: 'Struct',
      sensitive: true,
      description: 'Shared password of shared-credential apps.',
    }),
    field({
      column: 'embedded',
      label: 'Embedded',
      path: '_embedded',
      type: 'Struct',
      description: 'Embedded resources.',
    }),
    field({ column: 'links', label: 'Links', path: '_links', type: 'Struct', description: 'Related resource links.' }),
    field({
      column: 'group_id',
      label: 'Group ID',
      path: 'group.id',
      type: 'String',
      operators: ['EQUAL_TO'],
      pushDown: EQ_FILTER,
      description: 'Query only: list the apps assigned to this group (no value in records).',
    }),
    field({
      column: 'user_id',
      label: 'User ID',
      path: 'user.id',
      type: 'String',
      operators: ['EQUAL_TO'],
      pushDown: EQ_FILTER,
      description: 'Query only: list the apps assigned to this user (no value in records).',
    }),
  ],
});
