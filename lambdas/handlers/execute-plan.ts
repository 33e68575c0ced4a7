/**
 * ExecutePlan Lambda (ApplyPlan with `execute: true` and rows that will change): resolves the plan again, runs only
 * the will-change rows with an intent and an outcome audit record each (`audit.jsonl`, SSE-KMS) and one Apply
 * Action event each. Its resolution is stored beside ResolvePlan's (`resolution.2.json`), never over it, and a
 * retried invocation continues the run's audit rather than replacing it. Fails the execution when an action did not succeed (the audit says what was done).
 */
import { type ApplyLambdaRuntime, applyFromEvent, createApplyRuntime } from '../write/apply-lambda.js';

export class ApplyActionsFailedError extends Error {
  override readonly name = 'ApplyActionsFailedError';
}

export interface ExecutePlanOutput {
  readonly plan: string;
  readonly runId: string;
  readonly planHash: string;
  readonly succeeded: number;
  readonly alreadySo: number;
  readonly audit: string | null;
  /** The resolution this execution ran (`resolution.2.json` when ResolvePlan stored one for the run before). */
  readonly resolution: string;
  /** ResolvePlan's resolution (what was shown), when the state machine passes it. */
  readonly shownResolution: string | null;
}

export function createExecutePlanHandler(getRuntime: () => ApplyLambdaRuntime) {
  return async (event: unknown): Promise<ExecutePlanOutput> => {
    const { plan, runId, shownResolution } = (event ?? {}) as {
      plan?: unknown;
      runId?: unknown;
      shownResolution?: unknown;
    };
    const result = await applyFromEvent({ plan, execute: true, ...(runId ? { runId } : {}) }, getRuntime(), true);
    const results = result.execution?.results ?? [];
    const failed = results.filter((r) => r.result !== 'succeeded');
    if (failed.length > 0) {
      throw new ApplyActionsFailedError(
        `${failed.length} action(s) did not succeed: ${failed.map((f) => `row ${f.row} ${f.result}`).join(', ')}. ` +
          `The audit ${result.auditLocation ?? ''} says what was done; fix the cause and start ApplyPlan again.`,
      );
    }
    return {
      plan: result.plan,
      runId: result.runId,
      planHash: result.resolution.planHash,
      succeeded: results.length,
      alreadySo: result.resolution.counts.alreadySo,
      audit: result.auditLocation ?? null,
      resolution: result.resolutionLocation,
      shownResolution: typeof shownResolution === 'string' ? shownResolution : null,
    };
  };
}

let runtime: ApplyLambdaRuntime | undefined;
export const handler = createExecutePlanHandler(() => {
  runtime ??= createApplyRuntime(process.env);
  return runtime;
});
