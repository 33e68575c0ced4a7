/**
 * FailRun: a run that cannot finish leaves no trace readers could mistake for data. Its files are deleted (they were
 * never visible: no commit record lists them), its checkpoints dropped, the lease released so the next run need not
 * wait, the watermark left untouched (the next run re-reads the window), and Run Failed is emitted. A run whose
 * commit record exists did commit (the failure came after the commit point): its flow state is rolled forward, it is
 * left alone and reported as committed.
 */
import { commitKey, readCommit } from '../../lake/commit-log.js';
import { storeFor } from '../../output/sinks/store.js';
import type { OutputTarget } from '../../output/sinks/types.js';
import {
  emptyRunCounts,
  formatInstant,
  mergeWarnings,
  type RunCounts,
  type RunFailedDetail,
  type RunWarning,
} from '../events.js';
import { checkpointRef } from './checkpoint.js';
import { applyCommittedState } from './committed-state.js';
import { dedupeRoot } from './task-keys.js';
import type { RunnerDeps, RunPlan, RunTask } from './types.js';

export interface FailInput {
  /** Absent when planning failed (bad input, lease held, …). */
  readonly run?: RunPlan | undefined;
  /** The run input, for the event when there is no plan. */
  readonly flow?: string | undefined;
  readonly tasks?: readonly RunTask[] | undefined;
  readonly counts?: RunCounts | undefined;
  /** The Okta client's warnings before the failure, when known (in-process runs). */
  readonly warnings?: readonly RunWarning[] | undefined;
  readonly error: { readonly name: string; readonly message: string; readonly step?: string | undefined };
}

export interface FailOutcome {
  readonly status: 'failed' | 'committed';
  readonly detail: RunFailedDetail | null;
}

export async function failRun(input: FailInput, deps: RunnerDeps): Promise<FailOutcome> {
  const now = deps.clock();
  const run = input.run;
  const flowName = run?.flow ?? input.flow ?? 'unknown';
  const logger = deps.logger.child({ flow: flowName, runId: run?.runId, object: run?.object });
  deps.metrics.add(flowName, 'failures', 1);

  if (run !== undefined) {
    const prefix = deps.config.output.prefix;
    const record = await readCommit(deps.target, prefix, run.object, run.runId);
    const stored = await deps.state.getFlowState(run.flow);
    if (record !== null || stored?.state.lastRun?.runId === run.runId) {
      logger.warn('run had already committed before the failure; leaving it', { error: input.error.message });
      if (record !== null) {
        await applyCommittedState(record, commitKey(prefix, run.object, run.runId), deps).catch((error: unknown) =>
          logger.warn('could not roll the flow state forward; the next run does', {
            error: error instanceof Error ? error.message : String(error),
          }),
        );
      }
      await releaseIfOurs(run, deps);
      deps.metrics.flush();
      return { status: 'committed', detail: null };
    }
    await discardRunFiles(deps.target, [
      run.keyPrefix,
      run.deletesKeyPrefix,
      dedupeRoot(deps.config.output.prefix, run.flow, run.runId),
      ...(run.stream !== undefined ? await streamRunFolders(deps.target, prefix, run.object, run.runId) : []),
    ]);
    for (const task of input.tasks ?? []) {
      await deps.state.deleteCheckpoint(checkpointRef(run, task)).catch(() => undefined);
    }
    await releaseIfOurs(run, deps);
  }

  const flowConfig = deps.config.flows.find((f) => f.name === flowName);
  const detail: RunFailedDetail = {
    version: '1',
    flow: flowName,
    runId: run?.runId ?? 'not-started',
    objects: run ? [run.object] : flowConfig ? [flowConfig.object] : [],
    mode: run?.mode ?? flowConfig?.mode ?? 'full',
    trigger: run?.trigger ?? 'manual',
    window: run?.window ?? { to: formatInstant(now) },
    startedAt: run?.startedAt ?? formatInstant(now),
    endedAt: formatInstant(now),
    durationMs: run ? Math.max(0, now - Date.parse(run.startedAt)) : 0,
    counts: input.counts ?? emptyRunCounts(),
    ...failureWarnings(run?.warnings ?? [], input.warnings ?? []),
    error: {
      name: input.error.name,
      message: input.error.message,
      ...(input.error.step !== undefined ? { step: input.error.step } : {}),
    },
  };
  logger.error('run failed', undefined, {
    error: `${input.error.name}: ${input.error.message}`,
    step: input.error.step,
  });
  deps.metrics.flush();
  await deps.events.publish('failed', detail);
  return { status: 'failed', detail };
}

/** Removes the files of a run that has no commit record (the caller checks): nobody could see them anyway. */
/**
 * The run folders of a stream run: it writes under the day of its events (`<object>/dt=<day>/run_id=<id>/`), so
 * the days are found by listing the object's folder.
 */
export async function streamRunFolders(
  target: OutputTarget,
  prefix: string,
  object: string,
  runId: string,
): Promise<string[]> {
  const root = [prefix.replace(/^\/+|\/+$/g, ''), object].filter((s) => s !== '').join('/');
  const marker = `/run_id=${runId}/`;
  const folders = new Set<string>();
  for (const key of await storeFor(target).listKeys(`${root}/`)) {
    const at = key.indexOf(marker);
    if (at >= 0) folders.add(key.slice(0, at + marker.length - 1));
  }
  return [...folders];
}

export async function discardRunFiles(target: OutputTarget, prefixes: readonly (string | null)[]): Promise<void> {
  const store = storeFor(target);
  for (const prefix of prefixes) {
    if (prefix === null) continue;
    await store.deleteKeys(await store.listKeys(`${prefix}/`));
  }
}

async function releaseIfOurs(run: RunPlan, deps: RunnerDeps): Promise<void> {
  const lease = await deps.state.getLease(run.flow);
  if (lease !== null && lease.runId === run.runId && !lease.released) {
    const { released: _released, ...held } = lease;
    await deps.state.releaseLease(held, deps.clock());
  }
}

/** The plan's and the tasks' client warnings, merged (bounded), when there are any. */
function failureWarnings(plan: readonly RunWarning[], tasks: readonly RunWarning[]): { warnings?: RunWarning[] } {
  const warnings = mergeWarnings(plan, tasks);
  return warnings.length > 0 ? { warnings } : {};
}
