/** Custom profile attributes discovered from the sandbox's user schema become typed, filterable, extractable columns. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getValue, userDef, withCustomUserAttributes } from '../../../../lambdas/okta/catalog/index.js';
import { extract } from '../../../../lambdas/okta/extract/index.js';
import type { Filter } from '../../../../lambdas/okta/query/filter.js';
import { collectPages, type Harness, idsOf, pageIds, sorted, startHarness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ users: 500 });
});
afterAll(async () => {
  await h?.close();
});

describe('custom user attributes', () => {
  it('are discovered with their types, extracted and filtered (push-down + residual)', async () => {
    const schema = await h.client.getJson('/api/v1/meta/schemas/user/default');
    const def = withCustomUserAttributes(userDef, schema);
    const custom = def.fields.filter((f) => f.custom);
    expect(Object.fromEntries(custom.map((f) => [f.column, f.type]))).toEqual({
      profile_clearance_level: 'Long',
      profile_fte_ratio: 'Double',
      profile_github_handle: 'String',
      profile_is_contractor: 'Boolean',
      profile_skills: 'List',
    });

    const filter: Filter = {
      kind: 'and',
      children: [
        { kind: 'compare', field: 'profile.clearanceLevel', op: 'GREATER_THAN_OR_EQUAL_TO', value: 2 },
        { kind: 'compare', field: 'profile_is_contractor', op: 'EQUAL_TO', value: false },
      ],
    };
    const truth = h.truth('users').filter((r) => {
      const p = r.profile as Record<string, unknown>;
      return typeof p.clearanceLevel === 'number' && p.clearanceLevel >= 2 && p.isContractor === false;
    });
    expect(truth.length).toBeGreaterThan(0);
    const fields = custom.map((f) => f.column);
    const pages = await collectPages(extract(def, { fields, filter, pageLimit: 25 }, h.deps));
    expect(sorted(pageIds(pages))).toEqual(sorted(idsOf(truth)));
    const byId = new Map(truth.map((r) => [String(r.id), r]));
    for (const record of pages.flatMap((p) => p.records)) {
      const original = byId.get(String(record.id)) ?? {};
      for (const f of custom) expect(getValue(record, f)).toEqual(getValue(original, f));
      // nothing but id and the custom attributes
      expect(Object.keys(record).sort()).toEqual(Object.keys(record).includes('profile') ? ['id', 'profile'] : ['id']);
    }
  });
});
