/**
 * Alarms → an encrypted, TLS-only SNS topic (optional e-mail subscription), and one dashboard per deployment.
 *
 * Alarms: a run failed (RunFlow ExecutionsFailed, plus timed-out and aborted runs), the schedules' dead-letter queue
 * is not empty, sustained Okta 429s per flow (custom metric OktaFlow/RateLimited429, dimensions service + flow, as
 * Powertools emits them), and a run that took longer than expected (RunFlow ExecutionTime). With the ApplyPlan state
 * machine (okta.writeCredentialsSecret), an ApplyPlan execution that failed, timed out or was aborted: a rejected
 * plan, an action that did not succeed, or an interrupted execution — the audit says what was done.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { Config } from '../lambdas/flow/config/index.js';
import { POWERTOOLS_METRICS_NAMESPACE, POWERTOOLS_SERVICE_NAME } from './okta-flow-function.js';

/** A run longer than this alarms (the state machine stops it at its own, longer timeout). */
export const RUN_DURATION_ALARM = Duration.hours(2);
/** 429s per flow in 5 minutes, for 3 periods in a row, before it counts as sustained. */
export const SUSTAINED_429_THRESHOLD = 10;

export interface MonitoringProps {
  readonly config: Config;
  readonly stateMachine: sfn.StateMachine;
  /** `<stack>-ApplyPlan`, when the stack has one. */
  readonly applyPlan?: sfn.StateMachine | undefined;
  readonly deadLetterQueue: sqs.IQueue;
  readonly key: kms.IKey;
}

export class Monitoring extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { config, stateMachine } = props;
    this.topic = new sns.Topic(this, 'AlarmTopic', {
      displayName: `okta-flow alarms (${config.stack.name})`,
      masterKey: props.key,
      enforceSSL: true,
    });
    // Only CloudWatch alarms of this account publish here.
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarms',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': this.topic.stack.account } },
      }),
    );
    if (config.alarms?.email !== undefined) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(config.alarms.email));
    }
    const notify = new actions.SnsAction(this.topic);
    const alarm = (name: string, a: cloudwatch.Alarm) => {
      a.addAlarmAction(notify);
      this.alarms.push(a);
      return name;
    };

    const failedRuns = new cloudwatch.MathExpression({
      label: 'Runs failed, timed out or aborted',
      expression: 'failed + timedOut + aborted',
      usingMetrics: {
        failed: stateMachine.metricFailed({ statistic: 'Sum' }),
        timedOut: stateMachine.metricTimedOut({ statistic: 'Sum' }),
        aborted: stateMachine.metricAborted({ statistic: 'Sum' }),
      },
      period: Duration.minutes(5),
    });
    alarm(
      'RunFailed',
      new cloudwatch.Alarm(this, 'RunFailed', {
        alarmDescription: 'An okta-flow run failed. Open the RunFlow execution in Step Functions to see the error.',
        metric: failedRuns,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    const applyPlan = props.applyPlan;
    if (applyPlan !== undefined) {
      alarm(
        'ApplyPlanFailed',
        new cloudwatch.Alarm(this, 'ApplyPlanFailed', {
          alarmDescription:
            'An okta-flow ApplyPlan execution failed, timed out or was aborted (a rejected plan, an action that did ' +
            'not succeed, or an interrupted execution). Open the ApplyPlan execution in Step Functions for the error; ' +
            'the audit under <prefix>/apply/<plan hash>/<execution name>/ says what was done.',
          metric: new cloudwatch.MathExpression({
            label: 'ApplyPlan executions failed, timed out or aborted',
            expression: 'failed + timedOut + aborted',
            usingMetrics: {
              failed: applyPlan.metricFailed({ statistic: 'Sum' }),
              timedOut: applyPlan.metricTimedOut({ statistic: 'Sum' }),
              aborted: applyPlan.metricAborted({ statistic: 'Sum' }),
            },
            period: Duration.minutes(5),
          }),
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      );
    }
    alarm(
      'DeadLetters',
      new cloudwatch.Alarm(this, 'ScheduleDeadLetters', {
        alarmDescription:
          'A schedule could not start RunFlow; the undelivered event is in the dead-letter queue. Check the schedule role and the state machine.',
        metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          statistic: 'Maximum',
          period: Duration.minutes(5),
        }),
        threshold: 0,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    alarm(
      'RunDuration',
      new cloudwatch.Alarm(this, 'RunDuration', {
        alarmDescription: `An okta-flow run took longer than ${RUN_DURATION_ALARM.toHumanString()}.`,
        metric: stateMachine.metricTime({ statistic: 'Maximum', period: Duration.minutes(5) }),
        threshold: RUN_DURATION_ALARM.toMilliseconds(),
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    for (const flow of config.flows) {
      alarm(
        `RateLimited-${flow.name}`,
        new cloudwatch.Alarm(this, `RateLimited-${flow.name}`, {
          alarmDescription: `Flow ${flow.name} keeps hitting Okta rate limits (429). Lower okta.rateLimitShare or slicing.concurrency, or move the schedule.`,
          metric: flowMetric(flow.name, 'RateLimited429', 'Sum', false),
          threshold: SUSTAINED_429_THRESHOLD,
          evaluationPeriods: 3,
          datapointsToAlarm: 3,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      );
    }

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `${config.stack.name}-okta-flow`,
      defaultInterval: Duration.days(1),
    });
    const perFlow = (name: string, statistic: string) => config.flows.map((f) => flowMetric(f.name, name, statistic));
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Runs',
        left: [
          stateMachine.metricStarted({ statistic: 'Sum', label: 'started' }),
          stateMachine.metricSucceeded({ statistic: 'Sum', label: 'succeeded' }),
          stateMachine.metricFailed({ statistic: 'Sum', label: 'failed' }),
          stateMachine.metricTimedOut({ statistic: 'Sum', label: 'timed out' }),
        ],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Run duration (ms)',
        left: [
          stateMachine.metricTime({ statistic: 'Maximum', label: 'RunFlow max' }),
          ...perFlow('durationMs', 'Maximum'),
        ],
        width: 12,
      }),
      new cloudwatch.GraphWidget({ title: 'Records per flow', left: perFlow('records', 'Sum'), width: 8 }),
      new cloudwatch.GraphWidget({
        title: 'Rate-limit waits (ms) per flow',
        left: perFlow('rateLimitWaitMs', 'Sum'),
        width: 8,
      }),
      new cloudwatch.GraphWidget({ title: 'Okta 429s per flow', left: perFlow('RateLimited429', 'Sum'), width: 8 }),
      ...(applyPlan === undefined
        ? []
        : [
            new cloudwatch.GraphWidget({
              title: 'ApplyPlan executions',
              left: [
                applyPlan.metricStarted({ statistic: 'Sum', label: 'started' }),
                applyPlan.metricSucceeded({ statistic: 'Sum', label: 'succeeded' }),
                applyPlan.metricFailed({ statistic: 'Sum', label: 'failed' }),
              ],
              width: 24,
            }),
          ]),
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 }),
    );
  }
}

/** A per-flow metric; labelled for graphs (a label would turn an alarm's metric into metric math). */
export function flowMetric(flow: string, metricName: string, statistic: string, labelled = true): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: POWERTOOLS_METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: POWERTOOLS_SERVICE_NAME, flow },
    statistic,
    period: Duration.minutes(5),
    ...(labelled ? { label: flow } : {}),
  });
}
