/**
 * ExtractStep Lambda. From the state machine: `{run, lane, taskIndex?, continuation?}` → one lane's work for this
 * invocation (run-lane.ts) → `{run, lane, taskIndex, continuation, done, waitSeconds?}`; the state machine loops
 * while `done` is false (through a Wait state when `waitSeconds` is set). For one task by hand or in tests:
 * `{run, task, continuation}` → `{run, task, continuation, done}`. Reads pages until the remaining Lambda time minus
 * a safety margin, then checkpoints.
 */
import { deadlineFrom, lambdaRunnerDeps } from '../flow/runner/lambda-deps.js';
import { runExtractTask } from '../flow/runner/run-extract-task.js';
import { type LaneStepResult, runLaneStep } from '../flow/runner/run-lane.js';
import { extractStepEventSchema, laneEventSchema, parseStepEvent } from '../flow/runner/step-events.js';
import type { ExtractStepResult, RunnerDeps } from '../flow/runner/types.js';

export interface LambdaContextLike {
  getRemainingTimeInMillis(): number;
}

function isSingleTask(event: unknown): boolean {
  return event !== null && typeof event === 'object' && 'task' in event && !('lane' in event);
}

export function createExtractStepHandler(getDeps: () => RunnerDeps) {
  return async (event: unknown, context?: LambdaContextLike): Promise<LaneStepResult | ExtractStepResult> => {
    const remaining = context?.getRemainingTimeInMillis() ?? 900_000;
    if (isSingleTask(event)) {
      const input = parseStepEvent(
        'ExtractStep',
        extractStepEventSchema,
        event,
        '{"run": {…}, "task": {…}, "continuation": null}',
      );
      const deps = getDeps();
      return runExtractTask({ ...input, deadline: deadlineFrom(remaining, deps.clock()) }, deps);
    }
    const input = parseStepEvent('ExtractStep', laneEventSchema, event, '{"run": {…}, "lane": 0}');
    const deps = getDeps();
    return runLaneStep({ ...input, deadline: deadlineFrom(remaining, deps.clock()) }, deps);
  };
}

export const handler = createExtractStepHandler(lambdaRunnerDeps);
