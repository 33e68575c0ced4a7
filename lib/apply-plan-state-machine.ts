/**
 * `<stack>-ApplyPlan`: input `{"plan": "s3://<output bucket>/<prefix>/…", "execute": false}`. ResolvePlan resolves
 * the plan against the org with the write credential and stores the resolution next to the audit; only when
 * `execute` is true and rows will change does ExecutePlan run them (audited, one event each). A dry run unless
 * `execute` is true. Created only when `okta.writeCredentialsSecret` is configured.
 *
 * Least privilege, per function (the read flows' functions get nothing of this; only these two read the write
 * secret):
 *
 * | grant                                                    | ResolvePlan | ExecutePlan |
 * | s3:ListBucket (missing keys are 404)                     |      ✓      |      ✓      |
 * | s3:GetObject <prefix>/* (the plan, earlier audits)       |      ✓      |      ✓      |
 * | s3:PutObject <prefix>/apply/* (resolution, audit)        |      ✓      |      ✓      |
 * | kms:Decrypt + GenerateDataKey (SSE-KMS)                  |      ✓      |      ✓      |
 * | secretsmanager:GetSecretValue on the write secret        |      ✓      |      ✓      |
 * | events:PutEvents on the default bus (Apply Action)       |             |      ✓      |
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { acknowledgeWildcardResource } from './nag.js';
import { OktaFlowFunction } from './okta-flow-function.js';
import { RETRYABLE_LAMBDA_ERRORS } from './run-flow-state-machine.js';

const COMPLETE_ARN = /^arn:[^:]+:secretsmanager:[^:]+:\d{12}:secret:.+-[A-Za-z0-9]{6}$/;

export interface ApplyPlanStateMachineProps {
  readonly handlersDir: string;
  readonly configJson: string;
  readonly bucket: s3.IBucket;
  readonly prefix: string;
  readonly key: kms.IKey;
  /** okta.writeCredentialsSecret: a name or ARN. */
  readonly writeSecret: string;
  /** `<name>-ApplyPlan`. */
  readonly name: string;
}

export class ApplyPlanStateMachine extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly resolve: OktaFlowFunction;
  readonly execute: OktaFlowFunction;
  readonly writeSecret: secretsmanager.ISecret;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ApplyPlanStateMachineProps) {
    super(scope, id);
    const spec = props.writeSecret;
    this.writeSecret = !spec.startsWith('arn:')
      ? secretsmanager.Secret.fromSecretNameV2(this, 'WriteSecret', spec)
      : COMPLETE_ARN.test(spec)
        ? secretsmanager.Secret.fromSecretCompleteArn(this, 'WriteSecret', spec)
        : secretsmanager.Secret.fromSecretPartialArn(this, 'WriteSecret', spec);

    const fn = (name: string, file: string, description: string) =>
      new OktaFlowFunction(this, name, {
        entry: `${props.handlersDir}/${file}`,
        description,
        // 100 actions (the default --max-actions) at the apps write bucket's pace fit well inside 15 minutes.
        timeout: Duration.minutes(15),
        memorySize: 512,
        environment: {
          OKTA_FLOW_CONFIG: props.configJson,
          OUTPUT_BUCKET: props.bucket.bucketName,
          OUTPUT_PREFIX: props.prefix,
          KMS_KEY_ARN: props.key.keyArn,
          WRITE_CREDENTIALS_SECRET_ARN: spec,
        },
      });
    this.resolve = fn('ResolvePlan', 'resolve-plan.ts', 'okta-flow: resolve a write plan against the org (dry run)');
    this.execute = fn('ExecutePlan', 'execute-plan.ts', 'okta-flow: execute a resolved write plan, audited');

    const secretArn = this.writeSecret.secretFullArn ?? `${this.writeSecret.secretArn}-??????`;
    for (const f of [this.resolve, this.execute]) {
      f.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'ListBucketSoMissingKeysAre404',
          actions: ['s3:ListBucket'],
          resources: [props.bucket.bucketArn],
        }),
      );
      f.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'ReadPlansAndAudits',
          actions: ['s3:GetObject'],
          resources: [props.bucket.arnForObjects(`${props.prefix}/*`)],
        }),
      );
      f.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'WriteResolutionAndAudit',
          actions: ['s3:PutObject'],
          resources: [props.bucket.arnForObjects(`${props.prefix}/apply/*`)],
        }),
      );
      f.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'DataKey',
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [props.key.keyArn],
        }),
      );
      f.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'ReadWriteCredential',
          actions: ['secretsmanager:GetSecretValue'],
          resources: [secretArn],
        }),
      );
      acknowledgeWildcardResource(
        f.role ?? f,
        props.bucket.arnForObjects(`${props.prefix}/*`),
        'Plans are uploaded anywhere under the output prefix; earlier audits of a plan are read to make re-runs no-ops.',
      );
      acknowledgeWildcardResource(
        f.role ?? f,
        props.bucket.arnForObjects(`${props.prefix}/apply/*`),
        'Resolutions and audits are keyed <prefix>/apply/<plan hash>/<run id>/, unknown until run time.',
      );
      if (secretArn.includes('??????')) {
        acknowledgeWildcardResource(
          f.role ?? f,
          secretArn,
          'A secret imported by name: its ARN ends in a random suffix.',
        );
      }
    }
    const bus = events.EventBus.fromEventBusName(this, 'Bus', 'default');
    this.execute.addEnvironment('EVENT_BUS_NAME', 'default');
    this.execute.addToRolePolicy(
      new iam.PolicyStatement({ sid: 'ApplyEvents', actions: ['events:PutEvents'], resources: [bus.eventBusArn] }),
    );

    const invoke = (name: string, f: OktaFlowFunction, payload: sfn.TaskInput) => {
      const task = new tasks.LambdaInvoke(this, name, {
        lambdaFunction: f,
        payload,
        payloadResponseOnly: true,
        retryOnServiceExceptions: false,
      });
      // Only Lambda's own transient failures are retried: a write is never repeated by the state machine.
      task.addRetry({
        errors: [...RETRYABLE_LAMBDA_ERRORS],
        interval: Duration.seconds(2),
        maxAttempts: 3,
        backoffRate: 2,
        jitterStrategy: sfn.JitterType.FULL,
      });
      return task;
    };
    const resolve = invoke(
      'Resolve',
      this.resolve,
      sfn.TaskInput.fromObject({
        plan: sfn.JsonPath.stringAt('$.plan'),
        execute: sfn.JsonPath.stringAt('$.execute'),
        runId: sfn.JsonPath.stringAt('$$.Execution.Name'),
      }),
    );
    const execute = invoke(
      'Execute',
      this.execute,
      sfn.TaskInput.fromObject({
        plan: sfn.JsonPath.stringAt('$.plan'),
        runId: sfn.JsonPath.stringAt('$.runId'),
        // Passed through to the output: the resolution that was shown, beside the one ExecutePlan ran.
        shownResolution: sfn.JsonPath.stringAt('$.resolution'),
      }),
    );
    const dryRun = new sfn.Succeed(this, 'DryRunOnly', { comment: 'execute was not true, or nothing will change' });
    const done = new sfn.Succeed(this, 'Executed');
    const merged = new sfn.Pass(this, 'Input', {
      parameters: {
        plan: sfn.JsonPath.stringAt('$.plan'),
        execute: sfn.JsonPath.stringAt('$.execute'),
      },
    });
    const hasExecute = new sfn.Choice(this, 'ExecuteGiven?')
      .when(sfn.Condition.isPresent('$.execute'), merged)
      .otherwise(
        new sfn.Pass(this, 'DryRunDefault', {
          parameters: { plan: sfn.JsonPath.stringAt('$.plan'), execute: false },
        }).next(resolve),
      );
    merged.next(resolve);
    resolve.next(
      new sfn.Choice(this, 'Execute?')
        .when(
          sfn.Condition.and(
            sfn.Condition.booleanEquals('$.execute', true),
            sfn.Condition.numberGreaterThan('$.counts.willChange', 0),
          ),
          execute.next(done),
        )
        .otherwise(dryRun),
    );

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/vendedlogs/states/${props.name}-ApplyPlan`,
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stateMachine = new sfn.StateMachine(this, 'Resource', {
      stateMachineName: `${props.name}-ApplyPlan`,
      comment: 'okta-flow ApplyPlan: resolve (dry run) → execute only when execute is true',
      definitionBody: sfn.DefinitionBody.fromChainable(hasExecute),
      timeout: Duration.hours(1),
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    acknowledgeWildcardResource(
      this.stateMachine.role,
      '*',
      'X-Ray and CloudWatch Logs vended delivery do not support resource-level permissions.',
    );
    for (const f of [this.resolve, this.execute]) {
      acknowledgeWildcardResource(
        this.stateMachine.role,
        `${f.functionArn}:*`,
        'LambdaInvoke grants the function and its versions/aliases (<arn>:*); only the two ApplyPlan functions.',
      );
    }
  }
}
