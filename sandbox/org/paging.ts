import type { OktaErrorSpec, RouteResult } from './contract.js';
import { errors } from './errors.js';

/** Per-endpoint page sizes (okta-api.md §2). Above `max` a limit is capped to `max`, not rejected. */
export interface LimitPolicy {
  readonly default: number;
  readonly max: number;
  /** Smaller limits are raised to this (app groups: the spec's minimum is 20). */
  readonly min?: number;
  /** `limit=0` is valid (System Log: an empty page whose `next` is the current position). */
  readonly allowZero?: boolean;
}

export const LIMITS = {
  users: { default: 200, max: 200 },
  userGroups: { default: 200, max: 200 },
  usersQ: { default: 10, max: 200 },
  groups: { default: 200, max: 10_000 },
  groupsQ: { default: 10_000, max: 10_000 },
  groupUsers: { default: 1000, max: 1000 },
  apps: { default: 20, max: 200 },
  appUsers: { default: 50, max: 500 },
  appGroups: { default: 20, max: 200, min: 20 },
  assignees: { default: 100, max: 100 },
  devices: { default: 200, max: 200 },
  logs: { default: 100, max: 1000, allowZero: true },
} as const satisfies Record<string, LimitPolicy>;

export type LimitResult =
  | { readonly ok: true; readonly limit: number }
  | { readonly ok: false; readonly error: OktaErrorSpec };

export function readLimit(params: URLSearchParams, policy: LimitPolicy): LimitResult {
  const raw = params.get('limit');
  if (raw === null || raw === '') return { ok: true, limit: policy.default };
  if (!/^-?\d+$/.test(raw)) return { ok: false, error: errors.validation(`limit: '${raw}' is not an integer`) };
  const limit = Number(raw);
  if (limit < (policy.allowZero ? 0 : 1)) {
    return { ok: false, error: errors.validation(`limit: must be at least ${policy.allowZero ? 0 : 1}, got ${limit}`) };
  }
  return { ok: true, limit: Math.max(policy.min ?? (policy.allowZero ? 0 : 1), Math.min(limit, policy.max)) };
}

export interface ScanResult<T> {
  readonly items: T[];
  /** Index of the last item on the page (the cursor), or -1 when the page is empty. */
  readonly lastIndex: number;
  /** Whether at least one more matching index follows the page. */
  readonly more: boolean;
}

/**
 * Collects up to `limit` items from indexes [start, end) that `matches`, then peeks for one more match so the last
 * page never carries a `next` link (Okta sends `next` only while more remains).
 */
export function scanPage<T>(
  start: number,
  end: number,
  limit: number,
  matches: (i: number) => boolean,
  build: (i: number) => T,
): ScanResult<T> {
  return scanRanges([[start, end]], limit, matches, build);
}

/** `scanPage` over ascending, disjoint index ranges (used to skip index spans a query cannot match). */
export function scanRanges<T>(
  ranges: readonly (readonly [number, number])[],
  limit: number,
  matches: (i: number) => boolean,
  build: (i: number) => T,
): ScanResult<T> {
  const items: T[] = [];
  let lastIndex = -1;
  for (const [from, to] of ranges) {
    for (let i = from; i < to; i++) {
      if (!matches(i)) continue;
      if (items.length === limit) return { items, lastIndex, more: true };
      items.push(build(i));
      lastIndex = i;
    }
  }
  return { items, lastIndex, more: false };
}

/**
 * `scanPage` over an ascending stream of indexes that already match (e.g. a group's members): takes `limit` of
 * them and peeks one more, so the work is proportional to the page, not to the index space.
 */
export function takePage<I, T>(
  stream: Iterable<I>,
  limit: number,
  build: (item: I) => T,
  indexOf: (item: I) => number,
): ScanResult<T> {
  const items: T[] = [];
  let lastIndex = -1;
  for (const item of stream) {
    if (items.length === limit) return { items, lastIndex, more: true };
    items.push(build(item));
    lastIndex = indexOf(item);
  }
  return { items, lastIndex, more: false };
}

/** The next page's parameters: the request's own plus `after` and an explicit `limit`. */
export function nextParams(params: URLSearchParams, after: string, limit: number): URLSearchParams {
  const next = new URLSearchParams(params);
  next.set('after', after);
  next.set('limit', String(limit));
  return next;
}

export function listResult(
  params: URLSearchParams,
  items: readonly unknown[],
  nextCursor: string | null,
  limit: number,
): RouteResult {
  return {
    kind: 'list',
    items,
    next: nextCursor === null ? null : nextParams(params, nextCursor, limit),
    paginated: true,
  };
}

export function unpaginated(items: readonly unknown[]): RouteResult {
  return { kind: 'list', items, next: null, paginated: false };
}
