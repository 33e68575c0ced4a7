/**
 * FailRun Lambda (the state machine's Catch): `{run?, input, tasks?, error: {Error, Cause}}` → uncommitted files
 * removed, lease released, watermark untouched, Run Failed emitted. Returns the outcome; the state machine then
 * ends in a Fail state so the execution shows as failed.
 */
import { type FailOutcome, failRun } from '../flow/runner/fail-run.js';
import { lambdaRunnerDeps } from '../flow/runner/lambda-deps.js';
import { failEventSchema, failInputFromEvent, parseStepEvent } from '../flow/runner/step-events.js';
import type { RunnerDeps } from '../flow/runner/types.js';

export function createFailRunHandler(getDeps: () => RunnerDeps) {
  return async (event: unknown): Promise<FailOutcome> => {
    const input = parseStepEvent(
      'FailRun',
      failEventSchema,
      event,
      '{"run": {…}, "input": {…}, "error": {"Error", "Cause"}}',
    );
    return failRun(failInputFromEvent(input), getDeps());
  };
}

export const handler = createFailRunHandler(lambdaRunnerDeps);
