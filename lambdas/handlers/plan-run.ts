/** PlanRun Lambda: console/schedule input → lease, window, tasks, Run Started. Returns `{run, tasks}`. */
import { parseRunInput } from '../flow/events.js';
import { lambdaRunnerDeps } from '../flow/runner/lambda-deps.js';
import { planRun } from '../flow/runner/plan-run.js';
import type { PlannedRun, RunnerDeps } from '../flow/runner/types.js';

export function createPlanRunHandler(getDeps: () => RunnerDeps) {
  return async (event: unknown): Promise<PlannedRun> => {
    const input = parseRunInput(event);
    return planRun(
      input.flow,
      { kind: input.trigger, from: input.from, to: input.to, fullResync: input.fullResync },
      getDeps(),
    );
  };
}

export const handler = createPlanRunHandler(lambdaRunnerDeps);
