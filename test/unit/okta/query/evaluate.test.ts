import { describe, expect, it } from 'vitest';
import { applicationDef, deviceDef, groupDef, userDef } from '../../../../lambdas/okta/catalog/index.js';
import type { ObjectDef } from '../../../../lambdas/okta/catalog/types.js';
import { compileResidual } from '../../../../lambdas/okta/query/evaluate.js';
import { parseFilterExpression } from '../../../../lambdas/okta/query/parse-filter-expression.js';
import type { OktaRecord } from '../../../../lambdas/okta/types.js';

const alice: OktaRecord = {
  id: '00u1',
  status: 'ACTIVE',
  created: '2024-01-01T00:00:00.000Z',
  lastUpdated: '2024-03-01T12:00:00.500Z',
  profile: { login: 'alice@example.com', department: 'Sales', city: null },
};
const bob: OktaRecord = {
  id: '00u2',
  status: 'DEPROVISIONED',
  created: '2024-02-01T00:00:00.000Z',
  lastUpdated: '2024-03-02T00:00:00.000Z',
  profile: { login: 'Bob@Example.com', department: 'sales', city: 'Paris' },
};
const USERS = [alice, bob];

function matching(text: string, records: readonly OktaRecord[] = USERS, def: ObjectDef = userDef): unknown[] {
  const predicate = compileResidual(parseFilterExpression(text).filter, def);
  return records.filter(predicate).map((r) => r.id);
}

describe('compileResidual', () => {
  it('EQUAL_TO on strings is case-sensitive and exact', () => {
    expect(matching('department = "Sales"')).toEqual(['00u1']);
    expect(matching('department = "sales"')).toEqual(['00u2']);
    expect(matching('department = "Sale"')).toEqual([]);
  });

  it('null means absent or null; comparisons with null are false, NOT negates', () => {
    expect(matching('city = null')).toEqual(['00u1']);
    expect(matching('city != null')).toEqual(['00u2']);
    expect(matching('middle_name = null')).toEqual(['00u1', '00u2']);
    expect(matching('city != "Paris"')).toEqual([]);
    expect(matching('not city = "Paris"')).toEqual(['00u1']);
    expect(matching('city in ("Paris", null)')).toEqual(['00u1', '00u2']);
  });

  it('compares DateTimes as instants, exactly to (and below) the millisecond, BETWEEN inclusive', () => {
    expect(matching('last_updated > 2024-03-01T12:00:00.499Z')).toEqual(['00u1', '00u2']);
    expect(matching('last_updated > 2024-03-01T12:00:00.500Z')).toEqual(['00u2']);
    expect(matching('last_updated >= 2024-03-01T12:00:00.5Z')).toEqual(['00u1', '00u2']);
    expect(matching('last_updated = 2024-03-01T12:00:00.5000Z')).toEqual(['00u1']);
    expect(matching('last_updated > 2024-03-01T12:00:00.4999Z')).toEqual(['00u1', '00u2']);
    expect(matching('last_updated < 2024-03-01T12:00:00.5001Z')).toEqual(['00u1']);
    expect(matching('last_updated <= 2024-03-01T12:00:00.5001Z')).toEqual(['00u1']);
    expect(matching('last_updated = 2024-03-01T12:00:00.5001Z')).toEqual([]);
    expect(matching('created between 2024-01-01T00:00:00Z and 2024-02-01T00:00:00Z')).toEqual(['00u1', '00u2']);
    expect(matching('created between 2024-01-01T00:00:00.001Z and 2024-02-01T00:00:00Z')).toEqual(['00u2']);
    expect(matching('created != 2024-01-01T00:00:00Z')).toEqual(['00u2']);
    expect(matching('created < 1706745600000')).toEqual(['00u1']);
  });

  it('CONTAINS: case-sensitive substring on strings, membership on lists', () => {
    expect(matching('profile.login contains "@example.com"')).toEqual(['00u1']);
    const groups: OktaRecord[] = [
      { id: '00g1', objectClass: ['okta:user_group'], profile: { name: 'Everyone' } },
      { id: '00g2', objectClass: ['okta:windows_security_principal'], profile: { name: 'AD' } },
    ];
    expect(matching('objectClass contains "okta:user_group"', groups, groupDef)).toEqual(['00g1']);
    expect(matching('objectClass contains "okta"', groups, groupDef)).toEqual([]);
  });

  it('booleans are equal or not, on real JSON booleans only', () => {
    const devices: OktaRecord[] = [
      { id: 'guo1', profile: { registered: true } },
      { id: 'guo2', profile: { registered: false } },
      { id: 'guo3', profile: { registered: 'true' } },
      { id: 'guo4', profile: {} },
    ];
    expect(matching('registered = true', devices, deviceDef)).toEqual(['guo1']);
    expect(matching('registered != true', devices, deviceDef)).toEqual(['guo2']);
    expect(matching('registered = False', devices, deviceDef)).toEqual(['guo2']);
  });

  it('AND/OR/NOT with precedence, IN', () => {
    expect(matching('status = "ACTIVE" or status = "DEPROVISIONED" and department = "Sales"')).toEqual(['00u1']);
    expect(matching('(status = "ACTIVE" or status = "DEPROVISIONED") and department = "sales"')).toEqual(['00u2']);
    expect(matching('status in ("STAGED", "DEPROVISIONED")')).toEqual(['00u2']);
    expect(matching('not not status = "ACTIVE"')).toEqual(['00u1']);
    expect(compileResidual({ kind: 'and', children: [] }, userDef)(alice)).toBe(true);
    expect(compileResidual({ kind: 'or', children: [] }, userDef)(alice)).toBe(false);
    expect(compileResidual(null, userDef)(alice)).toBe(true);
  });

  it('a wrong-typed or unparseable record value never matches', () => {
    const odd: OktaRecord[] = [{ id: 'x', created: 'not a date', profile: { department: 42 } }];
    expect(matching('created < 2030-01-01T00:00:00Z', odd)).toEqual([]);
    expect(matching('created != 2030-01-01T00:00:00Z', odd)).toEqual([]);
    expect(matching('department = "42"', odd)).toEqual([]);
  });

  it('treats Application query-parameter fields as satisfied (Okta evaluates them)', () => {
    const apps: OktaRecord[] = [
      { id: '0oa1', status: 'ACTIVE' },
      { id: '0oa2', status: 'INACTIVE' },
    ];
    expect(matching('group_id = "00g1" and status = "ACTIVE"', apps, applicationDef)).toEqual(['0oa1']);
  });
});
