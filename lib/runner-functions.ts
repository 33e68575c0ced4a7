/**
 * The four state-machine Lambdas (plan, extract, commit, fail), their environment and their permissions. Each
 * permission is granted right next to the environment variable naming the resource, and only to the functions whose
 * code sends the call (test/integration/state-machine/iam-per-handler.test.ts records every SDK command each handler
 * sends during local executions and compares them with these policies, both ways):
 *
 * | grant                                              | plan | extract | commit | fail |
 * | state (Get/Put <prefix>/_state/*)                  |  ✓   |    ✓    |   ✓    |  ✓   |
 * | state delete (checkpoints, run documents)          |      |         |   ✓    |  ✓   |
 * | list the bucket (so a missing key reads as 404)    |  ✓   |    ✓    |   ✓    |  ✓   |
 * | data read (Get <prefix>/*)                         |  ✓   |    ✓    |   ✓    |  ✓   |
 * | data write (Put/AbortMPU <prefix>/*)               |      |    ✓    |   ✓    |      |
 * | data delete (Delete <prefix>/*)                    |  ✓¹  |         |   ✓    |  ✓   |
 * | KMS Decrypt + GenerateDataKey (SSE-KMS data key)   |  ✓   |    ✓    |   ✓    |  ✓   |
 * | secret read; write for refresh-token rotation      |  ✓²  |    ✓    |        |      |
 * | events:PutEvents on the default bus                |  ✓   |         |   ✓    |  ✓   |
 * | Glue Get/Create/UpdateTable in the lake's database |      |         |   ✓³  |      |
 *
 * ¹ PlanRun removes the files of a run that crashed without committing when it takes over its expired lease.
 * ² PlanRun reads the org's user profile schemas (custom attributes are resolved at plan time).
 * ³ CommitRun keeps the lake's tables and views current when runs bring new columns (not for CSV output).
 * No kms:Encrypt: SSE-KMS writes ask KMS for a data key (GenerateDataKey), reads and multipart uploads Decrypt.
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
    // Commit reads every task's result and checkpoint: 15 minutes (the Lambda maximum) covers the largest plan.
    this.commit = fn(
      'CommitRun',
      'commit-run.ts',
      'okta-flow: write the manifest, advance the watermark',
      Duration.minutes(15),
    );
    this.fail = fn('FailRun', 'fail-run.ts', 'okta-flow: abort uploads, release the lease', Duration.minutes(2));
    this.all = [this.plan, this.extract, this.commit, this.fail];

    for (const f of this.all) {
      this.grantState(f, f === this.commit || f === this.fail);
      this.grantDataRead(f);
      this.grantKey(f);
    }
    for (const f of [this.extract, this.commit]) this.grantDataWrite(f);
    // Extract never deletes: stale parts of earlier attempts are removed at commit, a failed run's by FailRun.
    for (const f of [this.plan, this.commit, this.fail]) this.grantDataDelete(f);
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
  private grantState(f: OktaFlowFunction, deletes: boolean): void {
    const { bucket, prefix } = this.props;
    f.addEnvironment('STATE_BUCKET', bucket.bucketName);
    f.addEnvironment('STATE_PREFIX', prefix);
    f.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'RunState',
        // Only commit and fail drop state (checkpoints, run documents); plan and extract read and write it.
        actions: ['s3:GetObject', 's3:PutObject', ...(deletes ? ['s3:DeleteObject'] : [])],
        resources: [this.objectsArn(`${prefix}/_state/*`)],
      }),
    );
    acknowledgeWildcardResource(
      f.role ?? f,
      this.objectsArn(`${prefix}/_state/*`),
      'State objects (leases, watermarks, checkpoints) have per-flow and per-run keys under the state prefix.',
    );
  }

  /**
   * OUTPUT_BUCKET: read manifests and earlier parts, list runs under the prefix. ListBucket has no `s3:prefix`
   * condition on purpose: S3 answers 404 for a missing key only to a caller allowed s3:ListBucket on the bucket, and
   * a GetObject request carries no s3:prefix, so a prefix-conditioned grant makes every missing state key (the first
   * run's lease and state) a 403. The trade-off: these roles can list key names anywhere in the bucket (not read
   * them); give okta-flow a bucket of its own when other data's key names are sensitive.
   */
  private grantDataRead(f: OktaFlowFunction): void {
    const { bucket, prefix } = this.props;
    f.addEnvironment('OUTPUT_BUCKET', bucket.bucketName);
    f.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ListBucketSoMissingKeysAre404',
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
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

  /** Data parts and manifests (multipart uploads, aborted when a step fails mid-file). */
  private grantDataWrite(f: OktaFlowFunction): void {
    const { prefix } = this.props;
    f.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'WriteOutput',
        actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
        resources: [this.objectsArn(`${prefix}/*`)],
      }),
    );
  }

  /** Stale parts of an earlier attempt, a failed run's files, the files of a crashed run taken over. */
  private grantDataDelete(f: OktaFlowFunction): void {
    const { prefix } = this.props;
    f.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'DeleteOutput',
        actions: ['s3:DeleteObject'],
        resources: [this.objectsArn(`${prefix}/*`)],
      }),
    );
  }

  /** KMS_KEY_ARN: SSE-KMS on data and state (GenerateDataKey to write, Decrypt to read and for multipart uploads). */
  private grantKey(f: OktaFlowFunction): void {
    const { key } = this.props;
    f.addEnvironment('KMS_KEY_ARN', key.keyArn);
    f.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'DataKey',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
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
