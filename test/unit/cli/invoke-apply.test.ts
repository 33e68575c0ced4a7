/**
 * `okta-flow invoke-apply` against a mocked Step Functions (aws-sdk-client-mock): finds `<stack>-ApplyPlan` (never
 * RunFlow), starts it with `execute` always explicit (false unless --execute), follows it to its end, and reports
 * the dry run's resolution or the execution's audit; a plan that is not an S3 URL is refused before any call.
 */
import {
  DescribeExecutionCommand,
  ListStateMachinesCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { describeApplyResult, invokeApplyPlan } from '../../../bin/commands/invoke-apply.js';

const sfn = mockClient(SFNClient);
afterEach(() => sfn.reset());

const region = 'eu-west-1';
const applyArn = `arn:aws:states:${region}:123456789012:stateMachine:OktaFlow-ApplyPlan`;
const runArn = `arn:aws:states:${region}:123456789012:stateMachine:OktaFlow-RunFlow`;
const execution = `arn:aws:states:${region}:123456789012:execution:OktaFlow-ApplyPlan:e1`;
const plan = 's3://okta-flow-bucket/okta/plans/leavers.jsonl';
const base = 's3://okta-flow-bucket/okta/apply/abc/e1';

function deployed(output: unknown) {
  sfn.on(ListStateMachinesCommand).resolves({
    stateMachines: [
      { name: 'OktaFlow-RunFlow', stateMachineArn: runArn, type: 'STANDARD', creationDate: new Date() },
      { name: 'OktaFlow-ApplyPlan', stateMachineArn: applyArn, type: 'STANDARD', creationDate: new Date() },
    ],
  });
  sfn.on(StartExecutionCommand).resolves({ executionArn: execution, startDate: new Date() });
  sfn
    .on(DescribeExecutionCommand)
    .resolvesOnce({ status: 'RUNNING', executionArn: execution, stateMachineArn: applyArn, startDate: new Date() })
    .resolves({
      status: 'SUCCEEDED',
      output: JSON.stringify(output),
      executionArn: execution,
      stateMachineArn: applyArn,
      startDate: new Date(),
    });
}

const started = () => {
  const input = sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input;
  return { arn: input?.stateMachineArn, input: JSON.parse(input?.input ?? 'null') as unknown };
};

describe('okta-flow invoke-apply', () => {
  it('without --execute: starts <stack>-ApplyPlan with execute false, and says it was a dry run', async () => {
    deployed({
      plan,
      execute: false,
      counts: { willChange: 3, alreadySo: 1, invalid: 0 },
      resolution: `${base}/r.json`,
    });
    const statuses: string[] = [];
    const result = await invokeApplyPlan({
      sfn: new SFNClient({ region }),
      plan,
      stackName: 'OktaFlow',
      sleep: async () => undefined,
      onStatus: (s) => statuses.push(s),
    });
    expect(started()).toEqual({ arn: applyArn, input: { plan, execute: false } });
    expect(statuses).toEqual(['RUNNING', 'SUCCEEDED']);
    expect(describeApplyResult(result, false)).toEqual([
      'Plan: 3 will change, 1 already so.',
      'Dry run: nothing was written. Run again with --execute to apply the rows that will change.',
      `Resolution: ${base}/r.json`,
    ]);
  });

  it('--execute: execute true; the report names the audit and both resolutions', async () => {
    deployed({
      plan,
      succeeded: 3,
      alreadySo: 1,
      audit: `${base}/audit.jsonl`,
      resolution: `${base}/resolution.2.json`,
      shownResolution: `${base}/resolution.json`,
    });
    const result = await invokeApplyPlan({
      sfn: new SFNClient({ region }),
      plan,
      execute: true,
      stackName: 'OktaFlow',
      sleep: async () => undefined,
    });
    expect(started()).toEqual({ arn: applyArn, input: { plan, execute: true } });
    expect(describeApplyResult(result, true)).toEqual([
      'Executed: 3 action(s) succeeded, 1 already so.',
      `Audit: ${base}/audit.jsonl`,
      `Resolution shown: ${base}/resolution.json`,
      `Resolution executed: ${base}/resolution.2.json`,
    ]);
  });

  it('a failed execution is reported with its error and cause', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: execution, startDate: new Date() });
    sfn.on(DescribeExecutionCommand).resolves({
      status: 'FAILED',
      error: 'PlanInvalidError',
      cause: 'row 1, user: unknown',
      executionArn: execution,
      stateMachineArn: applyArn,
      startDate: new Date(),
    });
    const result = await invokeApplyPlan({
      sfn: new SFNClient({ region }),
      plan,
      stateMachineArn: applyArn,
      stackName: 'OktaFlow',
      sleep: async () => undefined,
    });
    expect(sfn.commandCalls(ListStateMachinesCommand)).toHaveLength(0);
    expect(describeApplyResult(result, false)).toEqual(['ApplyPlan FAILED: PlanInvalidError row 1, user: unknown']);
  });

  it('a local file or a non-plan URL is refused before Step Functions is called', async () => {
    for (const bad of ['leavers.jsonl', 's3://bucket/', 's3://bucket/okta/plans/leavers.txt']) {
      await expect(
        invokeApplyPlan({ sfn: new SFNClient({ region }), plan: bad, stackName: 'OktaFlow' }),
      ).rejects.toThrow(/invoke-apply needs the plan's S3 URL.*Upload it first/);
    }
    expect(sfn.calls()).toHaveLength(0);
  });

  it('a stack without ApplyPlan: says it needs okta.writeCredentialsSecret', async () => {
    sfn.on(ListStateMachinesCommand).resolves({
      stateMachines: [
        { name: 'OktaFlow-RunFlow', stateMachineArn: runArn, type: 'STANDARD', creationDate: new Date() },
      ],
    });
    await expect(invokeApplyPlan({ sfn: new SFNClient({ region }), plan, stackName: 'OktaFlow' })).rejects.toThrow(
      'No state machine named OktaFlow-ApplyPlan… in this account and region (the stack has one only with ' +
        'okta.writeCredentialsSecret configured)',
    );
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });
});
