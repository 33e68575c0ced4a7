/**
 * `okta-flow invoke-apply <s3://bucket/prefix/…/plan.jsonl> [--execute]`: starts the deployed `<stack>-ApplyPlan`
 * state machine and follows it to its end. A dry run unless --execute is given: the input always says
 * `"execute"` explicitly (false without the flag), so nothing is left to the state machine's default. The state
 * machine ARN comes from --state-machine-arn, OKTA_FLOW_APPLY_STATE_MACHINE_ARN, or the account's state machines
 * named `<stack>-ApplyPlan…`.
 */
import type { ExecutionStatus, SFNClient } from '@aws-sdk/client-sfn';
import { applyEventSchema } from '../../lambdas/write/apply-event.js';
import { findStateMachine, type InvokeResult, startAndFollow } from './invoke.js';

export class InvokeApplyError extends Error {
  override readonly name = 'InvokeApplyError';
}

export interface InvokeApplyOptions {
  readonly sfn: SFNClient;
  /** s3://<output bucket>/<prefix>/…/plan.jsonl|csv (ApplyPlan reads plans only under the output prefix). */
  readonly plan: string;
  readonly execute?: boolean | undefined;
  readonly stateMachineArn?: string | undefined;
  readonly stackName: string;
  readonly pollMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly onStatus?: (status: ExecutionStatus | string, executionArn: string) => void;
}

export async function invokeApplyPlan(options: InvokeApplyOptions): Promise<InvokeResult> {
  const input = { plan: options.plan, execute: options.execute === true };
  const parsed = applyEventSchema.safeParse(input);
  if (!parsed.success || !/\.(jsonl|csv)$/i.test(options.plan)) {
    throw new InvokeApplyError(
      `invoke-apply needs the plan's S3 URL, s3://<output bucket>/<prefix>/…/plan.jsonl (or .csv), not ` +
        `"${options.plan}". Upload it first, e.g. aws s3 cp plan.jsonl s3://<bucket>/okta/plans/plan.jsonl.`,
    );
  }
  const arn = options.stateMachineArn ?? (await findStateMachine(options.sfn, options.stackName, 'ApplyPlan'));
  return startAndFollow({
    sfn: options.sfn,
    stateMachineArn: arn,
    input,
    pollMs: options.pollMs,
    sleep: options.sleep,
    onStatus: options.onStatus,
  });
}

/** What the finished execution says, as lines for the terminal (its output is ResolvePlan's or ExecutePlan's). */
export function describeApplyResult(result: InvokeResult, execute: boolean): string[] {
  if (result.status !== 'SUCCEEDED') {
    return [`ApplyPlan ${result.status}: ${result.error ?? ''} ${result.cause ?? ''}`.trim()];
  }
  const out = (result.output ?? {}) as {
    counts?: { willChange?: number; alreadySo?: number };
    succeeded?: number;
    alreadySo?: number;
    resolution?: string;
    shownResolution?: string | null;
    audit?: string | null;
  };
  if (out.succeeded !== undefined) {
    return [
      `Executed: ${out.succeeded} action(s) succeeded, ${out.alreadySo ?? 0} already so.`,
      ...(out.audit ? [`Audit: ${out.audit}`] : []),
      ...(out.shownResolution ? [`Resolution shown: ${out.shownResolution}`] : []),
      `Resolution executed: ${out.resolution ?? ''}`,
    ];
  }
  const willChange = out.counts?.willChange ?? 0;
  return [
    `Plan: ${willChange} will change, ${out.counts?.alreadySo ?? 0} already so.`,
    willChange === 0
      ? 'Nothing to do: the org already is as the plan says.'
      : execute
        ? 'Nothing was executed.'
        : 'Dry run: nothing was written. Run again with --execute to apply the rows that will change.',
    `Resolution: ${out.resolution ?? ''}`,
  ];
}
