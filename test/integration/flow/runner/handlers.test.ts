/**
 * The four Lambda handlers driven by hand like the state machine (test/integration/state-machine/ runs the real
 * definition): PlanRun with the console input → Map over lanes with ExtractStep looping on `done` (events
 * round-tripped through JSON, as Step Functions does, and kept far under its 256 KiB payload limit) → CommitRun with
 * just the run; and FailRun from a Catch (`{Error, Cause}`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunCompletedDetail } from '../../../../lambdas/flow/events.js';
import type { LaneStepResult } from '../../../../lambdas/flow/runner/run-lane.js';
import type { ExtractStepResult } from '../../../../lambdas/flow/runner/types.js';
import { createCommitRunHandler } from '../../../../lambdas/handlers/commit-run.js';
import { createExtractStepHandler } from '../../../../lambdas/handlers/extract-step.js';
import { createFailRunHandler } from '../../../../lambdas/handlers/fail-run.js';
import { createPlanRunHandler } from '../../../../lambdas/handlers/plan-run.js';
import type { Sandbox } from '../../../../sandbox/index.js';
import { committedRuns, frozenSandbox, type Harness, harness, idsOf, testConfig } from './harness.js';

const FLOW = { name: 'groups-full', object: 'Group', mode: 'full', slicing: { count: 2, concurrency: 2 } };
let sandbox: Sandbox;
let h: Harness;
beforeAll(async () => {
  sandbox = await frozenSandbox({ users: 2000, groups: 120 });
  h = harness(sandbox, testConfig([FLOW]));
});
afterAll(async () => {
  await sandbox.close();
  h.cleanup();
});

/** What Step Functions does to every payload: JSON in, JSON out, size-limited. */
function wire<T>(value: T): T {
  const text = JSON.stringify(value);
  expect(text.length).toBeLessThan(256 * 1024);
  return JSON.parse(text) as T;
}

describe('Lambda handlers as the state machine calls them', () => {
  it('plan → lanes (looping on done, 1 ms left each time) → commit {run}; the run documents are then gone', async () => {
    const deps = h.deps({ pageLimit: 10 });
    const plan = createPlanRunHandler(() => deps);
    const extract = createExtractStepHandler(() => deps);
    const commit = createCommitRunHandler(() => deps);
    const planned = wire(await plan({ flow: 'groups-full' }));
    expect(planned).toMatchObject({ lanes: [0, 1], taskCount: 2 });
    let invocations = 0;
    for (const lane of planned.lanes) {
      let step: unknown = wire({ run: planned.run, lane });
      for (;;) {
        // Almost no time left: each invocation reads one page, then hands over.
        const out = wire((await extract(step, { getRemainingTimeInMillis: () => 1 })) as LaneStepResult);
        invocations += 1;
        expect(out.lane).toBe(lane);
        if (out.done) break;
        step = out;
      }
    }
    expect(invocations).toBeGreaterThan(2);
    const completed = wire(await commit({ run: planned.run })) as RunCompletedDetail;
    const groups = [...sandbox.org.all('groups')].map((g) => String(g.id)).sort();
    expect(completed.counts.records).toBe(groups.length);
    const runs = await committedRuns(h.dir, 'Group');
    expect(idsOf(runs.flatMap((r) => r.records))).toEqual(groups);
    expect(deps.events.events.map((e) => e.kind)).toEqual(['started', 'completed']);
    const runKeys = h.state.memory.keys().filter((k) => k.includes(`/runs/${planned.run.runId}/`));
    expect(runKeys).toEqual([]);
  });

  it('one task by hand: {run, task, continuation} → {run, task, continuation, done}', async () => {
    const deps = h.deps({ pageLimit: 1000 });
    const planned = await createPlanRunHandler(() => deps)({ flow: 'groups-full', fullResync: true });
    const stored = await h.state.getRunDocument({ flow: 'groups-full', runId: planned.run.runId, name: 'tasks' });
    // The last slice (created on or after the middle of 2009…now) holds the sandbox's groups.
    const task = (stored as { tasks: ExtractStepResult['task'][] }).tasks.at(-1);
    const out = (await createExtractStepHandler(() => deps)({
      run: planned.run,
      task,
      continuation: null,
    })) as ExtractStepResult;
    expect(out).toMatchObject({ task, done: true });
    expect(out.continuation.counts.records).toBeGreaterThan(0);
    await createFailRunHandler(() => deps)({ run: planned.run, error: { Error: 'Test', Cause: 'by hand' } });
  });

  it('FailRun from a Catch: files removed, lease released, watermark untouched, Run Failed emitted', async () => {
    const deps = h.deps({ pageLimit: 10 });
    const before = await h.state.getFlowState('groups-full');
    const planned = await createPlanRunHandler(() => deps)({ flow: 'groups-full', fullResync: true });
    await createExtractStepHandler(() => deps)({ run: planned.run, lane: 0 }, { getRemainingTimeInMillis: () => 1 });
    const runKeys = () => h.state.memory.keys().filter((k) => k.includes(`/runs/${planned.run.runId}/`));
    expect(runKeys().some((k) => k.includes('/checkpoints/'))).toBe(true);
    // No task list in the event: FailRun reads it from the state store to drop every checkpoint.
    const outcome = await createFailRunHandler(() => deps)({
      run: planned.run,
      input: { flow: 'groups-full', fullResync: true },
      error: {
        Error: 'OktaApiError',
        Cause: JSON.stringify({ errorType: 'OktaApiError', errorMessage: 'Okta answered 500' }),
      },
    });
    expect(outcome.status).toBe('failed');
    expect(outcome.detail?.error).toEqual({ name: 'OktaApiError', message: 'Okta answered 500' });
    expect((await committedRuns(h.dir, 'Group')).map((r) => r.runId)).not.toContain(planned.run.runId);
    expect((await h.state.getLease('groups-full'))?.released).toBe(true);
    expect((await h.state.getFlowState('groups-full'))?.state.watermark).toBe(before?.state.watermark);
    expect(deps.events.ofKind('failed').map((e) => e.runId)).toEqual([planned.run.runId]);
    expect(deps.metrics.get('groups-full', 'failures')).toBe(1);
    expect(runKeys()).toEqual([]);
  });
});
