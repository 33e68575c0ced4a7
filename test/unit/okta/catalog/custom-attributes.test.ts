import { describe, expect, it } from 'vitest';
import {
  getObjectDef,
  getValue,
  mergeUserSchemas,
  resolveField,
  snakeCase,
  UserSchemaError,
  withCustomUserAttributes,
  withResolvedAttributes,
} from '../../../../lambdas/okta/catalog/index.js';

// Shaped like Okta's GET /api/v1/meta/schemas/user/default (abridged base section).
const schema = {
  id: 'https://acme.okta.com/meta/schemas/user/default',
  $schema: 'http://json-schema.org/draft-04/schema#',
  name: 'user',
  title: 'User',
  type: 'object',
  definitions: {
    base: {
      id: '#base',
      type: 'object',
      properties: { login: { title: 'Username', type: 'string', required: true } },
      required: ['login'],
    },
    custom: {
      id: '#custom',
      type: 'object',
      properties: {
        costCode: { title: 'Cost code', type: 'string', master: { type: 'PROFILE_MASTER' } },
        badgeNumber: { title: 'Badge number', type: 'integer', unique: 'UNIQUE_VALIDATED' },
        fte: { title: 'FTE', type: 'number', minimum: 0, maximum: 1 },
        isContractor: { title: 'Contractor?', type: 'boolean' },
        entitlements: { title: 'Entitlements', type: 'array', items: { type: 'string' }, union: 'DISABLE' },
        'HR-Region 2': { title: 'HR region', type: 'string' },
        hr_region_2: { title: 'HR region (legacy)', type: 'string' },
        url: { title: 'Homepage', type: 'string' },
        'a.b': { title: 'Dotted', type: 'string' },
        mystery: { title: 'Mystery', type: 'object' },
        ssnLast4: { title: 'SSN last 4', type: 'string', sensitive: true },
      },
      required: [],
    },
  },
  type_links: {},
};

describe('snakeCase', () => {
  it.each([
    ['costCode', 'cost_code'],
    ['HRRegion', 'hr_region'],
    ['HR-Region 2', 'hr_region_2'],
    ['employeeID', 'employee_id'],
    ['__x__', 'x'],
    ['€€', 'attr'],
  ])('%s → %s', (input, out) => expect(snakeCase(input)).toBe(out));
});

describe('withCustomUserAttributes', () => {
  const base = getObjectDef('User');
  const def = withCustomUserAttributes(base, schema);
  const custom = def.fields.filter((f) => f.custom);

  it('adds one typed column per custom attribute and keeps the built-ins', () => {
    expect(custom).toHaveLength(11);
    expect(def.fields.length).toBe(base.fields.length + 11);
    const byName = (name: string) => custom.find((f) => f.path[1] === name);
    expect(byName('costCode')).toMatchObject({ column: 'profile_cost_code', type: 'String', label: 'Cost code' });
    expect(byName('badgeNumber')).toMatchObject({ column: 'profile_badge_number', type: 'Long' });
    expect(byName('fte')).toMatchObject({ column: 'profile_fte', type: 'Double' });
    expect(byName('isContractor')).toMatchObject({ column: 'profile_is_contractor', type: 'Boolean' });
    expect(byName('entitlements')).toMatchObject({ column: 'profile_entitlements', type: 'List' });
    expect(byName('mystery')).toMatchObject({ type: 'Struct', operators: [] });
    expect(byName('ssnLast4')?.sensitive).toBe(true);
    expect(byName('badgeNumber')?.pushDown.GREATER_THAN).toEqual(['search']);
    expect(byName('costCode')?.pushDown.EQUAL_TO).toEqual(['search']);
    expect(byName('costCode')?.pushDown.CONTAINS).toBeUndefined();
    expect(byName('entitlements')?.operators).toEqual(['CONTAINS']);
    expect(byName('entitlements')?.pushDown).toEqual({});
  });

  it('gives colliding names distinct, deterministic columns', () => {
    const columns = def.fields.map((f) => f.column);
    expect(new Set(columns).size).toBe(columns.length);
    // 'HR-Region 2' sorts before 'hr_region_2' and keeps the plain column; the other gets a hash suffix
    expect(resolveField(def, 'profile.HR-Region 2')?.column).toBe('profile_hr_region_2');
    expect(resolveField(def, 'profile.hr_region_2')?.column).toMatch(/^profile_hr_region_2_[0-9a-f]{6}$/);
    // 'url' collides with the built-in Profile URL column
    expect(resolveField(def, 'profile.url')?.column).toMatch(/^profile_url_[0-9a-f]{6}$/);
    expect(resolveField(def, 'profile_url')?.path).toEqual(['profile', 'profileUrl']);
    // the same schema always gives the same columns
    expect(withCustomUserAttributes(base, schema).fields.map((f) => f.column)).toEqual(columns);
  });

  it('keeps names with dots as a single path segment', () => {
    const f = resolveField(def, 'profile.a.b');
    expect(f?.path).toEqual(['profile', 'a.b']);
    expect(f && getValue({ profile: { 'a.b': 'yes' } }, f)).toBe('yes');
  });

  it('resolves custom attributes by column, dotted path and bare name', () => {
    expect(resolveField(def, 'profile_cost_code')?.path).toEqual(['profile', 'costCode']);
    expect(resolveField(def, 'costCode')?.column).toBe('profile_cost_code');
    expect(resolveField(def, 'Cost code')?.column).toBe('profile_cost_code');
  });

  it('replaces earlier custom columns when called again, and tolerates schemas without custom attributes', () => {
    const again = withCustomUserAttributes(def, { definitions: { custom: { properties: { x: { type: 'string' } } } } });
    expect(again.fields.filter((f) => f.custom).map((f) => f.column)).toEqual(['profile_x']);
    expect(withCustomUserAttributes(base, { definitions: {} }).fields).toHaveLength(base.fields.length);
  });

  it('rejects a document that is not a schema', () => {
    expect(() => withCustomUserAttributes(base, { definitions: { custom: { properties: 'x' } } })).toThrow(
      UserSchemaError,
    );
  });
});

describe('mergeUserSchemas', () => {
  const base = getObjectDef('User');
  const doc = (properties: Record<string, unknown>) => ({ definitions: { custom: { properties } } });
  const schemas = [
    {
      userType: 'user',
      schema: doc({
        costCode: { type: 'string', title: 'Cost code' },
        tiers: { type: 'array', items: { type: 'integer' } },
        tags: { type: 'array' },
      }),
    },
    {
      userType: 'contractor',
      schema: doc({
        costCode: { type: 'string' },
        agency: { type: 'string', sensitive: true },
        badge: { type: 'string' },
        rates: { type: ['array', 'null'], items: { type: 'number' } },
      }),
    },
    { userType: 'serviceAccount', schema: doc({ badge: { type: 'integer' }, agency: { type: 'string' } }) },
  ];
  const merged = mergeUserSchemas(base.fields, schemas);
  const byName = (name: string) => merged.find((a) => a.name === name);

  it('is the union of every user type’s attributes, each once, with the types that declare it', () => {
    expect(merged.map((a) => a.name)).toEqual(['agency', 'badge', 'costCode', 'rates', 'tags', 'tiers']);
    expect(byName('costCode')).toMatchObject({ type: 'string', userTypes: ['user', 'contractor'], title: 'Cost code' });
    expect(byName('costCode')?.conflict).toBeUndefined();
    expect(byName('agency')?.sensitive).toBe(true);
  });

  it('reports a conflict and makes the attribute text that cannot be filtered', () => {
    expect(byName('badge')).toMatchObject({
      type: 'string',
      conflict: [
        { userType: 'contractor', type: 'string' },
        { userType: 'serviceAccount', type: 'integer' },
      ],
    });
    const field = resolveField(withResolvedAttributes(base, merged), 'profile.badge');
    expect(field).toMatchObject({ column: 'profile_badge', type: 'String', operators: [], pushDown: {} });
    expect(field?.description).toContain('contractor: string, serviceAccount: integer');
  });

  it('gives arrays their element type from items.type, and none when the schema gives none', () => {
    const def = withResolvedAttributes(base, merged);
    expect(resolveField(def, 'profile.tiers')).toMatchObject({ type: 'List', items: 'Long' });
    expect(resolveField(def, 'profile.rates')).toMatchObject({ type: 'List', items: 'Double' });
    expect(resolveField(def, 'profile.tags')?.items).toBeUndefined();
    expect(byName('rates')?.items).toBe('number');
  });

  it('keeps a column given by the resolution (a renamed column after a type change)', () => {
    const renamed = merged.map((a) => (a.name === 'costCode' ? { ...a, column: 'profile_cost_code__int64' } : a));
    expect(resolveField(withResolvedAttributes(base, renamed), 'profile.costCode')?.column).toBe(
      'profile_cost_code__int64',
    );
  });
});
