/**
 * ResolvePlan Lambda (ApplyPlan's first state): `{"plan": "s3://…", "execute": false}` → the plan resolved against
 * the org with the write credential, the resolution stored next to the audit. Nothing is written to Okta. An
 * invalid plan fails the execution (PlanInvalidError names each row, field and reason; the resolution is stored).
 */
import { type ApplyLambdaRuntime, applyFromEvent, createApplyRuntime } from '../write/apply-lambda.js';

export interface ResolvePlanOutput {
  readonly plan: string;
  readonly execute: boolean;
  readonly runId: string;
  readonly planHash: string;
  readonly counts: { readonly willChange: number; readonly alreadySo: number; readonly invalid: number };
  readonly resolution: string;
}

export function createResolvePlanHandler(getRuntime: () => ApplyLambdaRuntime) {
  return async (event: unknown): Promise<ResolvePlanOutput> => {
    const result = await applyFromEvent(event, getRuntime(), false);
    return {
      plan: result.plan,
      execute: (event as { execute?: unknown }).execute === true,
      runId: result.runId,
      planHash: result.resolution.planHash,
      counts: result.resolution.counts,
      resolution: result.resolutionLocation,
    };
  };
}

let runtime: ApplyLambdaRuntime | undefined;
export const handler = createResolvePlanHandler(() => {
  runtime ??= createApplyRuntime(process.env);
  return runtime;
});
