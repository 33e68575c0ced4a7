/**
 * `runFlow`: one whole run in-process (the CLI, the demo, tests) with the very steps the Lambdas run: planRun →
 * runExtractTask per task (looping on continuations, tasks in parallel up to the flow's slicing concurrency) →
 * commitRun; on error failRun. A `SimulatedCrash` (test hook) skips failRun: a crashed process runs nothing more.
 * A step that returns `waitSeconds` (a rate-limit reset further away than its time budget) is what the state
 * machine's Wait state handles: here the task sleeps that long, showing the wait on the progress bar, then resumes.
 */
import { mergeWarnings, type RunCompletedDetail, type RunCounts, type RunWarning } from '../events.js';
import { commitRun } from './commit-run.js';
import { sumCounts } from './counts.js';
import { RunStepError } from './errors.js';
import { failRun } from './fail-run.js';
import { planRun, type RunTrigger } from './plan-run.js';
import { runExtractTask } from './run-extract-task.js';
import type { ExtractStepResult, PlannedRun, RunnerDeps, RunTask } from './types.js';

/** Thrown by test crash hooks: the "process" stops where it is, with no clean-up. */
export class SimulatedCrash extends Error {
  override readonly name = 'SimulatedCrash';
}

export interface RunFlowOptions {
  /** Time budget of one extract invocation (default: unlimited); small values force many continuations. */
  readonly taskBudgetMs?: number;
  /** Tasks at once (default and maximum: the plan's `run.concurrency`). */
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
  /** Called once the run is planned (the CLI sets up its progress bars here). */
  readonly onPlanned?: (planned: PlannedRun) => void;
  /** How a task waits for a rate-limit reset between steps (default: a timer; tests pass a fake). */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface RunFlowResult {
  readonly planned: PlannedRun;
  readonly results: ExtractStepResult[];
  readonly completed: RunCompletedDetail;
}

export async function runFlow(
  flowName: string,
  trigger: RunTrigger,
  deps: RunnerDeps,
  options: RunFlowOptions = {},
): Promise<RunFlowResult> {
  let planned: PlannedRun;
  try {
    planned = await planRun(flowName, trigger, deps);
  } catch (error) {
    if (error instanceof SimulatedCrash) throw error;
    await failRun({ flow: flowName, error: describe(error, 'plan') }, deps).catch(() => undefined);
    throw error;
  }
  options.onPlanned?.(planned);
  const { run, tasks } = planned;
  const results: ExtractStepResult[] = [];
  /** Every task's last step result, finished or not: what failRun reports. */
  const latest = new Map<string, ExtractStepResult>();
  let step: 'extract' | 'commit' = 'extract';
  try {
    // The plan's concurrency is what each task's client share was divided by: running more at once would overdraw it.
    const concurrency = Math.min(options.concurrency ?? run.concurrency, run.concurrency);
    const stop = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
    const sleep = options.sleep ?? sleepFor;
    const runTask = async (task: RunTask): Promise<ExtractStepResult> => {
      let result: ExtractStepResult | null = null;
      while (result === null || !result.done) {
        signal.throwIfAborted();
        if (result?.waitSeconds !== undefined) {
          const waitMs = result.waitSeconds * 1000;
          deps.onProgress?.({
            flow: run.flow,
            object: run.object,
            taskId: task.taskId,
            records: result.continuation.counts.records,
            pages: result.continuation.counts.pages,
            rateLimitWaitMs: result.continuation.counts.rateLimitWaitMs,
            duplicates: result.continuation.counts.duplicates,
            waiting: { bucket: 'Okta rate limit', untilMs: Date.now() + waitMs },
          });
          await sleep(waitMs, signal);
        }
        const deadline = deps.clock() + (options.taskBudgetMs ?? Number.POSITIVE_INFINITY);
        result = await runExtractTask(
          { run, task, continuation: result?.continuation ?? null, deadline, signal },
          deps,
        );
        latest.set(task.taskId, result);
      }
      return result;
    };
    results.push(...(await pool(tasks, concurrency, runTask, stop)));
    step = 'commit';
    const completed = await commitRun({ run, results }, deps);
    return { planned, results, completed };
  } catch (error) {
    if (error instanceof SimulatedCrash) throw error;
    const steps = [...latest.values()];
    const counts: RunCounts = sumCounts(steps.map((r) => r.continuation.counts));
    const warnings = steps.reduce<RunWarning[]>((all, r) => mergeWarnings(all, r.continuation.warnings ?? []), []);
    await failRun({ run, tasks, counts, warnings, error: describe(error, step) }, deps).catch(() => undefined);
    throw error;
  }
}

function sleepFor(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function describe(error: unknown, step: string): { name: string; message: string; step: string } {
  if (error instanceof RunStepError) return { name: error.name, message: error.message, step: error.step };
  if (error instanceof Error) return { name: error.name, message: error.message, step };
  return { name: 'Error', message: String(error), step };
}

/** Runs `work` over items, `limit` at a time, in order of results; the first failure stops the rest. */
async function pool<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
  stop: AbortController,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  let failure: { error: unknown } | null = null;
  const worker = async () => {
    while (failure === null && next < items.length) {
      const index = next++;
      try {
        out[index] = await work(items[index] as T);
      } catch (error) {
        if (failure === null) failure = { error };
        stop.abort(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure !== null) throw (failure as { error: unknown }).error;
  return out;
}
