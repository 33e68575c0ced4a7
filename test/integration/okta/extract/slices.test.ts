/** Time-sliced parallel scans against the sandbox: the union of slices equals the sequential scan, each id once. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getObjectDef } from '../../../../lambdas/okta/catalog/index.js';
import { extract, extractSlices, planSlices } from '../../../../lambdas/okta/extract/index.js';
import type { Filter } from '../../../../lambdas/okta/query/filter.js';
import type { TimeWindow } from '../../../../lambdas/okta/types.js';
import { DEFAULT_EPOCH_MS } from '../../../../sandbox/org/index.js';
import { collectPages, type Harness, pageIds, sorted, startHarness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ users: 2000 });
});
afterAll(async () => {
  await h?.close();
});

const iso = (ms: number) => new Date(ms).toISOString();
const YEAR = 365 * 86_400_000;
const SPAN = { from: iso(DEFAULT_EPOCH_MS - 5 * YEAR), to: iso(DEFAULT_EPOCH_MS) };

interface Case {
  readonly object: string;
  readonly field: string;
  readonly count: number;
  readonly concurrency: number;
  readonly window?: TimeWindow;
  readonly filter?: Filter;
}

const CASES: Case[] = [
  { object: 'User', field: 'created', count: 8, concurrency: 4 },
  { object: 'User', field: 'created', count: 3, concurrency: 1 },
  {
    object: 'User',
    field: 'last_updated',
    count: 6,
    concurrency: 3,
    window: { from: '2024-06-01T00:00:00.000Z', to: iso(DEFAULT_EPOCH_MS) },
  },
  {
    object: 'User',
    field: 'created',
    count: 5,
    concurrency: 5,
    filter: { kind: 'compare', field: 'department', op: 'NOT_EQUAL_TO', value: 'Sales' },
  },
  { object: 'Group', field: 'created', count: 4, concurrency: 2 },
  { object: 'Group', field: 'last_updated', count: 4, concurrency: 4, window: { from: '2023-01-01T00:00:00.000Z' } },
  { object: 'Device', field: 'last_updated', count: 5, concurrency: 3 },
];

describe.each(CASES)('$object sliced on $field ×$count (concurrency $concurrency)', (c) => {
  const def = getObjectDef(c.object);
  it('equals the sequential scan', async () => {
    const request = { pageLimit: 60, ...(c.window && { window: c.window }), ...(c.filter && { filter: c.filter }) };
    const sequential = pageIds(await collectPages(extract(def, request, h.deps)));
    expect(sequential.length).toBeGreaterThan(10);
    // Cut the window itself when slicing on its column, else the span where the org's records lie.
    const onWindow = c.window !== undefined && c.field === 'last_updated';
    const span = { from: (onWindow && c.window?.from) || SPAN.from, to: (onWindow && c.window?.to) || SPAN.to };
    const slices = planSlices(def, c.window, { field: c.field, count: c.count, ...span });
    expect(slices.length).toBe(c.count);
    const got: string[] = [];
    const slicesSeen = new Set<string>();
    for await (const page of extractSlices(def, request, slices, h.deps, { concurrency: c.concurrency })) {
      got.push(...pageIds([page]));
      if (page.records.length > 0) slicesSeen.add(page.slice.id);
    }
    expect(new Set(got).size).toBe(got.length);
    expect(sorted(got)).toEqual(sorted(sequential));
    // the slices really split the work
    expect(slicesSeen.size).toBeGreaterThan(1);
  });
});
