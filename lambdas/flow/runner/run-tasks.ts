/**
 * What a state machine run keeps in the state store instead of its payloads (Step Functions caps every state's
 * input and output at 256 KiB, and a backfill plans thousands of tasks): the run's task list, written by PlanRun,
 * and each finished task's result (its final continuation: counts, part count), written by the lane that ran it.
 * CommitRun and FailRun read them back by run id; the payloads carry only the run plan and lane numbers.
 */
import { z } from 'zod';
import type { RunDocumentRef } from '../state/flow-state.js';
import type { StateStore } from '../state/state-store.js';
import { RunStateError } from './errors.js';
import { runTaskSchema, taskContinuationSchema } from './step-events.js';
import type { ExtractStepResult, RunPlan, RunTask } from './types.js';

const tasksDocumentSchema = z.object({ v: z.literal(1), tasks: z.array(runTaskSchema) });
const resultDocumentSchema = z.object({
  v: z.literal(1),
  task: runTaskSchema,
  continuation: taskContinuationSchema,
  done: z.literal(true),
});

export type TaskResult = Pick<ExtractStepResult, 'task' | 'continuation' | 'done'>;

/** Parallel reads at commit: a 10,000-task run reads 10,000 results well inside CommitRun's timeout. */
const READ_CONCURRENCY = 16;

function tasksRef(run: RunPlan): RunDocumentRef {
  return { flow: run.flow, runId: run.runId, name: 'tasks' };
}

function resultRef(run: RunPlan, taskId: string): RunDocumentRef {
  return { flow: run.flow, runId: run.runId, name: `result.${taskId}` };
}

export async function saveRunTasks(state: StateStore, run: RunPlan, tasks: readonly RunTask[]): Promise<void> {
  await state.putRunDocument(tasksRef(run), { v: 1, tasks: [...tasks] });
}

export async function loadRunTasks(state: StateStore, run: RunPlan): Promise<RunTask[]> {
  const stored = await state.getRunDocument(tasksRef(run));
  if (stored === null) {
    throw new RunStateError(
      `Run ${run.runId} of flow "${run.flow}": its task list is missing from the state store ` +
        `(flows/${run.flow}/runs/${run.runId}/tasks.json). Start a new run.`,
    );
  }
  const parsed = tasksDocumentSchema.safeParse(stored);
  if (!parsed.success)
    throw new RunStateError(`Run ${run.runId}: the stored task list is unreadable; start a new run.`);
  return parsed.data.tasks;
}

export async function saveTaskResult(state: StateStore, run: RunPlan, result: TaskResult): Promise<void> {
  if (!result.done) throw new RunStateError(`Task ${result.task.taskId} is not finished; only results are stored`);
  await state.putRunDocument(resultRef(run, result.task.taskId), {
    v: 1,
    task: result.task,
    continuation: result.continuation,
    done: true,
  });
}

/** Every task's stored result, in task order; a task without one has not finished and the run cannot commit. */
export async function loadTaskResults(
  state: StateStore,
  run: RunPlan,
  tasks: readonly RunTask[],
): Promise<TaskResult[]> {
  const out: TaskResult[] = new Array(tasks.length);
  const unfinished: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      const task = tasks[index] as RunTask;
      const stored = await state.getRunDocument(resultRef(run, task.taskId));
      const parsed = stored === null ? null : resultDocumentSchema.safeParse(stored);
      if (parsed === null || !parsed.success || parsed.data.task.taskId !== task.taskId) {
        unfinished.push(task.taskId);
        continue;
      }
      out[index] = { task: parsed.data.task, continuation: parsed.data.continuation, done: true };
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, Math.max(1, tasks.length)) }, worker));
  if (unfinished.length > 0) {
    const shown = unfinished.sort().slice(0, 10).join(', ');
    throw new RunStateError(
      `Run ${run.runId} cannot commit: ${unfinished.length} task(s) have no finished result (${shown}` +
        `${unfinished.length > 10 ? ', …' : ''}).`,
    );
  }
  return out;
}

/** Drops the run's documents once it is committed or failed (best effort: they are small and run-scoped). */
export async function deleteRunDocuments(state: StateStore, run: RunPlan, tasks: readonly RunTask[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const task = tasks[next++] as RunTask;
      await state.deleteRunDocument(resultRef(run, task.taskId)).catch(() => undefined);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, Math.max(1, tasks.length)) }, worker));
  await state.deleteRunDocument(tasksRef(run)).catch(() => undefined);
}
