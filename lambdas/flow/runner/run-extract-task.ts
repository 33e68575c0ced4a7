/**
 * ExtractStep: one task (object × slice, or the run's deletes) for as long as the time budget allows. Pages stream
 * into a rolling output writer; when the budget is spent (checked between pages) the open file is finished, the
 * files so far go to the task's checkpoint, and a small continuation (Okta cursor + next part index) is returned for
 * the next invocation. Nothing here is visible to readers: only the commit's manifest makes files exist.
 */
import { recordKey } from '../../okta/catalog/index.js';
import type { ObjectDef } from '../../okta/catalog/types.js';
import { extract } from '../../okta/extract/extract.js';
import { planQuery } from '../../okta/query/plan.js';
import type { OktaApi, OktaClientObserver, OktaRecord } from '../../okta/types.js';
import { createOutputWriter, type OutputWriter } from '../../output/writer.js';
import { invocationIdsKey, writeIds } from '../deletes/snapshot-diff.js';
import { systemLogDeletes, TOMBSTONE_COLUMNS } from '../deletes/system-log-deletes.js';
import { emptyRunCounts, type RunCounts } from '../events.js';
import type { RunLogger } from '../observability/logger.js';
import { loadTaskFiles, saveTaskFiles } from './checkpoint.js';
import { addCounts } from './counts.js';
import { RunStateError } from './errors.js';
import { requestForRun } from './flow-request.js';
import { holdLease } from './lease.js';
import { DEFAULT_LEASE_TTL_MS } from './plan-run.js';
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
}

export async function runExtractTask(input: ExtractStepInput, deps: RunnerDeps): Promise<ExtractStepResult> {
  const { run, task } = input;
  const logger = deps.logger.child({ flow: run.flow, runId: run.runId, object: run.object, slice: task.taskId });
  await holdLease(run, deps);
  const { files: kept, idsFiles, version } = await loadTaskFiles(deps.state, run, task, input.continuation);
  const live: Live = { records: 0, pages: 0, rateLimitWaitMs: 0, throttled: 0 };
  const observer: OktaClientObserver = {
    onRateLimitWait: ({ waitMs }) => {
      live.rateLimitWaitMs += waitMs;
    },
    onRequest: ({ status }) => {
      if (status === 429) live.throttled += 1;
    },
  };
  const api = await deps.createOktaApi(observer, { concurrentTasks: run.concurrency });
  const request = await requestForRun(deps.config, run, deps.state);
  const output = deps.config.output;
  const startPartIndex = input.continuation?.nextPartIndex ?? 0;
  const writer = createOutputWriter({
    target: deps.target,
    keyPrefix: task.kind === 'deletes' ? (run.deletesKeyPrefix ?? run.keyPrefix) : run.keyPrefix,
    format: output.format,
    compression: output.compression,
    columns: task.kind === 'deletes' ? TOMBSTONE_COLUMNS : request.columns,
    targetFileBytes: deps.targetFileBytes ?? output.targetFileSizeMiB * 1024 * 1024,
    ...(deps.maxRecordsPerFile !== undefined ? { maxRecordsPerFile: deps.maxRecordsPerFile } : {}),
    startPartIndex,
    partLabel: task.partLabel,
    ...(output.csvNull !== undefined ? { csvNull: output.csvNull } : {}),
    ...(deps.clientSideEncryption ? { clientSideEncryption: deps.clientSideEncryption } : {}),
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
  const progress = () =>
    deps.onProgress?.({
      flow: run.flow,
      object: run.object,
      taskId: task.taskId,
      records: (input.continuation?.counts.records ?? 0) + live.records,
      pages: (input.continuation?.counts.pages ?? 0) + live.pages,
      rateLimitWaitMs: (input.continuation?.counts.rateLimitWaitMs ?? 0) + live.rateLimitWaitMs,
    });

  // Snapshot-diff flows remember every id a full run reads (see deletes/snapshot-diff.ts).
  const ids: string[] | null =
    task.kind === 'records' && run.mode === 'full' && request.flow.deleteDetection === 'snapshot-diff' ? [] : null;
  let okta = input.continuation?.okta ?? null;
  let done = false;
  try {
    if (task.kind === 'deletes') {
      await writeDeletes(api, run, writer, live, input.signal);
      done = true;
    } else {
      for await (const page of extract(
        request.def,
        {
          ...(request.fields !== undefined ? { fields: request.fields } : {}),
          filter: request.filter,
          ...(run.mode === 'incremental' ? { window: run.window } : {}),
          ...(task.slice !== null ? { slice: task.slice } : {}),
          resumeFrom: okta,
          ...(deps.pageLimit !== undefined ? { pageLimit: deps.pageLimit } : {}),
        },
        { api, plan: planQuery, ...(input.signal ? { signal: input.signal } : {}) },
      )) {
        await writer.write(page.records);
        if (ids !== null) for (const record of page.records) ids.push(keyOrFail(request.def, record));
        live.records += page.records.length;
        live.pages += 1;
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
    const closed = await writer.close();
    deps.crash?.('extract:after-file', { taskId: task.taskId });
    const files = [...kept, ...closed.files.filter((f) => !kept.some((k) => k.key === f.key))];
    const idsKept = idsFiles.filter((f) => f.start !== startPartIndex);
    if (ids !== null) {
      const key = invocationIdsKey(deps.config.output.prefix, run.flow, run.runId, task.taskId, startPartIndex);
      await writeIds(deps.target, key, ids);
      idsKept.push({ start: startPartIndex, key });
    }
    deps.crash?.('extract:before-checkpoint', { taskId: task.taskId });
    await saveTaskFiles(
      deps.state,
      run,
      task,
      { v: 1, files, nextPartIndex: closed.nextPartIndex, done, idsFiles: idsKept },
      version,
    );
    deps.crash?.('extract:after-checkpoint', { taskId: task.taskId });
    const stepCounts: Partial<RunCounts> = {
      ...(task.kind === 'deletes' ? { deletes: live.records } : { records: live.records }),
      pages: live.pages,
      files: closed.files.length,
      bytes: closed.files.reduce((n, f) => n + f.bytes, 0),
      rateLimitWaitMs: live.rateLimitWaitMs,
      throttled: live.throttled,
    };
    const counts = addCounts(input.continuation?.counts ?? emptyRunCounts(), stepCounts);
    recordMetrics(deps, run.flow, stepCounts);
    progress();
    logger.info(done ? 'task finished' : 'task paused at its time budget', {
      records: counts.records,
      deletes: counts.deletes,
      pages: counts.pages,
      files: files.length,
      nextPartIndex: closed.nextPartIndex,
    });
    return {
      run,
      task,
      continuation: {
        v: 1,
        okta: done ? null : okta,
        nextPartIndex: closed.nextPartIndex,
        counts,
        invocations: (input.continuation?.invocations ?? 0) + 1,
      },
      done,
    };
  } catch (error) {
    await writer.abort(error instanceof Error ? error.message : String(error)).catch(() => undefined);
    logTaskError(logger, error);
    throw error;
  }
}

async function writeDeletes(
  api: OktaApi,
  run: RunPlan,
  writer: OutputWriter,
  live: Live,
  signal: AbortSignal | undefined,
): Promise<void> {
  const from = run.window.from;
  if (from === undefined) return;
  const seen = new Set<string>();
  for await (const batch of systemLogDeletes(api, run.object, { from, to: run.window.to }, signal)) {
    live.pages += 1;
    const fresh = batch.filter((t) => !seen.has(t.id));
    for (const t of fresh) seen.add(t.id);
    await writer.write(fresh.map((t) => ({ ...t })));
    live.records += fresh.length;
  }
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
}

function logTaskError(logger: RunLogger, error: unknown): void {
  logger.error('task failed', error);
}
