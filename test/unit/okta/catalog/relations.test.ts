/**
 * The relation catalog entries: composite keys led by the parent id, parent columns that exist on the parent object,
 * the per-parent snapshot list matching the relations with a cursor, `describe` stating the cost, the parent filter
 * split (superset: only terms about parents alone), and the per-parent snapshot diff.
 */
import { describe, expect, it } from 'vitest';
import { describeObject, describeText } from '../../../../bin/commands/describe.js';
import { perParentDiff } from '../../../../lambdas/flow/deletes/snapshot-diff.js';
import { getObjectDef, listObjectDefs, resolveField } from '../../../../lambdas/okta/catalog/index.js';
import { PER_PARENT_SNAPSHOT_OBJECTS } from '../../../../lambdas/okta/catalog/types.js';
import { namedParentIds, namesParents, parentFilter } from '../../../../lambdas/okta/extract/index.js';

const relations = listObjectDefs().filter((d) => d.source?.kind === 'children');

describe('relation catalog', () => {
  it('has the six relations', () => {
    expect(relations.map((d) => d.name)).toEqual([
      'GroupMember',
      'ApplicationUser',
      'ApplicationGroup',
      'DeviceUser',
      'UserRole',
      'UserFactor',
    ]);
  });

  it.each(relations.map((d) => [d.name, d] as const))(
    '%s: parent columns exist on the parent; key leads with the parent id',
    (_n, def) => {
      const source = def.source?.kind === 'children' ? def.source : undefined;
      if (source === undefined) throw new Error('not a relation');
      const parent = getObjectDef(source.parent);
      for (const [child, column] of Object.entries(source.parentFields)) {
        expect(resolveField(def, child)?.path[0], child).toBe('_parent');
        expect(resolveField(parent, column), `${source.parent}.${column}`).toBeDefined();
      }
      expect(source.parentFields[def.primaryKey[0] as string]).toBe('id');
      expect(def.primaryKey).toHaveLength(2);
    },
  );

  it('never has a credential secret column on ApplicationUser', () => {
    const paths = getObjectDef('ApplicationUser').fields.map((f) => f.path.join('.'));
    expect(paths.filter((p) => p.startsWith('credentials'))).toEqual(['credentials.userName']);
  });

  it('per-parent snapshot objects are exactly the relations with a cursor', () => {
    expect(relations.filter((d) => d.cursorField !== null).map((d) => d.name)).toEqual([
      ...PER_PARENT_SNAPSHOT_OBJECTS,
    ]);
  });

  it('describe states the cost and the opt-in', () => {
    const text = describeText(describeObject('UserFactor'));
    expect(text).toContain('Cost in requests: user pages + ONE request per user');
    expect(text).toContain('"perUserRequests": true');
    expect(describeText(describeObject('GroupMember'))).toContain('group_id, group_type, group_name');
    expect(describeObject('User').relation).toBeUndefined();
  });
});

describe('parent filter split', () => {
  const source = getObjectDef('GroupMember').source;
  if (source?.kind !== 'children') throw new Error('not a relation');
  it('keeps only terms about the parent alone, renamed to parent columns', () => {
    expect(
      parentFilter(source, {
        kind: 'and',
        children: [
          { kind: 'compare', field: 'group_type', op: 'EQUAL_TO', value: 'OKTA_GROUP' },
          { kind: 'compare', field: 'status', op: 'EQUAL_TO', value: 'ACTIVE' },
          {
            kind: 'or',
            children: [
              { kind: 'compare', field: 'group_id', op: 'EQUAL_TO', value: 'g1' },
              { kind: 'compare', field: 'login', op: 'EQUAL_TO', value: 'x' },
            ],
          },
        ],
      }),
    ).toEqual({ kind: 'compare', field: 'type', op: 'EQUAL_TO', value: 'OKTA_GROUP' });
    expect(parentFilter(source, { kind: 'compare', field: 'status', op: 'EQUAL_TO', value: 'ACTIVE' })).toBeNull();
  });

  it('names parent ids only when the filter says nothing else', () => {
    expect(namedParentIds({ kind: 'in', field: 'id', values: ['a', 'b', 'a'] })).toEqual(['a', 'b']);
    expect(namedParentIds({ kind: 'compare', field: 'id', op: 'EQUAL_TO', value: 'a' })).toEqual(['a']);
    expect(namedParentIds({ kind: 'compare', field: 'id', op: 'NOT_EQUAL_TO', value: 'a' })).toBeNull();
    expect(namesParents({ kind: 'compare', field: 'status', op: 'EQUAL_TO', value: 'ACTIVE' })).toBe(true);
    expect(namesParents({ kind: 'compare', field: 'status', op: 'NOT_EQUAL_TO', value: 'ACTIVE' })).toBe(false);
  });
});

describe('per-parent snapshot diff', () => {
  const k = (g: string, u: string) => JSON.stringify([g, u]);
  it('tombstones only pairs of listed parents; keeps the others in the next snapshot', () => {
    const previous = [k('g1', 'u1'), k('g1', 'u2'), k('g2', 'u1'), k('g3', 'u9')];
    const current = new Set([k('g1', 'u2'), k('g1', 'u3')]);
    const { gone, next } = perParentDiff(previous, current, new Set(['g1', 'g3']));
    expect(gone).toEqual([k('g1', 'u1'), k('g3', 'u9')]);
    expect(next).toEqual([k('g1', 'u2'), k('g1', 'u3'), k('g2', 'u1')].sort());
  });

  it('with the existing parents known, also tombstones the pairs of parents that vanished', () => {
    const previous = [k('g1', 'u1'), k('g2', 'u1'), k('g2', 'u2'), k('g3', 'u9')];
    const current = new Set([k('g1', 'u1')]);
    // g1 re-read, g2 deleted (not listed, not existing), g3 unchanged (exists, not listed)
    const { gone, next } = perParentDiff(previous, current, new Set(['g1']), new Set(['g1', 'g3']));
    expect(gone).toEqual([k('g2', 'u1'), k('g2', 'u2')]);
    expect(next).toEqual([k('g1', 'u1'), k('g3', 'u9')].sort());
  });
});
