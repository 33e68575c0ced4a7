import { createAdmin, type OrgAdmin } from '../admin.js';
import type { RouteRequest, RouteResult } from '../contract.js';
import { errorResult, errors, OrgRequestError } from '../errors.js';
import type { OrgState } from '../org-state.js';

/** Runs one write through the shared admin implementation, attributed to the request's actor; errors → Okta bodies. */
export function write(
  state: OrgState,
  request: RouteRequest | undefined,
  run: (admin: OrgAdmin) => RouteResult,
): RouteResult {
  try {
    return run(createAdmin(state, request?.context ?? {}));
  } catch (error) {
    if (error instanceof OrgRequestError) return errorResult(error.spec);
    throw error;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A boolean query parameter: absent → `fallback`; anything but true/false → 400 E0000001. */
export function booleanParam(
  params: URLSearchParams,
  name: string,
  fallback: boolean,
): { ok: true; value: boolean } | { ok: false; error: RouteResult } {
  const raw = params.get(name);
  if (raw === null || raw === '') return { ok: true, value: fallback };
  if (raw === 'true' || raw === 'false') return { ok: true, value: raw === 'true' };
  return { ok: false, error: errorResult(errors.validation(`${name}: '${raw}' is not a boolean (true or false)`)) };
}

export const item = (body: unknown, status = 200): RouteResult => ({ kind: 'item', body, status });
export const empty = (status: 200 | 202 | 204): RouteResult => ({ kind: 'empty', status });
