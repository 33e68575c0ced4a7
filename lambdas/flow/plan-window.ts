/**
 * Plans the window of one run from the flow's config, its state and what triggered it. Pure: the clock is a
 * parameter, and the window is fixed here, at plan time, so every slice and every retried invocation of the run
 * reads the same range however long the run takes.
 *
 * Watermark semantics (see also lambdas/flow/state/flow-state.ts): every record whose `lastUpdated` is before the
 * watermark has been written by some committed run. A run advances the watermark to `advancesWatermarkTo` only
 * AFTER its manifest is committed; a failed or crashed run leaves it untouched, so the next run covers its window
 * again. Incremental windows are `[watermark - overlap, planTime)`: the overlap re-reads records Okta's search
 * index had not yet made visible at the previous plan time; duplicates across runs share a primary key.
 *
 * Mode `full` means "every record as of now", with no cursor filter (window.to is only the plan time the
 * watermark moves to); only full runs are complete snapshots (snapshot-diff delete detection relies on this).
 * Mode `incremental` means "records with window.from ≤ lastUpdated < window.to"; `from` may be absent (no lower
 * bound), `to` is always set.
 */
import { getObjectDef } from '../okta/catalog/index.js';
import type { FlowConfig } from './config/schema.js';
import { formatInstant, parseInstant } from './events.js';
import type { FlowState } from './state/flow-state.js';

export interface WindowTrigger {
  readonly kind: 'schedule' | 'manual';
  /** Override the window start (ISO-8601). */
  readonly from?: string | undefined;
  /** Override the window end (ISO-8601); default: now. */
  readonly to?: string | undefined;
  /** Copy everything up to now, whatever the state says. */
  readonly fullResync?: boolean | undefined;
}

export interface WindowPlan {
  readonly mode: 'full' | 'incremental';
  /** ISO-8601 UTC with milliseconds; `from` absent: no lower bound. */
  readonly window: { readonly from?: string; readonly to: string };
  /** Why this window, for logs and the run event. */
  readonly reason: string;
  /** Where the watermark moves once the run commits; null: a window override that leaves a gap does not move it. */
  readonly advancesWatermarkTo: string | null;
}

export type PlannedFlow = Pick<FlowConfig, 'name' | 'object' | 'mode' | 'firstExecutionFrom' | 'overlapSeconds'>;

/** A window that cannot be planned: says what is wrong and what to do. */
export class WindowPlanError extends Error {
  override readonly name = 'WindowPlanError';
  readonly flow: string;

  constructor(flow: string, message: string) {
    super(`Flow "${flow}": ${message}`);
    this.flow = flow;
  }
}

export function planWindow(args: {
  flow: PlannedFlow;
  state: FlowState | null;
  trigger: WindowTrigger;
  now: number;
}): WindowPlan {
  const { flow, state, trigger, now } = args;
  const fail = (message: string) => new WindowPlanError(flow.name, message);
  const nowIso = formatInstant(now);
  const from = trigger.from === undefined ? undefined : instant(trigger.from, 'from', fail);
  const to = trigger.to === undefined ? undefined : instant(trigger.to, 'to', fail);
  const watermark = state?.watermark == null ? null : instant(state.watermark, 'the state watermark', fail);

  if (trigger.fullResync) {
    if (from !== undefined || to !== undefined) {
      throw fail('a full re-sync copies everything up to now; drop "from" and "to", or drop "fullResync"');
    }
    return full(nowIso, 'full re-sync requested: every record as of now');
  }

  if (from !== undefined || to !== undefined) return planOverride(flow, watermark, from, to, now, fail);

  if (flow.mode === 'full') return full(nowIso, 'full flow: every record as of now');

  if (watermark !== null) {
    if (watermark > now) {
      throw fail(
        `the state watermark ${formatInstant(watermark)} is after now (${nowIso}): the clock went back or the state ` +
          'was edited. Start a run with {"fullResync": true} to reset it.',
      );
    }
    const start = watermark - flow.overlapSeconds * 1000;
    return {
      mode: 'incremental',
      window: { from: formatInstant(start), to: nowIso },
      reason: `incremental: from the watermark ${formatInstant(watermark)} minus ${flow.overlapSeconds} s overlap`,
      advancesWatermarkTo: nowIso,
    };
  }

  if (flow.firstExecutionFrom !== undefined) {
    const first = instant(flow.firstExecutionFrom, 'firstExecutionFrom', fail);
    if (first >= now) {
      throw fail(
        `firstExecutionFrom ${formatInstant(first)} is not in the past (now ${nowIso}): there is nothing to copy ` +
          'yet. Set it to a past date, or wait.',
      );
    }
    return {
      mode: 'incremental',
      window: { from: formatInstant(first), to: nowIso },
      reason: `first incremental run: from firstExecutionFrom ${formatInstant(first)}`,
      advancesWatermarkTo: nowIso,
    };
  }

  return full(nowIso, 'first incremental run without firstExecutionFrom: full load, every record as of now');
}

function full(nowIso: string, reason: string): WindowPlan {
  return { mode: 'full', window: { to: nowIso }, reason, advancesWatermarkTo: nowIso };
}

/** A manual window: [from, to) with either end defaulted; moves the watermark only when it leaves no gap. */
function planOverride(
  flow: PlannedFlow,
  watermark: number | null,
  from: number | undefined,
  to: number | undefined,
  now: number,
  fail: (message: string) => WindowPlanError,
): WindowPlan {
  const nowIso = formatInstant(now);
  if (getObjectDef(flow.object).cursorField === null) {
    throw fail(
      `${flow.object} has no lastUpdated cursor, so a run cannot be limited to a window: run it without "from" ` +
        'and "to" (a full copy)',
    );
  }
  if (to !== undefined && to > now) throw fail(`"to" ${formatInstant(to)} is in the future (now ${nowIso})`);
  if (from !== undefined && from >= now) throw fail(`"from" ${formatInstant(from)} is not in the past (now ${nowIso})`);
  const end = to ?? now;
  const defaultStart =
    watermark !== null
      ? watermark - flow.overlapSeconds * 1000
      : flow.firstExecutionFrom === undefined
        ? undefined
        : (parseInstant(flow.firstExecutionFrom) ?? undefined);
  const start = from ?? defaultStart;
  if (start !== undefined && start >= end) {
    throw fail(`the window [${formatInstant(start)}, ${formatInstant(end)}) is empty: "from" must be before "to"`);
  }
  // Coverage so far is everything before the watermark (or before firstExecutionFrom's start, for a first run):
  // the watermark may move to `end` only if this window starts inside that coverage, leaving no gap.
  const coveredUpTo =
    watermark ??
    (flow.mode === 'incremental' && flow.firstExecutionFrom ? parseInstant(flow.firstExecutionFrom) : null);
  const contiguous = start === undefined || (coveredUpTo !== null && start <= coveredUpTo);
  const movesForward = watermark === null || end > watermark;
  const window =
    start === undefined ? { to: formatInstant(end) } : { from: formatInstant(start), to: formatInstant(end) };
  return {
    mode: 'incremental',
    window,
    reason: `manual window override [${window.from ?? 'beginning'}, ${window.to})`,
    advancesWatermarkTo: contiguous && movesForward ? formatInstant(end) : null,
  };
}

function instant(text: string, what: string, fail: (message: string) => WindowPlanError): number {
  const ms = parseInstant(text);
  if (ms === null) {
    throw fail(`${what} ${JSON.stringify(text)} is not an ISO-8601 date-time (e.g. "2026-01-01T00:00:00Z")`);
  }
  return ms;
}
