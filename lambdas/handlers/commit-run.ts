/**
 * CommitRun Lambda: `{run}` → every task's result from the state store → manifests (last), watermark, lease release,
 * Run Completed; then the run's documents are dropped. `{run, results}` commits those results instead.
 */
import type { RunCompletedDetail } from '../flow/events.js';
import { commitRun } from '../flow/runner/commit-run.js';
import { lambdaRunnerDeps } from '../flow/runner/lambda-deps.js';
import { deleteRunDocuments, loadRunTasks, loadTaskResults } from '../flow/runner/run-tasks.js';
import { commitEventSchema, parseStepEvent } from '../flow/runner/step-events.js';
import type { RunnerDeps } from '../flow/runner/types.js';

export function createCommitRunHandler(getDeps: () => RunnerDeps) {
  return async (event: unknown): Promise<RunCompletedDetail> => {
    const input = parseStepEvent('CommitRun', commitEventSchema, event, '{"run": {…}}');
    const deps = getDeps();
    if (input.results !== undefined) return commitRun({ run: input.run, results: input.results }, deps);
    const tasks = await loadRunTasks(deps.state, input.run);
    const results = await loadTaskResults(deps.state, input.run, tasks);
    const detail = await commitRun({ run: input.run, results }, deps);
    await deleteRunDocuments(deps.state, input.run, tasks);
    return detail;
  };
}

export const handler = createCommitRunHandler(lambdaRunnerDeps);
