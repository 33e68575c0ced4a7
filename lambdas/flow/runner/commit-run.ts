/**
 * CommitRun, in this order (the commit protocol): check the lease → write each manifest LAST for its prefix
 * (tombstones first, then the data: a run exists for readers once its data manifest does) → advance the watermark
 * with a conditional put on the state version read at plan time → drop checkpoints → release the lease → emit Run
 * Completed. Every step is idempotent, so a retried commit after a crash at any point finishes the job; a commit
 * whose watermark put already landed (the crash came later) is recognised by `lastRun.runId`.
 */
import { buildManifest, writeManifest } from '../../output/manifest.js';
import type { FileEntry } from '../../output/writer.js';
import { TOMBSTONE_COLUMNS } from '../deletes/system-log-deletes.js';
import { formatInstant, type RunCompletedDetail, type RunCounts } from '../events.js';
import type { FlowState } from '../state/flow-state.js';
import { checkpointRef, loadTaskFiles } from './checkpoint.js';
import { sumCounts } from './counts.js';
import { RunStateError } from './errors.js';
import { flowFilter, requestForRun } from './flow-request.js';
import { holdLease } from './lease.js';
import type { ExtractStepResult, RunnerDeps, RunPlan } from './types.js';

/** Bumped when the column model of output files changes incompatibly. */
export const OUTPUT_SCHEMA_VERSION = '1';

export interface CommitInput {
  readonly run: RunPlan;
  readonly results: readonly Pick<ExtractStepResult, 'task' | 'continuation' | 'done'>[];
}

export async function commitRun(input: CommitInput, deps: RunnerDeps): Promise<RunCompletedDetail> {
  const { run, results } = input;
  const logger = deps.logger.child({ flow: run.flow, runId: run.runId, object: run.object });
  const lease = await holdLease(run, deps);
  const request = requestForRun(deps.config, run);
  const unfinished = results.filter((r) => !r.done).map((r) => r.task.taskId);
  if (unfinished.length > 0) {
    throw new RunStateError(`Run ${run.runId} cannot commit: tasks ${unfinished.join(', ')} are not finished`);
  }
  const counts = sumCounts(results.map((r) => r.continuation.counts));
  const stored = await deps.state.getFlowState(run.flow);
  const alreadyCommitted = stored?.state.lastRun?.runId === run.runId;

  const manifests: string[] = [];
  const collect = async (kind: 'records' | 'deletes'): Promise<FileEntry[]> => {
    const files: FileEntry[] = [];
    for (const r of results.filter((x) => x.task.kind === kind)) {
      files.push(...(await loadTaskFiles(deps.state, run, r.task, r.continuation)).files);
    }
    return files.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  };
  const finishedAt = formatInstant(deps.clock());
  const output = deps.config.output;
  const manifestFor = (object: string, columns: typeof request.columns, files: FileEntry[]) =>
    buildManifest(deps.target, {
      runId: run.runId,
      flow: run.flow,
      object,
      window: run.window,
      filter: flowFilter(request.flow),
      schemaVersion: OUTPUT_SCHEMA_VERSION,
      columns,
      files,
      startedAt: run.startedAt,
      finishedAt,
      format: output.format,
      compression: output.compression,
      ...(deps.clientSideEncryption ? { clientSideEncryption: deps.clientSideEncryption } : {}),
    });

  if (!alreadyCommitted) {
    deps.crash?.('commit:before-manifest', {});
    if (run.deletesKeyPrefix !== null && results.some((r) => r.task.kind === 'deletes')) {
      const files = await collect('deletes');
      manifests.push(
        await writeManifest(
          deps.target,
          run.deletesKeyPrefix,
          manifestFor(`${run.object}_deletes`, [...TOMBSTONE_COLUMNS], files),
        ),
      );
    }
    deps.crash?.('commit:between-manifests', {});
    const files = await collect('records');
    manifests.push(await writeManifest(deps.target, run.keyPrefix, manifestFor(run.object, request.columns, files)));
    deps.crash?.('commit:after-manifest', {});

    const previous = stored?.state ?? null;
    const next: FlowState = {
      ...(previous ?? {}),
      schemaVersion: 1,
      flow: run.flow,
      watermark: run.advancesWatermarkTo ?? previous?.watermark ?? null,
      lastRun: {
        runId: run.runId,
        mode: run.mode,
        window: run.window,
        committedAt: finishedAt,
        records: counts.records,
        manifestKeys: manifests,
      },
    };
    // Conditional on the version read at plan time: if anything else wrote the state since, we must not commit.
    await deps.state.putFlowState(run.flow, next, run.stateVersion);
    deps.crash?.('commit:after-watermark', {});
  } else {
    manifests.push(...(stored?.state.lastRun?.manifestKeys ?? []));
    logger.info('run was already committed; finishing its commit');
  }

  for (const r of results) await deps.state.deleteCheckpoint(checkpointRef(run, r.task)).catch(() => undefined);
  deps.crash?.('commit:before-release', {});
  await deps.state.releaseLease(lease, deps.clock());

  const endedMs = deps.clock();
  const durationMs = Math.max(0, endedMs - Date.parse(run.startedAt));
  const after = alreadyCommitted
    ? (stored?.state.watermark ?? null)
    : (run.advancesWatermarkTo ?? stored?.state.watermark ?? null);
  const detail: RunCompletedDetail = {
    version: '1',
    flow: run.flow,
    runId: run.runId,
    objects: [run.object],
    mode: run.mode,
    trigger: run.trigger,
    window: run.window,
    startedAt: run.startedAt,
    endedAt: formatInstant(endedMs),
    durationMs,
    counts,
    countsByObject: { [run.object]: counts } as Partial<Record<RunPlan['object'], RunCounts>>,
    manifests,
    watermark: after,
  };
  deps.metrics.add(run.flow, 'durationMs', durationMs);
  deps.metrics.flush();
  logger.info('run committed', { records: counts.records, deletes: counts.deletes, files: counts.files, durationMs });
  await deps.events.publish('completed', detail);
  return detail;
}
