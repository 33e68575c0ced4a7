import { describe, expect, it } from 'vitest';
import { getObjectDef, listObjectDefs } from '../../../lambdas/okta/catalog/index.js';
import { childListPath, parentPlan } from '../../../lambdas/okta/extract/index.js';
import { logStreamStartPath } from '../../../lambdas/okta/extract/log-stream.js';
import type { Filter } from '../../../lambdas/okta/query/filter.js';
import { planQuery } from '../../../lambdas/okta/query/plan.js';
import { validateRequest } from '../../contract/openapi-contract.js';

/** The list requests okta-flow's planner sends must use only parameters (and values) Okta's spec declares. */
describe('planned Okta list requests', () => {
  const since: Filter = {
    kind: 'compare',
    field: 'last_updated',
    op: 'GREATER_THAN',
    value: '2026-01-01T00:00:00.000Z',
  };
  const byId: Filter = { kind: 'compare', field: 'id', op: 'EQUAL_TO', value: 'x00000000000000000000' };

  for (const def of listObjectDefs().filter((d) => d.source?.kind !== 'children' && d.source?.kind !== 'stream')) {
    it(`${def.name}: the unfiltered and filtered list URLs validate against the spec`, () => {
      for (const filter of [null, since, byId]) {
        const path = planQuery(def, filter).path;
        expect({ path, result: validateRequest('GET', path) }).toEqual({ path, result: { ok: true } });
      }
    });
  }

  // Relations: the parent listing (with the relation's extra parameters) and each child listing.
  for (const def of listObjectDefs()) {
    const source = def.source?.kind === 'children' ? def.source : undefined;
    if (source === undefined) continue;
    it(`${def.name}: the parent and child list URLs validate against the spec`, () => {
      const parent = getObjectDef(source.parent);
      const paths = [childListPath(source, 'x00000000000000000000')];
      if (source.parentList === undefined) paths.push(parentPlan(source, planQuery)(parent, null, {}).path);
      for (const path of paths) {
        expect({ path, result: validateRequest('GET', path) }).toEqual({ path, result: { ok: true } });
      }
    });
  }
  it("LogEvent: the stream's polling requests (since, ascending, limit 1000, pushed filter) validate against the spec", () => {
    const def = listObjectDefs().find((d) => d.name === 'LogEvent');
    if (def === undefined) throw new Error('no LogEvent in the catalog');
    const eventType: Filter = { kind: 'compare', field: 'event_type', op: 'EQUAL_TO', value: 'user.session.start' };
    const target: Filter = { kind: 'contains', field: 'target_id', value: '00u1' };
    for (const filter of [null, eventType, target, { kind: 'and', children: [eventType, target] } as Filter]) {
      const { path } = logStreamStartPath(def, filter, '2026-01-01T00:00:00.000Z', { plan: planQuery });
      expect(path).not.toContain('until');
      expect({ path, result: validateRequest('GET', path) }).toEqual({ path, result: { ok: true } });
    }
  });
});
