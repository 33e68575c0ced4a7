/**
 * ExtractStep Lambda: `{run, task, continuation}` → `{run, task, continuation, done}`. Reads pages until the
 * remaining Lambda time minus a safety margin, then checkpoints; the state machine loops while `done` is false.
 */
import { deadlineFrom, lambdaRunnerDeps } from '../flow/runner/lambda-deps.js';
import { runExtractTask } from '../flow/runner/run-extract-task.js';
import { extractStepEventSchema, parseStepEvent } from '../flow/runner/step-events.js';
import type { ExtractStepResult, RunnerDeps } from '../flow/runner/types.js';

export interface LambdaContextLike {
  getRemainingTimeInMillis(): number;
}

export function createExtractStepHandler(getDeps: () => RunnerDeps) {
  return async (event: unknown, context?: LambdaContextLike): Promise<ExtractStepResult> => {
    const input = parseStepEvent(
      'ExtractStep',
      extractStepEventSchema,
      event,
      '{"run": {…}, "task": {…}, "continuation": null}',
    );
    const deps = getDeps();
    const remaining = context?.getRemainingTimeInMillis() ?? 900_000;
    return runExtractTask({ ...input, deadline: deadlineFrom(remaining, deps.clock()) }, deps);
  };
}

export const handler = createExtractStepHandler(lambdaRunnerDeps);
