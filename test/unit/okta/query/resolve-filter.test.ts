import { describe, expect, it } from 'vitest';
import { applicationDef, deviceDef, groupDef, resolveField, userDef } from '../../../../lambdas/okta/catalog/index.js';
import type { Filter } from '../../../../lambdas/okta/query/filter.js';
import { parseFilterExpression } from '../../../../lambdas/okta/query/parse-filter-expression.js';
import { FilterValidationError, resolveFilter } from '../../../../lambdas/okta/query/resolve-filter.js';

function resolveText(text: string, def = userDef): Filter | null {
  const { filter } = parseFilterExpression(text);
  return filter === null ? null : resolveFilter(filter, def, resolveField);
}

function validationError(text: string, def = userDef): FilterValidationError {
  try {
    resolveText(text, def);
  } catch (error) {
    if (error instanceof FilterValidationError) return error;
    throw error;
  }
  throw new Error(`expected a FilterValidationError for ${text}`);
}

describe('resolveFilter', () => {
  it('maps columns, dotted Okta paths, bare profile names and labels to columns', () => {
    expect(resolveText('profile.department = "Sales"')).toEqual({
      kind: 'compare',
      field: 'department',
      op: 'EQUAL_TO',
      value: 'Sales',
    });
    expect(resolveText('lastUpdated > 2024-01-01T00:00:00Z')).toMatchObject({ field: 'last_updated' });
    expect(resolveText('profile.login contains "@example.com"')).toMatchObject({ kind: 'contains', field: 'username' });
    expect(resolveText('cost_center in ("a", null)')).toEqual({
      kind: 'in',
      field: 'cost_center',
      values: ['a', null],
    });
    const labelled = resolveFilter(
      { kind: 'compare', field: 'Last Updated', op: 'GREATER_THAN', value: '2024-01-01' },
      userDef,
      resolveField,
    );
    expect(labelled).toEqual({
      kind: 'compare',
      field: 'last_updated',
      op: 'GREATER_THAN',
      value: '2024-01-01T00:00:00.000Z',
    });
  });

  it('normalizes DateTime values from ISO date-times with offsets, dates and epoch millis to .SSSZ', () => {
    const at = (value: string | number) =>
      resolveFilter({ kind: 'compare', field: 'created', op: 'GREATER_THAN', value }, userDef, resolveField);
    expect(at('2024-01-01T01:00:00+01:00')).toMatchObject({ value: '2024-01-01T00:00:00.000Z' });
    expect(at('2024-01-01T00:00:00.5Z')).toMatchObject({ value: '2024-01-01T00:00:00.500Z' });
    expect(at(1704067200000)).toMatchObject({ value: '2024-01-01T00:00:00.000Z' });
    expect(resolveText('created between 2024-01-01 and 1704153600000')).toEqual({
      kind: 'between',
      field: 'created',
      low: '2024-01-01T00:00:00.000Z',
      high: '2024-01-02T00:00:00.000Z',
    });
  });

  it('keeps the tree shape and resolves under and/or/not', () => {
    expect(resolveText('not (status = "ACTIVE" or profile.city = "Paris") and created < 2024-01-01T00:00:00Z')).toEqual(
      {
        kind: 'and',
        children: [
          {
            kind: 'not',
            child: {
              kind: 'or',
              children: [
                { kind: 'compare', field: 'status', op: 'EQUAL_TO', value: 'ACTIVE' },
                { kind: 'compare', field: 'city', op: 'EQUAL_TO', value: 'Paris' },
              ],
            },
          },
          { kind: 'compare', field: 'created', op: 'LESS_THAN', value: '2024-01-01T00:00:00.000Z' },
        ],
      },
    );
  });

  it('accepts booleans on Boolean fields', () => {
    expect(resolveText('profile.registered = true', deviceDef)).toEqual({
      kind: 'compare',
      field: 'registered',
      op: 'EQUAL_TO',
      value: true,
    });
  });

  it('rejects unknown fields, naming them and the filterable columns', () => {
    const error = validationError('favouriteColour = "red"');
    expect(error.field).toBe('favouriteColour');
    expect(error.message).toContain("Unknown field 'favouriteColour' for User");
    expect(error.allowed).toContain('department');
  });

  it('rejects operators a field does not allow, naming field, operator and the allowed ones', () => {
    const error = validationError('department > "A"');
    expect(error.operator).toBe('GREATER_THAN');
    expect(error.message).toBe(
      "Field 'department' (User, String) does not support GREATER_THAN; allowed: EQUAL_TO, NOT_EQUAL_TO, CONTAINS, IN",
    );
    expect(validationError('profile = "x"').message).toContain('it cannot be filtered');
    expect(validationError('objectClass = "x"', groupDef).operator).toBe('EQUAL_TO');
  });

  it('rejects values of the wrong type', () => {
    expect(validationError('department = 12345').message).toContain('quote it');
    expect(validationError('created > "yesterday"').message).toContain('ISO-8601');
    expect(() =>
      resolveFilter({ kind: 'compare', field: 'created', op: 'GREATER_THAN', value: true }, userDef, resolveField),
    ).toThrow(FilterValidationError);
    expect(validationError('registered = "yes"', deviceDef).message).toContain('true or false');
    expect(validationError('created > null').message).toContain('null only goes with');
    expect(validationError('department contains null').message).toContain('CONTAINS needs a value');
    expect(validationError('created between null and 2024-01-01').message).toContain('two non-null bounds');
    expect(() => resolveFilter({ kind: 'in', field: 'status', values: [] }, userDef, resolveField)).toThrow(
      /at least one value/,
    );
  });

  it('allows Application query-parameter fields only as one top-level AND term', () => {
    expect(resolveText('group_id = "00g1" and status = "ACTIVE"', applicationDef)).toMatchObject({ kind: 'and' });
    expect(validationError('group_id = "00g1" or status = "ACTIVE"', applicationDef).message).toContain(
      'query parameter',
    );
    expect(validationError('not group_id = "00g1"', applicationDef).field).toBe('group_id');
    expect(validationError('group_id in ("00g1")', applicationDef).field).toBe('group_id');
    expect(validationError('group_id = "00g1" and user_id = "00u1"', applicationDef).message).toContain('only one of');
  });
});
