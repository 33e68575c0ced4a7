/**
 * The README's daily-sliced backfill (`"slicing": {"sliceHours": 24}`, `firstExecutionFrom` 2024-01-01) on an org
 * whose "now" is 2026-12-02 12:00 UTC: 1,067 tasks through the synthesized state machine. Every state's input and
 * output stays far under Step Functions' 256 KiB (before lanes, PlanRun's output alone was 194,602 bytes and
 * CommitRun's input 935,201), the execution history far under 25,000 events, and every user changed in the window is
 * committed exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCommits } from '../../../lambdas/lake/commit-log.js';
import { type Sandbox, startSandbox } from '../../../sandbox/index.js';
import { exampleConfigJson } from '../../infra/synthesize.js';
import { type S3Harness, startS3 } from '../output/s3-harness.js';
import { awsHistoryEvents, execute, type LocalStack, localStack, PAYLOAD_LIMIT_BYTES } from './harness.js';

const NOW = Date.UTC(2026, 11, 2, 12, 0, 0);
const FROM = '2024-01-01T00:00:00Z';
let sandbox: Sandbox;
let s3: S3Harness;
let stack: LocalStack;

beforeAll(async () => {
  sandbox = await startSandbox({
    users: 1500,
    rateLimits: false,
    epochMs: NOW,
    clock: { startMs: NOW, running: false },
  });
  s3 = await startS3();
  const example = exampleConfigJson();
  const config = {
    ...example,
    flows: [
      {
        name: 'users-backfill',
        object: 'User',
        mode: 'incremental',
        firstExecutionFrom: FROM,
        slicing: { sliceHours: 24, concurrency: 8 },
      },
    ],
  };
  stack = await localStack({ config, s3, sandbox });
}, 120_000);
afterAll(async () => {
  await sandbox?.close();
  await s3?.close();
});

describe('a 1,067-task backfill through the synthesized state machine', () => {
  it('keeps every payload under 256 KiB and commits every user changed since 2024 exactly once', async () => {
    const execution = await execute(stack, { flow: 'users-backfill' });
    expect(execution.error).toBeUndefined();
    expect(execution.status).toBe('SUCCEEDED');

    const plan = execution.sizes.find((s) => s.state === 'PlanRun' && s.kind === 'output');
    const planOutput = execution.events.find((e) => e.type === 'StateExited' && e.state.name === 'PlanRun');
    const taskCount =
      planOutput?.type === 'StateExited' ? (planOutput.state.output as { taskCount: number }).taskCount : 0;
    expect(taskCount).toBe(1067);

    const largest = [...execution.sizes].sort((a, b) => b.bytes - a.bytes)[0];
    // Far below the limit, and not growing with the task count (a single run plan is about 1 KiB).
    expect(largest?.bytes).toBeLessThan(8 * 1024);
    expect(plan?.bytes).toBeLessThan(2 * 1024);
    for (const size of execution.sizes)
      expect(size.bytes, `${size.state} ${size.kind}`).toBeLessThan(PAYLOAD_LIMIT_BYTES);
    expect(awsHistoryEvents(execution, stack.definition)).toBeLessThan(2_000);

    const window = execution.output.window as { from: string; to: string };
    expect(window.from).toBe('2024-01-01T00:00:00.000Z');
    const expected = new Set<string>();
    for (const user of sandbox.org.all('users')) {
      const t = Date.parse(String(user.lastUpdated));
      if (t >= Date.parse(window.from) && t < Date.parse(window.to)) expected.add(String(user.id));
    }
    expect(expected.size).toBeGreaterThan(100);
    expect(execution.output.counts.records).toBe(expected.size);

    const target = { kind: 's3' as const, client: s3.client, bucket: s3.bucket, sseKms: { kmsKeyId: stack.keyArn } };
    const [committed] = await listCommits(target, 'okta', 'User');
    expect(committed?.records.manifest.totals.records).toBe(expected.size);
    // The run's task list and per-task results are dropped once committed.
    const state = stack.functions.get('CommitRun')?.deps.state;
    expect(
      await state?.getRunDocument({ flow: 'users-backfill', runId: execution.output.runId, name: 'tasks' }),
    ).toBeNull();
  }, 600_000);
});
