/**
 * CommitRun, in this order (the commit protocol): check the lease and that the flow state is still the one the run
 * was planned on → finish the tombstones (snapshot diff) → seal each file set (every listed file present, stale parts
 * of earlier attempts deleted) → merge the run's columns into the lake's and bring the catalog (Glue) up to date →
 * write the ONE commit record (`<prefix>/_commits/<Object>/<runId>.json`): from here on the run exists for every
 * reader → advance the watermark (conditional on the plan's state version) → drop checkpoints → release the lease →
 * emit Run Completed. Every step is idempotent; a commit retried after a crash before the record redoes the work, and
 * one retried after the record rolls the flow state forward from it.
 */
import { type CommitRecord, commitKey, readCommit, writeCommit } from '../../lake/commit-log.js';
import { type LakeColumnsDoc, lakeColumnsOf, recordLakeColumns } from '../../lake/lake-columns.js';
import type { StreamPosition } from '../../okta/extract/log-stream-position.js';
import type { ColumnSpec } from '../../output/columns.js';
import { buildManifest, type RunManifest, sealRunFiles } from '../../output/manifest.js';
import { storeFor } from '../../output/sinks/store.js';
import { createOutputWriter, type FileEntry } from '../../output/writer.js';
import {
  EXISTENCE_COMPLETE,
  EXISTING_LINE,
  PARENT_LINE,
  perParentDiff,
  readIds,
  snapshotDiffApplies,
  snapshotIdsKey,
  snapshotRoot,
  snapshotTombstones,
  writeIds,
} from '../deletes/snapshot-diff.js';
import { TOMBSTONE_COLUMNS, type Tombstone } from '../deletes/system-log-deletes.js';
import { formatInstant, mergeWarnings, type RunCompletedDetail, type RunCounts, warningCount } from '../events.js';
import { checkpointRef, loadTaskFiles } from './checkpoint.js';
import { applyCommittedState } from './committed-state.js';
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
  const request = await requestForRun(deps.config, run, deps.state);
  const unfinished = results.filter((r) => !r.done).map((r) => r.task.taskId);
  if (unfinished.length > 0) {
    throw new RunStateError(`Run ${run.runId} cannot commit: tasks ${unfinished.join(', ')} are not finished`);
  }
  const output = deps.config.output;
  const prefix = output.prefix;
  const key = commitKey(prefix, run.object, run.runId);
  // PlanRun's own client warnings (schema reads) count with the tasks'.
  let counts = addCounts(sumCounts(results.map((r) => r.continuation.counts)), {
    warnings: warningCount(run.warnings ?? []),
  });
  let record = await readCommit(deps.target, prefix, run.object, run.runId);

  if (record === null) {
    const stored = await deps.state.getFlowState(run.flow);
    if ((stored?.version ?? null) !== run.stateVersion) {
      throw new RunStateError(
        `Run ${run.runId} cannot commit: the state of flow "${run.flow}" changed since the run was planned ` +
          '(another run committed in between). Nothing of this run is visible; start a new run.',
      );
    }
    const collect = async (kind: 'records' | 'deletes'): Promise<FileEntry[]> => {
      const files: FileEntry[] = [];
      for (const r of results.filter((x) => x.task.kind === kind)) {
        files.push(...(await loadTaskFiles(deps.state, run, r.task, r.continuation)).files);
      }
      return files.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    };
    // The lake orders a flow's commits by committed_at (views.ts): strictly after the flow's previous commit, even
    // when the clock stands still or steps back.
    const previousCommit = Date.parse(stored?.state.lastRun?.committedAt ?? '');
    const finishedAt = formatInstant(
      Number.isFinite(previousCommit) ? Math.max(deps.clock(), previousCommit + 1) : deps.clock(),
    );
    const manifestFor = (object: string, columns: readonly ColumnSpec[], files: FileEntry[]): RunManifest =>
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

    deps.crash?.('commit:before-manifest', {});
    let deletes: RunManifest | null = null;
    let snapshot: CommitRecord['state']['snapshot'] = null;
    if (run.deletesKeyPrefix !== null && results.some((r) => r.task.kind === 'deletes')) {
      deletes = manifestFor(`${run.object}_deletes`, TOMBSTONE_COLUMNS, await collect('deletes'));
    }
    if (run.deletesKeyPrefix !== null && snapshotDiffApplies(request.flow, run.mode)) {
      const diff = await commitSnapshotDiff(run, results, stored?.state.snapshot?.idsKey ?? null, deps);
      counts = addCounts(counts, { deletes: diff.tombstones.length, files: diff.files.length });
      deletes = manifestFor(`${run.object}_deletes`, TOMBSTONE_COLUMNS, diff.files);
      snapshot = { runId: run.runId, committedAt: finishedAt, idsKey: diff.idsKey, count: diff.count };
    }
    if (deletes !== null && run.deletesKeyPrefix !== null) {
      await sealRunFiles(deps.target, run.deletesKeyPrefix, deletes);
    }
    deps.crash?.('commit:between-manifests', {});
    const records = manifestFor(run.object, request.columns, await collect('records'));
    if (run.stream !== undefined) {
      // Stream files are under the day of their events: each day's run folder is sealed on its own.
      for (const [folder, files] of filesByFolder(records.files)) {
        await sealRunFiles(deps.target, folder, { ...records, files });
      }
    } else {
      await sealRunFiles(deps.target, run.keyPrefix, records);
    }
    const stream = run.stream === undefined ? null : streamPositionOf(run, results);

    const columns = await recordLakeColumns(
      deps.state,
      run.object,
      lakeColumnsOf(request.columns),
      deletes === null ? [] : lakeColumnsOf(TOMBSTONE_COLUMNS),
    );
    await syncCatalog(run, columns, deps);

    const csvNull = output.csvNull ?? '';
    record = {
      commit_version: 1,
      run_id: run.runId,
      flow: run.flow,
      object: run.object,
      dt: run.keyPrefix.match(/\/dt=(\d{4}-\d{2}-\d{2})\//)?.[1] ?? run.startedAt.slice(0, 10),
      committed_at: finishedAt,
      mode: run.mode,
      trigger: run.trigger,
      window_from: run.window.from ?? null,
      window_to: run.window.to,
      records: { manifest: records, columns: lakeColumnsOf(request.columns), csvNull },
      deletes: deletes === null ? null : { manifest: deletes, columns: lakeColumnsOf(TOMBSTONE_COLUMNS), csvNull },
      state: {
        planVersion: run.stateVersion,
        watermark: run.advancesWatermarkTo,
        records: counts.records,
        snapshot,
        ...(stream !== null ? { stream } : {}),
      },
    };
    // THE commit point: one object, written last. Before it nothing of the run is visible; after it, all of it.
    await writeCommit(deps.target, prefix, record);
    deps.crash?.('commit:after-manifest', {});
  } else {
    logger.info('run was already committed; finishing its commit');
  }

  const { watermark } = await applyCommittedState(record, key, deps);
  deps.crash?.('commit:after-watermark', {});
  if (record.state.snapshot !== null) {
    // The per-invocation id lists and superseded snapshots are no longer needed (best effort).
    const store = storeFor(deps.target);
    const root = snapshotRoot(prefix, run.flow);
    const stale = (await store.listKeys(`${root}/`)).filter((k) => k !== record.state.snapshot?.idsKey);
    await store.deleteKeys(stale).catch(() => undefined);
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
    manifests: [key],
    watermark,
    ...runWarnings(run, results),
  };
  deps.metrics.add(run.flow, 'durationMs', durationMs);
  deps.metrics.flush();
  logger.info('run committed', { records: counts.records, deletes: counts.deletes, files: counts.files, durationMs });
  await deps.events.publish('completed', detail);
  return detail;
}

/** Files grouped by the run folder they are in (`…/dt=<day>/run_id=<id>`). */
function filesByFolder(files: readonly FileEntry[]): Map<string, FileEntry[]> {
  const out = new Map<string, FileEntry[]>();
  for (const file of files) {
    const folder = file.key.slice(0, file.key.lastIndexOf('/'));
    out.set(folder, [...(out.get(folder) ?? []), file]);
  }
  return out;
}

/** Where the stream stands after the run: its one records task's last position (required: it read ≥ 1 page). */
function streamPositionOf(run: RunPlan, results: CommitInput['results']): StreamPosition {
  const positions = results.filter((r) => r.task.kind === 'records').map((r) => r.continuation.stream);
  const position = positions[0];
  if (positions.length !== 1 || position === undefined) {
    throw new RunStateError(
      `Run ${run.runId} cannot commit: its ${run.object} stream task did not report where the stream stands. ` +
        'Nothing of this run is visible; start a new run.',
    );
  }
  return position;
}

/** The Okta client's warnings of the plan and every task, merged (bounded), for Run Completed. */
function runWarnings(run: RunPlan, results: CommitInput['results']): Pick<RunCompletedDetail, 'warnings'> {
  const warnings = results.reduce((all, r) => mergeWarnings(all, r.continuation.warnings ?? []), [
    ...(run.warnings ?? []),
  ] as ReturnType<typeof mergeWarnings>);
  return warnings.length > 0 ? { warnings } : {};
}

/**
 * Brings the catalog's tables and views up to the lake's columns. Glue is derived metadata: a failure is logged and
 * repaired by the next commit (every sync writes the whole union), never a reason to throw away a finished run.
 */
async function syncCatalog(run: RunPlan, columns: LakeColumnsDoc, deps: RunnerDeps): Promise<void> {
  if (deps.lakeCatalog === undefined) return;
  try {
    await deps.lakeCatalog.sync({ object: run.object, format: deps.config.output.format, columns });
  } catch (error) {
    deps.logger
      .child({ flow: run.flow, runId: run.runId, object: run.object })
      .warn('could not update the Glue tables; the next commit retries', {
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
  }
}

/**
 * Snapshot diff at commit: this run's ids (from the invocations' id lists) against the previous snapshot's; the
 * tombstones go to the run's deletes prefix, the sorted id list to where the next diff will find it (the state
 * points to it only once the run commits).
 */
async function commitSnapshotDiff(
  run: RunPlan,
  results: CommitInput['results'],
  previousIdsKey: string | null,
  deps: RunnerDeps,
): Promise<{ tombstones: Tombstone[]; files: FileEntry[]; idsKey: string; count: number }> {
  const current = new Set<string>();
  const listedParents = new Set<string>();
  const existingParents = new Set<string>();
  let existenceComplete = false;
  for (const r of results.filter((x) => x.task.kind === 'records')) {
    const { idsFiles } = await loadTaskFiles(deps.state, run, r.task, r.continuation);
    for (const file of idsFiles) {
      for (const id of await readIds(deps.target, file.key)) {
        if (id.startsWith(PARENT_LINE)) listedParents.add(id.slice(PARENT_LINE.length));
        else if (id.startsWith(EXISTING_LINE)) existingParents.add(id.slice(EXISTING_LINE.length));
        else if (id === EXISTENCE_COMPLETE) existenceComplete = true;
        else current.add(id);
      }
    }
  }
  const previous = previousIdsKey === null ? [] : await readIds(deps.target, previousIdsKey);
  // Incremental relation runs diff per parent (only the parents this run listed: the others were not re-read);
  // full runs diff the whole snapshot, so the pairs of a deleted parent become tombstones too.
  const perParent = run.mode === 'incremental';
  // Parents gone since the last run (a deleted group) were not listed: the existence listing names them.
  const diff = perParent
    ? perParentDiff(previous, current, listedParents, existenceComplete ? existingParents : null)
    : null;
  const tombstones =
    diff === null
      ? snapshotTombstones(run.object, previous, current, run.window.to)
      : snapshotTombstones(run.object, diff.gone, new Set(), run.window.to);
  const nextSnapshot = diff === null ? [...current].sort() : diff.next;
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
    await writeIds(deps.target, idsKey, nextSnapshot);
    return { tombstones, files, idsKey, count: nextSnapshot.length };
  } catch (error) {
    await writer.abort(error instanceof Error ? error.message : String(error)).catch(() => undefined);
    throw error;
  }
}
