/**
 * Runs the will-change rows of a resolution, in plan order, each between an intent and an outcome audit record.
 * `stop` (default) ends at the first failed or unknown action; `continue` attempts the rest. Already-so rows are
 * not called (and not audited: nothing was attempted).
 */
import { OktaApiError, OktaNetworkError, OktaScopeError } from '../okta/errors.js';
import type { ApplyEventSink } from './apply-events.js';
import type { AuditLog, AuditRecord, AuditResult } from './audit.js';
import type { OktaWriteApi } from './okta-write-api.js';
import type { Resolution, ResolvedRow } from './resolution.js';

export type OnError = 'stop' | 'continue';

export interface RowResult {
  readonly row: number;
  readonly result: Exclude<AuditResult, 'pending'>;
  readonly requestId?: string;
  readonly error?: string;
}

export interface ExecutionResult {
  readonly results: readonly RowResult[];
  /** Will-change rows not attempted because an earlier one failed (`--on-error stop`). */
  readonly notAttempted: readonly number[];
}

export interface ExecuteOptions {
  readonly api: OktaWriteApi;
  readonly audit: AuditLog;
  readonly events: ApplyEventSink;
  readonly runId: string;
  readonly onError?: OnError;
  readonly now?: () => number;
  readonly signal?: AbortSignal;
}

function outcomeOf(error: unknown): { result: 'failed' | 'unknown'; error: NonNullable<AuditRecord['error']> } {
  if (error instanceof OktaScopeError) {
    return { result: 'failed', error: { status: 403, code: 'E0000006', message: error.message } };
  }
  if (error instanceof OktaApiError) {
    const known = error.status < 500;
    return {
      result: known ? 'failed' : 'unknown',
      error: {
        status: error.status,
        ...(error.errorCode ? { code: error.errorCode } : {}),
        message: known ? error.message : `${error.message}. Okta may have applied it: run the plan again to see`,
      },
    };
  }
  if (error instanceof OktaNetworkError) {
    return {
      result: 'unknown',
      error: { message: `${error.message}. Okta may have applied it: run the plan again to see (it re-reads the org)` },
    };
  }
  return {
    result: 'unknown',
    error: { message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) },
  };
}

/** The created object's id into the target and after-state (create-user, create-group). */
function withCreated(row: ResolvedRow, body: unknown): Pick<AuditRecord, 'target' | 'after'> {
  const id = (body as { id?: unknown } | null)?.id;
  if (typeof id !== 'string') return { target: row.target, after: row.after };
  if (row.action === 'create-user') {
    const login = String((row.after?.profile as { login?: unknown } | undefined)?.login ?? id);
    return { target: { ...row.target, user: { id, label: login } }, after: { ...row.after, id } };
  }
  if (row.action === 'create-group') {
    const name = String((row.after?.profile as { name?: unknown } | undefined)?.name ?? id);
    return { target: { ...row.target, group: { id, label: name } }, after: { ...row.after, id } };
  }
  return { target: row.target, after: row.after };
}

export async function executeResolution(resolution: Resolution, options: ExecuteOptions): Promise<ExecutionResult> {
  const now = options.now ?? Date.now;
  const onError = options.onError ?? 'stop';
  const results: RowResult[] = [];
  const todo = resolution.rows.filter((r) => r.outcome === 'will-change' && r.call);
  for (const [i, row] of todo.entries()) {
    options.signal?.throwIfAborted();
    const call = row.call;
    if (!call) continue;
    const common = {
      runId: options.runId,
      planHash: resolution.planHash,
      row: row.row,
      action: row.action,
      before: row.before,
    };
    await options.audit.append({
      time: new Date(now()).toISOString(),
      ...common,
      phase: 'intent',
      target: row.target,
      after: row.after,
      result: 'pending',
    });
    let record: AuditRecord;
    try {
      const response = await options.api.send(call.method, call.path, {
        ...(call.body !== undefined ? { body: call.body } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      const requestId = response.headers.get('x-okta-request-id') ?? undefined;
      record = {
        time: new Date(now()).toISOString(),
        ...common,
        phase: 'outcome',
        ...withCreated(row, response.body),
        result: 'succeeded',
        ...(requestId ? { requestId } : {}),
      };
    } catch (error) {
      const outcome = outcomeOf(error);
      const requestId =
        error instanceof OktaApiError ? error.requestId : error instanceof OktaScopeError ? error.requestId : undefined;
      record = {
        time: new Date(now()).toISOString(),
        ...common,
        phase: 'outcome',
        target: row.target,
        after: row.before,
        result: outcome.result,
        ...(requestId ? { requestId } : {}),
        error: outcome.error,
      };
    }
    await options.audit.append(record);
    await options.events.publish(record);
    results.push({
      row: row.row,
      result: record.result as RowResult['result'],
      ...(record.requestId ? { requestId: record.requestId } : {}),
      ...(record.error ? { error: record.error.message } : {}),
    });
    if (record.result !== 'succeeded' && onError === 'stop') {
      return { results, notAttempted: todo.slice(i + 1).map((r) => r.row) };
    }
  }
  return { results, notAttempted: [] };
}
