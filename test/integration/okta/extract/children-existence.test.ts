/**
 * The existence listing of a relation scan (`deps.onExistingParents`): before the children, every parent that
 * matches the parent filter WITHOUT the window is listed, ids only, with the largest page Okta allows (groups:
 * 10,000), and reported page by page with `complete` on the last. Incremental GroupMember runs use it to tombstone
 * the pairs of groups deleted since the last run. It resumes from a continuation taken inside the listing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getObjectDef, recordKey } from '../../../../lambdas/okta/catalog/index.js';
import type { ObjectDef } from '../../../../lambdas/okta/catalog/types.js';
import { type Continuation, extractChildren } from '../../../../lambdas/okta/extract/index.js';
import { KeySet } from '../../../../lambdas/okta/extract/key-set.js';
import type { Filter } from '../../../../lambdas/okta/query/filter.js';
import type { OktaRecord } from '../../../../lambdas/okta/types.js';
import { DEFAULT_EPOCH_MS } from '../../../../sandbox/org/index.js';
import { collectPages, type Harness, startHarness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ users: 200, groups: 23 });
});
afterAll(async () => {
  await h?.close();
});

async function rawGroups(query = ''): Promise<OktaRecord[]> {
  const res = await fetch(`${h.sandbox.baseUrl}/api/v1/groups?limit=200${query}`, {
    headers: { authorization: `SSWS ${h.sandbox.apiToken}` },
  });
  return (await res.json()) as OktaRecord[];
}

/** A window no group's lastMembershipUpdated is in: the children scan lists no parent. */
const EMPTY_WINDOW = {
  from: new Date(DEFAULT_EPOCH_MS + 100 * 86_400_000).toISOString(),
  to: new Date(DEFAULT_EPOCH_MS + 101 * 86_400_000).toISOString(),
};

function withExistenceLimit(def: ObjectDef, limit: number): ObjectDef {
  const source = def.source;
  if (source?.kind !== 'children') throw new Error('not a relation');
  return { ...def, source: { ...source, existenceLimit: limit } };
}

describe('GroupMember existence listing', () => {
  it('lists every group id, whatever the window, in one request per 10,000 groups, before the children', async () => {
    const def = getObjectDef('GroupMember');
    const reports: { ids: readonly string[]; complete: boolean }[] = [];
    const listed: string[] = [];
    const before = h.sandbox.stats().requests;
    const pages = await collectPages(
      extractChildren(
        def,
        { window: EMPTY_WINDOW },
        {
          ...h.deps,
          onExistingParents: (ids, complete) => reports.push({ ids, complete }),
          onParents: (ids) => listed.push(...ids),
        },
      ),
    );
    const requests = h.sandbox.stats().requests - before;
    expect(pages.flatMap((p) => p.records)).toEqual([]);
    expect(listed).toEqual([]);
    expect(reports.map((r) => r.complete)).toEqual([true]);
    expect([...(reports[0]?.ids ?? [])].sort()).toEqual((await rawGroups()).map((g) => String(g.id)).sort());
    // one id page (limit=10000, no expand=stats) + one (empty) page of the windowed group scan
    expect(requests).toBe(2);
  });

  it('keeps the parent filter (not the window) on the id listing', async () => {
    const def = getObjectDef('GroupMember');
    const filter: Filter = { kind: 'compare', field: 'group_type', op: 'EQUAL_TO', value: 'OKTA_GROUP' };
    const ids: string[] = [];
    await collectPages(
      extractChildren(
        def,
        { filter, window: EMPTY_WINDOW },
        { ...h.deps, onExistingParents: (page) => ids.push(...page) },
      ),
    );
    const okta = (await rawGroups()).filter((g) => g.type === 'OKTA_GROUP').map((g) => String(g.id));
    expect(okta.length).toBeGreaterThan(0);
    expect(okta.length).toBeLessThan((await rawGroups()).length);
    expect(ids.sort()).toEqual(okta.sort());
  });

  it('resumes inside the id listing and then reads every pair once', async () => {
    const def = withExistenceLimit(getObjectDef('GroupMember'), 5);
    const all = (await collectPages(extractChildren(def, {}, h.deps))).flatMap((p) => p.records);
    const allKeys = all.map((r) => recordKey(def, r) as string).sort();
    const groups = (await rawGroups()).map((g) => String(g.id)).sort();
    for (const stopAfter of [1, 3, 5]) {
      const seen = new KeySet();
      const ids: string[] = [];
      const completes: boolean[] = [];
      const got: string[] = [];
      const deps = {
        ...h.deps,
        seen,
        onExistingParents: (page: readonly string[], complete: boolean) => {
          ids.push(...page);
          completes.push(complete);
        },
      };
      let resumeFrom: Continuation | null = null;
      let n = 0;
      for await (const page of extractChildren(def, {}, deps)) {
        got.push(...page.records.map((r) => recordKey(def, r) as string));
        resumeFrom = JSON.parse(JSON.stringify(page.continuation)) as Continuation | null;
        if (++n === stopAfter) break;
      }
      expect(resumeFrom, `stop after ${stopAfter}`).not.toBeNull();
      for await (const page of extractChildren(def, { resumeFrom }, deps)) {
        got.push(...page.records.map((r) => recordKey(def, r) as string));
      }
      expect(ids.sort(), `stop after ${stopAfter}`).toEqual(groups);
      expect(completes.filter((c) => c)).toEqual([true]);
      expect(got.sort(), `stop after ${stopAfter}`).toEqual(allKeys);
    }
  });
});
