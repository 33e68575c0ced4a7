/**
 * UserFactor — enrolled MFA factors: `GET /api/v1/users/{id}/factors`, ONE REQUEST PER USER. It therefore runs only
 * with a filter naming users (EQUAL_TO/IN on user_id, user_login, …) or when the flow sets `"perUserRequests": true`
 * knowing the cost (a 100k-user org: 100k requests). A filter naming user ids reads them without listing users.
 */
import { defineObject, field } from './field.js';
import type { ObjectDef } from './types.js';

export const userFactorDef: ObjectDef = defineObject({
  name: 'UserFactor',
  label: 'User Factor',
  description: 'Enrolled MFA factors: one row per (user, factor).',
  listPath: '/api/v1/users/{id}/factors',
  itemPath: (id) => `/api/v1/users/${encodeURIComponent(id)}/factors`,
  scope: 'okta.users.read',
  pageLimit: null,
  primaryKey: ['user_id', 'factor_id'],
  cursorField: null,
  sliceFields: [],
  source: {
    kind: 'children',
    parent: 'User',
    childPath: (id) => `/api/v1/users/${encodeURIComponent(id)}/factors`,
    childLimit: null,
    parentFields: { user_id: 'id', user_login: 'login', user_status: 'status' },
    directParentIds: true,
    perParentOptIn: 'perUserRequests',
    cost: 'user pages + ONE request per user (needs a user filter or "perUserRequests": true)',
  },
  fields: [
    field({ column: 'user_id', label: 'User ID', path: '_parent.id', type: 'String', description: 'User id (00u…).' }),
    field({ column: 'factor_id', label: 'Factor ID', path: 'id', type: 'String', description: 'Factor id.' }),
    field({
      column: 'factor_type',
      label: 'Factor Type',
      path: 'factorType',
      type: 'String',
      description: 'push, sms, …',
    }),
    field({
      column: 'provider',
      label: 'Provider',
      path: 'provider',
      type: 'String',
      description: 'OKTA, GOOGLE, FIDO, …',
    }),
    field({ column: 'vendor_name', label: 'Vendor Name', path: 'vendorName', type: 'String', description: 'Vendor.' }),
    field({
      column: 'status',
      label: 'Status',
      path: 'status',
      type: 'String',
      description: 'ACTIVE, PENDING_ACTIVATION, …',
    }),
    field({ column: 'created', label: 'Created', path: 'created', type: 'DateTime', description: 'Enrolled at.' }),
    field({
      column: 'last_updated',
      label: 'Last Updated',
      path: 'lastUpdated',
      type: 'DateTime',
      description: 'Last change.',
    }),
    field({
      column: 'profile',
      label: 'Factor Profile',
      path: 'profile',
      type: 'Struct',
      sensitive: true,
      description: 'Factor profile (phone number, credential id): personal data, output only when asked for by name.',
    }),
    field({
      column: 'user_login',
      label: 'User Login',
      path: '_parent.profile.login',
      type: 'String',
      description: 'Login.',
    }),
    field({
      column: 'user_status',
      label: 'User Status',
      path: '_parent.status',
      type: 'String',
      description: 'Status.',
    }),
  ],
});
