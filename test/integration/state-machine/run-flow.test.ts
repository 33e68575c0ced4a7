/**
 * The synthesized RunFlow state machine, executed (harness.ts): every example flow end to end, the failure paths
 * (Okta refuses, unknown flow) through FailRun, a run whose every ExtractStep invocation has only a moment left
 * (the continuation loop), and the `waitSeconds` → Wait → ExtractStep loop. Every state's input and output stays
 * under Step Functions' 256 KiB.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCommittedRuns, readManifest } from '../../../lambdas/output/manifest.js';
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
      const runs = await listCommittedRuns(target(), 'okta', flow.object);
      const committed = runs.find((r) => r.runId === execution.output.runId);
      expect(committed, flow.name).toBeDefined();
      const manifest = await readManifest(target(), committed?.keyPrefix ?? '');
      expect(manifest?.totals.records, flow.name).toBe(execution.output.counts.records);
    }
    const kinds = stack.published.map((p) => `${p.step}:${p.detailType}`);
    expect(kinds.filter((k) => k === 'PlanRun:Run Started')).toHaveLength(stack.synth.config.flows.length);
    expect(kinds.filter((k) => k === 'CommitRun:Run Completed')).toHaveLength(stack.synth.config.flows.length);
  });
});
