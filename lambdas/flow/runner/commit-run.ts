/**
 * CommitRun, in this order (the commit protocol): check the lease → write each manifest LAST for its prefix
 * (tombstones first, then the data: a run exists for readers once its data manifest does) → advance the watermark
 * with a conditional put on the state version read at plan time → drop checkpoints → release the lease → emit Run
 * Completed. Every step is idempotent, so a retried commit after a crash at any point finishes the job; a commit
 * whose watermark put already landed (the crash came later) is recognised by `lastRun.runId`.
 */
import { buildManifest, writeManifest } from '../../output/manifest.js';
import { storeFor } from '../../output/sinks/store.js';
import { createOutputWriter, type FileEntry } from '../../output/writer.js';
import { readIds, snapshotIdsKey, snapshotRoot, snapshotTombstones, writeIds } from '../deletes/snapshot-diff.js';
import { TOMBSTONE_COLUMNS, type Tombstone } from '../deletes/system-log-deletes.js';
import { formatInstant, mergeWarnings, type RunCompletedDetail, type RunCounts } from '../events.js';
import type { FlowState } from '../state/flow-state.js';
import { checkpointRef, loadTaskFiles } from './checkpoint.js';
import { addCounts, sumCounts } from './counts.js';
import { RunStateError } from './errors.js';
import { flowFilter, requestForRun } from './flow-request.js';
import { holdLease } from './lease.js';
import { dedupeRoot } from './task-keys.js';
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
  let counts = sumCounts(results.map((r) => r.continuation.counts));
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
    let snapshot: FlowState['snapshot'];
    if (run.deletesKeyPrefix !== null && run.mode === 'full' && request.flow.deleteDetection === 'snapshot-diff') {
      const diff = await commitSnapshotDiff(run, results, stored?.state.snapshot?.idsKey ?? null, deps);
      counts = addCounts(counts, { deletes: diff.tombstones.length, files: diff.files.length });
      manifests.push(
        await writeManifest(
          deps.target,
          run.deletesKeyPrefix,
          manifestFor(`${run.object}_deletes`, [...TOMBSTONE_COLUMNS], diff.files),
        ),
      );
      snapshot = { runId: run.runId, committedAt: finishedAt, idsKey: diff.idsKey, count: diff.count };
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
      ...(snapshot !== undefined ? { snapshot } : {}),
    };
    // Conditional on the version read at plan time: if anything else wrote the state since, we must not commit.
    await deps.state.putFlowState(run.flow, next, run.stateVersion);
    deps.crash?.('commit:after-watermark', {});
    if (snapshot !== undefined) {
      // The per-invocation id lists and the superseded snapshot are no longer needed (best effort).
      const store = storeFor(deps.target);
      const stale = await store.listKeys(`${snapshotRoot(deps.config.output.prefix, run.flow)}/${run.runId}/`);
      const superseded = stored?.state.snapshot?.idsKey;
      await store.deleteKeys([...stale, ...(superseded ? [superseded] : [])]).catch(() => undefined);
    }
  } else {
    manifests.push(...(stored?.state.lastRun?.manifestKeys ?? []));
    logger.info('run was already committed; finishing its commit');
  }

  for (const r of results) await deps.state.deleteCheckpoint(checkpointRef(run, r.task)).catch(() => undefined);
  // The tasks' key lists (exactly-once bookkeeping) are no longer needed once the run is committed (best effort).
  const dedupe = storeFor(deps.target);
  await dedupe
    .listKeys(`${dedupeRoot(deps.config.output.prefix, run.flow, run.runId)}/`)
    .then((keys) => dedupe.deleteKeys(keys))
    .catch(() => undefined);
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
    ...runWarnings(results),
  };
  deps.metrics.add(run.flow, 'durationMs', durationMs);
  deps.metrics.flush();
  logger.info('run committed', { records: counts.records, deletes: counts.deletes, files: counts.files, durationMs });
  await deps.events.publish('completed', detail);
  return detail;
}

/** The Okta client's warnings of every task, merged (bounded), for Run Completed. */
function runWarnings(results: CommitInput['results']): Pick<RunCompletedDetail, 'warnings'> {
  const warnings = results.reduce(
    (all, r) => mergeWarnings(all, r.continuation.warnings ?? []),
    [] as ReturnType<typeof mergeWarnings>,
  );
  return warnings.length > 0 ? { warnings } : {};
}

/**
 * Snapshot diff at commit: this run's ids (from the invocations' id lists) against the previous snapshot's; the
 * tombstones go to the run's deletes prefix, the sorted id list to where the next diff will find it (the state
 * points to it only once the watermark put lands).
 */
async function commitSnapshotDiff(
  run: RunPlan,
  results: CommitInput['results'],
  previousIdsKey: string | null,
  deps: RunnerDeps,
): Promise<{ tombstones: Tombstone[]; files: FileEntry[]; idsKey: string; count: number }> {
  const current = new Set<string>();
  for (const r of results.filter((x) => x.task.kind === 'records')) {
    const { idsFiles } = await loadTaskFiles(deps.state, run, r.task, r.continuation);
    for (const file of idsFiles) for (const id of await readIds(deps.target, file.key)) current.add(id);
  }
  const previous = previousIdsKey === null ? [] : await readIds(deps.target, previousIdsKey);
  const tombstones = snapshotTombstones(run.object, previous, current, run.window.to);
  const writer = createOutputWriter({
    target: deps.target,
    keyPrefix: run.deletesKeyPrefix ?? run.keyPrefix,
    format: deps.config.output.format,
    compression: deps.config.output.compression,
    columns: TOMBSTONE_COLUMNS,
    partLabel: 'deletes',
    ...(deps.config.output.csvNull !== undefined ? { csvNull: deps.config.output.csvNull } : {}),
    ...(deps.clientSideEncryption ? { clientSideEncryption: deps.clientSideEncryption } : {}),
  });
  try {
    if (tombstones.length > 0) await writer.write(tombstones.map((t) => ({ ...t })));
    const { files } = await writer.close();
    const idsKey = snapshotIdsKey(deps.config.output.prefix, run.flow, run.runId);
    await writeIds(deps.target, idsKey, [...current].sort());
    return { tombstones, files, idsKey, count: current.size };
  } catch (error) {
    await writer.abort(error instanceof Error ? error.message : String(error)).catch(() => undefined);
    throw error;
  }
}
