/**
 * The okta-flow stack: the `OktaFlow` construct in a stack of its own, for the standalone `cdk deploy` of one config
 * (bin/app.ts), plus the stack outputs. Environment-agnostic (no lookups), so `cdk synth` works offline without
 * credentials.
 *
 * The construct's id is `Default`, which CDK leaves out of logical ids: every resource keeps the logical id it had
 * before the construct existed, so upgrading a deployed stack replaces nothing.
 */
import { CfnOutput, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { FIRST_PARTITION_DAY, OktaFlow, type OktaFlowProps, RUN_TIMEOUT } from './okta-flow.js';

export { FIRST_PARTITION_DAY, RUN_TIMEOUT };

export interface OktaFlowStackProps extends StackProps, OktaFlowProps {
  /** Directory of the handler entry files; tests may point elsewhere. */
  readonly handlersDir?: string;
}

export class OktaFlowStack extends Stack {
  readonly oktaFlow: OktaFlow;
  readonly keys: OktaFlow['keys'];
  readonly output: OktaFlow['output'];
  readonly credentials: OktaFlow['credentials'];
  readonly functions: OktaFlow['functions'];
  readonly runFlow: OktaFlow['runFlow'];
  readonly schedules: OktaFlow['schedules'];
  readonly glue: OktaFlow['glue'];
  readonly monitoring: OktaFlow['monitoring'];
  readonly appflow?: OktaFlow['appflow'];

  constructor(scope: Construct, id: string, props: OktaFlowStackProps) {
    super(scope, id, {
      description: 'okta-flow: Okta → S3 exports (Step Functions, Lambda, EventBridge Scheduler, Glue)',
      ...props,
    });
    const { handlersDir, lambdaCode } = props;
    const flow = new OktaFlow(this, 'Default', {
      config: props.config,
      ...(handlersDir === undefined && lambdaCode === undefined
        ? {}
        : { lambdaCode: { ...lambdaCode, ...(handlersDir === undefined ? {} : { handlersDir }) } }),
    });
    this.oktaFlow = flow;
    const { config } = flow;
    // Stack tags too (the construct tags its resources): `cdk deploy` puts these on the CloudFormation stack.
    for (const [key, value] of Object.entries(config.stack.tags ?? {})) Tags.of(this).add(key, value);

    this.keys = flow.keys;
    this.output = flow.output;
    this.credentials = flow.credentials;
    this.functions = flow.functions;
    this.runFlow = flow.runFlow;
    this.schedules = flow.schedules;
    this.glue = flow.glue;
    this.monitoring = flow.monitoring;
    if (flow.appflow) this.appflow = flow.appflow;

    const output = (id: string, value: string, description: string) => new CfnOutput(this, id, { value, description });
    output('StateMachineArn', flow.stateMachine.stateMachineArn, 'RunFlow: start with {"flow": "<name>"}');
    output('OutputBucketName', flow.bucket.bucketName, `Data under s3://<bucket>/${config.output.prefix}/`);
    output('CredentialsSecretArn', flow.credentials.secretId, 'Fill with `okta-flow connect --secret <this>`');
    output('KmsKeyArn', flow.key.keyArn, 'Encrypts data, state and the credentials secret');
    output('GlueDatabaseName', flow.databaseName, 'Athena database (one table per object)');
    output('AlarmTopicArn', flow.alarmTopic.topicArn, 'Alarms publish here');
    output('DashboardName', flow.dashboard.dashboardName, 'CloudWatch dashboard');
    if (flow.applyPlan) {
      output(
        'ApplyPlanStateMachineArn',
        flow.applyPlan.stateMachine.stateMachineArn,
        'ApplyPlan: start with {"plan": "s3://<bucket>/<prefix>/plans/<plan>.jsonl", "execute": false}',
      );
    }
  }
}
