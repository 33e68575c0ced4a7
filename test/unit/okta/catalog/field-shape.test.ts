/** The catalog's declared nested shapes: element types and struct members, checked when a field is defined. */
import { describe, expect, it } from 'vitest';
import { field } from '../../../../lambdas/okta/catalog/field.js';
import type { MemberDef } from '../../../../lambdas/okta/catalog/types.js';

const base = { column: 'x', label: 'X', path: 'x', description: '' } as const;
const members: MemberDef[] = [
  { column: 'id', key: 'id', type: 'String' },
  { column: 'where', key: 'where', type: 'Struct', members: [{ column: 'city', key: 'city', type: 'String' }] },
];

describe('field shapes', () => {
  it('keeps members of a Struct and of a List of Struct', () => {
    expect(field({ ...base, type: 'Struct', members }).members).toEqual(members);
    expect(field({ ...base, type: 'List', items: 'Struct', members }).members).toEqual(members);
    expect(field({ ...base, type: 'Struct' }).members).toBeUndefined();
  });

  it('refuses members on anything else, empty or duplicate members, and misplaced element types', () => {
    expect(() => field({ ...base, type: 'String', members })).toThrow(/not a Struct or a List of Struct/);
    expect(() => field({ ...base, type: 'List', items: 'String', members })).toThrow(/not a Struct/);
    expect(() => field({ ...base, type: 'Struct', members: [] })).toThrow(/empty member list/);
    expect(() =>
      field({ ...base, type: 'Struct', members: [members[0] as MemberDef, members[0] as MemberDef] }),
    ).toThrow(/member id twice/);
    expect(() =>
      field({ ...base, type: 'Struct', members: [{ column: 'bad', key: 'bad', type: 'String', items: 'String' }] }),
    ).toThrow(/x\.bad has an element type/);
    expect(() => field({ ...base, type: 'String', items: 'String' })).toThrow(/has an element type/);
  });
});
