/**
 * One EventBridge Scheduler schedule per flow that has a schedule (a disabled flow gets a disabled schedule, ready to
 * switch on). Each sends `{"flow": "<name>", "trigger": "schedule", "scheduledTime": …}` to the RunFlow state machine, retries delivery, and parks what it
 * could not deliver in an encrypted SQS dead-letter queue (alarmed). The shared role may only start RunFlow
 * executions (and send to the DLQ).
 */
import { Duration, TimeZone } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { FlowConfig } from '../lambdas/flow/config/index.js';
import { acknowledge } from './nag.js';

export interface FlowSchedulesProps {
  readonly flows: readonly FlowConfig[];
  readonly stateMachine: sfn.IStateMachine;
  readonly key: kms.IKey;
}

export class FlowSchedules extends Construct {
  readonly deadLetterQueue: sqs.Queue;
  readonly role: iam.Role;
  readonly schedules: ReadonlyMap<string, scheduler.Schedule>;

  constructor(scope: Construct, id: string, props: FlowSchedulesProps) {
    super(scope, id);
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      this.deadLetterQueue,
      'AwsSolutions-SQS3',
      'This queue IS the dead-letter queue of the EventBridge Scheduler schedules (Scheduler DLQs are set on the ' +
        'target, not through a RedrivePolicy, so cdk-nag cannot see it).',
    );
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.deadLetterQueue.stack.account } },
      }),
      description: 'okta-flow schedules: start RunFlow executions only',
    });

    // Delivering to the KMS-encrypted dead-letter queue needs the key too (the target only grants sqs:SendMessage).
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'EncryptDeadLetters',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [props.key.keyArn],
      }),
    );

    const schedules = new Map<string, scheduler.Schedule>();
    for (const flow of props.flows) {
      if (flow.schedule === undefined) continue;
      const schedule = new scheduler.Schedule(this, `Flow-${flow.name}`, {
        description: `okta-flow: start flow ${flow.name}`,
        schedule: scheduler.ScheduleExpression.expression(
          flow.schedule.expression,
          TimeZone.of(flow.schedule.timezone),
        ),
        enabled: flow.enabled,
        target: new targets.StepFunctionsStartExecution(props.stateMachine, {
          // The run input (lambdas/flow/events.ts): trigger and the tick's time, for the run event and logs.
          input: scheduler.ScheduleTargetInput.fromObject({
            flow: flow.name,
            trigger: 'schedule',
            scheduledTime: scheduler.ContextAttribute.scheduledTime,
          }),
          role: this.role,
          deadLetterQueue: this.deadLetterQueue,
          retryAttempts: 3,
          maxEventAge: Duration.hours(1),
        }),
      });
      schedules.set(flow.name, schedule);
    }
    this.schedules = schedules;
  }
}
