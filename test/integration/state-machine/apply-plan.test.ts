/**
 * The synthesized ApplyPlan definition run locally (aws-local-stepfunctions) over the real ResolvePlan and
 * ExecutePlan handlers, each built from its function's synthesized environment: S3 is s3rver (SSE-KMS headers
 * checked), Secrets Manager and EventBridge aws-sdk-client-mock, Okta the sandbox. A dry run changes nothing, an
 * execute applies and audits, a second execute is a no-op. The IAM-per-handler check for the apply roles, both
 * ways as iam-per-handler.test.ts does for RunFlow: every SDK call a handler makes is allowed by its role, its role
 * grants nothing those calls do not need, and the write secret is read by these two roles only (evaluated, not
 * string-matched: a wildcard elsewhere would be caught) while they cannot read the read flows' secret.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { StateMachine } from 'aws-local-stepfunctions';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExecutePlanHandler } from '../../../lambdas/handlers/execute-plan.js';
import { createResolvePlanHandler } from '../../../lambdas/handlers/resolve-plan.js';
import { createApplyRuntime } from '../../../lambdas/write/apply-lambda.js';
import { parseAudit } from '../../../lambdas/write/audit.js';
import type { Sandbox } from '../../../sandbox/index.js';
import { exampleConfigJson, type Json } from '../../infra/synthesize.js';
import { frozenSandbox } from '../flow/runner/harness.js';
import { type S3Harness, startS3 } from '../output/s3-harness.js';
import { ACCOUNT, type LocalStack, localStack, PAYLOAD_LIMIT_BYTES, REGION, type RecordedCall } from './harness.js';
import { allowingStatement, permissionsFor } from './iam-actions.js';

const WRITE_SECRET = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:okta-flow/okta-write-AbCdEf`;

let sandbox: Sandbox;
let s3: S3Harness;
let stack: LocalStack;
let definition: Json;
const fns: Record<
  'ResolvePlan' | 'ExecutePlan',
  { env: Record<string, string>; roleId: string; calls: RecordedCall[] }
> = {} as never;
const published: Json[] = [];
let s3Endpoint = '';

function statementsOf(roleId: string): Json[] {
  const out: Json[] = [];
  for (const r of Object.values(stack.synth.json.Resources as Record<string, Json>)) {
    if (r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((x: Json) => x.Ref === roleId)) {
      out.push(...(stack.render(r.Properties.PolicyDocument.Statement) as Json[]));
    }
  }
  return out;
}

beforeAll(async () => {
  sandbox = await frozenSandbox({ users: 300, seed: 11 });
  s3 = await startS3();
  const config = exampleConfigJson();
  (config.okta as Record<string, unknown>).writeCredentialsSecret = WRITE_SECRET;
  stack = await localStack({ config, s3, sandbox });
  const endpoint = await s3.client.config.endpoint?.();
  if (!endpoint) throw new Error('s3rver has no endpoint');
  s3Endpoint = `${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`;
  const { json } = stack.synth;
  const apply = stack.synth.stack.oktaFlow.applyPlan;
  if (!apply) throw new Error('no ApplyPlan');
  const machine = json.Resources[stack.synth.stack.getLogicalId(apply.stateMachine.node.defaultChild as never)];
  definition = JSON.parse(stack.render(machine.Properties.DefinitionString) as string);
  for (const [name, fn] of [
    ['ResolvePlan', apply.resolve],
    ['ExecutePlan', apply.execute],
  ] as const) {
    const id = stack.synth.stack.getLogicalId(fn.node.defaultChild as never);
    fns[name] = {
      env: stack.render(json.Resources[id].Properties.Environment.Variables) as Record<string, string>,
      roleId: stack.synth.stack.getLogicalId(fn.role?.node.defaultChild as never),
      calls: [],
    };
  }
}, 120_000);
afterAll(async () => {
  await sandbox?.close();
  await s3?.close();
});

function runtimeFor(name: 'ResolvePlan' | 'ExecutePlan') {
  const fn = fns[name];
  const client = new S3Client({
    endpoint: s3Endpoint,
    region: REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      fn.calls.push({
        service: 's3',
        command: String(context.commandName).replace(/Command$/, ''),
        input: { ...(args.input as Record<string, unknown>) },
      });
      return next(args);
    },
    { step: 'initialize', name: 'record-calls' },
  );
  const secrets = new SecretsManagerClient({ region: REGION });
  mockClient(secrets)
    .on(GetSecretValueCommand)
    .callsFake((input: { SecretId: string }) => {
      fn.calls.push({ service: 'secretsmanager', command: 'GetSecretValue', input });
      return {
        ARN: WRITE_SECRET,
        VersionId: 'v1',
        SecretString: JSON.stringify({ type: 'apiToken', apiToken: sandbox.apiToken }),
      };
    });
  const eventBridge = new EventBridgeClient({ region: REGION });
  mockClient(eventBridge)
    .on(PutEventsCommand)
    .callsFake((input: { Entries: { DetailType: string; Detail: string; EventBusName?: string }[] }) => {
      fn.calls.push({ service: 'events', command: 'PutEvents', input });
      for (const e of input.Entries) published.push({ type: e.DetailType, ...JSON.parse(e.Detail) });
      return { FailedEntryCount: 0, Entries: [{ EventId: 'e' }] };
    });
  return createApplyRuntime(fn.env, {
    s3: client,
    secrets,
    eventBridge,
    oktaOrigin: sandbox.baseUrl,
    now: () => sandbox.clock.now(),
  });
}

async function run(input: Json, name: string): Promise<{ status: string; output: Json; error?: string }> {
  const resolve = createResolvePlanHandler(() => runtimeFor('ResolvePlan'));
  const executeHandler = createExecutePlanHandler(() => runtimeFor('ExecutePlan'));
  // Step Functions refuses a state input or task result over its payload quota (States.DataLimitExceeded).
  const withinQuota = (json: string, what: string) => {
    const bytes = Buffer.byteLength(json);
    if (bytes > PAYLOAD_LIMIT_BYTES) throw new Error(`States.DataLimitExceeded: ${what} is ${bytes} bytes`);
    return json;
  };
  const wrap = (h: (e: unknown) => Promise<unknown>) => async (payload: unknown) => {
    try {
      const input = JSON.parse(withinQuota(JSON.stringify(payload), 'the task input'));
      return JSON.parse(withinQuota(JSON.stringify(await h(input)), 'the task result'));
    } catch (error) {
      const e = new Error((error as Error).message);
      e.name = (error as Error).name;
      throw e;
    }
  };
  const machine = new StateMachine(definition, { validationOptions: { checkArn: true, checkPaths: true } });
  const execution = machine.run(input, {
    overrides: { taskResourceLocalHandlers: { Resolve: wrap(resolve), Execute: wrap(executeHandler) } },
    context: {
      Execution: { Id: `arn:aws:states:${REGION}:${ACCOUNT}:execution:OktaFlow-ApplyPlan:${name}`, Name: name },
    },
  });
  try {
    return { status: 'SUCCEEDED', output: await execution.result };
  } catch (error) {
    return { status: 'FAILED', output: null, error: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

const users = () => [...sandbox.org.all('users')] as Json[];
const prefix = 'okta';

describe('ApplyPlan (local Step Functions over the real handlers)', () => {
  let targets: string[];
  const plan = `s3://okta-flow-test/${prefix}/plans/leavers.jsonl`;

  beforeAll(async () => {
    targets = users()
      .filter((u) => u.status === 'ACTIVE')
      .slice(1, 4)
      .map((u) => String(u.id));
    await s3.client.send(
      new PutObjectCommand({
        Bucket: s3.bucket,
        Key: `${prefix}/plans/leavers.jsonl`,
        Body: targets.map((user) => JSON.stringify({ action: 'deactivate-user', user })).join('\n'),
      }),
    );
  });

  const statusOf = (id: string) => users().find((u) => u.id === id)?.status;

  it('a dry run (execute absent) resolves, stores the resolution, changes nothing', async () => {
    const result = await run({ plan }, 'dry-run');
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output.counts).toEqual({ willChange: 3, alreadySo: 0, invalid: 0 });
    expect(result.output.execute).toBe(false);
    expect(result.output.resolution).toMatch(
      /^s3:\/\/okta-flow-test\/okta\/apply\/[0-9a-f]{64}\/dry-run\/resolution\.json$/,
    );
    expect(targets.map(statusOf)).toEqual(['ACTIVE', 'ACTIVE', 'ACTIVE']);
    expect(published).toEqual([]);
  });

  it('execute: true applies every row, audits it in S3 (SSE-KMS) and emits one event each', async () => {
    const result = await run({ plan, execute: true }, 'exec-1');
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toMatchObject({ succeeded: 3, alreadySo: 0 });
    // The audit trail keeps both resolutions: what ResolvePlan showed and what ExecutePlan ran.
    expect(result.output.shownResolution).toMatch(/\/exec-1\/resolution\.json$/);
    expect(result.output.resolution).toMatch(/\/exec-1\/resolution\.2\.json$/);
    const stored = async (url: string) => {
      const got = await s3.client.send(
        new GetObjectCommand({ Bucket: s3.bucket, Key: url.replace('s3://okta-flow-test/', '') }),
      );
      return JSON.parse((await got.Body?.transformToString()) ?? '') as { execute: boolean; counts: Json };
    };
    const shown = await stored(String(result.output.shownResolution));
    const ran = await stored(String(result.output.resolution));
    expect([shown.execute, shown.counts.willChange, ran.execute, ran.counts.willChange]).toEqual([false, 3, true, 3]);
    expect(targets.map(statusOf)).toEqual(['DEPROVISIONED', 'DEPROVISIONED', 'DEPROVISIONED']);
    const key = String(result.output.audit).replace('s3://okta-flow-test/', '');
    const object = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
    const audit = parseAudit((await object.Body?.transformToString()) ?? '');
    expect(audit.map((r) => `${r.row} ${r.phase} ${r.result}`)).toEqual([
      '1 intent pending',
      '1 outcome succeeded',
      '2 intent pending',
      '2 outcome succeeded',
      '3 intent pending',
      '3 outcome succeeded',
    ]);
    const puts = fns.ExecutePlan.calls.filter((c) => c.command === 'PutObject');
    expect(puts.map((p) => String(p.input.Key).split('/').at(-1))).toContain('audit.jsonl');
    for (const put of puts) {
      expect([put.input.ServerSideEncryption, put.input.SSEKMSKeyId]).toEqual([
        'aws:kms',
        fns.ExecutePlan.env.KMS_KEY_ARN,
      ]);
    }
    expect(published.map((e) => `${e.type} ${e.row} ${e.result}`)).toEqual([
      'Apply Action 1 succeeded',
      'Apply Action 2 succeeded',
      'Apply Action 3 succeeded',
    ]);
  });

  it('execute again: resolved as already so, ExecutePlan not invoked', async () => {
    const before = published.length;
    const result = await run({ plan, execute: true }, 'exec-2');
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output.counts).toEqual({ willChange: 0, alreadySo: 3, invalid: 0 });
    expect(published.length).toBe(before);
  });

  it('a plan outside the output prefix or an invalid plan fails the execution, naming why', async () => {
    const outside = await run({ plan: 's3://okta-flow-test/elsewhere/plan.jsonl', execute: true }, 'outside');
    expect(outside.error).toContain('ApplyPlan reads plans only from the output, s3://okta-flow-test/okta/');
    await s3.client.send(
      new PutObjectCommand({
        Bucket: s3.bucket,
        Key: `${prefix}/plans/bad.jsonl`,
        Body: `{"action":"delete-user","user":"${String(users().filter((u) => u.status === 'ACTIVE')[10]?.id)}"}`,
      }),
    );
    const bad = await run({ plan: `s3://okta-flow-test/${prefix}/plans/bad.jsonl`, execute: true }, 'bad');
    expect(bad.status).toBe('FAILED');
    expect(bad.error).toMatch(
      /The plan was rejected: 1 row is invalid .*row 1, user: .* Okta deletes only DEPROVISIONED users/s,
    );
  });

  it('every SDK call of each apply handler is allowed by its own role', () => {
    const arns = {
      bucket: s3.bucket,
      keyArn: String(fns.ExecutePlan.env.KMS_KEY_ARN),
      secretArn: WRITE_SECRET,
      eventBusArn: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default`,
    };
    for (const [name, fn] of Object.entries(fns)) {
      expect(fn.calls.length).toBeGreaterThan(0);
      const statements = statementsOf(fn.roleId);
      const denied = fn.calls
        .flatMap((call) => permissionsFor(call, arns))
        .filter((p) => allowingStatement(statements, p) === undefined)
        .map((p) => `${name}: ${p.action} on ${p.resource} (${p.because})`);
      expect(denied).toEqual([]);
    }
    expect(fns.ResolvePlan.calls.some((c) => c.service === 'events')).toBe(false);
  });

  it('each apply role grants nothing its handler’s calls do not need', () => {
    const arns = {
      bucket: s3.bucket,
      keyArn: String(fns.ExecutePlan.env.KMS_KEY_ARN),
      secretArn: WRITE_SECRET,
      eventBusArn: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default`,
    };
    const unused: string[] = [];
    for (const [name, fn] of Object.entries(fns)) {
      const permissions = fn.calls.flatMap((call) => permissionsFor(call, arns));
      for (const statement of statementsOf(fn.roleId)) {
        for (const action of [statement.Action].flat() as string[]) {
          if (/^(xray|logs):/.test(action)) continue; // the Lambda runtime's, not the handler's
          const used = permissions.some((p) => p.action === action && allowingStatement([statement], p) !== undefined);
          if (!used) unused.push(`${name} ${statement.Sid ?? '(no sid)'}: ${action}`);
        }
      }
    }
    expect(unused).toEqual([]);
  });

  it('the write secret: read only by ResolvePlan and ExecutePlan, and they read no other secret', () => {
    for (const fn of Object.values(fns)) {
      const ids = fn.calls.filter((c) => c.service === 'secretsmanager').map((c) => c.input.SecretId);
      expect(ids.length).toBeGreaterThan(0);
      expect(new Set(ids)).toEqual(new Set([WRITE_SECRET]));
    }
    const read = (secretArn: string) => ({
      action: 'secretsmanager:GetSecretValue',
      resource: secretArn,
      context: {},
      because: 'GetSecretValue',
    });
    const applyRoles = new Set(Object.values(fns).map((f) => f.roleId));
    const readers: string[] = [];
    const readersOfRead: string[] = [];
    for (const [id, r] of Object.entries(stack.synth.json.Resources as Record<string, Json>)) {
      if (r.Type !== 'AWS::IAM::Role') continue;
      // Roles whose policies grant no Secrets Manager action cannot read a secret (and may name resources, like a
      // state machine, that have no local value).
      const policies = Object.values(stack.synth.json.Resources as Record<string, Json>).filter(
        (p) => p.Type === 'AWS::IAM::Policy' && p.Properties.Roles.some((x: Json) => x.Ref === id),
      );
      if (!JSON.stringify(policies).includes('secretsmanager:')) continue;
      const statements = statementsOf(id);
      if (allowingStatement(statements, read(WRITE_SECRET)) !== undefined) readers.push(id);
      if (applyRoles.has(id) && allowingStatement(statements, read(stack.secretArn)) !== undefined) {
        readersOfRead.push(id);
      }
    }
    expect(readers.sort()).toEqual([...applyRoles].sort());
    // …and the read flows' secret is not theirs to read.
    expect(readersOfRead).toEqual([]);
  });
});
