/** The runner: plan → extract (with continuations) → commit, or fail. The Lambdas and the CLI share these steps. */
export { checkpointRef, type TaskCheckpoint } from './checkpoint.js';
export { type CommitInput, commitRun, OUTPUT_SCHEMA_VERSION } from './commit-run.js';
export { addCounts, sumCounts } from './counts.js';
export { RunStateError, RunStepError } from './errors.js';
export { type FailInput, type FailOutcome, failRun } from './fail-run.js';
export { type FlowRequest, flowFilter, flowRequest } from './flow-request.js';
export { DEFAULT_LEASE_TTL_MS, planRun, type RunTrigger } from './plan-run.js';
export { type ExtractStepInput, runExtractTask } from './run-extract-task.js';
export { type RunFlowOptions, type RunFlowResult, runFlow, SimulatedCrash } from './run-flow.js';
export { newRunId } from './run-id.js';
export {
  CRASH_POINTS,
  type CrashPoint,
  type ExtractStepResult,
  type PlannedRun,
  type ProgressUpdate,
  type RunnerDeps,
  type RunPlan,
  type RunTask,
  type TaskContinuation,
  type TaskKind,
} from './types.js';
