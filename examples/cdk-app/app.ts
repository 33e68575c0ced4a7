/**
 * A CDK app of your own with okta-flow in it: the `Analytics` stack holds your resources (an analysts' role, a
 * queue for run notifications, an alarm of your own) and one `OktaFlow` construct, configured by the same
 * okta-flow.config.json that `okta-flow validate` checks and `okta-flow run --sandbox` tries locally.
 *
 *   npm install && npx cdk synth     (offline, no AWS credentials needed)
 *   npx cdk deploy
 *
 * Plain TypeScript with erasable syntax only: `node --experimental-strip-types app.ts` runs it (cdk.json), as would
 * tsx or ts-node.
 */
import { App, CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Construct } from 'constructs';
import { OktaFlow } from 'okta-flow';

class AnalyticsStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // --- your own resources ---------------------------------------------------------------------------------
    const analysts = new iam.Role(this, 'Analysts', {
      assumedBy: new iam.AccountRootPrincipal(),
      description: 'Analysts querying the Okta lake with Athena',
    });
    const deadLetters = new sqs.Queue(this, 'OktaRunEventsDlq', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    Validations.of(deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is the dead-letter queue of OktaRunEvents.',
    });
    const runEvents = new sqs.Queue(this, 'OktaRunEvents', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: deadLetters, maxReceiveCount: 5 },
    });

    // --- okta-flow: keys, bucket, secret, Lambdas, RunFlow, schedules, Glue, alarms, dashboard ----------------
    const okta = new OktaFlow(this, 'Okta', { config: 'okta-flow.config.json' });

    // Athena over the lake: the data, tombstone and commit-record files (never the run state), the key, the
    // Glue tables and views, and queries in the `primary` workgroup.
    okta.grantReadLake(analysts, { workGroup: 'primary' });
    // Every completed or failed run lands in your queue (Run Completed / Run Failed events).
    okta.onRunEvent('RunEvents', { kinds: ['completed', 'failed'], target: new targets.SqsQueue(runEvents) });
    // An alarm of your own on okta-flow's metrics, to okta-flow's alarm topic.
    const quiet = new cloudwatch.Alarm(this, 'NoUsersCopied', {
      alarmDescription: 'users-hourly copied no user for a day (nothing changed in Okta, or the flow is stuck).',
      metric: okta.metricRecords('users-hourly', { period: Duration.days(1) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    quiet.addAlarmAction(new actions.SnsAction(okta.alarmTopic));

    new CfnOutput(this, 'OktaStateMachineArn', { value: okta.stateMachine.stateMachineArn });
    new CfnOutput(this, 'OktaBucketName', { value: okta.bucket.bucketName });
    new CfnOutput(this, 'OktaCredentialsSecretArn', { value: okta.credentials.secretId });
    new CfnOutput(this, 'OktaGlueDatabase', { value: okta.databaseName });
  }
}

const app = new App();
new AnalyticsStack(app, 'Analytics');
// cdk-nag's AwsSolutions pack gates synth; okta-flow's own acknowledgements come with the construct.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
