/**
 * PlanRun: take the flow's lease, read its state, resolve the org's custom attributes (User flows: every user type's
 * profile schema, stored in the state store and referenced by the plan), check the flow's fields and filter against
 * them, fix the window, cut the work into tasks (slices + deletes) and emit Run Started. The lease is taken FIRST, so
 * a second run of the flow fails fast here, naming the holder. A flow naming an attribute the org does not have
 * fails here, before any file is written.
 */
import { commitKey, readCommit } from '../../lake/commit-log.js';
import { getObjectDef, streamSourceOf } from '../../okta/catalog/index.js';
import { windowColumn } from '../../okta/extract/bounds.js';
import { planSlices } from '../../okta/extract/slices.js';
import type { Slice } from '../../okta/extract/types.js';
import { runKeyPrefix } from '../../output/keys.js';
import { findFlow } from '../config/find-flow.js';
import { snapshotDiffApplies } from '../deletes/snapshot-diff.js';
import { formatInstant, mergeWarnings, type RunWarning, warningOf } from '../events.js';
import { planWindow, type WindowTrigger } from '../plan-window.js';
import type { LeaseHolder } from '../state/flow-state.js';
import { applyCommittedState } from './committed-state.js';
import { discardRunFiles, streamRunFolders } from './fail-run.js';
import { checkFlowAgainst } from './flow-request.js';
import { planStream } from './plan-stream.js';
import { resolvedDef, resolveUserSchema, type SchemaRef } from './resolve-schema.js';
import { newRunId } from './run-id.js';
import { dedupeRoot } from './task-keys.js';
import type { PlannedRun, RunnerDeps, RunPlan, RunTask } from './types.js';

/** Tasks of a sliced run that extract at once when the flow's `slicing.concurrency` does not say. */
export const DEFAULT_TASK_CONCURRENCY = 4;

export const DEFAULT_LEASE_TTL_MS = 15 * 60_000;
/** Slicing needs a span; Okta orgs are younger than this, and the first slice is open below anyway. */
const SLICE_SPAN_START = '2009-01-01T00:00:00.000Z';

export interface RunTrigger extends WindowTrigger {
  /** A run id to use (tests, retries); default: a new one. */
  readonly runId?: string;
  /** Who runs it, recorded in the lease so `okta-flow unlock` can tell whether the holder is gone. */
  readonly holder?: LeaseHolder;
}

export async function planRun(flowName: string, trigger: RunTrigger, deps: RunnerDeps): Promise<PlannedRun> {
  // Only the flow and its object here: custom attributes are known once the org's schemas are read.
  const flow = findFlow(deps.config, flowName);
  const catalogDef = getObjectDef(flow.object);
  const now = deps.clock();
  const runId = trigger.runId ?? newRunId(now, deps.randomId);
  const logger = deps.logger.child({ flow: flow.name, runId, object: flow.object });
  const previous = await deps.state.getLease(flow.name);
  const ttl = deps.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS;
  const lease = await deps.state.acquireLease(flow.name, runId, ttl, now, trigger.holder);
  deps.crash?.('plan:after-lease', {});
  try {
    if (previous !== null && !previous.released && previous.runId !== runId) {
      // We took over an expired lease: its run crashed. If it wrote its commit record it did commit (the crash came
      // after the commit point): its flow state is rolled forward. Otherwise its files were never visible and are
      // removed (this run re-reads its window).
      const prefix = deps.config.output.prefix;
      const crashed = await readCommit(deps.target, prefix, flow.object, previous.runId);
      if (crashed !== null) {
        logger.warn('previous run crashed after committing; finishing its commit', { crashedRunId: previous.runId });
        await applyCommittedState(crashed, commitKey(prefix, flow.object, previous.runId), deps);
      } else if ((await deps.state.getFlowState(flow.name))?.state.lastRun?.runId !== previous.runId) {
        const prefixes = crashedRunPrefixes(prefix, flow.object, previous.runId);
        logger.warn('previous run crashed without committing; removing its files', { crashedRunId: previous.runId });
        if (prefixes !== null) await discardRunFiles(deps.target, prefixes);
        if (streamSourceOf(catalogDef) !== null) {
          await discardRunFiles(deps.target, await streamRunFolders(deps.target, prefix, flow.object, previous.runId));
        }
      }
      // Its exactly-once key lists (task-keys.ts) are bookkeeping only, committed or not.
      await discardRunFiles(deps.target, [dedupeRoot(deps.config.output.prefix, flow.name, previous.runId)]);
    }
    const stored = await deps.state.getFlowState(flow.name);
    let planWarnings: RunWarning[] = [];
    let schema: SchemaRef | null = null;
    let def = catalogDef;
    if (flow.object === 'User') {
      const api = await deps.createOktaApi(
        {
          onWarning: ({ code, message }) => {
            logger.warn('Okta client warning', { code, warning: message });
            planWarnings = mergeWarnings(planWarnings, [warningOf(code, message)]);
          },
        },
        { concurrentTasks: 1 },
      );
      const resolution = await resolveUserSchema(api, deps.state);
      for (const note of resolution.resolved.notes) logger.warn(`custom attributes: ${note}`);
      schema = resolution.ref;
      def = resolvedDef(catalogDef, resolution.resolved);
      checkFlowAgainst(def, flow, resolution.resolved.notes);
    } else {
      checkFlowAgainst(def, flow);
    }
    const stream = streamSourceOf(def) === null ? undefined : planStream(flow, stored?.state ?? null, trigger, now);
    const plan = planWindow({ flow, state: stored?.state ?? null, trigger, now });
    const dt = formatInstant(now).slice(0, 10);
    const prefix = deps.config.output.prefix;
    const logDeletes =
      flow.deleteDetection === 'system-log' && plan.mode === 'incremental' && plan.window.from !== undefined;
    const snapshotDiff = snapshotDiffApplies(flow, plan.mode);
    const deletes = logDeletes || snapshotDiff;
    const draft: Omit<RunPlan, 'concurrency'> = {
      v: 1,
      flow: flow.name,
      object: flow.object,
      runId,
      mode: plan.mode,
      window: plan.window,
      reason: plan.reason,
      advancesWatermarkTo: plan.advancesWatermarkTo,
      trigger: trigger.kind,
      startedAt: formatInstant(now),
      keyPrefix: runKeyPrefix({ prefix, object: flow.object, dt, runId }),
      deletesKeyPrefix: deletes ? runKeyPrefix({ prefix, object: `${flow.object}_deletes`, dt, runId }) : null,
      stateVersion: stored?.version ?? null,
      schema,
      ...(stream !== undefined ? { stream } : {}),
    };
    const slices = sliceRun(draft, flow.slicing, def);
    const tasks: RunTask[] = slices.map((slice, i) => ({
      taskId: `t${String(i).padStart(2, '0')}`,
      kind: 'records',
      slice,
      partLabel: `t${String(i).padStart(2, '0')}`,
    }));
    if (logDeletes) tasks.push({ taskId: 'deletes', kind: 'deletes', slice: null, partLabel: 'deletes' });
    const run: RunPlan = {
      ...draft,
      concurrency: Math.max(1, Math.min(tasks.length, flow.slicing?.concurrency ?? DEFAULT_TASK_CONCURRENCY)),
      ...(planWarnings.length > 0 ? { warnings: planWarnings } : {}),
    };
    logger.info('run planned', {
      mode: run.mode,
      from: run.window.from,
      to: run.window.to,
      reason: run.reason,
      tasks: tasks.length,
    });
    await deps.events.publish('started', {
      version: '1',
      flow: run.flow,
      runId,
      objects: [run.object],
      mode: run.mode,
      trigger: run.trigger,
      window: run.window,
      startedAt: run.startedAt,
      reason: run.reason,
    });
    return { run, tasks };
  } catch (error) {
    // Nothing was written yet: give the lease back so the next run need not wait for it to expire.
    await deps.state.releaseLease(lease, deps.clock()).catch(() => false);
    throw error;
  }
}

/** The prefixes a run id writes under (its dt is the date of its plan time, the start of the id). */
function crashedRunPrefixes(prefix: string, object: string, runId: string): string[] | null {
  const m = /^(\d{4})(\d{2})(\d{2})T/.exec(runId);
  if (!m) return null;
  const dt = `${m[1]}-${m[2]}-${m[3]}`;
  return [
    runKeyPrefix({ prefix, object, dt, runId }),
    runKeyPrefix({ prefix, object: `${object}_deletes`, dt, runId }),
  ];
}

function sliceRun(
  run: Omit<RunPlan, 'concurrency'>,
  slicing: { count?: number | undefined; sliceHours?: number | undefined } | undefined,
  def: Parameters<typeof planSlices>[0],
): (Slice | null)[] {
  if (slicing === undefined || def.sliceFields.length === 0) return [null];
  // Incremental: slice the window on lastUpdated. Full: slice on created, which does not move while we read.
  const field =
    run.mode === 'incremental' && def.sliceFields.includes(windowColumn(def))
      ? windowColumn(def)
      : def.sliceFields.includes('created')
        ? 'created'
        : def.sliceFields[0];
  const window = run.mode === 'incremental' ? run.window : undefined;
  return planSlices(def, window, {
    ...(field === undefined ? {} : { field }),
    ...(slicing.count !== undefined ? { count: slicing.count } : {}),
    ...(slicing.sliceHours !== undefined ? { sliceDurationMs: slicing.sliceHours * 3_600_000 } : {}),
    from: run.window.from ?? SLICE_SPAN_START,
    to: run.window.to,
  });
}
