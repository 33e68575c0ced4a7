/**
 * Snapshot-diff under crashes: the second full run of a flow (after three groups were deleted) crashes at each point
 * and the step is retried with the same input, one page per invocation: the committed tombstones are exactly the
 * three ids, once, the data is exactly the live groups, and the next snapshot is this run's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFlow, SimulatedCrash } from '../../../../lambdas/flow/runner/run-flow.js';
import { CRASH_POINTS, type CrashPoint } from '../../../../lambdas/flow/runner/types.js';
import type { Sandbox } from '../../../../sandbox/index.js';
import {
  committedRuns,
  frozenSandbox,
  type Harness,
  harness,
  idsOf,
  runStepsRetryingCrashes,
  testConfig,
} from './harness.js';

const FLOW = {
  name: 'groups-snap',
  object: 'Group',
  mode: 'full',
  deleteDetection: 'snapshot-diff',
  slicing: { count: 2, concurrency: 2 },
};
let sandbox: Sandbox;
const hs: Harness[] = [];

beforeAll(async () => {
  // Each case deletes three groups of its own.
  sandbox = await frozenSandbox({ users: 1000, groups: 60 });
});
afterAll(async () => {
  await sandbox.close();
  for (const h of hs) h.cleanup();
});

describe('snapshot-diff with a crash at every step', () => {
  for (const point of CRASH_POINTS.filter((p) => p !== 'plan:after-lease')) {
    it(`${point}: tombstones and data exactly once after the retried step`, async () => {
      const h = harness(sandbox, testConfig([FLOW]));
      hs.push(h);
      sandbox.clock.advance(1000);
      const deps = h.deps({ pageLimit: 8, maxRecordsPerFile: 5 });
      const first = await runFlow(FLOW.name, { kind: 'schedule' }, deps);
      // Three groups of this case's first snapshot go away before the crashy second run.
      const victims = [...sandbox.org.all('groups')]
        .filter((g) => g.type === 'OKTA_GROUP')
        .slice(0, 3)
        .map((g) => String(g.id));
      expect(victims).toHaveLength(3);
      for (const id of victims) sandbox.admin.deleteGroup(id);
      sandbox.clock.advance(1000);
      let seen = 0;
      const crash = (at: CrashPoint) => {
        if (at === point && ++seen === (point === 'extract:after-page' ? 2 : 1)) throw new SimulatedCrash(point);
      };
      await runStepsRetryingCrashes(
        FLOW.name,
        `20260103T000000Z-${point.replace(/[^a-z]/g, '').slice(0, 20)}`,
        h.deps({ pageLimit: 8, maxRecordsPerFile: 5, crash }),
        h.deps({ pageLimit: 8, maxRecordsPerFile: 5 }),
      );
      expect(seen).toBeGreaterThan(0);
      const tombstones = (await committedRuns(h.dir, 'Group_deletes')).flatMap((r) => r.records);
      expect(idsOf(tombstones)).toEqual([...victims].sort());
      const runs = await committedRuns(h.dir, 'Group');
      const second = runs.find((r) => r.runId !== first.planned.run.runId);
      expect(idsOf(second?.records ?? [])).toEqual([...sandbox.org.all('groups')].map((g) => String(g.id)).sort());
      expect((await h.state.getFlowState(FLOW.name))?.state.snapshot?.runId).toBe(second?.runId);
    });
  }
});
