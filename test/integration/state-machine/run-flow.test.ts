/**
 * The synthesized RunFlow state machine, executed (harness.ts): every example flow end to end, the failure paths
 * (Okta refuses, unknown flow) through FailRun, a run whose every ExtractStep invocation has only a moment left
 * (the continuation loop), and the `waitSeconds` → Wait → ExtractStep loop. Every state's input and output stays
 * under Step Functions' 256 KiB.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCommits } from '../../../lambdas/lake/commit-log.js';
import { type Sandbox, startSandbox } from '../../../sandbox/index.js';
import { DEFAULT_EPOCH_MS } from '../../../sandbox/org/index.js';
import { exampleConfigJson } from '../../infra/synthesize.js';
import { type S3Harness, startS3 } from '../output/s3-harness.js';
import { execute, type LocalStack, localStack, PAYLOAD_LIMIT_BYTES } from './harness.js';

const DAY = 86_400_000;
let sandbox: Sandbox;
let s3: S3Harness;
let stack: LocalStack;

beforeAll(async () => {
  sandbox = await startSandbox({
    users: 400,
    rateLimits: false,
    clock: { startMs: DEFAULT_EPOCH_MS + DAY, running: false },
  });
  s3 = await startS3();
  stack = await localStack({ config: exampleConfigJson(), s3, sandbox });
});
afterAll(async () => {
  await sandbox?.close();
  await s3?.close();
});

function target() {
  return { kind: 's3' as const, client: s3.client, bucket: s3.bucket, sseKms: { kmsKeyId: stack.keyArn } };
}

function largest(execution: { sizes: { bytes: number }[] }): number {
  return Math.max(...execution.sizes.map((s) => s.bytes));
}

describe('RunFlow, executed from the synthesized definition', () => {
  it('runs every example flow: plan → lanes → commit, Run Started and Run Completed, small payloads', async () => {
    for (const flow of stack.synth.config.flows) {
      const execution = await execute(stack, { flow: flow.name });
      expect(execution.error, flow.name).toBeUndefined();
      expect(execution.status, flow.name).toBe('SUCCEEDED');
      expect(execution.output.flow).toBe(flow.name);
      expect(largest(execution), flow.name).toBeLessThan(PAYLOAD_LIMIT_BYTES / 16);
      const runs = await listCommits(target(), 'okta', flow.object);
      const committed = runs.find((r) => r.run_id === execution.output.runId);
      expect(committed, flow.name).toBeDefined();
      expect(committed?.records.manifest.totals.records, flow.name).toBe(execution.output.counts.records);
    }
    const kinds = stack.published.map((p) => `${p.step}:${p.detailType}`);
    expect(kinds.filter((k) => k === 'PlanRun:Run Started')).toHaveLength(stack.synth.config.flows.length);
    expect(kinds.filter((k) => k === 'CommitRun:Run Completed')).toHaveLength(stack.synth.config.flows.length);
  });

  it('Okta refuses (403 on every groups request): FailRun runs, removes the files, releases the lease, Run Failed', async () => {
    const fault = sandbox.faults.add({ pathPrefix: '/api/v1/groups', fault: { kind: 'status', status: 403 } });
    try {
      const before = stack.published.length;
      const execution = await execute(stack, { flow: 'groups-daily', fullResync: true });
      expect(execution.status).toBe('FAILED');
      expect(execution.invocations.FailRun).toBe(1);
      expect(execution.events.some((e) => e.type === 'StateEntered' && e.state.name === 'FailedWithRun')).toBe(true);
      const published = stack.published.slice(before);
      const started = published.find((p) => p.detailType === 'Run Started');
      const failed = published.find((p) => p.detailType === 'Run Failed');
      expect(failed?.step).toBe('FailRun');
      expect(failed?.detail).toMatchObject({ flow: 'groups-daily', runId: started?.detail.runId });
      expect(failed?.detail.error.message).toContain('403');
      const runs = await listCommits(target(), 'okta', 'Group');
      expect(runs.map((r) => r.run_id)).not.toContain(started?.detail.runId);
      const lease = await stack.functions.get('FailRun')?.deps.state.getLease('groups-daily');
      expect(lease).toMatchObject({ runId: started?.detail.runId, released: true });
      expect(lease?.holder).toEqual({ kind: 'stepfunctions', executionArn: execution.executionArn });
      expect(largest(execution)).toBeLessThan(PAYLOAD_LIMIT_BYTES / 16);
    } finally {
      sandbox.faults.clear(fault);
    }
  });

  it('an unknown flow fails in PlanRun and still goes through FailRun (Run Failed names the flow)', async () => {
    const before = stack.published.length;
    const execution = await execute(stack, { flow: 'no-such-flow' });
    expect(execution.status).toBe('FAILED');
    expect(execution.invocations).toEqual({ PlanRun: 1, FailRun: 1 });
    expect(execution.events.some((e) => e.type === 'StateEntered' && e.state.name === 'FailedBeforePlan')).toBe(true);
    const failed = stack.published.slice(before);
    expect(failed.map((p) => p.detailType)).toEqual(['Run Failed']);
    expect(failed[0]?.detail).toMatchObject({ flow: 'no-such-flow', error: { name: 'UnknownFlowError' } });
    expect(execution.error?.cause).toContain('UnknownFlowError');
  });

  it('a moment left per invocation: ExtractStep loops on its continuation until every lane is done', async () => {
    const execution = await execute(
      stack,
      { flow: 'users-hourly', fullResync: true },
      { extractRemainingMs: 1, deps: { pageLimit: 20 } },
    );
    expect(execution.error).toBeUndefined();
    const tasks = stack.synth.config.flows.find((f) => f.name === 'users-hourly')?.slicing?.count ?? 0;
    // 20 records a page, one page per invocation: several invocations per task.
    expect(execution.invocations.ExtractStep).toBeGreaterThan(tasks * 2);
    // Every invocation after a lane's first resumes from the previous output: a continuation, or the next task.
    const inputs = execution.events.filter((e) => e.type === 'StateEntered' && e.state.name === 'ExtractStep');
    expect(
      inputs.filter((e) => e.type === 'StateEntered' && (e.state.input as { continuation?: unknown }).continuation)
        .length,
    ).toBeGreaterThan(0);
    const users = [...sandbox.org.all('users')].filter((u) => u.status === 'ACTIVE');
    expect(execution.output.counts.records).toBe(users.length);
    expect(largest(execution)).toBeLessThan(PAYLOAD_LIMIT_BYTES / 16);
  });

  it('waitSeconds (a rate-limit reset beyond the Lambda budget): Wait, then ExtractStep again with the same result', async () => {
    let asked = 0;
    const execution = await execute(
      stack,
      { flow: 'users-hourly', fullResync: true },
      {
        extractRemainingMs: 1,
        // Test double for the runner's side of the contract (ExtractStep returning waitSeconds): the first
        // unfinished result of each lane asks for a 90 s wait.
        afterStep: (step, _input, output) => {
          if (step !== 'ExtractStep' || output.done !== false || asked >= 2) return output;
          asked += 1;
          return { ...output, waitSeconds: 90 };
        },
      },
    );
    expect(execution.error).toBeUndefined();
    const sequence = execution.events.filter((e) => e.type === 'StateEntered');
    const waits = sequence.filter((e) => e.type === 'StateEntered' && e.state.name === 'WaitForRateLimit');
    expect(waits).toHaveLength(2);
    for (const wait of waits) {
      if (wait.type !== 'StateEntered') continue;
      const waited = wait.state.input as { waitSeconds: number; continuation: unknown; lane: number };
      expect(waited.waitSeconds).toBe(90);
      // The invocation after the wait gets the waiting result itself (same lane, same continuation).
      const next = sequence.find(
        (e, i) =>
          i > sequence.indexOf(wait) &&
          e.type === 'StateEntered' &&
          e.state.name === 'ExtractStep' &&
          (e.state.input as { lane: number }).lane === waited.lane,
      );
      expect(next?.type === 'StateEntered' ? next.state.input : undefined).toEqual(waited);
    }
    const users = [...sandbox.org.all('users')].filter((u) => u.status === 'ACTIVE');
    expect(execution.output.counts.records).toBe(users.length);
  });
});
