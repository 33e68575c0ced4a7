import type { FieldType } from './query/grammar.js';
import { isoTimestamp as oktaTimestamp } from './timestamp.js';

/** Standard Okta user profile attributes (all strings). */
export const STANDARD_PROFILE_ATTRIBUTES: readonly string[] = [
  'login',
  'email',
  'secondEmail',
  'firstName',
  'lastName',
  'middleName',
  'honorificPrefix',
  'honorificSuffix',
  'title',
  'displayName',
  'nickName',
  'profileUrl',
  'primaryPhone',
  'mobilePhone',
  'streetAddress',
  'city',
  'state',
  'zipCode',
  'countryCode',
  'postalAddress',
  'preferredLanguage',
  'locale',
  'timezone',
  'userType',
  'employeeNumber',
  'costCenter',
  'organization',
  'division',
  'department',
  'managerId',
  'manager',
];

export type CustomAttributeType = 'string' | 'number' | 'boolean' | 'integer' | 'array';
/** Element types an `array` attribute may declare (Okta: string, number, integer). */
export type CustomItemType = 'string' | 'number' | 'integer';

export interface CustomAttributeSpec {
  readonly name: string;
  readonly type: CustomAttributeType;
  readonly title: string;
  /** `array` attributes: the element type (default string). */
  readonly items?: CustomItemType;
}

/** The org's custom profile attributes: one of every schema type, so typed outputs meet them all. */
export const CUSTOM_ATTRIBUTES: readonly CustomAttributeSpec[] = [
  { name: 'githubHandle', type: 'string', title: 'GitHub handle' },
  { name: 'fteRatio', type: 'number', title: 'FTE ratio' },
  { name: 'isContractor', type: 'boolean', title: 'Contractor' },
  { name: 'clearanceLevel', type: 'integer', title: 'Clearance level' },
  { name: 'skills', type: 'array', title: 'Skills' },
];

/**
 * Attributes only some user types' schemas have (Okta keeps one profile schema per user type), beside the shared
 * ones above. `badgeNumber` is a deliberate conflict: a string for contractors, an integer for service accounts.
 */
export const USER_TYPE_ATTRIBUTES: Readonly<Record<string, readonly CustomAttributeSpec[]>> = {
  contractor: [
    { name: 'contractorAgency', type: 'string', title: 'Contracting agency' },
    { name: 'accessTiers', type: 'array', items: 'integer', title: 'Access tiers' },
    { name: 'badgeNumber', type: 'string', title: 'Badge number' },
  ],
  serviceAccount: [
    { name: 'ownerTeam', type: 'string', title: 'Owning team' },
    { name: 'rotationDays', type: 'integer', title: 'Credential rotation (days)' },
    { name: 'badgeNumber', type: 'integer', title: 'Badge number' },
  ],
};

/** How a profile attribute compares in queries (the generated schemas; see UserTypeStore for runtime changes). */
export function profileFieldType(name: string): FieldType | undefined {
  if (STANDARD_PROFILE_ATTRIBUTES.includes(name)) return 'string';
  const custom =
    CUSTOM_ATTRIBUTES.find((a) => a.name === name) ??
    Object.values(USER_TYPE_ATTRIBUTES)
      .flat()
      .find((a) => a.name === name);
  return custom === undefined ? undefined : customFieldType(custom);
}

/** The query type of a custom attribute: numbers compare as numbers, arrays of strings as strings. */
export function customFieldType(attr: CustomAttributeSpec): FieldType {
  if (attr.type === 'integer' || attr.type === 'number') return 'number';
  if (attr.type === 'boolean') return 'boolean';
  if (attr.type === 'array' && attr.items !== undefined && attr.items !== 'string') return 'number';
  return 'string';
}

const READ_WRITE = [{ principal: 'SELF', action: 'READ_WRITE' }];

function standardAttribute(name: string): Record<string, unknown> {
  const required = name === 'login' || name === 'email' || name === 'firstName' || name === 'lastName';
  return {
    title: name,
    type: 'string',
    mutability: 'READ_WRITE',
    scope: 'NONE',
    ...(required ? { required: true } : {}),
    ...(name === 'login' ? { minLength: 5, maxLength: 100, pattern: '.+' } : {}),
    ...(name === 'email' ? { format: 'email' } : {}),
    permissions: READ_WRITE,
    master: { type: 'PROFILE_MASTER' },
  };
}

function customAttribute(attr: CustomAttributeSpec): Record<string, unknown> {
  return {
    title: attr.title,
    description: `Custom attribute ${attr.name}`,
    type: attr.type,
    ...(attr.type === 'array' ? { items: { type: attr.items ?? 'string' }, union: 'DISABLE' } : {}),
    mutability: 'READ_WRITE',
    scope: 'NONE',
    permissions: READ_WRITE,
    master: { type: 'PROFILE_MASTER' },
  };
}

/**
 * A user profile schema (`/api/v1/meta/schemas/user/{id}`) with the given custom attributes; `{{origin}}` is
 * rewritten by the server.
 */
export function userSchemaBody(
  schemaId: string,
  name: string,
  createdMs: number,
  lastUpdatedMs: number,
  customAttributes: readonly CustomAttributeSpec[] = CUSTOM_ATTRIBUTES,
): Record<string, unknown> {
  const base = Object.fromEntries(STANDARD_PROFILE_ATTRIBUTES.map((n) => [n, standardAttribute(n)]));
  const custom = Object.fromEntries(customAttributes.map((a) => [a.name, customAttribute(a)]));
  return {
    id: `{{origin}}/meta/schemas/user/${schemaId}`,
    $schema: 'http://json-schema.org/draft-04/schema#',
    name,
    title: name === 'user' ? 'User' : name,
    description: `Profile schema for user type ${name}`,
    lastUpdated: oktaTimestamp(lastUpdatedMs),
    created: oktaTimestamp(createdMs),
    definitions: {
      custom: { id: '#custom', type: 'object', properties: custom, required: [] },
      base: { id: '#base', type: 'object', properties: base, required: ['login', 'firstName', 'lastName', 'email'] },
    },
    type: 'object',
    properties: { profile: { allOf: [{ $ref: '#/definitions/custom' }, { $ref: '#/definitions/base' }] } },
    _links: { self: { href: `{{origin}}/api/v1/meta/schemas/user/${schemaId}`, method: 'GET' } },
  };
}
