/**
 * Two runs of one flow at once: exactly one commits, the other fails fast naming the holder, and the failed one
 * leaves the winner's lease alone. Resume across invocations: a zero time budget makes every extract invocation read
 * one page and hand a continuation to the next; the output equals an uninterrupted run's, and the continuations that
 * travel between invocations stay small.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFlow } from '../../../../lambdas/flow/runner/run-flow.js';
import { LeaseHeldError } from '../../../../lambdas/flow/state/errors.js';
import type { StateStore } from '../../../../lambdas/flow/state/state-store.js';
import type { Sandbox } from '../../../../sandbox/index.js';
import { committedRuns, frozenSandbox, type Harness, harness, idsOf, testConfig } from './harness.js';

const FULL = { name: 'users-full', object: 'User', mode: 'full', slicing: { count: 2, concurrency: 2 } };

let sandbox: Sandbox;
const hs: Harness[] = [];
beforeAll(async () => {
  sandbox = await frozenSandbox({ users: 250 });
});
afterAll(async () => {
  await sandbox.close();
  for (const h of hs) h.cleanup();
});
const fresh = () => {
  const h = harness(sandbox, testConfig([FULL]));
  hs.push(h);
  return h;
};
const allIds = () => [...sandbox.org.all('users')].map((u) => String(u.id)).sort();

describe('concurrent runs of one flow', () => {
  it('one commits; the other fails fast with a message naming the holder, and emits Run Failed', async () => {
    const h = fresh();
    const deps = h.deps({ pageLimit: 50 });
    const outcomes = await Promise.allSettled([
      runFlow('users-full', { kind: 'manual', runId: '20260102T000000Z-aaaaaa' }, deps),
      runFlow('users-full', { kind: 'manual', runId: '20260102T000000Z-bbbbbb' }, deps),
    ]);
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const winner = won[0]?.status === 'fulfilled' ? won[0].value.planned.run.runId : '';
    const error = lost[0]?.reason as LeaseHeldError;
    expect(error).toBeInstanceOf(LeaseHeldError);
    expect(error.message).toContain(`Flow "users-full" is already running: run ${winner} holds its lease`);
    const runs = await committedRuns(h.dir, 'User');
    expect(runs.map((r) => r.runId)).toEqual([winner]);
    expect(idsOf(runs[0]?.records ?? [])).toEqual(allIds());
    expect(deps.events.ofKind('failed').map((e) => e.error.name)).toEqual(['LeaseHeldError']);
    expect(deps.events.ofKind('completed').map((e) => e.runId)).toEqual([winner]);
    expect((await h.state.getLease('users-full'))?.released).toBe(true);
  });

  it('a run that lost its lease mid-run cannot commit (LeaseLostError), and the new holder is untouched', async () => {
    const h = fresh();
    let steal: Promise<unknown> | null = null;
    const store = h.state;
    // The state as the first run sees it: every lease read waits for the takeover to have landed.
    const state: StateStore = {
      getFlowState: (f) => store.getFlowState(f),
      putFlowState: (f, s, v) => store.putFlowState(f, s, v),
      acquireLease: (f, r, t, n, by) => store.acquireLease(f, r, t, n, by),
      renewLease: (l, t, n) => store.renewLease(l, t, n),
      releaseLease: (l, n) => store.releaseLease(l, n),
      getLease: async (f) => {
        await steal;
        return store.getLease(f);
      },
      putCheckpoint: (r, c, v) => store.putCheckpoint(r, c, v),
      getCheckpoint: (r) => store.getCheckpoint(r),
      deleteCheckpoint: (r) => store.deleteCheckpoint(r),
      getDocument: (k) => store.getDocument(k),
      putDocument: (k, b, v) => store.putDocument(k, b, v),
      putRunDocument: (r, d) => store.putRunDocument(r, d),
      getRunDocument: (r) => store.getRunDocument(r),
      deleteRunDocument: (r) => store.deleteRunDocument(r),
    };
    const deps = h.deps({
      pageLimit: 50,
      leaseTtlMs: 10_000,
      state,
      onProgress: () => {
        if (steal !== null) return;
        // The first run stalls past its lease; another run takes the flow over.
        sandbox.clock.advance(11_000);
        steal = store.acquireLease('users-full', '20260102T000000Z-thief1', 60_000, sandbox.clock.now());
      },
    });
    await expect(runFlow('users-full', { kind: 'manual' }, deps)).rejects.toThrow(/no longer holds the flow's lease/);
    expect(await committedRuns(h.dir, 'User')).toEqual([]);
    const lease = await h.state.getLease('users-full');
    expect(lease?.runId).toBe('20260102T000000Z-thief1');
    expect(lease?.released).toBe(false);
    expect((await h.state.getFlowState('users-full'))?.state.watermark ?? null).toBeNull();
  });
});

describe('resume across invocations', () => {
  it('a zero time budget (one page per invocation) gives the same output as one long invocation', async () => {
    const once = fresh();
    await runFlow('users-full', { kind: 'manual' }, once.deps({ pageLimit: 20 }));
    const many = fresh();
    const result = await runFlow('users-full', { kind: 'manual' }, many.deps({ pageLimit: 20 }), { taskBudgetMs: 0 });
    const invocations = result.results.map((r) => r.continuation.invocations);
    expect(invocations.reduce((a, b) => a + b, 0)).toBeGreaterThan(10);
    for (const r of result.results) expect(r.continuation.invocations).toBe(r.continuation.counts.pages);
    const a = (await committedRuns(once.dir, 'User')).flatMap((r) => r.records);
    const b = (await committedRuns(many.dir, 'User')).flatMap((r) => r.records);
    expect(idsOf(b)).toEqual(allIds());
    expect(b.sort((x, y) => String(x.id).localeCompare(String(y.id)))).toEqual(
      a.sort((x, y) => String(x.id).localeCompare(String(y.id))),
    );
    // Each invocation finished a file; the manifest lists all of them, in key order.
    const manifest = (await committedRuns(many.dir, 'User'))[0]?.manifest;
    expect(manifest?.files.length).toBeGreaterThan(10);
    expect(manifest?.totals.records).toBe(allIds().length);
    for (const r of result.results) expect(JSON.stringify(r).length).toBeLessThan(4096);
  });
});

describe('parallel tasks of one run share its lease', () => {
  it('8 tasks at once, one page per invocation, a short lease renewed under contention on local-file state', async () => {
    const { LocalFileStateStore } = await import('../../../../lambdas/flow/state/local-file-state-store.js');
    const h = harness(sandbox, testConfig([{ ...FULL, slicing: { count: 8, concurrency: 8 } }]));
    hs.push(h);
    const state = new LocalFileStateStore({ dir: h.dir });
    // Wall-clock time and a 400 ms lease: almost every step has to renew, while seven siblings do the same.
    const deps = h.deps({ pageLimit: 10, state, clock: Date.now, leaseTtlMs: 400 });
    const result = await runFlow('users-full', { kind: 'manual' }, deps, { taskBudgetMs: 0 });
    expect(result.planned.tasks).toHaveLength(8);
    const runs = await committedRuns(h.dir, 'User');
    expect(idsOf(runs.flatMap((r) => r.records))).toEqual(allIds());
    expect((await state.getLease('users-full'))?.released).toBe(true);
  });
});

describe('rate-limit share across parallel tasks', () => {
  it("plans the run's task concurrency, gives each task's client that divisor, and never runs more tasks at once", async () => {
    const h = harness(sandbox, testConfig([{ ...FULL, slicing: { count: 8, concurrency: 3 } }]));
    hs.push(h);
    const base = h.deps({ pageLimit: 20 });
    const divisors: number[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const deps = {
      ...base,
      createOktaApi: async (...args: Parameters<typeof base.createOktaApi>) => {
        divisors.push(args[1].concurrentTasks);
        const api = await base.createOktaApi(...args);
        // A task's client lives for one extract invocation: count invocations overlapping in time.
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        setTimeout(() => {
          inFlight -= 1;
        }, 0);
        return api;
      },
    };
    const { planned } = await runFlow('users-full', { kind: 'manual' }, deps, { concurrency: 10 });
    expect(planned.tasks).toHaveLength(8);
    expect(planned.run.concurrency).toBe(3);
    // PlanRun reads the user schemas alone, before any task starts: its client has the whole share.
    expect(divisors[0]).toBe(1);
    expect(divisors.length).toBeGreaterThanOrEqual(9);
    expect(new Set(divisors.slice(1))).toEqual(new Set([3]));
    expect(maxInFlight).toBeLessThanOrEqual(3);
  });
});
