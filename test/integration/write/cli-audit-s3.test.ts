/**
 * Where `okta-flow apply` persists its audit: with `--out s3://bucket/prefix` the resolution and audit.jsonl go to
 * S3 (s3rver) under `<prefix>/apply/<plan hash>/<run id>/`, every object SSE-KMS with the --kms-key, exactly as the
 * ApplyPlan state machine stores them; with `--event-bus` one Apply Action event per outcome goes to EventBridge
 * (aws-sdk-client-mock), the same records as the audit file.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyCommand } from '../../../bin/commands/apply.js';
import { type AuditRecord, parseAudit } from '../../../lambdas/write/audit.js';
import { type S3Harness, startS3 } from '../output/s3-harness.js';
import { jsonl, type Rec, startWriteHarness, type WriteHarness } from './harness.js';

const KMS_KEY = 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555';
let h: WriteHarness;
let s3: S3Harness;
let client: S3Client;
const puts: Rec[] = [];

beforeAll(async () => {
  h = await startWriteHarness();
  s3 = await startS3();
  const endpoint = await s3.client.config.endpoint?.();
  if (!endpoint) throw new Error('s3rver has no endpoint');
  client = new S3Client({
    endpoint: `${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'PutObjectCommand') puts.push({ ...(args.input as Rec) });
      return next(args);
    },
    { step: 'initialize', name: 'record-puts' },
  );
}, 60_000);
afterAll(async () => {
  await h?.close();
  await s3?.close();
});

async function text(key: string): Promise<string> {
  const got = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
  return (await got.Body?.transformToString()) ?? '';
}

describe('okta-flow apply --out s3://… --event-bus', () => {
  it('stores resolution and audit in S3 (SSE-KMS) and publishes one Apply Action event per outcome', async () => {
    const targets = ([...h.sandbox.org.all('users')] as Rec[]).filter((u) => u.status === 'ACTIVE').slice(30, 32);
    const planFile = join(h.dir, 'unlock-plan.jsonl');
    writeFileSync(planFile, jsonl(targets.map((u) => ({ action: 'expire-password', user: String(u.id) }))));
    const eventBridge = new EventBridgeClient({ region: 'us-east-1' });
    const published: Rec[] = [];
    mockClient(eventBridge)
      .on(PutEventsCommand)
      .callsFake((input: { Entries: Rec[] }) => {
        published.push(...input.Entries);
        return { FailedEntryCount: 0, Entries: [{ EventId: 'e' }] };
      });
    const result = await applyCommand({
      plan: planFile,
      execute: true,
      sandboxInstance: h.sandbox,
      out: `s3://${s3.bucket}/okta`,
      kmsKey: KMS_KEY,
      s3Client: client,
      eventBus: 'default',
      eventBridge,
      print: () => undefined,
    });
    const auditUrl = String(result.auditLocation);
    expect(auditUrl).toMatch(/^s3:\/\/okta-flow-test\/okta\/apply\/[0-9a-f]{64}\/apply-[^/]+\/audit\.jsonl$/);
    expect(result.resolutionLocation).toBe(auditUrl.replace('audit.jsonl', 'resolution.json'));
    const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: 'okta/apply/' }));
    expect((listed.Contents ?? []).map((o) => String(o.Key).split('/').at(-1)).sort()).toEqual([
      'audit.jsonl',
      'resolution.json',
    ]);
    const audit = parseAudit(await text(auditUrl.replace(`s3://${s3.bucket}/`, '')));
    expect(audit.map((r) => `${r.row} ${r.phase} ${r.result}`)).toEqual([
      '1 intent pending',
      '1 outcome succeeded',
      '2 intent pending',
      '2 outcome succeeded',
    ]);
    expect(puts.length).toBe(1 + 4); // the resolution, then the audit after each record
    for (const put of puts) expect([put.ServerSideEncryption, put.SSEKMSKeyId]).toEqual(['aws:kms', KMS_KEY]);
    // Events: the outcome records, on the default bus (no EventBusName), source okta-flow.
    expect(published.map((e) => [e.Source, e.DetailType, e.EventBusName])).toEqual([
      ['okta-flow', 'Apply Action', undefined],
      ['okta-flow', 'Apply Action', undefined],
    ]);
    expect(published.map((e) => JSON.parse(String(e.Detail)) as AuditRecord)).toEqual(
      audit.filter((r) => r.phase === 'outcome'),
    );
  });
});
