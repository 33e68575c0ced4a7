/**
 * Snapshot-diff delete detection for full flows: the first snapshot has no tombstones; groups deleted between two
 * full runs become tombstones (exactly those ids, source snapshot-diff) in `<Object>_deletes`, also when the run is
 * read one page per invocation; an unchanged org gives none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFlow } from '../../../../lambdas/flow/runner/run-flow.js';
import type { Sandbox } from '../../../../sandbox/index.js';
import { committedRuns, frozenSandbox, type Harness, harness, idsOf, testConfig } from './harness.js';

const FLOW = {
  name: 'groups-snap',
  object: 'Group',
  mode: 'full',
  deleteDetection: 'snapshot-diff',
  slicing: { count: 2, concurrency: 2 },
};
let sandbox: Sandbox;
let h: Harness;
beforeAll(async () => {
  sandbox = await frozenSandbox({ users: 1000, groups: 60 });
  h = harness(sandbox, testConfig([FLOW]));
});
afterAll(async () => {
  await sandbox.close();
  h.cleanup();
});

const tombstonesOf = async (runId: string) =>
  (await committedRuns(h.dir, 'Group_deletes')).find((r) => r.runId === runId)?.records ?? [];

describe('snapshot-diff deletes', () => {
  it('tombstones exactly the ids gone since the previous full snapshot', async () => {
    const deps = h.deps({ pageLimit: 10 });
    const first = await runFlow('groups-snap', { kind: 'schedule' }, deps);
    expect(await tombstonesOf(first.planned.run.runId)).toEqual([]);
    expect(first.completed.counts.deletes).toBe(0);
    const state = await h.state.getFlowState('groups-snap');
    expect(state?.state.snapshot?.count).toBe(60);

    const victims = [...sandbox.org.all('groups')]
      .filter((g) => g.type === 'OKTA_GROUP')
      .slice(3, 6)
      .map((g) => String(g.id));
    for (const id of victims) sandbox.admin.deleteGroup(id);
    sandbox.admin.createGroup({ profile: { name: 'Added later' } });
    sandbox.clock.advance(60_000);

    const second = await runFlow('groups-snap', { kind: 'schedule' }, h.deps({ pageLimit: 10 }), { taskBudgetMs: 0 });
    const tombstones = await tombstonesOf(second.planned.run.runId);
    expect(idsOf(tombstones)).toEqual([...victims].sort());
    for (const t of tombstones)
      expect(t).toMatchObject({ object: 'Group', source: 'snapshot-diff', deleted_at: second.planned.run.window.to });
    expect(second.completed.counts.deletes).toBe(3);
    const data = (await committedRuns(h.dir, 'Group')).find((r) => r.runId === second.planned.run.runId)?.records ?? [];
    expect(idsOf(data)).toEqual([...sandbox.org.all('groups')].map((g) => String(g.id)).sort());

    sandbox.clock.advance(60_000);
    const third = await runFlow('groups-snap', { kind: 'schedule' }, h.deps({ pageLimit: 25 }));
    expect(await tombstonesOf(third.planned.run.runId)).toEqual([]);
    expect((await h.state.getFlowState('groups-snap'))?.state.snapshot?.runId).toBe(third.planned.run.runId);
  });
});
