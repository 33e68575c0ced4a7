import { describe, expect, it } from 'vitest';
import { getObjectDef } from '../../../../lambdas/okta/catalog/index.js';
import {
  type Continuation,
  extract,
  extractSlices,
  planSlices,
  type SlicePage,
} from '../../../../lambdas/okta/extract/index.js';
import type { Filter } from '../../../../lambdas/okta/query/filter.js';
import { createFakeOkta, makeUsers, stubPlanner, T0 } from './fake-okta.js';

const users = getObjectDef('User');
const USERS = makeUsers(300);
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

function setup() {
  const api = createFakeOkta({ '/api/v1/users': USERS }, [users]);
  return { api, deps: { api, plan: stubPlanner() } };
}

const notSales: Filter = { kind: 'compare', field: 'department', op: 'NOT_EQUAL_TO', value: 'Sales' };

async function sequentialIds(request: Parameters<typeof extract>[1]): Promise<string[]> {
  const out: string[] = [];
  for await (const p of extract(users, request, setup().deps)) out.push(...p.records.map((r) => String(r.id)));
  return out;
}

describe('extractSlices', () => {
  it.each([
    ['created', 1],
    ['created', 3],
    ['last_updated', 2],
    ['last_updated', 5],
  ] as const)('union of %s slices at concurrency %i equals the sequential scan', async (field, concurrency) => {
    const window = { to: iso(T0 + 20 * DAY) };
    const request = { filter: notSales, window, pageLimit: 9 };
    const slices = planSlices(users, window, { field, count: 7, from: iso(T0), to: iso(T0 + 20 * DAY) });
    const { api, deps } = setup();
    const got: string[] = [];
    const perSlice = new Map<string, number>();
    for await (const page of extractSlices(users, request, slices, deps, { concurrency })) {
      got.push(...page.records.map((r) => String(r.id)));
      perSlice.set(page.slice.id, (perSlice.get(page.slice.id) ?? 0) + 1);
    }
    const sequential = await sequentialIds(request);
    expect(sequential.length).toBeGreaterThan(100);
    expect(new Set(got).size).toBe(got.length);
    expect([...got].sort()).toEqual([...sequential].sort());
    expect(api.maxOpen).toBeLessThanOrEqual(concurrency);
    if (concurrency > 1) expect(api.maxOpen).toBeGreaterThan(1);
    expect([...perSlice.keys()].sort()).toEqual(slices.map((s) => s.id).sort());
  });

  it('resumes each slice from its own continuation and skips finished ones', async () => {
    const request = { filter: notSales, pageLimit: 6 };
    const slices = [
      { id: 'early', field: 'created', to: iso(T0 + DAY) },
      { id: 'middle', field: 'created', from: iso(T0 + DAY), to: iso(T0 + 10 * DAY) },
      { id: 'late', field: 'created', from: iso(T0 + 10 * DAY) },
    ];
    const full = setup();
    for await (const _ of extractSlices(users, request, slices, full.deps, { concurrency: 2 })) {
      // count the pages of a complete run
    }
    const first = setup();
    const seen: string[] = [];
    const resume: Record<string, Continuation | null> = {};
    let consumed = 0;
    for await (const page of extractSlices(users, request, slices, first.deps, { concurrency: 2 })) {
      seen.push(...page.records.map((r) => String(r.id)));
      resume[page.slice.id] = JSON.parse(JSON.stringify(page.continuation));
      if (++consumed === 7) break; // the invocation's time budget ran out
    }
    expect(resume.early).toBeNull();
    expect(resume.middle).not.toBeNull();
    const second = setup();
    for await (const page of extractSlices(users, request, slices, second.deps, { concurrency: 3, resume })) {
      seen.push(...page.records.map((r) => String(r.id)));
    }
    const sequential = await sequentialIds(request);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual([...sequential].sort());
    // exactly the pages not consumed by the first invocation were fetched again; the finished slice not at all
    expect(second.api.fetched.length).toBe(full.api.fetched.length - consumed);
  });

  it('a failing slice stops the others and surfaces its error', async () => {
    const slices = planSlices(users, {}, { field: 'created', count: 4, from: iso(T0), to: iso(T0 + 25 * DAY) });
    const { api, deps } = setup();
    api.failOn((_p, i) => i === 5, new Error('E0000009 internal error'));
    const seen: SlicePage[] = [];
    await expect(
      (async () => {
        for await (const p of extractSlices(users, { pageLimit: 5 }, slices, deps, { concurrency: 4 })) seen.push(p);
      })(),
    ).rejects.toThrow('E0000009');
    await new Promise((r) => setTimeout(r, 20));
    const after = api.fetched.length;
    await new Promise((r) => setTimeout(r, 20));
    expect(api.fetched.length).toBe(after);
  });

  it('rejects duplicate slice ids and bad concurrency', async () => {
    const { deps } = setup();
    const s = { id: 'a', field: 'created' };
    const run = async (slices: (typeof s)[], concurrency: number) => {
      for await (const _ of extractSlices(users, {}, slices, deps, { concurrency })) {
        // drain
      }
    };
    await expect(run([s, s], 2)).rejects.toThrow(/unique/);
    await expect(run([s], 0)).rejects.toThrow(/concurrency/);
  });
});
