/** CommitRun Lambda: `{run, results}` → manifests (last), watermark, lease release, Run Completed. */
import type { RunCompletedDetail } from '../flow/events.js';
import { commitRun } from '../flow/runner/commit-run.js';
import { lambdaRunnerDeps } from '../flow/runner/lambda-deps.js';
import { commitEventSchema, parseStepEvent } from '../flow/runner/step-events.js';
import type { RunnerDeps } from '../flow/runner/types.js';

export function createCommitRunHandler(getDeps: () => RunnerDeps) {
  return async (event: unknown): Promise<RunCompletedDetail> => {
    const input = parseStepEvent(
      'CommitRun',
      commitEventSchema,
      event,
      '{"run": {…}, "results": [{"task", "continuation", "done"}]}',
    );
    return commitRun(input, getDeps());
  };
}

export const handler = createCommitRunHandler(lambdaRunnerDeps);
