import { describe, expect, it } from 'vitest';
import {
  applicationDef,
  deviceDef,
  groupDef,
  resolveField,
  userDef,
  userTypeDef,
} from '../../../../lambdas/okta/catalog/index.js';
import type { ObjectDef } from '../../../../lambdas/okta/catalog/types.js';
import { parseFilterExpression } from '../../../../lambdas/okta/query/parse-filter-expression.js';
import { planQuery, quoteOktaString } from '../../../../lambdas/okta/query/plan.js';
import { FilterValidationError, resolveFilter } from '../../../../lambdas/okta/query/resolve-filter.js';

function plan(def: ObjectDef, text: string | null, options?: { pageLimit?: number }) {
  const parsed = text === null ? null : parseFilterExpression(text).filter;
  return planQuery(def, parsed === null ? null : resolveFilter(parsed, def, resolveField), options);
}

/** The decoded `search`/`filter` parameter of a plan's path. */
function pushed(def: ObjectDef, text: string | null): { search: string | null; filter: string | null } {
  const url = new URL(plan(def, text).path, 'https://example.okta.com');
  return { search: url.searchParams.get('search'), filter: url.searchParams.get('filter') };
}

describe('planQuery — users', () => {
  it('asks for every status when nothing can be pushed (the default list hides DEPROVISIONED)', () => {
    expect(plan(userDef, null).path).toBe('/api/v1/users?search=status%20pr&limit=200');
    expect(pushed(userDef, 'last_login > 2024-01-01T00:00:00Z').search).toBe('status pr');
  });

  it('uses the page limit option over the catalog default', () => {
    expect(plan(userDef, null, { pageLimit: 50 }).path).toBe('/api/v1/users?search=status%20pr&limit=50');
  });

  it('prefers search, with millisecond date literals, and URL-encodes the expression', () => {
    const p = plan(userDef, 'status = "ACTIVE" and lastUpdated > 2024-01-01T00:00:00Z');
    expect(p.path).toBe(
      '/api/v1/users?search=status%20eq%20%22ACTIVE%22%20and%20lastUpdated%20gt%20%222024-01-01T00%3A00%3A00.000Z%22&limit=200',
    );
    expect(p.description).toContain('eventually consistent');
  });

  it('escapes quotes and backslashes inside string literals', () => {
    expect(quoteOktaString('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(pushed(userDef, "profile.lastName = 'O\\\"Brien'").search).toBe('profile.lastName eq "O\\"Brien"');
  });

  it('drops non-pushable AND terms, keeps OR only when every branch is pushable, never pushes NOT', () => {
    expect(pushed(userDef, 'department = "Sales" and last_login > 2024-01-01T00:00:00Z').search).toBe(
      'profile.department eq "Sales"',
    );
    expect(pushed(userDef, 'department = "Sales" or last_login > 2024-01-01T00:00:00Z').search).toBe('status pr');
    expect(pushed(userDef, 'department = "Sales" or city = "Paris"').search).toBe(
      '(profile.department eq "Sales" or profile.city eq "Paris")',
    );
    expect(pushed(userDef, 'not status = "ACTIVE"').search).toBe('status pr');
    expect(pushed(userDef, 'department != "Sales"').search).toBe('status pr');
    expect(pushed(userDef, 'city = null').search).toBe('status pr');
    expect(pushed(userDef, 'city = ""').search).toBe('status pr');
  });

  it('pushes IN as an OR of eq, CONTAINS as co only where Okta supports co', () => {
    expect(pushed(userDef, 'status in ("ACTIVE", "STAGED")').search).toBe('(status eq "ACTIVE" or status eq "STAGED")');
    expect(pushed(userDef, 'status in ("ACTIVE", null)').search).toBe('status pr');
    expect(pushed(userDef, 'email contains "@example.com"').search).toBe('profile.email co "@example.com"');
    expect(pushed(userDef, 'department contains "Sal"').search).toBe('status pr');
  });

  it('rounds sub-millisecond bounds outward and expands BETWEEN and date !=', () => {
    expect(pushed(userDef, 'created > 2024-01-01T00:00:00.0005Z').search).toBe('created gt "2024-01-01T00:00:00.000Z"');
    expect(pushed(userDef, 'created < 2024-01-01T00:00:00.0005Z').search).toBe('created lt "2024-01-01T00:00:00.001Z"');
    expect(pushed(userDef, 'created between 2024-01-01T00:00:00Z and 2024-02-01T00:00:00Z').search).toBe(
      'created ge "2024-01-01T00:00:00.000Z" and created le "2024-02-01T00:00:00.000Z"',
    );
    expect(pushed(userDef, 'created != 2024-01-01T00:00:00Z').search).toBe(
      '(created lt "2024-01-01T00:00:00.000Z" or created gt "2024-01-01T00:00:00.000Z")',
    );
  });

  it('keeps the full filter as residual (search eq is case-insensitive, okta-flow is not)', () => {
    const p = plan(userDef, 'department = "Sales"');
    expect(p.residual({ id: '1', profile: { department: 'Sales' } })).toBe(true);
    expect(p.residual({ id: '2', profile: { department: 'SALES' } })).toBe(false);
  });
});

describe('planQuery — groups, devices, user types', () => {
  it('groups: ge/le widen to gt/lt by a millisecond (groups search has no ge/le)', () => {
    expect(pushed(groupDef, 'last_updated >= 2024-01-01T00:00:00Z').search).toBe(
      'lastUpdated gt "2023-12-31T23:59:59.999Z"',
    );
    expect(pushed(groupDef, 'created <= 2024-01-01T00:00:00Z').search).toBe('created lt "2024-01-01T00:00:00.001Z"');
    expect(pushed(groupDef, 'created = 2024-01-01T00:00:00Z or type = "BUILT_IN"').search).toBe(
      '((created gt "2023-12-31T23:59:59.999Z" and created lt "2024-01-01T00:00:00.001Z") or type eq "BUILT_IN")',
    );
    expect(pushed(groupDef, 'name contains "Eng"').search).toBe('profile.name co "Eng"');
    expect(plan(groupDef, null).path).toBe('/api/v1/groups?limit=200');
  });

  it('devices: search only, booleans bare', () => {
    expect(pushed(deviceDef, 'registered = true and platform = "WINDOWS"')).toEqual({
      search: 'profile.registered eq true and profile.platform eq "WINDOWS"',
      filter: null,
    });
  });

  it('user types: no parameters at all, everything residual', () => {
    const p = plan(userTypeDef, 'name = "user"');
    expect(p.path).toBe('/api/v1/meta/types/user');
    expect(p.residual({ name: 'user' })).toBe(true);
    expect(p.residual({ name: 'contractor' })).toBe(false);
  });
});

describe('planQuery — applications (single eq filter)', () => {
  it('pushes exactly one top-level eq, the most selective', () => {
    expect(pushed(applicationDef, 'status = "ACTIVE" and id = "0oa1"').filter).toBe('id eq "0oa1"');
    expect(pushed(applicationDef, 'status = "ACTIVE" and name = "okta_org2org"').filter).toBe('name eq "okta_org2org"');
    expect(pushed(applicationDef, 'status = "ACTIVE" or name = "x"').filter).toBeNull();
    expect(pushed(applicationDef, 'last_updated > 2024-01-01T00:00:00Z').filter).toBeNull();
    expect(plan(applicationDef, null).path).toBe('/api/v1/apps?limit=200');
  });

  it('always pushes a group_id/user_id query parameter, and the residual treats it as satisfied', () => {
    const p = plan(applicationDef, 'id = "0oa1" and user_id = "00u1"');
    expect(new URL(p.path, 'https://x.okta.com').searchParams.get('filter')).toBe('user.id eq "00u1"');
    expect(p.residual({ id: '0oa1' })).toBe(true);
    expect(p.residual({ id: '0oa2' })).toBe(false);
  });

  it('rejects a query parameter the planner cannot push', () => {
    expect(() =>
      planQuery(applicationDef, {
        kind: 'or',
        children: [
          { kind: 'compare', field: 'group_id', op: 'EQUAL_TO', value: '00g1' },
          { kind: 'compare', field: 'status', op: 'EQUAL_TO', value: 'ACTIVE' },
        ],
      }),
    ).toThrow(FilterValidationError);
  });
});
