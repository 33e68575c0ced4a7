/**
 * Crash at every step: a failure injected at each point of a run (after the lease, between pages, between files,
 * before/after the checkpoint, before/between/after the manifests, after the watermark, before the lease release),
 * then recovery two ways — Step Functions retrying the same step with the same input, or a new run once the crashed
 * run's lease has expired. Either way the committed output holds every record (and every tombstone) exactly once,
 * and no data file outside a commit record is left where readers (Athena) would see it.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runFlow, SimulatedCrash } from '../../../../lambdas/flow/runner/run-flow.js';
import { CRASH_POINTS, type CrashPoint, type RunnerDeps } from '../../../../lambdas/flow/runner/types.js';
import type { Sandbox } from '../../../../sandbox/index.js';
import { DEFAULT_EPOCH_MS } from '../../../../sandbox/org/index.js';
import {
  committedRuns,
  DAY,
  frozenSandbox,
  type Harness,
  harness,
  idsOf,
  runStepsRetryingCrashes,
  testConfig,
} from './harness.js';

const FLOW = {
  name: 'users-crash',
  object: 'User',
  mode: 'incremental',
  firstExecutionFrom: new Date(DEFAULT_EPOCH_MS - 5 * 365 * DAY).toISOString(),
  // No overlap here: overlap re-reads are deliberate duplicates ACROSS runs (resolved by id; see incremental.test.ts),
  // and a recovery that follows a committed crash is such a next run.
  overlapSeconds: 0,
  slicing: { count: 3, concurrency: 2 },
  deleteDetection: 'system-log',
};
const LEASE_TTL = 60_000;

let sandbox: Sandbox;
let deletedIds: string[];
let truth: string[];
const harnesses: Harness[] = [];

beforeAll(async () => {
  sandbox = await frozenSandbox({ users: 150 });
  // Two deletes inside the window, so the run has tombstones to commit too.
  const victims = [...sandbox.org.all('users')].slice(10, 12).map((u) => String(u.id));
  for (const id of victims) {
    sandbox.admin.deleteUser(id);
    sandbox.admin.deleteUser(id);
  }
  deletedIds = victims.sort();
  sandbox.clock.advance(1000);
  truth = [...sandbox.org.all('users')].map((u) => String(u.id)).sort();
  return async () => sandbox.close();
});
afterEach(() => {
  for (const h of harnesses.splice(0)) h.cleanup();
});

function crashOnce(point: CrashPoint, occurrence = point === 'extract:after-page' ? 2 : 1) {
  let seen = 0;
  return (at: CrashPoint) => {
    if (at !== point) return;
    seen += 1;
    if (seen === occurrence) throw new SimulatedCrash(`crash at ${point}`);
  };
}

function depsFor(h: Harness, crash?: RunnerDeps['crash']): RunnerDeps {
  return h.deps({ pageLimit: 25, maxRecordsPerFile: 20, leaseTtlMs: LEASE_TTL, ...(crash ? { crash } : {}) });
}

/** Files under okta/ that no commit record lists (besides commit records and state): what a reader must never see. */
async function strayFiles(dir: string): Promise<string[]> {
  const listed = new Set<string>();
  for (const object of ['User', 'User_deletes']) {
    for (const run of await committedRuns(dir, object)) for (const f of run.manifest.files) listed.add(f.key);
  }
  const all: string[] = [];
  const walk = (path: string) => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      if (statSync(full).isDirectory()) walk(full);
      else all.push(relative(dir, full).split('\\').join('/'));
    }
  };
  walk(join(dir, 'okta'));
  return all.filter((k) => !k.startsWith('okta/_commits/') && !k.startsWith('okta/_state/') && !listed.has(k));
}

async function expectExactlyOnce(h: Harness) {
  const users = (await committedRuns(h.dir, 'User')).flatMap((r) => r.records);
  expect(idsOf(users)).toEqual(truth);
  const tombstones = (await committedRuns(h.dir, 'User_deletes')).flatMap((r) => r.records);
  expect(idsOf(tombstones)).toEqual(deletedIds);
  expect(await strayFiles(h.dir)).toEqual([]);
  const lease = await h.state.getLease(FLOW.name);
  expect(lease?.released).toBe(true);
}

describe('crash at every step', () => {
  it('lists the crash points the runner passes', () => {
    expect(CRASH_POINTS.length).toBeGreaterThanOrEqual(10);
  });

  for (const point of CRASH_POINTS) {
    it(`${point}: the retried step finishes the run; everything committed exactly once`, async () => {
      const h = harness(sandbox, testConfig([FLOW]));
      harnesses.push(h);
      let crashed = false;
      const crash = crashOnce(point);
      await runStepsRetryingCrashes(
        FLOW.name,
        '20260102T000000Z-retry1',
        depsFor(h, (at, info) => {
          try {
            crash(at);
          } catch (error) {
            crashed = true;
            throw error;
          }
          void info;
        }),
        depsFor(h),
      );
      expect(crashed).toBe(true);
      await expectExactlyOnce(h);
    });

    it(`${point}: a new run after the lease expires recovers; everything committed exactly once`, async () => {
      const h = harness(sandbox, testConfig([FLOW]));
      harnesses.push(h);
      await expect(runFlow(FLOW.name, { kind: 'schedule' }, depsFor(h, crashOnce(point)))).rejects.toThrow(
        SimulatedCrash,
      );
      const held = await h.state.getLease(FLOW.name);
      expect(held?.released).toBe(false);
      // The crashed process never comes back; its lease lapses and the next scheduled run takes over.
      const clockBefore = sandbox.clock.now();
      sandbox.clock.advance(LEASE_TTL + 1000);
      try {
        await runFlow(FLOW.name, { kind: 'schedule' }, depsFor(h));
      } finally {
        sandbox.clock.set(clockBefore);
      }
      await expectExactlyOnce(h);
    });
  }
});
