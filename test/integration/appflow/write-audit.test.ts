/**
 * AppFlow WriteData audits like `okta-flow apply`: each batch's resolution and its intent + outcome records go to the
 * output bucket (s3rver) under `<prefix>/apply/<plan hash>/<run id>/`, SSE-KMS with the data key, built from the
 * connector function's synthesized environment; a rejected allOrNone batch leaves its resolution and no audit. Every
 * S3 call WriteData makes is allowed by the connector's synthesized role, and its audit statements are all used;
 * one Apply Action event per outcome goes to EventBridge (aws-sdk-client-mock), on the bus the environment names.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeAuditFromEnv } from '../../../lambdas/appflow/write-audit-target.js';
import { EventBridgeApplyEvents } from '../../../lambdas/write/apply-events.js';
import { type AuditRecord, parseAudit } from '../../../lambdas/write/audit.js';
import type { Sandbox } from '../../../sandbox/index.js';
import { exampleConfigJson, type Json, roleStatements } from '../../infra/synthesize.js';
import { type S3Harness, startS3 } from '../output/s3-harness.js';
import { ACCOUNT, type LocalStack, localStack, REGION, type RecordedCall } from '../state-machine/harness.js';
import { allowingStatement, permissionsFor } from '../state-machine/iam-actions.js';
import { type Connection, connect, startOrg } from './harness.js';

type Rec = Record<string, unknown>;
let sandbox: Sandbox;
let s3: S3Harness;
let stack: LocalStack;
let c: Connection;
let env: Record<string, string>;
let roleId: string;
const calls: RecordedCall[] = [];
const published: AuditRecord[] = [];

beforeAll(async () => {
  sandbox = await startOrg();
  s3 = await startS3();
  stack = await localStack({
    config: { ...exampleConfigJson(), appflow: { enabled: true, connectorLabel: 'okta-flow' } },
    s3,
    sandbox,
  });
  const fn = stack.synth.stack.oktaFlow.appflow?.function;
  if (fn === undefined) throw new Error('no AppFlow connector');
  const id = stack.synth.stack.getLogicalId(fn.node.defaultChild as never);
  roleId = stack.synth.stack.getLogicalId(fn.role?.node.defaultChild as never);
  env = stack.render(stack.synth.json.Resources[id].Properties.Environment.Variables) as Record<string, string>;
  const endpoint = await s3.client.config.endpoint?.();
  if (!endpoint) throw new Error('s3rver has no endpoint');
  const client = new S3Client({
    endpoint: `${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`,
    region: REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      calls.push({
        service: 's3',
        command: String(context.commandName).replace(/Command$/, ''),
        input: { ...(args.input as Record<string, unknown>) },
      });
      return next(args);
    },
    { step: 'initialize', name: 'record-calls' },
  );
  const writeAudit = writeAuditFromEnv(env, () => client);
  if (writeAudit === undefined) throw new Error('the connector function has no audit environment');
  const eventBridge = new EventBridgeClient({ region: REGION });
  mockClient(eventBridge)
    .on(PutEventsCommand)
    .callsFake((input: { Entries: { Detail: string; EventBusName?: string }[] }) => {
      calls.push({ service: 'events', command: 'PutEvents', input });
      for (const e of input.Entries) published.push(JSON.parse(e.Detail) as AuditRecord);
      return { FailedEntryCount: 0, Entries: [{ EventId: 'e' }] };
    });
  // As the handler builds it from the function's environment.
  const writeEvents = new EventBridgeApplyEvents(eventBridge, env.EVENT_BUS_NAME);
  c = connect(sandbox, { writeAudit, writeEvents });
}, 120_000);
afterAll(async () => {
  await sandbox?.close();
  await s3?.close();
});

const write = async (entityIdentifier: string, operation: string, records: Rec[], allOrNone = false) =>
  (await c.call({
    type: 'WriteDataRequest',
    entityIdentifier,
    connectorContext: c.context(),
    operation,
    idFieldNames: ['id'],
    records: records.map((r) => JSON.stringify(r)),
    allOrNone,
  })) as unknown as { isSuccess: boolean; writeRecordResults: Rec[] };

async function keys(): Promise<string[]> {
  const out = await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: 'okta/apply/' }));
  return (out.Contents ?? []).map((o) => String(o.Key)).sort();
}
async function text(key: string): Promise<string> {
  const got = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
  return (await got.Body?.transformToString()) ?? '';
}
const active = () => ([...sandbox.org.all('users')] as Rec[]).filter((u) => u.status === 'ACTIVE').slice(1);
const group = () => String(([...sandbox.org.all('groups')] as Rec[]).find((g) => g.type === 'OKTA_GROUP')?.id);

describe('AppFlow WriteData audit in the bucket', () => {
  let batchKeys: string[] = [];

  it('a batch: resolution.json and audit.jsonl (intent + outcome per record, Okta request ids) under apply/', async () => {
    const before = await keys();
    const [a, b] = active()
      .slice(20, 22)
      .map((u) => String(u.id));
    const res = await write('GroupMember', 'INSERT', [
      { group_id: group(), user_id: a },
      { group_id: group(), user_id: b },
    ]);
    expect(res.writeRecordResults.map((r) => r.isSuccess)).toEqual([true, true]);
    batchKeys = (await keys()).filter((k) => !before.includes(k));
    expect(
      batchKeys.map((k) => k.replace(/apply\/[0-9a-f]{64}\/appflow-\d{8}T\d{6}Z-[0-9a-f]{8}\//, 'apply/H/R/')),
    ).toEqual(['okta/apply/H/R/audit.jsonl', 'okta/apply/H/R/resolution.json']);
    const audit = parseAudit(await text(String(batchKeys[0])));
    expect(audit.map((r) => `${r.row} ${r.action} ${r.phase} ${r.result}`)).toEqual([
      '1 add-user-to-group intent pending',
      '1 add-user-to-group outcome succeeded',
      '2 add-user-to-group intent pending',
      '2 add-user-to-group outcome succeeded',
    ]);
    const outcomes = audit.filter((r) => r.phase === 'outcome');
    expect(outcomes.map((r) => r.target.user?.id)).toEqual([a, b]);
    expect(outcomes.every((r) => typeof r.requestId === 'string' && r.requestId.length > 0)).toBe(true);
    const resolution = JSON.parse(await text(String(batchKeys[1]))) as Rec;
    expect(resolution).toMatchObject({ source: 'appflow', entity: 'GroupMember', operation: 'INSERT', execute: true });
    expect(resolution.planHash).toBe(audit[0]?.planHash);
    // The log has the same records (and where they are stored).
    const logged = c.logs
      .map((l) => JSON.parse(l) as { message: string; audit?: AuditRecord; location?: string })
      .filter((l) => l.message === 'okta-flow write audit' && l.audit?.runId === audit[0]?.runId);
    expect(logged.map((l) => l.audit)).toEqual(audit);
    expect(logged[0]?.location).toBe(`s3://${s3.bucket}/${batchKeys[0]}`);
    // One Apply Action event per outcome, the same records.
    expect(published.filter((r) => r.runId === audit[0]?.runId)).toEqual(outcomes);
  });

  it('every audit object is SSE-KMS with the data key', () => {
    const puts = calls.filter((p) => p.service === 's3' && p.command === 'PutObject');
    expect(puts.length).toBeGreaterThanOrEqual(5); // resolution + one PUT per audit record
    for (const put of puts) {
      expect(String(put.input.Key)).toMatch(/^okta\/apply\//);
      expect([put.input.ServerSideEncryption, put.input.SSEKMSKeyId]).toEqual(['aws:kms', env.KMS_KEY_ARN]);
    }
  });

  it('an allOrNone batch with an invalid record: its resolution (rejected) is stored, no audit, nothing written', async () => {
    const before = await keys();
    const res = await write(
      'GroupMember',
      'DELETE',
      [
        { group_id: group(), user_id: String(active()[20]?.id) },
        { group_id: 'No Such Group', user_id: String(active()[21]?.id) },
      ],
      true,
    );
    expect(res.writeRecordResults.map((r) => r.isSuccess)).toEqual([false, false]);
    const added = (await keys()).filter((k) => !before.includes(k));
    expect(added.map((k) => k.split('/').at(-1))).toEqual(['resolution.json']);
    const resolution = JSON.parse(await text(String(added[0]))) as Rec;
    expect(resolution).toMatchObject({ rejected: true, execute: false, counts: { willChange: 1, invalid: 1 } });
  });

  it('the connector role allows every S3 call WriteData made, and its audit statements are each used', () => {
    const statements = stack.render(roleStatements(stack.synth.json, roleId)) as Json[];
    const arns = {
      bucket: s3.bucket,
      keyArn: env.KMS_KEY_ARN ?? '',
      secretArn: 'n/a',
      eventBusArn: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default`,
    };
    const needed = calls.flatMap((call) => permissionsFor(call, arns));
    expect(needed.filter((p) => allowingStatement(statements, p) === undefined)).toEqual([]);
    for (const sid of ['WriteDataAudit', 'WriteDataAuditKey', 'ApplyEvents']) {
      const statement = statements.find((st) => st.Sid === sid);
      expect(statement, sid).toBeDefined();
      expect(
        needed.some((p) => allowingStatement([statement as Json], p) !== undefined),
        sid,
      ).toBe(true);
    }
    // New objects only: WriteData never reads, lists or deletes in the bucket.
    expect(new Set(calls.map((call) => `${call.service}:${call.command}`))).toEqual(
      new Set(['s3:PutObject', 'events:PutEvents']),
    );
  });
});
