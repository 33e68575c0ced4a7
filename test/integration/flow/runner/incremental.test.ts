/**
 * Incremental correctness over several runs, with sandbox mutations between runs (created, updated, deactivated,
 * deleted) and during a run: each run's output is exactly the sandbox's records in its window at plan time (minus
 * records that changed mid-run, which move past the window and land in the next run), nothing twice within a run, and
 * no update is ever lost across runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFlow } from '../../../../lambdas/flow/runner/run-flow.js';
import type { Sandbox } from '../../../../sandbox/index.js';
import { DEFAULT_EPOCH_MS } from '../../../../sandbox/org/index.js';
import { committedRuns, DAY, frozenSandbox, type Harness, harness, idsOf, testConfig } from './harness.js';

const FLOW = {
  name: 'users-inc',
  object: 'User',
  mode: 'incremental',
  firstExecutionFrom: new Date(DEFAULT_EPOCH_MS - 400 * DAY).toISOString(),
  overlapSeconds: 60,
  slicing: { count: 3, concurrency: 2 },
};

let sandbox: Sandbox;
let h: Harness;

beforeAll(async () => {
  sandbox = await frozenSandbox({ users: 300 });
  h = harness(sandbox, testConfig([FLOW]));
});
afterAll(async () => {
  await sandbox.close();
  h.cleanup();
});

function snapshot(): Map<string, string> {
  return new Map([...sandbox.org.all('users')].map((u) => [String(u.id), String(u.lastUpdated)]));
}

function inWindow(snap: Map<string, string>, window: { from?: string; to: string }): Set<string> {
  const from = window.from === undefined ? Number.NEGATIVE_INFINITY : Date.parse(window.from);
  const to = Date.parse(window.to);
  return new Set([...snap].filter(([, t]) => Date.parse(t) >= from && Date.parse(t) < to).map(([id]) => id));
}

const userIds = () => [...sandbox.org.all('users')].map((u) => String(u.id));
const live = () => [...sandbox.org.all('users')];

describe('incremental runs against a changing org', () => {
  it('each run equals the ground truth of its window; no duplicates; no lost updates', async () => {
    const windows: { from?: string; to: string }[] = [];
    const latest = new Map<string, string>();
    const deleted = new Set<string>();

    const check = async (runId: string, before: Map<string, string>, mutatedDuring: Set<string>) => {
      const runs = await committedRuns(h.dir, 'User');
      const run = runs.find((r) => r.runId === runId);
      expect(run, `run ${runId} is committed`).toBeDefined();
      if (!run) return;
      const window = {
        to: run.manifest.window.to ?? '',
        ...(run.manifest.window.from ? { from: run.manifest.window.from } : {}),
      };
      windows.push(window);
      const ids = idsOf(run.records);
      expect(new Set(ids).size, 'no record twice within a run').toBe(ids.length);
      const truth = inWindow(before, window);
      const stable = (id: string) => !mutatedDuring.has(id);
      expect(ids.filter(stable).sort()).toEqual([...truth].filter(stable).sort());
      for (const id of ids) expect(truth.has(id), `${id} was in the window at plan time`).toBe(true);
      for (const record of run.records) {
        const id = String(record.id);
        if (stable(id)) expect(record.lastUpdated).toBe(before.get(id));
        latest.set(id, String(record.lastUpdated));
      }
      for (const id of deleted) expect(ids).not.toContain(id);
    };

    // Run 1: the first run, from firstExecutionFrom.
    let before = snapshot();
    const first = await runFlow('users-inc', { kind: 'schedule' }, h.deps());
    expect(first.planned.run.window.from).toBe(FLOW.firstExecutionFrom);
    await check(first.planned.run.runId, before, new Set());
    expect(first.completed.counts.records).toBeGreaterThan(0);

    // Between runs: an hour passes; users are created, updated, deactivated and deleted.
    sandbox.clock.advance(3_600_000);
    const [a, b, c, d] = live().filter((u) => u.status === 'ACTIVE');
    const created = sandbox.admin.createUser({
      profile: {
        login: 'new.person@example.com',
        email: 'new.person@example.com',
        firstName: 'New',
        lastName: 'Person',
      },
    });
    sandbox.clock.advance(1000);
    sandbox.admin.updateUser(String(a?.id), { title: 'Changed once' });
    sandbox.admin.userLifecycle(String(b?.id), 'deactivate');
    sandbox.admin.deleteUser(String(c?.id));
    sandbox.admin.deleteUser(String(c?.id));
    deleted.add(String(c?.id));
    expect(userIds()).not.toContain(String(c?.id));
    sandbox.clock.advance(1000);

    // Run 2: mutations DURING the run (after its first page): time moves on, a user changes, another is created.
    before = snapshot();
    const during = new Set<string>();
    let mutated = false;
    const second = await runFlow(
      'users-inc',
      { kind: 'schedule' },
      h.deps({
        pageLimit: 20,
        onProgress: () => {
          if (mutated) return;
          mutated = true;
          sandbox.clock.advance(500);
          sandbox.admin.updateUser(String(d?.id), { title: 'Changed mid-run' });
          during.add(String(d?.id));
          const mid = sandbox.admin.createUser({
            profile: { login: 'mid.run@example.com', email: 'mid.run@example.com', firstName: 'Mid', lastName: 'Run' },
          });
          during.add(String(mid.id));
        },
      }),
    );
    await check(second.planned.run.runId, before, during);
    const secondIds = idsOf(
      (await committedRuns(h.dir, 'User')).find((r) => r.runId === second.planned.run.runId)?.records ?? [],
    );
    expect(secondIds).toEqual(expect.arrayContaining([String(created.id), String(a?.id), String(b?.id)]));
    expect(second.planned.run.window.from).toBe(
      new Date(Date.parse(first.planned.run.window.to) - 60_000).toISOString(),
    );

    // Run 3: picks up what changed during run 2.
    sandbox.clock.advance(60_000);
    before = snapshot();
    const third = await runFlow('users-inc', { kind: 'schedule' }, h.deps());
    await check(third.planned.run.runId, before, new Set());
    const thirdIds = idsOf(
      (await committedRuns(h.dir, 'User')).find((r) => r.runId === third.planned.run.runId)?.records ?? [],
    );
    expect(thirdIds).toEqual(expect.arrayContaining([...during]));

    // No lost updates: every user changed since the first window start is in the output with its final version.
    const start = Date.parse(FLOW.firstExecutionFrom);
    for (const user of live()) {
      if (Date.parse(String(user.lastUpdated)) >= start) expect(latest.get(String(user.id))).toBe(user.lastUpdated);
    }
    // Windows overlap (by overlapSeconds) and leave no gap.
    for (let i = 1; i < windows.length; i++) {
      expect(Date.parse(windows[i]?.from ?? '')).toBeLessThanOrEqual(Date.parse(windows[i - 1]?.to ?? ''));
    }
    const state = await h.state.getFlowState('users-inc');
    expect(state?.state.watermark).toBe(third.planned.run.window.to);
  });
});
