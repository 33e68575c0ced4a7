import { createClock, type SandboxClock } from '../../../../sandbox/clock.js';
import type { RouteResult } from '../../../../sandbox/org/contract.js';
import { createOrg, DEFAULT_EPOCH_MS, type SandboxOrg } from '../../../../sandbox/org/index.js';

export interface TestOrg {
  readonly org: SandboxOrg;
  readonly clock: SandboxClock;
  get(path: string, query?: Record<string, string>): RouteResult;
  list(
    path: string,
    query?: Record<string, string>,
  ): { items: Record<string, unknown>[]; next: URLSearchParams | null };
  /** Follows `next` until the end, returning every item. */
  drain(path: string, query?: Record<string, string>): Record<string, unknown>[];
  error(path: string, query?: Record<string, string>): { status: number; errorCode: string };
}

export function testOrg(users = 300, seed = 42, extra: { groups?: number; devices?: number } = {}): TestOrg {
  const clock = createClock(DEFAULT_EPOCH_MS + 60_000, { running: false });
  const org = createOrg({ seed, users, ...extra }, clock);
  const get = (path: string, query: Record<string, string> = {}): RouteResult => {
    const match = org.match('GET', path);
    if (!match) throw new Error(`no route for ${path}`);
    return match.route.handle(new URLSearchParams(query), match.pathParams);
  };
  const list = (path: string, query: Record<string, string> = {}) => {
    const result = get(path, query);
    if (result.kind !== 'list') throw new Error(`expected a list from ${path}, got ${JSON.stringify(result)}`);
    return { items: result.items as Record<string, unknown>[], next: result.next };
  };
  return {
    org,
    clock,
    get,
    list,
    drain(path, query = {}) {
      const out: Record<string, unknown>[] = [];
      let params: Record<string, string> | null = query;
      for (let pages = 0; params !== null; pages++) {
        if (pages > 10_000) throw new Error('pagination did not terminate');
        const page = list(path, params);
        out.push(...page.items);
        params = page.next ? Object.fromEntries(page.next) : null;
      }
      return out;
    },
    error(path, query = {}) {
      const result = get(path, query);
      if (result.kind !== 'error') throw new Error(`expected an error from ${path}?${new URLSearchParams(query)}`);
      return { status: result.error.status, errorCode: result.error.errorCode };
    },
  };
}
