/**
 * `apply` end to end, shared by the CLI and the ApplyPlan Lambdas: parse and validate the plan, refuse plans over
 * --max-actions, resolve against the org (reading earlier audits of the same plan), store the resolution next to
 * the audit, reject the whole plan if any row is invalid, and — only with `execute` — run the will-change rows.
 */
import type { ObjectStore } from '../output/sinks/types.js';
import type { ApplyEventSink } from './apply-events.js';
import { appliedRows, applyKeys, putNew, StoreAuditLog } from './audit.js';
import { PlanInvalidError, PlanRefusedError } from './errors.js';
import { type ExecutionResult, executeResolution, type OnError } from './execute-plan.js';
import type { OktaWriteApi } from './okta-write-api.js';
import { type PlanFormat, parsePlan } from './parse-plan.js';
import { planHash } from './plan-hash.js';
import type { PlanRow } from './plan-row.js';
import type { Resolution } from './resolution.js';
import { resolvePlan } from './resolve-plan.js';

export const DEFAULT_MAX_ACTIONS = 100;

export interface ApplyPlanOptions {
  readonly plan: { readonly text: string; readonly format: PlanFormat } | { readonly rows: readonly PlanRow[] };
  readonly execute: boolean;
  readonly api: OktaWriteApi;
  /** Where the resolution and audit go (the output's store) and under which prefix. */
  readonly store: ObjectStore;
  readonly prefix?: string | undefined;
  /** Turns a key into a location people can open (a path, an s3:// URL). */
  readonly locate?: (key: string) => string;
  readonly events: ApplyEventSink;
  readonly runId: string;
  readonly maxActions?: number;
  readonly onError?: OnError;
  readonly now?: () => number;
  readonly signal?: AbortSignal;
}

export interface ApplyPlanResult {
  readonly resolution: Resolution;
  readonly executed: boolean;
  readonly execution?: ExecutionResult;
  readonly resolutionLocation: string;
  readonly auditLocation?: string;
}

/** Parses, checks the size guard rail and hashes a plan (no org access). */
export function loadPlan(plan: ApplyPlanOptions['plan'], maxActions = DEFAULT_MAX_ACTIONS): PlanRow[] {
  const rows = 'rows' in plan ? [...plan.rows] : parsePlan(plan.text, plan.format);
  if (rows.length > maxActions) {
    throw new PlanRefusedError(
      `The plan has ${rows.length} actions, more than --max-actions ${maxActions}: nothing was resolved or applied. ` +
        'Split the plan, or raise --max-actions if you mean to change that many objects at once.',
    );
  }
  return rows;
}

export async function applyPlan(options: ApplyPlanOptions): Promise<ApplyPlanResult> {
  const rows = loadPlan(options.plan, options.maxActions ?? DEFAULT_MAX_ACTIONS);
  const hash = planHash(rows);
  const applied = await appliedRows(options.store, options.prefix, hash);
  const resolution = await resolvePlan(rows, {
    api: options.api,
    applied,
    ...(options.now ? { now: options.now } : {}),
  });
  const keys = applyKeys(options.prefix, hash, options.runId);
  const locate = options.locate ?? ((k: string) => k);
  // Never over an earlier resolution of the run (ApplyPlan's ResolvePlan, then ExecutePlan, share a run id):
  // the audit trail keeps what was shown and what was executed.
  const resolutionKey = await putNew(
    options.store,
    keys.resolution,
    `${JSON.stringify({ ...resolution, runId: options.runId, execute: options.execute }, null, 2)}\n`,
    'application/json',
  );
  const resolutionLocation = locate(resolutionKey);
  const invalid = resolution.rows.filter((r) => r.outcome === 'invalid');
  if (invalid.length > 0) {
    throw new PlanInvalidError(
      invalid.map((r) => ({ row: r.row, field: r.field ?? '(row)', reason: r.reason ?? 'invalid' })),
      resolution,
      resolutionLocation,
    );
  }
  if (!options.execute) return { resolution, executed: false, resolutionLocation };
  const audit = await StoreAuditLog.resume(options.store, keys.audit, locate(keys.audit));
  const execution = await executeResolution(resolution, {
    api: options.api,
    audit,
    events: options.events,
    runId: options.runId,
    ...(options.onError ? { onError: options.onError } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return {
    resolution,
    executed: true,
    execution,
    resolutionLocation,
    ...(execution.results.length > 0 ? { auditLocation: audit.location } : {}),
  };
}
