/**
 * The `RunFlow` state machine. Contract with the handlers (lambdas/handlers/, lambdas/flow/runner/step-events.ts):
 *
 *   input {flow, from?, to?, fullResync?}
 *     → PlanRun({input, executionArn})            → {run, lanes: [0 … C-1], taskCount}   (task list → state store)
 *     → Map over lanes (C = run.concurrency at once):
 *         ExtractStep({run, lane})                  → {run, lane, taskIndex, continuation, done, waitSeconds?}
 *         while !done: [Wait waitSeconds] → ExtractStep(previous output)        (finished tasks → state store)
 *         each lane's result is its number: the Map's result is discarded
 *     → CommitRun({run})                           → Run Completed detail     (results ← state store)
 *   any error → FailRun({run?, input, error: {Error, Cause}}) → Fail
 *
 * Payloads stay small whatever the number of tasks (Step Functions caps each state's input and output at 256 KiB),
 * and the execution history grows with the number of ExtractStep invocations, not of tasks (an Inline Map's
 * iterations count against the execution's 25,000 history events). `States.DataLimitExceeded` is caught by name:
 * `States.ALL` does not match it, and FailRun must run whatever failed.
 *
 * Transient errors (Lambda service errors, throttling, the handlers' OktaRateLimitError and TransientError) are
 * retried with exponential backoff and jitter; anything else fails the run through FailRun, which removes the run's
 * files, releases the lease and emits Run Failed. Execution logs exclude execution data: inputs may hold PII.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { acknowledgeWildcardResource } from './nag.js';

/**
 * Error names (Error.name) worth retrying the whole step for, after the Okta client's own retries gave up: Okta rate
 * limits and network failures (lambdas/okta/errors.ts) and the agreed generic TransientError. Re-running a step is
 * safe: it resumes from the continuation it was given. LeaseHeldError is NOT retried: a second run fails fast (ADR 1).
 */
export const RETRYABLE_HANDLER_ERRORS = ['OktaRateLimitError', 'OktaNetworkError', 'TransientError'] as const;
export const RETRYABLE_LAMBDA_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
] as const;

/** Caught by name before States.ALL, which does not match it (see the Step Functions error-handling docs). */
export const DATA_LIMIT_EXCEEDED = 'States.DataLimitExceeded';

export interface RunFlowStateMachineProps {
  readonly plan: lambda.IFunction;
  readonly extract: lambda.IFunction;
  readonly commit: lambda.IFunction;
  readonly fail: lambda.IFunction;
  /** A run that takes longer is stopped (and alarms as failed). */
  readonly timeout: Duration;
  /**
   * The deployment's name (config `stack.name`): the state machine is `<name>-RunFlow`, which `okta-flow invoke`
   * looks for. Default: the stack's name (the same thing in the standalone stack).
   */
  readonly name?: string;
}

export class RunFlowStateMachine extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: RunFlowStateMachineProps) {
    super(scope, id);
    const name = props.name ?? Stack.of(this).stackName;

    // No payload: the Lambda gets the whole state input.
    const invoke = (name: string, fn: lambda.IFunction, payload?: sfn.TaskInput, resultPath?: string) => {
      const task = new tasks.LambdaInvoke(this, name, {
        lambdaFunction: fn,
        ...(payload === undefined ? {} : { payload }),
        payloadResponseOnly: true,
        retryOnServiceExceptions: false,
        ...(resultPath === undefined ? {} : { resultPath }),
      });
      task.addRetry({
        errors: [...RETRYABLE_LAMBDA_ERRORS],
        interval: Duration.seconds(2),
        maxAttempts: 6,
        backoffRate: 2,
        jitterStrategy: sfn.JitterType.FULL,
      });
      task.addRetry({
        errors: [...RETRYABLE_HANDLER_ERRORS],
        interval: Duration.seconds(10),
        maxAttempts: 5,
        backoffRate: 2,
        maxDelay: Duration.minutes(5),
        jitterStrategy: sfn.JitterType.FULL,
      });
      return task;
    };

    /** Every failure of `state` goes to `handler` with the error at $.error; the size error first, by name. */
    const catchAll = (state: sfn.TaskStateBase | sfn.Map, handler: sfn.IChainable) => {
      state.addCatch(handler, { errors: [DATA_LIMIT_EXCEEDED], resultPath: '$.error' });
      state.addCatch(handler, { errors: [sfn.Errors.ALL], resultPath: '$.error' });
    };

    // --- failure path: normalize the two shapes (before / after a run exists) into FailRun's input -------------
    // FailRun's result is discarded so the Fail state still sees the original error.
    const failRun = invoke('FailRun', props.fail, undefined, sfn.JsonPath.DISCARD);
    const failed = new sfn.Fail(this, 'RunFailed', {
      errorPath: '$.error.Error',
      causePath: '$.error.Cause',
    });
    failRun.next(failed);
    const failBeforePlan = new sfn.Pass(this, 'FailedBeforePlan', {
      parameters: { 'input.$': '$$.Execution.Input', 'error.$': '$.error' },
    }).next(failRun);
    const failWithRun = new sfn.Pass(this, 'FailedWithRun', {
      // No task list: FailRun reads it from the state store (it may be far larger than a payload).
      parameters: { 'run.$': '$.run', 'input.$': '$$.Execution.Input', 'error.$': '$.error' },
    }).next(failRun);
    // FailRun's own failure still ends in the Fail state, with the ORIGINAL error preserved by the Pass states.
    failRun.addCatch(failed, { errors: [DATA_LIMIT_EXCEEDED], resultPath: '$.failRunError' });
    failRun.addCatch(failed, { resultPath: '$.failRunError' });

    // --- happy path ------------------------------------------------------------------------------------------------
    // The execution's ARN becomes the lease's holder, so `okta-flow unlock` can tell whether this run is gone.
    const plan = invoke(
      'PlanRun',
      props.plan,
      sfn.TaskInput.fromObject({ 'input.$': '$', 'executionArn.$': '$$.Execution.Id' }),
    );
    catchAll(plan, failBeforePlan);

    const extract = invoke('ExtractStep', props.extract);
    // The rate-limit reset is further away than a Lambda can afford to sleep: wait here, then resume the same task.
    const wait = new sfn.Wait(this, 'WaitForRateLimit', { time: sfn.WaitTime.secondsPath('$.waitSeconds') });
    wait.next(extract);
    const more = new sfn.Choice(this, 'MoreToExtract?')
      .when(
        sfn.Condition.and(sfn.Condition.isPresent('$.waitSeconds'), sfn.Condition.booleanEquals('$.done', false)),
        wait,
      )
      .when(sfn.Condition.booleanEquals('$.done', false), extract)
      // A lane's result is its number: the Map's result array stays tiny (and is discarded anyway).
      .otherwise(new sfn.Succeed(this, 'LaneDone', { outputPath: '$.lane' }));
    extract.next(more);

    const map = new sfn.Map(this, 'ExtractLanes', {
      itemsPath: '$.lanes',
      // One lane per task that may extract at once (PlanRun's `run.concurrency`): every task's Okta client was
      // given 1/concurrency of the flow's rate-limit share, and a lane runs its tasks one after another.
      maxConcurrencyPath: '$.run.concurrency',
      // No `continuation` key: CDK drops literal nulls from ItemSelector, and ExtractStep reads an absent
      // continuation as null (lambdas/flow/runner/step-events.ts), i.e. "start the lane's first task".
      itemSelector: { 'run.$': '$.run', 'lane.$': '$$.Map.Item.Value' },
      resultPath: sfn.JsonPath.DISCARD,
    });
    map.itemProcessor(extract);
    catchAll(map, failWithRun);

    const commit = invoke('CommitRun', props.commit, sfn.TaskInput.fromObject({ 'run.$': '$.run' }));
    catchAll(commit, failWithRun);

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      // Vended-logs names keep the CloudWatch Logs resource policy that log delivery needs small.
      logGroupName: `/aws/vendedlogs/states/${name}-RunFlow`,
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.stateMachine = new sfn.StateMachine(this, 'Resource', {
      // `okta-flow invoke` finds the state machine by this name (<stack>-RunFlow); also readable in the console.
      stateMachineName: `${name}-RunFlow`,
      comment: 'okta-flow RunFlow: plan → extract (Map over lanes, loop on continuation) → commit; FailRun on error',
      definitionBody: sfn.DefinitionBody.fromChainable(plan.next(map).next(commit)),
      timeout: props.timeout,
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    acknowledgeWildcardResource(
      this.stateMachine.role,
      '*',
      'X-Ray (PutTraceSegments, GetSamplingRules…) and CloudWatch Logs vended delivery (logs:CreateLogDelivery, ' +
        'PutResourcePolicy, DescribeLogGroups…) do not support resource-level permissions.',
    );
    for (const fn of [props.plan, props.extract, props.commit, props.fail]) {
      acknowledgeWildcardResource(
        this.stateMachine.role,
        `${fn.functionArn}:*`,
        'LambdaInvoke grants the function and its versions/aliases (<arn>:*); still only these four functions.',
      );
    }
  }
}
