/**
 * PlanRun Lambda: `{input: <console/schedule input>, executionArn}` (or the input itself) → lease (recording the
 * execution as its holder), window, tasks, Run Started. The task list goes to the state store; the result is
 * `{run, lanes, taskCount}`, whose size does not grow with the number of tasks.
 */
import { parseRunInput } from '../flow/events.js';
import { lambdaRunnerDeps } from '../flow/runner/lambda-deps.js';
import { planRun } from '../flow/runner/plan-run.js';
import { saveRunTasks } from '../flow/runner/run-tasks.js';
import { planEventSchema } from '../flow/runner/step-events.js';
import type { RunnerDeps, RunPlan } from '../flow/runner/types.js';
import type { LeaseHolder } from '../flow/state/flow-state.js';

export interface PlanRunOutput {
  readonly run: RunPlan;
  /** The Map's items: one per lane, `run.concurrency` of them (run-lane.ts). */
  readonly lanes: number[];
  readonly taskCount: number;
}

export function createPlanRunHandler(getDeps: () => RunnerDeps) {
  return async (event: unknown): Promise<PlanRunOutput> => {
    const wrapped = planEventSchema.safeParse(event);
    const input = parseRunInput(wrapped.success ? wrapped.data.input : event);
    const holder: LeaseHolder | undefined = wrapped.success
      ? { kind: 'stepfunctions', executionArn: wrapped.data.executionArn }
      : undefined;
    const deps = getDeps();
    const { run, tasks } = await planRun(
      input.flow,
      {
        kind: input.trigger,
        from: input.from,
        to: input.to,
        fullResync: input.fullResync,
        ...(holder === undefined ? {} : { holder }),
      },
      deps,
    );
    try {
      await saveRunTasks(deps.state, run, tasks);
    } catch (error) {
      // The run cannot start without its task list: give the lease back so the next run need not wait for it.
      const lease = await deps.state.getLease(run.flow).catch(() => null);
      if (lease !== null && lease.runId === run.runId && !lease.released) {
        const { released: _released, ...held } = lease;
        await deps.state.releaseLease(held, deps.clock()).catch(() => false);
      }
      throw error;
    }
    return { run, lanes: Array.from({ length: run.concurrency }, (_, i) => i), taskCount: tasks.length };
  };
}

export const handler = createPlanRunHandler(lambdaRunnerDeps);
