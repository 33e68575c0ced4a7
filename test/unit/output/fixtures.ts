/**
 * Hand-built output columns (shaped like catalog FieldDefs of the User object) and Okta-shaped user records that
 * exercise every awkward case: unicode, nulls, absent fields, 1 MB strings, nested structs, custom attributes,
 * timestamps.
 */
import type { FieldDef } from '../../../lambdas/okta/catalog/types.js';
import type { OktaRecord } from '../../../lambdas/okta/types.js';

function field(column: string, path: string[], type: FieldDef['type'], custom = false): FieldDef {
  return {
    column,
    label: column,
    path,
    type,
    operators: [],
    pushDown: {},
    aliases: [],
    sensitive: false,
    custom,
    description: '',
  };
}

export const userFields: readonly FieldDef[] = [
  field('id', ['id'], 'String'),
  field('status', ['status'], 'String'),
  field('created', ['created'], 'DateTime'),
  field('last_login', ['lastLogin'], 'DateTime'),
  field('login', ['profile', 'login'], 'String'),
  field('first_name', ['profile', 'firstName'], 'String'),
  field('department', ['profile', 'department'], 'String'),
  field('description', ['profile', 'description'], 'String'),
  field('employee_number', ['profile', 'employeeNumber'], 'Long', true),
  field('score', ['profile', 'score'], 'Double', true),
  field('is_contractor', ['profile', 'isContractor'], 'Boolean', true),
  field('cost_centers', ['profile', 'costCenters'], 'List', true),
  field('credentials_provider', ['credentials', 'provider'], 'Struct'),
  field('type', ['type'], 'Struct'),
];

export const ONE_MB_STRING = 'ä€𝄞x'.repeat(209_716); // ~1 MiB of UTF-16, 1.6 MB of UTF-8, no split surrogate pair

export function fixtureUsers(): OktaRecord[] {
  return [
    {
      id: '00u1',
      status: 'ACTIVE',
      created: '2024-01-02T03:04:05.678Z',
      lastLogin: '2025-06-30T23:59:59.999Z',
      profile: {
        login: 'zoë@example.com',
        firstName: 'Zoë 李 🚀',
        department: 'R&D, "Labs"\nline two',
        description: 'short',
        employeeNumber: '9007199254740993',
        score: 0.1,
        isContractor: false,
        costCenters: ['cc-1', 'cc-2'],
      },
      credentials: { provider: { type: 'OKTA', name: 'OKTA' }, password: {} },
      type: { id: 'oty1' },
      _links: { self: { href: 'https://example.okta.com/api/v1/users/00u1' } },
    },
    {
      id: '00u2',
      status: 'DEPROVISIONED',
      created: '2023-12-31T00:00:00.000Z',
      lastLogin: null,
      profile: {
        login: 'nulls@example.com',
        firstName: null,
        department: '',
        description: ONE_MB_STRING,
        employeeNumber: 42,
        score: -1.5e300,
        isContractor: true,
        costCenters: [],
      },
      credentials: { provider: { type: 'ACTIVE_DIRECTORY', name: 'corp.example' } },
      type: { id: 'oty2' },
    },
    {
      // Absent fields everywhere: no lastLogin, no department, no custom attributes, no credentials.
      id: '00u3',
      status: 'STAGED',
      created: '2020-02-29T12:00:00.001Z',
      profile: { login: 'absent@example.com', firstName: 'Ånne' },
      type: { id: 'oty1', extra: { nested: [1, { deep: true }] } },
    },
  ];
}

/** Generates n realistic-ish users (for rolling/multipart tests). Deterministic. */
export function manyUsers(n: number, start = 0): OktaRecord[] {
  const out: OktaRecord[] = [];
  for (let i = start; i < start + n; i++) {
    out.push({
      id: `00u${i.toString(36).padStart(8, '0')}`,
      status: i % 7 === 0 ? 'SUSPENDED' : 'ACTIVE',
      created: new Date(Date.UTC(2020, 0, 1) + i * 60_000).toISOString(),
      lastLogin: i % 3 === 0 ? null : new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString(),
      profile: {
        login: `user${i}@example.com`,
        firstName: `First${i}`,
        department: `Dept ${i % 13}`,
        description: `Employee number ${i} – ${'lorem ipsum '.repeat(i % 5)}`,
        employeeNumber: i,
        score: i / 7,
        isContractor: i % 2 === 0,
        costCenters: [`cc-${i % 11}`],
      },
      credentials: { provider: { type: 'OKTA', name: 'OKTA' } },
      type: { id: 'oty1' },
    });
  }
  return out;
}
