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

/** The org's custom profile attributes: one of every schema type, so typed outputs meet them all. */
export const CUSTOM_ATTRIBUTES: readonly { name: string; type: CustomAttributeType; title: string }[] = [
  { name: 'githubHandle', type: 'string', title: 'GitHub handle' },
  { name: 'fteRatio', type: 'number', title: 'FTE ratio' },
  { name: 'isContractor', type: 'boolean', title: 'Contractor' },
  { name: 'clearanceLevel', type: 'integer', title: 'Clearance level' },
  { name: 'skills', type: 'array', title: 'Skills' },
];

/** How a profile attribute compares in queries. */
export function profileFieldType(name: string): FieldType | undefined {
  if (STANDARD_PROFILE_ATTRIBUTES.includes(name)) return 'string';
  const custom = CUSTOM_ATTRIBUTES.find((a) => a.name === name);
  if (!custom) return undefined;
  if (custom.type === 'integer' || custom.type === 'number') return 'number';
  if (custom.type === 'boolean') return 'boolean';
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

function customAttribute(attr: (typeof CUSTOM_ATTRIBUTES)[number]): Record<string, unknown> {
  return {
    title: attr.title,
    description: `Custom attribute ${attr.name}`,
    type: attr.type,
    ...(attr.type === 'array' ? { items: { type: 'string' }, union: 'DISABLE' } : {}),
    mutability: 'READ_WRITE',
    scope: 'NONE',
    permissions: READ_WRITE,
    master: { type: 'PROFILE_MASTER' },
  };
}

/** A user profile schema (`/api/v1/meta/schemas/user/{id}`); `{{origin}}` is rewritten by the server. */
export function userSchemaBody(
  schemaId: string,
  name: string,
  createdMs: number,
  lastUpdatedMs: number,
): Record<string, unknown> {
  const base = Object.fromEntries(STANDARD_PROFILE_ATTRIBUTES.map((n) => [n, standardAttribute(n)]));
  const custom = Object.fromEntries(CUSTOM_ATTRIBUTES.map((a) => [a.name, customAttribute(a)]));
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
