/**
 * The four state-machine Lambdas (plan, extract, commit, fail), their environment and their permissions. Each
 * permission is granted right next to the environment variable naming the resource, and only to the functions whose
 * step needs it (lambdas/flow/runner/: only extract talks to Okta; plan, commit and fail publish run events):
 *
 * | grant                                          | plan | extract | commit | fail |
 * | state (Get/Put/Delete <prefix>/_state/*)       |  ✓   |    ✓    |   ✓    |  ✓   |
 * | data read (Get <prefix>/*, List <prefix>/)     |  ✓   |    ✓    |   ✓    |  ✓   |
 * | data write (Put/Delete/AbortMPU <prefix>/*)    |      |    ✓    |   ✓    |  ✓   |
 * | KMS Encrypt/Decrypt/GenerateDataKey (data key) |  ✓   |    ✓    |   ✓    |  ✓   |
 * | secret read; write for refresh-token rotation  |  ✓   |    ✓    |        |      |
 * | events:PutEvents on the default bus            |  ✓   |         |   ✓    |  ✓   |
 * | Glue Get/Create/UpdateTable in the database    |      |         |   ✓    |      |
 *
 * CREDENTIALS_SECRET_ARN is set on all four because the handlers share one environment schema; only plan (it reads
 * the org's user profile schemas to resolve custom attributes) and extract may read the secret. Commit keeps the
 * lake's Glue tables and views current when runs bring new columns (custom attributes, schema drift).
 */
import { Arn, ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledgeWildcardResource } from './nag.js';
import { OktaFlowFunction } from './okta-flow-function.js';

export interface RunnerFunctionsProps {
  readonly handlersDir: string;
  readonly configJson: string;
  readonly bucket: s3.IBucket;
  readonly prefix: string;
  readonly key: kms.IKey;
  readonly secret: secretsmanager.ISecret;
  readonly secretId: string;
  /** The lake's Glue database, when the output has Glue tables (not CSV, not client-side encrypted). */
  readonly glueDatabaseName?: string;
}

export class RunnerFunctions extends Construct {
  readonly plan: OktaFlowFunction;
  readonly extract: OktaFlowFunction;
  readonly commit: OktaFlowFunction;
  readonly fail: OktaFlowFunction;
  readonly all: readonly OktaFlowFunction[];

  constructor(
    scope: Construct,
    id: string,
    private readonly props: RunnerFunctionsProps,
  ) {
    super(scope, id);
    const fn = (name: string, file: string, description: string, timeout: Duration, memorySize = 512) =>
      new OktaFlowFunction(this, name, {
        entry: `${props.handlersDir}/${file}`,
        description,
        timeout,
        memorySize,
        environment: { OKTA_FLOW_CONFIG: props.configJson },
      });
    this.plan = fn('PlanRun', 'plan-run.ts', 'okta-flow: plan a run (window, slices, lease)', Duration.minutes(2));
    // Extract works inside a time budget and returns a continuation; 15 minutes is the Lambda maximum.
    this.extract = fn('ExtractStep', 'extract-step.ts', 'okta-flow: extract one slice', Duration.minutes(15), 1024);
    this.commit = fn(
      'CommitRun',
      'commit-run.ts',
      'okta-flow: write the manifest, advance the watermark',
      Duration.minutes(5),
    );
    this.fail = fn('FailRun', 'fail-run.ts', 'okta-flow: abort uploads, release the lease', Duration.minutes(2));
    this.all = [this.plan, this.extract, this.commit, this.fail];

    for (const f of this.all) {
      this.grantState(f);
      this.grantDataRead(f);
      this.grantKey(f);
    }
    for (const f of [this.extract, this.commit, this.fail]) this.grantDataWrite(f);
    for (const f of this.all) f.addEnvironment('CREDENTIALS_SECRET_ARN', props.secretId);
    this.grantSecret(this.plan);
    this.grantSecret(this.extract);
    if (props.glueDatabaseName !== undefined) this.grantGlue(this.commit, props.glueDatabaseName);
    for (const f of [this.plan, this.commit, this.fail]) this.grantEvents(f);
  }

  private objectsArn(path: string): string {
    return this.props.bucket.arnForObjects(path);
  }

  /**
   * STATE_BUCKET / STATE_PREFIX: leases, watermarks, checkpoints (conditional writes need only Get/Put). STATE_PREFIX
   * is the output prefix the S3 state store puts `_state/` under (lambdas/flow/state/s3-state-store.ts), exactly as
   * the CLI does with the config's prefix, so both see the same state.
   */
  private grantState(f: OktaFlowFunction): void {
    const { bucket, prefix } = this.props;
    f.addEnvironment('STATE_BUCKET', bucket.bucketName);
    f.addEnvironment('STATE_PREFIX', prefix);
    f.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'RunState',
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        resources: [this.objectsArn(`${prefix}/_state/*`)],
      }),
    );
    acknowledgeWildcardResource(
      f.role ?? f,
      this.objectsArn(`${prefix}/_state/*`),
      'State objects (leases, watermarks, checkpoints) have per-flow and per-run keys under the state prefix.',
    );
  }

  /** OUTPUT_BUCKET: read manifests and earlier parts, list under the prefix (404 instead of 403 needs ListBucket). */
  private grantDataRead(f: OktaFlowFunction): void {
    const { bucket, prefix } = this.props;
    f.addEnvironment('OUTPUT_BUCKET', bucket.bucketName);
    f.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ListOutputPrefix',
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${prefix}/*`] } },
      }),
    );
    f.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadOutput',
        actions: ['s3:GetObject'],
        resources: [this.objectsArn(`${prefix}/*`)],
      }),
    );
    acknowledgeWildcardResource(
      f.role ?? f,
      this.objectsArn(`${prefix}/*`),
      'Data keys are <prefix>/<object>/dt=<day>/run_id=<run>/part-N: unknown until run time, all under the prefix.',
    );
  }

  /** Data parts and manifests (multipart uploads; stale parts of an earlier attempt are deleted). */
  private grantDataWrite(f: OktaFlowFunction): void {
    const { prefix } = this.props;
    f.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'WriteOutput',
        actions: ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
        resources: [this.objectsArn(`${prefix}/*`)],
      }),
    );
  }

  /** KMS_KEY_ARN: SSE-KMS on data and state; no ReEncrypt, no key administration. */
  private grantKey(f: OktaFlowFunction): void {
    const { key } = this.props;
    f.addEnvironment('KMS_KEY_ARN', key.keyArn);
    f.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'DataKey',
        actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
        resources: [key.keyArn],
      }),
    );
  }

  /** CREDENTIALS_SECRET_ARN: read the credentials; write only to persist a rotated OAuth refresh token. */
  private grantSecret(f: OktaFlowFunction): void {
    const { secret } = this.props;
    f.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadCredentials',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [secret.secretFullArn ?? `${secret.secretArn}-??????`],
      }),
    );
    f.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'PersistRotatedRefreshToken',
        // Compare-and-swap of a rotated refresh token: stage a new version, then move AWSCURRENT to it
        // (lambdas/okta/auth/secret-stores.ts).
        actions: ['secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage'],
        resources: [secret.secretFullArn ?? `${secret.secretArn}-??????`],
      }),
    );
  }

  /** GLUE_DATABASE: re-register the lake's tables and views of the database when a commit brings new columns. */
  private grantGlue(f: OktaFlowFunction, databaseName: string): void {
    const stack = Stack.of(this);
    const arn = (resource: string, resourceName?: string) =>
      Arn.format({ service: 'glue', resource, ...(resourceName ? { resourceName } : {}) }, stack);
    const tables = arn('table', `${databaseName}/*`);
    f.addEnvironment('GLUE_DATABASE', databaseName);
    f.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'LakeTables',
        actions: ['glue:GetTable', 'glue:CreateTable', 'glue:UpdateTable'],
        resources: [arn('catalog'), arn('database', databaseName), tables],
      }),
    );
    acknowledgeWildcardResource(
      f.role ?? f,
      tables,
      'Lake tables and views of one database (<object> parts, commits, history, current, deletes), named per object.',
    );
  }

  /** EVENT_BUS_NAME: Run Started / Completed / Failed on the default bus. */
  private grantEvents(f: OktaFlowFunction): void {
    const bus = events.EventBus.fromEventBusName(this, `${f.node.id}Bus`, 'default');
    f.addEnvironment('EVENT_BUS_NAME', 'default');
    f.addToRolePolicy(
      new iam.PolicyStatement({ sid: 'RunEvents', actions: ['events:PutEvents'], resources: [bus.eventBusArn] }),
    );
  }
}

/** arn:<partition>:secretsmanager:<region>:<account>:secret:<pattern> */
export function secretArnPattern(scope: Construct, pattern: string): string {
  return Arn.format(
    { service: 'secretsmanager', resource: 'secret', resourceName: pattern, arnFormat: ArnFormat.COLON_RESOURCE_NAME },
    Stack.of(scope),
  );
}
