/**
 * IAM per handler, both ways: every SDK command each function sends while the synthesized state machine runs (every
 * example flow, a continuation loop, an Okta failure after files were written, a crashed run taken over) plus the
 * code paths a short local run does not reach (a multipart upload aborted mid-file, a rotated refresh token saved)
 * is mapped to the IAM permission it needs (iam-actions.ts) and must be allowed by that function's synthesized
 * role; and every action the role grants must be needed by some recorded call. X-Ray and log delivery statements are
 * the Lambda runtime's, not the handlers', and are left out of the second check.
 */

import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExtractStepHandler } from '../../../lambdas/handlers/extract-step.js';
import { createPlanRunHandler } from '../../../lambdas/handlers/plan-run.js';
import { SecretsManagerSecretStore } from '../../../lambdas/okta/auth/secret-stores.js';
import { storeFor } from '../../../lambdas/output/sinks/store.js';
import { type Sandbox, startSandbox } from '../../../sandbox/index.js';
import { DEFAULT_EPOCH_MS } from '../../../sandbox/org/index.js';
import { exampleConfigJson, type Json, roleStatements } from '../../infra/synthesize.js';
import { type S3Harness, startS3 } from '../output/s3-harness.js';
import { ACCOUNT, callsOf, execute, type LocalStack, localStack, REGION, type StepName } from './harness.js';
import { type Arns, allowingStatement, type Permission, permissionsFor } from './iam-actions.js';

const DAY = 86_400_000;
let sandbox: Sandbox;
let s3: S3Harness;
let stack: LocalStack;
let arns: Arns;

beforeAll(async () => {
  sandbox = await startSandbox({
    users: 300,
    logEvents: 3000,
    rateLimits: false,
    clock: { startMs: DEFAULT_EPOCH_MS + DAY, running: false },
  });
  s3 = await startS3();
  // The example flows plus a System Log stream (LogEvent: state read by ExtractStep, files under many day folders).
  const example = exampleConfigJson();
  const logFlow = {
    name: 'system-log',
    object: 'LogEvent',
    mode: 'incremental',
    firstExecutionFrom: new Date(DEFAULT_EPOCH_MS - 30 * DAY).toISOString(),
  };
  stack = await localStack({ config: { ...example, flows: [...(example.flows as unknown[]), logFlow] }, s3, sandbox });
  arns = {
    bucket: s3.bucket,
    keyArn: stack.keyArn,
    secretArn: stack.secretArn,
    eventBusArn: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default`,
    glueArn: `arn:aws:glue:${REGION}:${ACCOUNT}`,
  };
  // A lake table removed by hand: the next commit of its object registers it again (glue:CreateTable).
  stack.glueTables.delete('_user_types_commits');

  // 1. Every example flow, then one with a moment per invocation (continuations, one file per invocation).
  for (const flow of stack.synth.config.flows)
    expect((await execute(stack, { flow: flow.name })).status).toBe('SUCCEEDED');
  await execute(stack, { flow: 'users-hourly', fullResync: true }, { extractRemainingMs: 1, deps: { pageLimit: 50 } });

  // 2. Okta fails after files were written: FailRun lists and deletes them.
  const fault = sandbox.faults.add({ pathPrefix: '/api/v1/users', nth: 4, fault: { kind: 'status', status: 403 } });
  const failed = await execute(
    stack,
    { flow: 'users-hourly', fullResync: true },
    { extractRemainingMs: 1, deps: { pageLimit: 50 } },
  );
  sandbox.faults.clear(fault);
  expect(failed.status).toBe('FAILED');
  //    …and a LogEvent run failing after files were written: FailRun finds its day folders by listing.
  const logFault = sandbox.faults.add({ pathPrefix: '/api/v1/logs', nth: 3, fault: { kind: 'status', status: 403 } });
  const logFailed = await execute(
    stack,
    { flow: 'system-log', fullResync: true },
    { extractRemainingMs: 1, deps: { pageLimit: 200 } },
  );
  sandbox.faults.clear(logFault);
  expect(logFailed.status).toBe('FAILED');

  // 3. A run that crashed after writing a file (no FailRun), taken over by the next run once its lease expired.
  const fn = (step: StepName) => {
    const found = stack.functions.get(step);
    if (found === undefined) throw new Error(step);
    return found;
  };
  const crashed = await createPlanRunHandler(() => fn('PlanRun').deps)({
    input: { flow: 'groups-daily', fullResync: true },
    executionArn: `arn:aws:states:${REGION}:${ACCOUNT}:execution:OktaFlow-RunFlow:crashed`,
  });
  await createExtractStepHandler(() => ({ ...fn('ExtractStep').deps, pageLimit: 10 }))(
    { run: crashed.run, lane: 0 },
    { getRemainingTimeInMillis: () => 1 },
  );
  const later = () => sandbox.clock.now() + 16 * 60_000;
  expect((await execute(stack, { flow: 'groups-daily' }, { deps: { clock: later } })).status).toBe('SUCCEEDED');

  // 4. What a short local run does not reach: a multipart upload aborted mid-file (a step failing while it writes a
  //    large part), by the store the writers use, with each writing function's own client and target.
  for (const step of ['ExtractStep', 'CommitRun'] as const) {
    const upload = storeFor(fn(step).deps.target).openUpload(
      `okta/User/dt=2026-01-02/run_id=20260102T000000Z-abort1/part-t00-00000.parquet`,
      'application/octet-stream',
    );
    // Two parts' worth, each write waiting for the stream to drain, so the upload is under way when it fails.
    const chunk = Buffer.alloc(1024 * 1024, 1);
    for (let mib = 0; mib < 18; mib++) {
      if (!upload.stream.write(chunk)) await once(upload.stream, 'drain');
    }
    await upload.abort('a step failed mid-file');
  }
  //    …and a rotated OAuth refresh token saved by compare-and-swap, by both Okta clients (PlanRun reads the user
  //    profile schemas, ExtractStep the records).
  for (const step of ['PlanRun', 'ExtractStep'] as const) {
    await new SecretsManagerSecretStore(
      fn(step).runtime.secrets,
      fn(step).env.CREDENTIALS_SECRET_ARN ?? '',
    ).writeIfVersion('{"type":"oauth2"}', 'v1');
  }
}, 300_000);
afterAll(async () => {
  await sandbox?.close();
  await s3?.close();
});

function needed(step: StepName): Permission[] {
  const fn = stack.functions.get(step);
  if (fn === undefined) throw new Error(step);
  return callsOf(fn).flatMap((call) => permissionsFor(call, arns));
}

function statementsOf(step: StepName): Json[] {
  const fn = stack.functions.get(step);
  if (fn === undefined) throw new Error(step);
  return stack.render(roleStatements(stack.synth.json, fn.roleLogicalId)) as Json[];
}

const STEPS: StepName[] = ['PlanRun', 'ExtractStep', 'CommitRun', 'FailRun'];
const RUNTIME_ACTION = /^(xray|logs):/;

describe('IAM per handler', () => {
  it.each(STEPS)('%s: every call it sends is allowed by its role', (step) => {
    const statements = statementsOf(step);
    const denied = needed(step)
      .filter((p) => allowingStatement(statements, p) === undefined)
      .map((p) => `${p.action} on ${p.resource} ${JSON.stringify(p.context)} (${p.because})`);
    expect([...new Set(denied)]).toEqual([]);
  });

  it.each(STEPS)('%s: its role grants nothing its calls do not need', (step) => {
    const permissions = needed(step);
    const unused: string[] = [];
    for (const statement of statementsOf(step)) {
      for (const action of [statement.Action].flat() as string[]) {
        if (RUNTIME_ACTION.test(action)) continue;
        const used = permissions.some((p) => p.action === action && allowingStatement([statement], p) !== undefined);
        if (!used) unused.push(`${statement.Sid ?? '(no sid)'}: ${action}`);
      }
    }
    expect(unused).toEqual([]);
  });

  it('reading state needs listing: every function that reads a state key may list the bucket unconditionally', () => {
    for (const step of STEPS) {
      const reads = needed(step).filter((p) => p.action === 's3:GetObject' && p.resource.includes('/okta/_state/'));
      expect(reads.length, step).toBeGreaterThan(0);
      const list: Permission = {
        action: 's3:ListBucket',
        resource: `arn:aws:s3:::${arns.bucket}`,
        context: {},
        because: 'GetObject 404',
      };
      expect(allowingStatement(statementsOf(step), list), step).toBeDefined();
    }
  });
});
