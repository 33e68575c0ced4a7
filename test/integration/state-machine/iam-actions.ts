/**
 * From recorded SDK calls to the IAM permissions they need, and a small evaluator of identity policies (Allow
 * statements, exact actions, `*`/`?` resource globs, StringLike/StringEquals conditions). AWS's rules, as the
 * service authorization reference and the S3/KMS guides state them:
 * - S3 GetObject/HeadObject → s3:GetObject; PutObject, CreateMultipartUpload, UploadPart, CompleteMultipartUpload →
 *   s3:PutObject; DeleteObject(s) → s3:DeleteObject per key; ListObjectsV2 → s3:ListBucket on the bucket (context
 *   s3:prefix); AbortMultipartUpload → s3:AbortMultipartUpload.
 * - A GetObject of a key that may be missing answers 404 only with s3:ListBucket on the bucket (the request carries
 *   no s3:prefix); without it, 403.
 * - SSE-KMS: a write needs kms:GenerateDataKey, a read kms:Decrypt, a multipart upload both — requested by S3 on
 *   the caller's behalf, so with kms:ViaService s3.<region>.amazonaws.com (the key ARN's region).
 * - EventBridge PutEvents → events:PutEvents on the bus; Secrets Manager GetSecretValue, PutSecretValue,
 *   UpdateSecretVersionStage → the same-named action on the secret.
 * - Glue GetTable, CreateTable, UpdateTable → the same-named action on the catalog, the database and the table
 *   (Glue authorizes a table call against all three).
 */
import type { Json } from '../../infra/synthesize.js';
import type { RecordedCall } from './harness.js';

export interface Permission {
  readonly action: string;
  readonly resource: string;
  /** Condition keys the request carries (absent keys make StringLike/StringEquals conditions fail). */
  readonly context: Readonly<Record<string, string>>;
  /** Why the call needs it, for messages. */
  readonly because: string;
}

export interface Arns {
  readonly bucket: string;
  readonly keyArn: string;
  readonly secretArn: string;
  readonly eventBusArn: string;
  /** `arn:aws:glue:<region>:<account>` (the catalog's ARN; database and table ARNs extend it). */
  readonly glueArn?: string;
}

const S3_OBJECT_ACTIONS: Record<string, string> = {
  GetObject: 's3:GetObject',
  HeadObject: 's3:GetObject',
  PutObject: 's3:PutObject',
  CreateMultipartUpload: 's3:PutObject',
  UploadPart: 's3:PutObject',
  CompleteMultipartUpload: 's3:PutObject',
  DeleteObject: 's3:DeleteObject',
  AbortMultipartUpload: 's3:AbortMultipartUpload',
};

export function permissionsFor(call: RecordedCall, arns: Arns): Permission[] {
  const because = `${call.service}:${call.command}`;
  const bucketArn = `arn:aws:s3:::${arns.bucket}`;
  const object = (key: unknown) => `${bucketArn}/${String(key)}`;
  if (call.service === 's3') {
    const viaS3 = { 'kms:ViaService': `s3.${arns.keyArn.split(':')[3]}.amazonaws.com` };
    if (call.input.Bucket !== arns.bucket)
      throw new Error(`${because} to an unexpected bucket ${String(call.input.Bucket)}`);
    if (call.command === 'ListObjectsV2') {
      return [
        {
          action: 's3:ListBucket',
          resource: bucketArn,
          context: { 's3:prefix': String(call.input.Prefix ?? '') },
          because,
        },
      ];
    }
    if (call.command === 'DeleteObjects') {
      const keys = ((call.input.Delete as { Objects?: { Key?: string }[] } | undefined)?.Objects ?? []).map(
        (o) => o.Key,
      );
      return keys.map((key) => ({ action: 's3:DeleteObject', resource: object(key), context: {}, because }));
    }
    const action = S3_OBJECT_ACTIONS[call.command];
    if (action === undefined) throw new Error(`no IAM mapping for ${because}: add it to iam-actions.ts`);
    const out: Permission[] = [{ action, resource: object(call.input.Key), context: {}, because }];
    if (call.command === 'GetObject' || call.command === 'HeadObject') {
      out.push({ action: 's3:ListBucket', resource: bucketArn, context: {}, because: `${because} (404, not 403)` });
      out.push({ action: 'kms:Decrypt', resource: arns.keyArn, context: viaS3, because: `${because} of SSE-KMS` });
    }
    if (call.command === 'PutObject' || call.command === 'CreateMultipartUpload') {
      if (call.input.ServerSideEncryption !== 'aws:kms' || call.input.SSEKMSKeyId !== arns.keyArn) {
        throw new Error(`${because} of ${String(call.input.Key)} is not SSE-KMS with the data key`);
      }
      out.push({ action: 'kms:GenerateDataKey', resource: arns.keyArn, context: viaS3, because: `${because} SSE-KMS` });
    }
    if (call.command === 'CreateMultipartUpload') {
      out.push({ action: 'kms:Decrypt', resource: arns.keyArn, context: viaS3, because: `${because} SSE-KMS` });
    }
    return out;
  }
  if (call.service === 'events') {
    if (call.command !== 'PutEvents') throw new Error(`no IAM mapping for ${because}`);
    const buses = new Set(
      ((call.input.Entries as { EventBusName?: string }[] | undefined) ?? []).map((e) => e.EventBusName ?? 'default'),
    );
    return [...buses].map((bus) => ({
      action: 'events:PutEvents',
      resource: bus === 'default' ? arns.eventBusArn : bus,
      context: {},
      because,
    }));
  }
  if (call.service === 'glue') {
    if (!['GetTable', 'CreateTable', 'UpdateTable'].includes(call.command) || arns.glueArn === undefined) {
      throw new Error(`no IAM mapping for ${because}`);
    }
    const database = String(call.input.DatabaseName);
    const table = String(call.command === 'GetTable' ? call.input.Name : (call.input.TableInput as Json)?.Name);
    return [
      `${arns.glueArn}:catalog`,
      `${arns.glueArn}:database/${database}`,
      `${arns.glueArn}:table/${database}/${table}`,
    ].map((resource) => ({ action: `glue:${call.command}`, resource, context: {}, because: `${because} ${table}` }));
  }
  if (!['GetSecretValue', 'PutSecretValue', 'UpdateSecretVersionStage'].includes(call.command)) {
    throw new Error(`no IAM mapping for ${because}`);
  }
  return [{ action: `secretsmanager:${call.command}`, resource: arns.secretArn, context: {}, because }];
}

function glob(pattern: string, value: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replaceAll('*', '.*')
    .replaceAll('?', '.');
  return new RegExp(`^${regex}$`).test(value);
}

function asArray<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function conditionsHold(conditions: Json | undefined, context: Readonly<Record<string, string>>): boolean {
  for (const [operator, entries] of Object.entries((conditions ?? {}) as Record<string, Record<string, unknown>>)) {
    for (const [key, expected] of Object.entries(entries)) {
      const actual = context[key];
      if (actual === undefined) return false;
      const values = asArray(expected as string | string[]);
      if (operator === 'StringLike' && !values.some((p) => glob(p, actual))) return false;
      else if (operator === 'StringEquals' && !values.includes(actual)) return false;
      else if (operator !== 'StringLike' && operator !== 'StringEquals') return false;
    }
  }
  return true;
}

/** The Allow statement granting `permission`, if any (no Deny statements are used by the stack). */
export function allowingStatement(statements: readonly Json[], permission: Permission): Json | undefined {
  return statements.find(
    (st) =>
      st.Effect === 'Allow' &&
      asArray<string>(st.Action).includes(permission.action) &&
      asArray<string>(st.Resource).some((r) => glob(r, permission.resource)) &&
      conditionsHold(st.Condition, permission.context),
  );
}
