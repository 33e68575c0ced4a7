/**
 * The okta-flow stack: everything one `cdk deploy` puts into an account for one config. Environment-agnostic (no
 * lookups), so `cdk synth` works offline without credentials.
 */
import { CfnOutput, Duration, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { Config } from '../lambdas/flow/config/index.js';
import { FIRST_PARTITION_DAY, hasGlueTables } from '../lambdas/lake/glue-definitions.js';
import { AppFlowConnector } from './appflow-connector.js';
import { CredentialsSecret } from './credentials-secret.js';
import { EncryptionKeys } from './encryption-keys.js';
import { FlowSchedules } from './flow-schedules.js';
import { databaseNameOf, GlueTables } from './glue-tables.js';
import { Monitoring } from './monitoring.js';
import { OutputBucket } from './output-bucket.js';
import { HANDLERS_DIR } from './paths.js';
import { RunFlowStateMachine } from './run-flow-state-machine.js';
import { RunnerFunctions } from './runner-functions.js';
import { runtimeConfigJson } from './runtime-config.js';

export interface OktaFlowStackProps extends StackProps {
  readonly config: Config;
  /** Directory of the handler entry files; tests may point elsewhere. */
  readonly handlersDir?: string;
}

/** First day Athena's partition projection enumerates (shared with CommitRun's Glue updates). */
export { FIRST_PARTITION_DAY };
/** The state machine stops a run after this long (the duration alarm fires much earlier). */
export const RUN_TIMEOUT = Duration.hours(24);

export class OktaFlowStack extends Stack {
  readonly keys: EncryptionKeys;
  readonly output: OutputBucket;
  readonly credentials: CredentialsSecret;
  readonly functions: RunnerFunctions;
  readonly runFlow: RunFlowStateMachine;
  readonly schedules: FlowSchedules;
  readonly glue: GlueTables;
  readonly monitoring: Monitoring;
  readonly appflow?: AppFlowConnector;

  constructor(scope: Construct, id: string, props: OktaFlowStackProps) {
    super(scope, id, {
      description: 'okta-flow: Okta → S3 exports (Step Functions, Lambda, EventBridge Scheduler, Glue)',
      ...props,
    });
    const { config } = props;
    // Grant S3 log delivery through the bucket policy, not ACLs (object ownership stays BucketOwnerEnforced).
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    for (const [key, value] of Object.entries(config.stack.tags ?? {})) Tags.of(this).add(key, value);

    this.keys = new EncryptionKeys(this, 'Keys', { config });
    const key = this.keys.dataKey;
    this.output = new OutputBucket(this, 'Output', { config, key });
    this.credentials = new CredentialsSecret(this, 'Credentials', { config, key });

    this.functions = new RunnerFunctions(this, 'Runner', {
      handlersDir: props.handlersDir ?? HANDLERS_DIR,
      configJson: runtimeConfigJson(this, config, this.credentials.secretId),
      bucket: this.output.bucket,
      prefix: config.output.prefix,
      key,
      secret: this.credentials.secret,
      secretId: this.credentials.secretId,
      ...(hasGlueTables(config.output) ? { glueDatabaseName: databaseNameOf(config.stack.name) } : {}),
    });

    this.runFlow = new RunFlowStateMachine(this, 'RunFlow', {
      plan: this.functions.plan,
      extract: this.functions.extract,
      commit: this.functions.commit,
      fail: this.functions.fail,
      timeout: RUN_TIMEOUT,
    });

    this.schedules = new FlowSchedules(this, 'Schedules', {
      flows: config.flows,
      stateMachine: this.runFlow.stateMachine,
      key: this.keys.opsKey,
    });
    this.glue = new GlueTables(this, 'Glue', { config, bucket: this.output.bucket, firstDay: FIRST_PARTITION_DAY });
    this.monitoring = new Monitoring(this, 'Monitoring', {
      config,
      stateMachine: this.runFlow.stateMachine,
      deadLetterQueue: this.schedules.deadLetterQueue,
      key: this.keys.opsKey,
    });

    const output = (id: string, value: string, description: string) => new CfnOutput(this, id, { value, description });
    output('StateMachineArn', this.runFlow.stateMachine.stateMachineArn, 'RunFlow: start with {"flow": "<name>"}');
    output('OutputBucketName', this.output.bucket.bucketName, `Data under s3://<bucket>/${config.output.prefix}/`);
    output('CredentialsSecretArn', this.credentials.secretId, 'Fill with `okta-flow connect --secret <this>`');
    output('KmsKeyArn', key.keyArn, 'Encrypts data, state and the credentials secret');
    output('GlueDatabaseName', this.glue.databaseName, 'Athena database (one table per object)');
    output('AlarmTopicArn', this.monitoring.topic.topicArn, 'Alarms publish here');
    output('DashboardName', this.monitoring.dashboard.dashboardName, 'CloudWatch dashboard');

    if (config.appflow.enabled) {
      this.appflow = new AppFlowConnector(this, 'AppFlow', {
        config,
        credentialsSecretId: this.credentials.secretId,
        handlersDir: props.handlersDir ?? HANDLERS_DIR,
        key,
        keyCreated: this.keys.dataKeyCreated,
        credentialsSecretCreated: this.credentials.created,
        bucket: this.output.bucket,
        bucketCreated: this.output.created,
      });
    }
  }
}
