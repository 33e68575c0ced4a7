/**
 * LogEvent flows end to end through the runner (plan, extract invocations, commit) against the sandbox's System Log:
 * two incremental runs with org changes (and a late event) in between land every event exactly once (checked by uuid
 * against a bounded query of the sandbox), typed and partitioned by the UTC day of `published`; a run that finds
 * nothing new costs one request and commits no data files; the cursor moves only with a commit; a first run older
 * than the 90-day retention is refused before anything is written; a run split over many invocations (one page each)
 * lands the same events.
 */

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFlow, SimulatedCrash } from '../../../../lambdas/flow/runner/run-flow.js';
import { LogStreamStartError } from '../../../../lambdas/okta/extract/log-stream-errors.js';
import type { Sandbox } from '../../../../sandbox/index.js';
import { DEFAULT_EPOCH_MS } from '../../../../sandbox/org/index.js';
import {
  committedRuns,
  DAY,
  frozenSandbox,
  type Harness,
  harness,
  runStepsRetryingCrashes,
  testConfig,
} from './harness.js';

const SINCE = new Date(DEFAULT_EPOCH_MS - 20 * DAY).toISOString();
const FLOWS = [
  { name: 'log', object: 'LogEvent', mode: 'incremental', firstExecutionFrom: SINCE },
  { name: 'log-split', object: 'LogEvent', mode: 'incremental', firstExecutionFrom: SINCE },
  {
    name: 'log-old',
    object: 'LogEvent',
    mode: 'incremental',
    firstExecutionFrom: new Date(DEFAULT_EPOCH_MS - 120 * DAY).toISOString(),
  },
];

let sandbox: Sandbox;
let h: Harness;
let logRequests = 0;

beforeAll(async () => {
  sandbox = await frozenSandbox({ users: 200, logEvents: 4000 });
  h = harness(sandbox, testConfig(FLOWS));
});
afterAll(async () => {
  await sandbox.close();
  h.cleanup();
});

/** Every event from SINCE on, by the sandbox's bounded query (until = now): the ground truth. */
async function truth(): Promise<string[]> {
  const until = new Date(sandbox.clock.now() + 1).toISOString();
  const out: string[] = [];
  let url: string | null = `${sandbox.baseUrl}/api/v1/logs?since=${SINCE}&until=${until}&limit=1000`;
  while (url !== null) {
    const res: Response = await fetch(url, { headers: { authorization: `SSWS ${sandbox.apiToken}` } });
    const body = (await res.json()) as { uuid: string }[];
    out.push(...body.map((e) => e.uuid));
    const next = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '');
    url = body.length > 0 && next?.[1] ? next[1] : null;
  }
  return out.sort();
}

const counting = () =>
  h.deps({
    onProgress: () => undefined,
  });

describe('LogEvent flows', () => {
  it('two runs with org changes in between land every event exactly once, typed, by day of published', async () => {
    const first = await runFlow('log', { kind: 'schedule' }, counting());
    expect(first.completed.counts.records).toBeGreaterThan(100);
    const state1 = (await h.state.getFlowState('log'))?.state.stream;
    expect(state1?.cursor).toMatch(/^\/api\/v1\/logs\?/);

    sandbox.clock.advance(3_600_000);
    const active = [...sandbox.org.all('users')].filter((u) => u.status === 'ACTIVE');
    sandbox.admin.userLifecycle(String(active[0]?.id), 'suspend');
    const group = sandbox.admin.createGroup({ profile: { name: 'Log test' } });
    const late = sandbox.org.injectLateLogEvent({
      eventType: 'user.session.start',
      publishedMs: sandbox.clock.now() - 3 * DAY,
    });
    sandbox.clock.advance(60_000);
    const second = await runFlow('log', { kind: 'schedule' }, counting());
    expect(second.completed.counts.records).toBeGreaterThanOrEqual(3);

    const runs = await committedRuns(h.dir, 'LogEvent');
    const mine = runs.filter((r) => r.manifest.flow === 'log');
    expect(mine).toHaveLength(2);
    const uuids = mine.flatMap((r) => r.records.map((e) => String(e.uuid)));
    expect(new Set(uuids).size).toBe(uuids.length);
    expect([...uuids].sort()).toEqual(await truth());
    const secondEvents = mine[1]?.records ?? [];
    expect(secondEvents.map((e) => e.uuid)).toContain(late.uuid);
    expect(secondEvents.some((e) => (e.target as { id: string }[] | undefined)?.some((t) => t.id === group.id))).toBe(
      true,
    );

    // Typed: nested structs and lists as Okta sent them; each file under the day of its events' published.
    for (const run of mine) {
      for (const file of run.manifest.files) {
        const day = /\/dt=(\d{4}-\d{2}-\d{2})\//.exec(file.key)?.[1];
        expect(file.key).toMatch(/^okta\/LogEvent\/dt=\d{4}-\d{2}-\d{2}\/run_id=/);
        expect(day).toBeDefined();
      }
    }
    const signIn = mine[0]?.records.find((e) => e.eventType === 'user.session.start');
    expect(signIn).toMatchObject({
      actor: { id: expect.any(String), type: 'User' },
      client: { ipAddress: expect.any(String), geographicalContext: { country: expect.any(String) } },
      outcome: { result: expect.any(String) },
      request: { ipChain: [expect.objectContaining({ ip: expect.any(String) })] },
    });
    const days = new Set(mine[0]?.manifest.files.map((f) => /\/dt=([^/]+)\//.exec(f.key)?.[1]));
    expect(days.size).toBeGreaterThan(10);
    for (const e of mine[0]?.records ?? []) {
      const file = mine[0]?.manifest.files.find((f) => f.key.includes(`/dt=${String(e.published).slice(0, 10)}/`));
      expect(file, `a file for the day of ${String(e.published)}`).toBeDefined();
    }
  });

  it('a run that finds nothing new costs one request and commits no data files', async () => {
    const before = (await h.state.getFlowState('log'))?.state.stream;
    sandbox.clock.advance(60_000);
    logRequests = 0;
    const idle = await runFlow(
      'log',
      { kind: 'schedule' },
      h.deps({
        createOktaApi: async (observer, options) => {
          const api = await h.deps().createOktaApi(
            {
              ...observer,
              onRequest: (info) => {
                if (info.path.startsWith('/api/v1/logs')) logRequests++;
                observer.onRequest?.(info);
              },
            },
            options,
          );
          return api;
        },
      }),
    );
    expect(idle.completed.counts.records).toBe(0);
    expect(idle.completed.counts.files).toBe(0);
    expect(logRequests).toBe(1);
    const runs = await committedRuns(h.dir, 'LogEvent');
    expect(runs.find((r) => r.runId === idle.planned.run.runId)?.manifest.files).toEqual([]);
    // The cursor moved with the commit (to the empty page's next link) and is still a polling request.
    const after = (await h.state.getFlowState('log'))?.state.stream;
    expect(before?.cursor).toMatch(/^\/api\/v1\/logs\?/);
    expect(after?.cursor).toMatch(/^\/api\/v1\/logs\?/);
    expect(after?.cursor).not.toContain('until');
  });

  it('a run split over one-page invocations lands the same events as the bounded query', async () => {
    const deps = h.deps({ pageLimit: 500 });
    await runStepsRetryingCrashes('log-split', 'log-split-run-1', deps, deps);
    const runs = (await committedRuns(h.dir, 'LogEvent')).filter((r) => r.manifest.flow === 'log-split');
    const uuids = runs.flatMap((r) => r.records.map((e) => String(e.uuid)));
    expect(new Set(uuids).size).toBe(uuids.length);
    expect([...uuids].sort()).toEqual(await truth());
  });

  it('a run that fails (or crashes) before its commit leaves no files and does not move the cursor', async () => {
    const before = (await h.state.getFlowState('log'))?.state.stream;
    sandbox.clock.advance(60_000);
    for (let i = 0; i < 3; i++) sandbox.admin.createGroup({ profile: { name: `Failed run ${i}` } });
    // Fails at the commit (a plain error: failRun discards the run's files in every day folder).
    await expect(
      runFlow(
        'log',
        { kind: 'schedule' },
        h.deps({
          crash: (point) => {
            if (point === 'commit:before-manifest') throw new Error('boom');
          },
        }),
      ),
    ).rejects.toThrow('boom');
    expect((await h.state.getFlowState('log'))?.state.stream).toEqual(before);
    // Crashes (the process dies: nothing cleans up); the next run takes the lease over and removes its files.
    await expect(
      runFlow(
        'log',
        { kind: 'schedule', runId: 'crashed-log-run' },
        h.deps({
          leaseTtlMs: 1,
          crash: (point) => {
            if (point === 'commit:before-manifest') throw new SimulatedCrash(point);
          },
        }),
      ),
    ).rejects.toThrow(SimulatedCrash);
    const crashedFiles = () =>
      readdirSync(join(h.dir, 'okta', 'LogEvent'), { recursive: true }).filter(
        (k) => String(k).includes('crashed-log-run') && String(k).includes('/part-'),
      );
    expect(crashedFiles().length).toBeGreaterThan(0);
    sandbox.clock.advance(1000);
    const next = await runFlow('log', { kind: 'schedule' }, h.deps());
    expect(crashedFiles()).toEqual([]);
    expect(next.completed.counts.records).toBeGreaterThanOrEqual(3);
    const mine = (await committedRuns(h.dir, 'LogEvent')).filter((r) => r.manifest.flow === 'log');
    const uuids = mine.flatMap((r) => r.records.map((e) => String(e.uuid)));
    expect(new Set(uuids).size).toBe(uuids.length);
    expect([...uuids].sort()).toEqual(await truth());
  });

  it('keeps running when its first since is older than the 180 days Okta accepts', async () => {
    // Half a year later (the sandbox keeps its history; Okta would have dropped it): the stored next link still
    // carries the first run's since, which Okta refuses past 180 days (E0000053).
    sandbox.clock.advance(200 * DAY);
    const cursor = (await h.state.getFlowState('log'))?.state.stream?.cursor ?? '';
    expect(Date.parse(new URL(cursor, 'http://x').searchParams.get('since') ?? '')).toBeLessThan(
      sandbox.clock.now() - 180 * DAY,
    );
    sandbox.admin.createGroup({ profile: { name: 'Half a year later' } });
    sandbox.clock.advance(1000);
    const later = await runFlow('log', { kind: 'schedule' }, h.deps());
    expect(later.completed.counts.records).toBe(1);
  });

  it('refuses a first run older than the 90-day retention before writing anything', async () => {
    await expect(runFlow('log-old', { kind: 'schedule' }, h.deps())).rejects.toThrow(LogStreamStartError);
    await expect(runFlow('log-old', { kind: 'schedule' }, h.deps())).rejects.toThrow(
      /keeps System Log events for 90 days/,
    );
    expect(await h.state.getFlowState('log-old')).toBeNull();
    const runs = await committedRuns(h.dir, 'LogEvent');
    expect(runs.filter((r) => r.manifest.flow === 'log-old')).toEqual([]);
  });
});
