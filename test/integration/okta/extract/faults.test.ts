/**
 * Extraction through a flaky org: 5xx, resets, truncated bodies, 429s and lost Link headers. Outcome: every record
 * exactly once, or a clear error — never a silent partial result.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { getObjectDef } from '../../../../lambdas/okta/catalog/index.js';
import { extract, extractSlices, planSlices } from '../../../../lambdas/okta/extract/index.js';
import type { FaultRule } from '../../../../sandbox/index.js';
import { collectPages, type Harness, idsOf, pageIds, sorted, startHarness } from './harness.js';

const users = getObjectDef('User');
const FAST_RETRIES = { backoff: { baseMs: 1, capMs: 5 }, maxRetries: 8, random: () => 0.5 };
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function harnessWith(faults: FaultRule[]): Promise<Harness> {
  h = await startHarness({ users: 400, faults }, FAST_RETRIES);
  return h;
}

describe('extraction under faults', () => {
  it.each([
    ['500s', { kind: 'status', status: 500 }],
    ['503s', { kind: 'status', status: 503 }],
    ['connection resets', { kind: 'reset' }],
    ['truncated bodies', { kind: 'truncate' }],
  ] as const)('survives %s on a quarter of the pages (sequential and sliced)', async (_name, fault) => {
    const harness = await harnessWith([{ pathPrefix: '/api/v1/users', probability: 0.25, fault }]);
    const want = sorted(idsOf(harness.truth('users')));
    const sequential = await collectPages(extract(users, { pageLimit: 20 }, harness.deps));
    expect(sorted(pageIds(sequential))).toEqual(want);
    const slices = planSlices(
      users,
      {},
      {
        field: 'created',
        count: 4,
        from: '2021-01-01T00:00:00.000Z',
        to: '2026-01-01T00:00:00.000Z',
      },
    );
    const sliced: string[] = [];
    for await (const page of extractSlices(users, { pageLimit: 20 }, slices, harness.deps, { concurrency: 3 })) {
      sliced.push(...idsOf(page.records));
    }
    expect(sliced.length).toBe(want.length);
    expect(sorted(sliced)).toEqual(want);
    expect(harness.sandbox.stats().faultsFired).toBeGreaterThan(5);
  });

  it('stays within a tight rate limit: sliced scans share one governor', async () => {
    const ms = Date.UTC(2026, 0, 1, 1);
    h = await startHarness(
      { users: 400, rateLimits: { limits: { users: 40 }, windowMs: 1000 }, clock: { startMs: ms, running: true } },
      { ...FAST_RETRIES, rateLimitWindowMs: 1000 },
    );
    const want = sorted(idsOf(h.truth('users')));
    const slices = planSlices(
      users,
      {},
      {
        field: 'created',
        count: 4,
        from: '2021-01-01T00:00:00.000Z',
        to: '2026-01-01T00:00:00.000Z',
      },
    );
    const got: string[] = [];
    for await (const page of extractSlices(users, { pageLimit: 25 }, slices, h.deps, { concurrency: 4 })) {
      got.push(...idsOf(page.records));
    }
    expect(sorted(got)).toEqual(want);
    expect(h.sandbox.stats().requests).toBeGreaterThan(16);
    // paced under the advertised limit from the first response on: Okta never had to say no
    expect(h.sandbox.stats().rateLimited).toBe(0);
  });

  it('a Link loop ends in a clear pagination error, not a partial result', async () => {
    const harness = await harnessWith([{ pathPrefix: '/api/v1/users', nth: 3, fault: { kind: 'linkLoop' } }]);
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const page of extract(users, { pageLimit: 20 }, harness.deps)) seen.push(...idsOf(page.records));
      })(),
    ).rejects.toThrow(/loop|repeat|same/i);
    expect(seen.length).toBeLessThan(harness.truth('users').length);
  });

  it('a 404 from Okta surfaces as the client error with its status', async () => {
    const harness = await harnessWith([
      { pathPrefix: '/api/v1/groups', nth: 2, fault: { kind: 'status', status: 404 } },
    ]);
    const groups = getObjectDef('Group');
    await expect(collectPages(extract(groups, { pageLimit: 2 }, harness.deps))).rejects.toMatchObject({ status: 404 });
  });
});
