import { describe, expect, it } from 'vitest';
import { listObjectDefs } from '../../../lambdas/okta/catalog/index.js';
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

  for (const def of listObjectDefs()) {
    it(`${def.name}: the unfiltered and filtered list URLs validate against the spec`, () => {
      for (const filter of [null, since, byId]) {
        const path = planQuery(def, filter).path;
        expect({ path, result: validateRequest('GET', path) }).toEqual({ path, result: { ok: true } });
      }
    });
  }
});
