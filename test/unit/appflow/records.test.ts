/** Record values in AppFlow's formats. */
import { describe, expect, it } from 'vitest';
import { formatValue, toAppFlowRecord } from '../../../lambdas/appflow/records.js';
import { field } from '../../../lambdas/okta/catalog/field.js';
import type { AppFlowDataType } from '../../../lambdas/okta/catalog/types.js';

const f = (type: AppFlowDataType, path = 'x') => field({ column: 'x', label: 'X', path, type, description: '' });

describe('formatValue', () => {
  it.each([
    ['DateTime', '2024-01-02T03:04:05.678Z', '2024-01-02T03:04:05.678Z'],
    ['DateTime', '2024-01-02T03:04:05Z', '2024-01-02T03:04:05.000Z'],
    ['DateTime', '2024-01-02T04:04:05+01:00', '2024-01-02T03:04:05.000Z'],
    ['DateTime', 1704164645678, '2024-01-02T03:04:05.678Z'],
    ['Date', '2024-01-02T03:04:05.000Z', '2024-01-02'],
    ['Boolean', true, true],
    ['Boolean', 'false', false],
    ['Long', '42', 42],
    ['Double', 1.5, 1.5],
    ['List', ['a', 'b'], ['a', 'b']],
    ['Struct', { id: 'oty1' }, { id: 'oty1' }],
    ['String', null, null],
    ['String', undefined, null],
    ['Long', 'n/a', 'n/a'],
  ] as [AppFlowDataType, unknown, unknown][])('%s %j → %j', (type, value, expected) => {
    expect(formatValue(f(type), value)).toEqual(expected);
  });

  it('flattens a nested Okta record onto field names, null for absent ones', () => {
    const fields = [
      f('String', 'id'),
      { ...f('String', 'profile.login'), column: 'username' },
      { ...f('Boolean', 'profile.isContractor'), column: 'is_contractor' },
    ];
    expect(toAppFlowRecord({ id: '00u1', profile: { login: 'a@b.c' } }, fields)).toEqual({
      x: '00u1',
      username: 'a@b.c',
      is_contractor: null,
    });
  });
});
