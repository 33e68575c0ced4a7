/**
 * ExtractStep: one task (object × slice, or the run's deletes) for as long as the time budget allows. Pages stream
 * into a rolling output writer; when the budget is spent (checked between pages) the open file is finished, the
 * files so far go to the task's checkpoint, and a small continuation (Okta cursor + next part index) is returned for
 * the next invocation. Nothing here is visible to readers: only the commit's manifest makes files exist.
 *
 * Exactly once within the task: the keys of every record read so far (all invocations, see task-keys.ts) are loaded
 * first, so a record Okta returns again is dropped and counted, never written twice. A rate-limit wait longer than
 * the invocation can sleep (OktaRateLimitDeferral) ends the invocation like the time budget does, with
 * `waitSeconds` for the state machine's Wait state. Every Okta client warning is logged at once and carried, bounded,
 * to the run event.
 */
import { recordKey, streamSourceOf } from '../../okta/catalog/index.js';
import type { ObjectDef } from '../../okta/catalog/types.js';
import { OktaRateLimitDeferral } from '../../okta/errors.js';
import { extractObject } from '../../okta/extract/extract-object.js';
import { extractLogStream, type LogStreamPage } from '../../okta/extract/log-stream.js';
import { encodeTail, type StreamPosition, seedTail } from '../../okta/extract/log-stream-position.js';
import type { Continuation, ExtractDeps, ExtractPage } from '../../okta/extract/types.js';
import { planQuery } from '../../okta/query/plan.js';
import type { OktaApi, OktaClientObserver, OktaRecord } from '../../okta/types.js';
import { runKeyPrefix } from '../../output/keys.js';
import { createOutputWriter, type OutputWriter } from '../../output/writer.js';
import {
  EXISTENCE_COMPLETE,
  EXISTING_LINE,
  invocationIdsKey,
  PARENT_LINE,
  snapshotDiffApplies,
  writeIds,
} from '../deletes/snapshot-diff.js';
import { systemLogDeletes, TOMBSTONE_COLUMNS } from '../deletes/system-log-deletes.js';
import { emptyRunCounts, mergeWarnings, type RunCounts, type RunWarning, warningOf } from '../events.js';
import type { RunLogger } from '../observability/logger.js';
import { loadTaskFiles, saveTaskFiles } from './checkpoint.js';
import { addCounts } from './counts.js';
import { createDayPartitionedWriter } from './day-partitioned-writer.js';
import { RunStateError } from './errors.js';
import { requestForRun } from './flow-request.js';
import { holdLease } from './lease.js';
import { DEFAULT_LEASE_TTL_MS } from './plan-run.js';
import { invocationKeysKey, loadTaskKeys, saveInvocationKeys } from './task-keys.js';
import type { ExtractStepResult, RunnerDeps, RunPlan, RunTask, TaskContinuation } from './types.js';

export interface ExtractStepInput {
  readonly run: RunPlan;
  readonly task: RunTask;
  readonly continuation: TaskContinuation | null;
  /** Stop reading new pages at this time (ms since the epoch); the step then checkpoints and returns. */
  readonly deadline: number;
  readonly signal?: AbortSignal;
}

interface Live {
  records: number;
  pages: number;
  rateLimitWaitMs: number;
  throttled: number;
  duplicates: number;
  warnings: RunWarning[];
  warningCount: number;
}

/** Longest warning message carried to the run event (the log has the whole one). */

export async function runExtractTask(input: ExtractStepInput, deps: RunnerDeps): Promise<ExtractStepResult> {
  const { run, task } = input;
  const logger = deps.logger.child({ flow: run.flow, runId: run.runId, object: run.object, slice: task.taskId });
  await holdLease(run, deps);
  const { files: kept, idsFiles, keysFiles, version } = await loadTaskFiles(deps.state, run, task, input.continuation);
  const live: Live = {
    records: 0,
    pages: 0,
    rateLimitWaitMs: 0,
    throttled: 0,
    duplicates: 0,
    warnings: [],
    warningCount: 0,
  };
  const invocation = input.continuation?.invocations ?? 0;
  const observer: OktaClientObserver = {
    onRateLimitWait: ({ bucket, waitMs, reason }) => {
      live.rateLimitWaitMs += waitMs;
      // A wait for a reset (not the even spacing of pacing) is worth showing: the run is not stuck.
      // Wall-clock time (not deps.clock, which may be a sandbox's): it is shown to people.
      if (reason !== 'pacing') progress({ bucket, untilMs: Date.now() + waitMs });
    },
    onRequest: ({ status }) => {
      if (status === 429) live.throttled += 1;
    },
    onWarning: ({ code, message }) => {
      logger.warn('Okta client warning', { code, warning: message });
      live.warningCount += 1;
      live.warnings = mergeWarnings(live.warnings, [warningOf(code, message)]);
    },
  };
  const sleepBudgetMs = input.deadline - deps.clock();
  const api = await deps.createOktaApi(observer, {
    concurrentTasks: run.concurrency,
    ...(Number.isFinite(sleepBudgetMs) ? { sleepBudgetMs: Math.max(0, sleepBudgetMs) } : {}),
  });
  const request = await requestForRun(deps.config, run, deps.state);
  const output = deps.config.output;
  const startPartIndex = input.continuation?.nextPartIndex ?? 0;
  const stream = task.kind === 'records' ? streamSourceOf(request.def) : null;
  const writerOptions = {
    target: deps.target,
    format: output.format,
    compression: output.compression,
    columns: task.kind === 'deletes' ? TOMBSTONE_COLUMNS : request.columns,
    targetFileBytes: deps.targetFileBytes ?? output.targetFileSizeMiB * 1024 * 1024,
    ...(deps.maxRecordsPerFile !== undefined ? { maxRecordsPerFile: deps.maxRecordsPerFile } : {}),
    startPartIndex,
    partLabel: task.partLabel,
    ...(output.csvNull !== undefined ? { csvNull: output.csvNull } : {}),
    ...(deps.clientSideEncryption ? { clientSideEncryption: deps.clientSideEncryption } : {}),
  };
  // Stream objects (the System Log) are partitioned by the UTC day of their event time, not of the run.
  const timeField = stream === null ? undefined : request.def.fields.find((f) => f.column === stream.timeField);
  const writer: OutputWriter =
    stream === null || timeField === undefined
      ? createOutputWriter({
          ...writerOptions,
          keyPrefix: task.kind === 'deletes' ? (run.deletesKeyPrefix ?? run.keyPrefix) : run.keyPrefix,
        })
      : createDayPartitionedWriter({
          ...writerOptions,
          keyPrefixFor: (dt) => runKeyPrefix({ prefix: output.prefix, object: run.object, dt, runId: run.runId }),
          timePath: timeField.path,
          object: run.object,
        });
  const ttl = deps.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS;
  let lastRenewal = deps.clock();
  const renewIfDue = async () => {
    // Renew well before expiry so a long step never loses the lease to a run that merely waited.
    if (deps.clock() - lastRenewal >= ttl / 3) {
      await holdLease(run, deps);
      lastRenewal = deps.clock();
    }
  };
  function progress(waiting?: { bucket: string; untilMs: number }) {
    deps.onProgress?.({
      flow: run.flow,
      object: run.object,
      taskId: task.taskId,
      records: (input.continuation?.counts.records ?? 0) + live.records,
      pages: (input.continuation?.counts.pages ?? 0) + live.pages,
      rateLimitWaitMs: (input.continuation?.counts.rateLimitWaitMs ?? 0) + live.rateLimitWaitMs,
      duplicates: (input.continuation?.counts.duplicates ?? 0) + live.duplicates,
      ...(waiting ? { waiting } : {}),
    });
  }

  // Snapshot-diff flows remember every id a full run reads (see deletes/snapshot-diff.ts).
  // Relations also note every parent they list (PARENT_LINE), for the per-parent diff of incremental runs.
  const ids: string[] | null = task.kind === 'records' && snapshotDiffApplies(request.flow, run.mode) ? [] : null;
  let okta = input.continuation?.okta ?? null;
  let position: StreamPosition | undefined = input.continuation?.stream;
  let done = false;
  let deferred: OktaRateLimitDeferral | null = null;
  const seen = task.kind === 'records' ? await loadTaskKeys(deps.target, keysFiles) : null;
  try {
    try {
      if (task.kind === 'deletes') {
        await writeDeletes(api, run, writer, live, input.signal, deps.clock(), deps.pageLimit);
        done = true;
      } else {
        const extractDeps: ExtractDeps = {
          api,
          plan: planQuery,
          ...(input.signal ? { signal: input.signal } : {}),
          ...(seen !== null ? { seen } : {}),
          ...(observer.onWarning ? { onWarning: observer.onWarning } : {}),
        };
        const pages: AsyncGenerator<ExtractPage | LogStreamPage> =
          stream !== null && timeField !== undefined
            ? await streamPages(run, request, okta, position, timeField.column, extractDeps, deps)
            : extractObject(
                request.def,
                {
                  ...(request.fields !== undefined ? { fields: request.fields } : {}),
                  filter: request.filter,
                  ...(run.mode === 'incremental' ? { window: run.window } : {}),
                  ...(task.slice !== null ? { slice: task.slice } : {}),
                  resumeFrom: okta,
                  ...(deps.pageLimit !== undefined ? { pageLimit: deps.pageLimit } : {}),
                  ...(request.flow.perUserRequests === true ? { perParentRequests: true } : {}),
                },
                {
                  ...extractDeps,
                  ...(ids !== null
                    ? {
                        onParents: (parentIds: readonly string[]) =>
                          ids.push(...parentIds.map((id) => `${PARENT_LINE}${id}`)),
                      }
                    : {}),
                  // Incremental relation runs also list which parents still exist: a deleted group's pairs go.
                  ...(ids !== null && run.mode === 'incremental'
                    ? {
                        onExistingParents: (parentIds: readonly string[], complete: boolean) => {
                          ids.push(...parentIds.map((id) => `${EXISTING_LINE}${id}`));
                          if (complete) ids.push(EXISTENCE_COMPLETE);
                        },
                      }
                    : {}),
                  onParentGone: ({ object, parent, parentId }) =>
                    observer.onWarning?.({
                      code: 'okta.relation.parent-gone',
                      message: `${parent} ${parentId} was deleted during the ${object} scan (404 E0000007): its children are skipped.`,
                    }),
                },
              );
        for await (const page of pages) {
          if ('cursor' in page) {
            // The stream's position after this page: its next link, and the uuids of the last page with events.
            position = {
              cursor: page.cursor,
              tail: page.tail.length > 0 ? encodeTail(page.tail) : (position?.tail ?? ''),
            };
          }
          await writer.write(page.records);
          if (ids !== null) for (const record of page.records) ids.push(keyOrFail(request.def, record));
          live.records += page.records.length;
          live.pages += 1;
          live.duplicates += page.duplicates;
          okta = page.continuation;
          progress();
          deps.crash?.('extract:after-page', { taskId: task.taskId });
          if (page.continuation === null) {
            done = true;
            break;
          }
          if (deps.clock() >= input.deadline) break;
          await renewIfDue();
        }
        // A scan that yielded nothing at all (no pages) is complete too.
        if (live.pages === 0 && okta === null) done = true;
      }
    } catch (error) {
      if (!(error instanceof OktaRateLimitDeferral)) throw error;
      // Not a failure: the pages so far are kept, like at the time budget; the state machine waits, then resumes.
      deferred = error;
      done = false;
      logger.info('task waits for an Okta rate-limit reset', {
        bucket: error.bucket,
        resetAt: error.resetAt,
        waitMs: error.waitMs,
      });
    }
    if (deferred !== null && task.kind === 'deletes') {
      // The deletes scan has no cursor to resume from: this invocation's tombstones are dropped and the retry
      // starts the System Log read again at the same part index (its files overwrite these).
      await writer.abort('waiting for an Okta rate-limit reset').catch(() => undefined);
      return deferredDeletes(input, deferred, live);
    }
    const closed = await writer.close();
    deps.crash?.('extract:after-file', { taskId: task.taskId });
    const files = [...kept, ...closed.files.filter((f) => !kept.some((k) => k.key === f.key))];
    const idsKept = idsFiles.filter((f) =>
      f.invocation !== undefined ? f.invocation !== invocation : f.start !== startPartIndex,
    );
    const keysKept = keysFiles.filter((f) => f.invocation !== invocation);
    if (seen !== null) {
      const key = invocationKeysKey(deps.config.output.prefix, run.flow, run.runId, task.taskId, invocation);
      await saveInvocationKeys(deps.target, key, seen.takeAdded());
      keysKept.push({ invocation, key });
    }
    if (ids !== null) {
      const key = invocationIdsKey(
        deps.config.output.prefix,
        run.flow,
        run.runId,
        task.taskId,
        startPartIndex,
        invocation,
      );
      await writeIds(deps.target, key, ids);
      idsKept.push({ start: startPartIndex, key, invocation });
    }
    deps.crash?.('extract:before-checkpoint', { taskId: task.taskId });
    await saveTaskFiles(
      deps.state,
      run,
      task,
      { v: 1, files, nextPartIndex: closed.nextPartIndex, done, idsFiles: idsKept, keysFiles: keysKept },
      version,
    );
    deps.crash?.('extract:after-checkpoint', { taskId: task.taskId });
    const stepCounts: Partial<RunCounts> = {
      ...(task.kind === 'deletes' ? { deletes: live.records } : { records: live.records }),
      pages: live.pages,
      files: closed.files.length,
      bytes: closed.files.reduce((n, f) => n + f.bytes, 0),
      rateLimitWaitMs: live.rateLimitWaitMs + (deferred?.waitMs ?? 0),
      throttled: live.throttled,
      duplicates: live.duplicates,
      warnings: live.warningCount,
    };
    const counts = addCounts(input.continuation?.counts ?? emptyRunCounts(), stepCounts);
    const warnings = mergeWarnings(input.continuation?.warnings ?? [], live.warnings);
    recordMetrics(deps, run.flow, stepCounts);
    progress();
    logger.info(
      done ? 'task finished' : deferred ? 'task paused for a rate-limit reset' : 'task paused at its time budget',
      {
        records: counts.records,
        deletes: counts.deletes,
        pages: counts.pages,
        duplicates: counts.duplicates,
        files: files.length,
        nextPartIndex: closed.nextPartIndex,
      },
    );
    return {
      run,
      task,
      continuation: {
        v: 1,
        okta: done ? null : okta,
        nextPartIndex: closed.nextPartIndex,
        counts,
        invocations: invocation + 1,
        ...(position !== undefined ? { stream: position } : {}),
        ...(warnings.length > 0 ? { warnings } : {}),
      },
      done,
      ...(deferred !== null ? { waitSeconds: waitSecondsOf(deferred) } : {}),
    };
  } catch (error) {
    await writer.abort(error instanceof Error ? error.message : String(error)).catch(() => undefined);
    logTaskError(logger, error);
    throw error;
  }
}

/**
 * The pages of a stream task: from where this run's earlier invocation stopped (`okta`), else from the flow state's
 * stream position (the last committed run's next link; its tail seeds the dedupe), else at the plan's `since`.
 */
async function streamPages(
  run: RunPlan,
  request: Awaited<ReturnType<typeof requestForRun>>,
  okta: Continuation | null,
  position: StreamPosition | undefined,
  timeColumn: string,
  extractDeps: ExtractDeps,
  deps: RunnerDeps,
): Promise<AsyncGenerator<LogStreamPage>> {
  const committed = run.stream?.fromCursor ? (await deps.state.getFlowState(run.flow))?.state.stream : undefined;
  if (run.stream?.fromCursor && committed === undefined) {
    throw new RunStateError(
      `Run ${run.runId} was planned to resume the ${run.object} stream, but the flow state has no stream position.`,
    );
  }
  const tail = position?.tail ?? committed?.tail;
  if (tail !== undefined && extractDeps.seen !== undefined) seedTail(extractDeps.seen, tail);
  const fields = request.fields === undefined ? undefined : [...new Set([...request.fields, timeColumn])];
  return extractLogStream(
    request.def,
    {
      ...(fields !== undefined ? { fields } : {}),
      filter: request.filter,
      cursor: okta === null ? (committed?.cursor ?? null) : null,
      ...(run.stream?.since != null ? { since: run.stream.since } : {}),
      resumeFrom: okta,
      ...(deps.pageLimit !== undefined ? { pageLimit: deps.pageLimit } : {}),
      now: deps.clock(),
    },
    extractDeps,
  );
}

async function writeDeletes(
  api: OktaApi,
  run: RunPlan,
  writer: OutputWriter,
  live: Live,
  signal: AbortSignal | undefined,
  now: number,
  pageLimit: number | undefined,
): Promise<void> {
  const from = run.window.from;
  if (from === undefined) return;
  const seen = new Set<string>();
  for await (const batch of systemLogDeletes(
    api,
    run.object,
    { from, to: run.window.to },
    { signal, now, pageLimit },
  )) {
    live.pages += 1;
    const fresh = batch.filter((t) => !seen.has(t.id));
    for (const t of fresh) seen.add(t.id);
    await writer.write(fresh.map((t) => ({ ...t })));
    live.records += fresh.length;
  }
}

/** Whole seconds to wait (≥ 1): the state machine's Wait state takes an integer. */
function waitSecondsOf(deferral: OktaRateLimitDeferral): number {
  return Math.max(1, Math.ceil(deferral.waitMs / 1000));
}

/** A deletes task that must wait: same start next time (its files are rewritten), only the wait is counted. */
function deferredDeletes(input: ExtractStepInput, deferral: OktaRateLimitDeferral, live: Live): ExtractStepResult {
  const previous = input.continuation;
  const counts = addCounts(previous?.counts ?? emptyRunCounts(), {
    rateLimitWaitMs: live.rateLimitWaitMs + deferral.waitMs,
    throttled: live.throttled,
    warnings: live.warningCount,
  });
  const warnings = mergeWarnings(previous?.warnings ?? [], live.warnings);
  return {
    run: input.run,
    task: input.task,
    continuation: {
      v: 1,
      okta: null,
      nextPartIndex: previous?.nextPartIndex ?? 0,
      counts,
      // The same invocation number: nothing of this attempt is kept, its retry is the same invocation.
      invocations: previous?.invocations ?? 0,
      ...(warnings.length > 0 ? { warnings } : {}),
    },
    done: false,
    waitSeconds: waitSecondsOf(deferral),
  };
}

function keyOrFail(def: ObjectDef, record: OktaRecord): string {
  const key = recordKey(def, record);
  if (key === undefined) {
    throw new RunStateError(`A ${def.name} record from Okta has no ${def.primaryKey.join(' + ')}; it cannot be keyed.`);
  }
  return key;
}

function recordMetrics(deps: RunnerDeps, flow: string, counts: Partial<RunCounts>): void {
  deps.metrics.add(flow, 'records', counts.records ?? 0);
  deps.metrics.add(flow, 'deletes', counts.deletes ?? 0);
  deps.metrics.add(flow, 'pages', counts.pages ?? 0);
  deps.metrics.add(flow, 'files', counts.files ?? 0);
  deps.metrics.add(flow, 'bytes', counts.bytes ?? 0);
  deps.metrics.add(flow, 'rateLimitWaitMs', counts.rateLimitWaitMs ?? 0);
  deps.metrics.add(flow, 'RateLimited429', counts.throttled ?? 0);
  deps.metrics.add(flow, 'duplicates', counts.duplicates ?? 0);
  deps.metrics.add(flow, 'warnings', counts.warnings ?? 0);
}

function logTaskError(logger: RunLogger, error: unknown): void {
  logger.error('task failed', error);
}
