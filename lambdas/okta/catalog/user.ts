/**
 * User — `GET /api/v1/users`. `search` covers every profile attribute (custom ones too), id, status, created,
 * activated, statusChanged, lastUpdated and type.id with `eq sw co pr` (`co` only on profile.firstName|lastName|email|
 * login) and `gt ge lt le` on dates and numbers; no `ne`. `filter` covers status, lastUpdated, id and
 * profile.login|email|firstName|lastName with `eq` (and `gt ge lt le` on lastUpdated).
 */
import { defineObject, type FieldSpec, field, type PushDownSpec } from './field.js';
import type { FieldDef, ObjectDef } from './types.js';

const RANGE = ['GREATER_THAN', 'GREATER_THAN_OR_EQUAL_TO', 'LESS_THAN', 'LESS_THAN_OR_EQUAL_TO', 'BETWEEN'] as const;

export const USER_SEARCH_EQ: PushDownSpec = { search: ['EQUAL_TO', 'IN'] };
const SEARCH_EQ_CO_FILTER_EQ: PushDownSpec = { search: ['EQUAL_TO', 'IN', 'CONTAINS'], filter: ['EQUAL_TO', 'IN'] };
const SEARCH_AND_FILTER_EQ: PushDownSpec = { search: ['EQUAL_TO', 'IN'], filter: ['EQUAL_TO', 'IN'] };
export const USER_SEARCH_RANGE: PushDownSpec = { search: ['EQUAL_TO', ...RANGE] };
const SEARCH_AND_FILTER_RANGE: PushDownSpec = { search: ['EQUAL_TO', ...RANGE], filter: ['EQUAL_TO', ...RANGE] };

/** A standard profile string attribute: `search` eq/in; column and label given, path `profile.<attr>`. */
function profileString(column: string, label: string, attr: string, extra: Partial<FieldSpec> = {}): FieldDef {
  return field({
    column,
    label,
    path: `profile.${attr}`,
    type: 'String',
    pushDown: USER_SEARCH_EQ,
    description: `Profile attribute ${attr}.`,
    ...extra,
  });
}

export const userDef: ObjectDef = defineObject({
  name: 'User',
  label: 'User',
  description: 'Okta users in every status (DEPROVISIONED included), with their profile and custom attributes.',
  listPath: '/api/v1/users',
  itemPath: (id) => `/api/v1/users/${encodeURIComponent(id)}`,
  scope: 'okta.users.read',
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
      description: 'User id (00u…).',
    }),
    field({
      column: 'status',
      label: 'Status',
      path: 'status',
      type: 'String',
      pushDown: SEARCH_AND_FILTER_EQ,
      description: 'ACTIVE, DEPROVISIONED, LOCKED_OUT, PASSWORD_EXPIRED, PROVISIONED, RECOVERY, STAGED, SUSPENDED.',
    }),
    field({
      column: 'transitioning_to_status',
      label: 'Transitioning to status',
      path: 'transitioningToStatus',
      type: 'String',
      description: 'Target status of an in-progress transition.',
    }),
    field({
      column: 'created',
      label: 'Created',
      path: 'created',
      type: 'DateTime',
      pushDown: USER_SEARCH_RANGE,
      description: 'Creation time.',
    }),
    field({
      column: 'activated',
      label: 'Activated',
      path: 'activated',
      type: 'DateTime',
      pushDown: USER_SEARCH_RANGE,
      description: 'Activation time.',
    }),
    field({
      column: 'status_changed',
      label: 'Status Changed',
      path: 'statusChanged',
      type: 'DateTime',
      pushDown: USER_SEARCH_RANGE,
      description: 'Last status change.',
    }),
    field({
      column: 'last_login',
      label: 'Last Login',
      path: 'lastLogin',
      type: 'DateTime',
      description: 'Last sign-in (residual filter only).',
    }),
    field({
      column: 'last_updated',
      label: 'Last Updated',
      path: 'lastUpdated',
      type: 'DateTime',
      pushDown: SEARCH_AND_FILTER_RANGE,
      description: 'Last change; the incremental cursor.',
    }),
    field({
      column: 'password_changed',
      label: 'Password Changed',
      path: 'passwordChanged',
      type: 'DateTime',
      description: 'Last password change (residual filter only).',
    }),
    field({ column: 'type', label: 'Type', path: 'type', type: 'Struct', description: 'User type reference {id}.' }),
    field({
      column: 'type_id',
      label: 'Type ID',
      path: 'type.id',
      type: 'String',
      pushDown: USER_SEARCH_EQ,
      description: 'User type id (oty…).',
    }),
    profileString('username', 'Username', 'login', {
      pushDown: SEARCH_EQ_CO_FILTER_EQ,
      aliases: ['login'],
      description: 'Okta login (unique).',
    }),
    profileString('email', 'Email', 'email', { pushDown: SEARCH_EQ_CO_FILTER_EQ, description: 'Primary email.' }),
    profileString('second_email', 'Second Email', 'secondEmail'),
    profileString('first_name', 'First Name', 'firstName', { pushDown: SEARCH_EQ_CO_FILTER_EQ }),
    profileString('last_name', 'Last Name', 'lastName', { pushDown: SEARCH_EQ_CO_FILTER_EQ }),
    profileString('middle_name', 'Middle Name', 'middleName'),
    profileString('honorific_prefix', 'Honorific Prefix', 'honorificPrefix'),
    profileString('honorific_suffix', 'Honorific Suffix', 'honorificSuffix'),
    profileString('title', 'Title', 'title'),
    profileString('display_name', 'Display Name', 'displayName'),
    profileString('nickname', 'Nickname', 'nickName'),
    profileString('profile_url', 'Profile URL', 'profileUrl'),
    profileString('primary_phone', 'Primary Phone', 'primaryPhone'),
    profileString('mobile_phone', 'Mobile Phone', 'mobilePhone'),
    profileString('street_address', 'Street Address', 'streetAddress'),
    profileString('city', 'City', 'city'),
    profileString('state', 'State', 'state'),
    profileString('zip_code', 'Zip Code', 'zipCode'),
    profileString('country_code', 'Country Code', 'countryCode'),
    profileString('postal_address', 'Postal Address', 'postalAddress'),
    profileString('preferred_language', 'Preferred Language', 'preferredLanguage'),
    profileString('locale', 'Locale', 'locale'),
    profileString('timezone', 'Timezone', 'timezone'),
    profileString('user_type', 'User Type', 'userType'),
    profileString('employee_number', 'Employee Number', 'employeeNumber'),
    profileString('cost_center', 'Cost Center', 'costCenter'),
    profileString('organization', 'Organization', 'organization'),
    profileString('division', 'Division', 'division'),
    profileString('department', 'Department', 'department'),
    // Not in Okta's base user schema: `search=profile.occupation …` is a 400 E0000031 unless an org adds it as a
    // custom attribute (whose schema-discovered column then pushes down), so this one is residual only.
    profileString('occupation', 'Occupation', 'occupation', { pushDown: {} }),
    profileString('manager_id', 'Manager ID', 'managerId'),
    profileString('manager_display_name', 'Manager Display Name', 'manager', {
      description: "Profile attribute manager (the manager's display name).",
    }),
    field({
      column: 'profile',
      label: 'Profile',
      path: 'profile',
      type: 'Struct',
      description: 'Whole profile, custom attributes included.',
    }),
    field({
      column: 'credentials',
      label: 'Credentials',
      path: 'credentials',
      type: 'Struct',
      sensitive: true,
      description: 'Password, recovery question and provider; secrets-bearing.',
    }),
    field({
      column: 'credentials_provider_type',
      label: 'Credentials Provider Type',
      path: 'credentials.provider.type',
      type: 'String',
      description: 'Where the user authenticates: OKTA, ACTIVE_DIRECTORY, LDAP, FEDERATION, SOCIAL, IMPORT.',
    }),
    field({
      column: 'credentials_provider_name',
      label: 'Credentials Provider Name',
      path: 'credentials.provider.name',
      type: 'String',
      description: 'Name of the authentication provider.',
    }),
    field({
      column: 'credentials_password',
      label: 'Credentials Password',
      path: 'credentials.password',
      type: 'Struct',
      sensitive: true,
      description: 'Password object (hash or value when present).',
    }),
    field({
      column: 'credentials_recovery_question',
      label: 'Credentials Recovery Question',
      path: 'credentials.recovery_question',
      type: 'Struct',
      sensitive: true,
      description: 'Recovery question (and answer when present).',
    }),
    field({
      column: 'embedded',
      label: 'Embedded Resources',
      path: '_embedded',
      type: 'Struct',
      description: 'Embedded resources.',
    }),
    field({ column: 'links', label: 'Links', path: '_links', type: 'Struct', description: 'Related resource links.' }),
  ],
});
