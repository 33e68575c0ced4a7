/**
 * FailRun Lambda (the state machine's Catch): `{run?, input, tasks?, error: {Error, Cause}}` → uncommitted files
 * removed, checkpoints dropped (the tasks come from the state store when the event does not list them), lease
 * released, watermark untouched, Run Failed emitted. Returns the outcome; the state machine then ends in a Fail state
 * so the execution shows as failed.
 */
import { type FailOutcome, failRun } from '../flow/runner/fail-run.js';
import { lambdaRunnerDeps } from '../flow/runner/lambda-deps.js';
import { deleteRunDocuments, loadRunTasks } from '../flow/runner/run-tasks.js';
import { failEventSchema, failInputFromEvent, parseStepEvent } from '../flow/runner/step-events.js';
import type { RunnerDeps, RunTask } from '../flow/runner/types.js';

export function createFailRunHandler(getDeps: () => RunnerDeps) {
  return async (event: unknown): Promise<FailOutcome> => {
    const input = parseStepEvent(
      'FailRun',
      failEventSchema,
      event,
      '{"run": {…}, "input": {…}, "error": {"Error", "Cause"}}',
    );
    const deps = getDeps();
    const run = input.run;
    // No task list (planning failed before storing it): there are no checkpoints to drop either.
    const tasks: RunTask[] | undefined =
      input.tasks ?? (run === undefined ? undefined : await loadRunTasks(deps.state, run).catch(() => []));
    const outcome = await failRun(failInputFromEvent({ ...input, ...(tasks === undefined ? {} : { tasks }) }), deps);
    if (run !== undefined && outcome.status === 'failed') await deleteRunDocuments(deps.state, run, tasks ?? []);
    return outcome;
  };
}

export const handler = createFailRunHandler(lambdaRunnerDeps);
