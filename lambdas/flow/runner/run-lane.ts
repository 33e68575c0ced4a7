/**
 * One ExtractStep invocation of the state machine: a lane works through its share of the run's tasks (lane L of C
 * takes tasks L, L+C, L+2C, … one at a time, so no more than C tasks ever extract at once, as RunPlan.concurrency
 * requires) for as long as the invocation's time budget allows. A finished task's result goes to the state store;
 * the payload carries only the lane, the current task's index and its small continuation. So the state machine's
 * payloads and its execution history grow with the run's work, not with its number of tasks.
 */
import { RunStateError } from './errors.js';
import { runExtractTask } from './run-extract-task.js';
import { loadRunTasks, saveTaskResult } from './run-tasks.js';
import type { ExtractStepResult, RunnerDeps, RunPlan, TaskContinuation } from './types.js';

export interface LaneStepInput {
  readonly run: RunPlan;
  readonly lane: number;
  /** The task the lane is on; absent: the lane's first task (its own index). */
  readonly taskIndex?: number | undefined;
  /** The current task's continuation; null: start that task. */
  readonly continuation: TaskContinuation | null;
  /** Start no new page or task at or after this time (ms since the epoch). */
  readonly deadline: number;
  readonly signal?: AbortSignal;
}

export interface LaneStepResult {
  readonly run: RunPlan;
  readonly lane: number;
  readonly taskIndex: number;
  readonly continuation: TaskContinuation | null;
  /** All of the lane's tasks are finished and their results stored. */
  readonly done: boolean;
  /** The current task asks the state machine to wait this long before the next invocation (rate-limit reset). */
  readonly waitSeconds?: number;
}

/** `waitSeconds` of an extract result (the runner's contract: an integer ≥ 1 on a result with done: false). */
function waitSecondsOf(result: ExtractStepResult): number | undefined {
  const wait = (result as ExtractStepResult & { readonly waitSeconds?: unknown }).waitSeconds;
  return typeof wait === 'number' && Number.isInteger(wait) && wait >= 1 ? wait : undefined;
}

export async function runLaneStep(input: LaneStepInput, deps: RunnerDeps): Promise<LaneStepResult> {
  const { run, lane } = input;
  const stride = run.concurrency;
  if (!Number.isInteger(lane) || lane < 0 || lane >= stride) {
    throw new RunStateError(`Lane ${lane} does not exist: run ${run.runId} has lanes 0 to ${stride - 1}`);
  }
  const tasks = await loadRunTasks(deps.state, run);
  let index = input.taskIndex ?? lane;
  if (index % stride !== lane) {
    throw new RunStateError(`Task index ${index} is not on lane ${lane} of ${stride} (run ${run.runId})`);
  }
  let continuation = input.continuation;
  for (;;) {
    const task = tasks[index];
    if (task === undefined) return { run, lane, taskIndex: index, continuation: null, done: true };
    const result = await runExtractTask(
      { run, task, continuation, deadline: input.deadline, ...(input.signal ? { signal: input.signal } : {}) },
      deps,
    );
    if (!result.done) {
      const waitSeconds = waitSecondsOf(result);
      return {
        run,
        lane,
        taskIndex: index,
        continuation: result.continuation,
        done: false,
        ...(waitSeconds === undefined ? {} : { waitSeconds }),
      };
    }
    await saveTaskResult(deps.state, run, result);
    index += stride;
    continuation = null;
    if (index >= tasks.length) return { run, lane, taskIndex: index - stride, continuation: null, done: true };
    // Time left starts the next task in this invocation; otherwise the next invocation does.
    if (deps.clock() >= input.deadline) return { run, lane, taskIndex: index, continuation: null, done: false };
  }
}
