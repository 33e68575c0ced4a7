/**
 * The four Lambda handlers driven like the state machine: PlanRun with the console input → Map over tasks with
 * ExtractStep looping on `done` (events round-tripped through JSON, as Step Functions does, and kept far under its
 * 256 KB payload limit) → CommitRun with the Map's results; and FailRun from a Catch (`{Error, Cause}`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunCompletedDetail } from '../../../../lambdas/flow/events.js';
import type { ExtractStepResult, PlannedRun } from '../../../../lambdas/flow/runner/types.js';
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
  it('plan → extract (looping on done, 1 ms left each time) → commit', async () => {
    const deps = h.deps({ pageLimit: 10 });
    const plan = createPlanRunHandler(() => deps);
    const extract = createExtractStepHandler(() => deps);
    const commit = createCommitRunHandler(() => deps);
    const planned = wire(await plan({ flow: 'groups-full' })) as PlannedRun;
    expect(planned.tasks.map((t) => t.taskId)).toEqual(['t00', 't01']);
    const results: ExtractStepResult[] = [];
    for (const task of planned.tasks) {
      let step = wire({ run: planned.run, task, continuation: null }) as {
        run: PlannedRun['run'];
        task: typeof task;
        continuation: ExtractStepResult['continuation'] | null;
      };
      for (;;) {
        // Almost no time left: each invocation reads one page, then hands over.
        const out = wire(await extract(step, { getRemainingTimeInMillis: () => 1 }));
        if (out.done) {
          results.push(out);
          break;
        }
        step = { run: out.run, task: out.task, continuation: out.continuation };
      }
    }
    expect(results.reduce((n, r) => n + r.continuation.invocations, 0)).toBeGreaterThan(2);
    const completed = wire(await commit({ run: planned.run, results })) as RunCompletedDetail;
    const groups = [...sandbox.org.all('groups')].map((g) => String(g.id)).sort();
    expect(completed.counts.records).toBe(groups.length);
    const runs = await committedRuns(h.dir, 'Group');
    expect(idsOf(runs.flatMap((r) => r.records))).toEqual(groups);
    expect(deps.events.events.map((e) => e.kind)).toEqual(['started', 'completed']);
  });

  it('FailRun from a Catch: files removed, lease released, watermark untouched, Run Failed emitted', async () => {
    const deps = h.deps({ pageLimit: 10 });
    const before = await h.state.getFlowState('groups-full');
    const planned = (await createPlanRunHandler(() => deps)({ flow: 'groups-full', fullResync: true })) as PlannedRun;
    const task = planned.tasks[0];
    await createExtractStepHandler(() => deps)({ run: planned.run, task, continuation: null });
    const outcome = await createFailRunHandler(() => deps)({
      run: planned.run,
      input: { flow: 'groups-full', fullResync: true },
      tasks: planned.tasks,
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
  });
});
