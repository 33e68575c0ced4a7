import { describe, expect, it } from 'vitest';
import { filterSpecSchema, toFilter } from '../../../../lambdas/flow/config/filter-spec.js';

describe('toFilter', () => {
  it('maps every operator onto the shared Filter model', () => {
    const spec = filterSpecSchema.parse([
      { field: 'status', op: '=', value: 'ACTIVE' },
      { field: 'status', op: '!=', value: 'DEPROVISIONED' },
      { field: 'created', op: '>', value: '2024-01-01T00:00:00Z' },
      { field: 'created', op: '>=', value: 1 },
      { field: 'created', op: '<', value: 2 },
      { field: 'created', op: '<=', value: 3 },
      { field: 'profile.login', op: 'contains', value: '@acme.com' },
      { field: 'last_updated', op: 'between', value: ['2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z'] },
      { field: 'type', op: 'in', value: ['OKTA_GROUP', 'APP_GROUP'] },
    ]);
    expect(toFilter(spec)).toEqual({
      kind: 'and',
      children: [
        { kind: 'compare', field: 'status', op: 'EQUAL_TO', value: 'ACTIVE' },
        { kind: 'compare', field: 'status', op: 'NOT_EQUAL_TO', value: 'DEPROVISIONED' },
        { kind: 'compare', field: 'created', op: 'GREATER_THAN', value: '2024-01-01T00:00:00Z' },
        { kind: 'compare', field: 'created', op: 'GREATER_THAN_OR_EQUAL_TO', value: 1 },
        { kind: 'compare', field: 'created', op: 'LESS_THAN', value: 2 },
        { kind: 'compare', field: 'created', op: 'LESS_THAN_OR_EQUAL_TO', value: 3 },
        { kind: 'contains', field: 'profile.login', value: '@acme.com' },
        { kind: 'between', field: 'last_updated', low: '2024-01-01T00:00:00Z', high: '2024-02-01T00:00:00Z' },
        { kind: 'in', field: 'type', values: ['OKTA_GROUP', 'APP_GROUP'] },
      ],
    });
  });

  it('maps and/or/not and unwraps a one-condition list', () => {
    const spec = filterSpecSchema.parse({
      or: [
        { not: { field: 'status', op: '=', value: 'SUSPENDED' } },
        {
          and: [
            { field: 'a', op: '=', value: true },
            { field: 'b', op: '=', value: null },
          ],
        },
      ],
    });
    expect(toFilter(spec)).toEqual({
      kind: 'or',
      children: [
        { kind: 'not', child: { kind: 'compare', field: 'status', op: 'EQUAL_TO', value: 'SUSPENDED' } },
        {
          kind: 'and',
          children: [
            { kind: 'compare', field: 'a', op: 'EQUAL_TO', value: true },
            { kind: 'compare', field: 'b', op: 'EQUAL_TO', value: null },
          ],
        },
      ],
    });
    expect(toFilter(filterSpecSchema.parse([{ field: 'x', op: '=', value: 1 }]))).toEqual({
      kind: 'compare',
      field: 'x',
      op: 'EQUAL_TO',
      value: 1,
    });
  });

  it('rejects a list value for a single-value operator', () => {
    expect(filterSpecSchema.safeParse({ field: 'x', op: '=', value: [1, 2] }).success).toBe(false);
  });
});
