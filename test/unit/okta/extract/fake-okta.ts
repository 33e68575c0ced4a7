/**
 * Test helpers only: an in-memory paginated OktaApi and a stub planner. The stub "pushes down" the whole filter by
 * passing it to the fake as JSON (`xfilter`), which evaluates it exactly; the residual is the real evaluator.
 */
import type { ObjectDef } from '../../../../lambdas/okta/catalog/types.js';
import type { OktaQueryPlan, PlanFn } from '../../../../lambdas/okta/extract/types.js';
import { compileResidual } from '../../../../lambdas/okta/query/evaluate.js';
import type { Filter } from '../../../../lambdas/okta/query/filter.js';
import type { OktaApi, OktaPage, OktaRecord } from '../../../../lambdas/okta/types.js';

export const ORIGIN = 'https://acme.okta.com';

export interface FakeOkta extends OktaApi {
  /** Pages fetched so far (one per page request). */
  readonly fetched: string[];
  /** Most paginations open at the same time. */
  readonly maxOpen: number;
  /** Makes the request for this path+query (or the n-th fetch) throw. */
  failOn(match: (pathAndQuery: string, fetchIndex: number) => boolean, error: Error): void;
  /** Next links point elsewhere (for the origin check). */
  nextOrigin: string;
}

export function createFakeOkta(
  data: Readonly<Record<string, readonly OktaRecord[]>>,
  defs: readonly ObjectDef[],
): FakeOkta {
  const fetched: string[] = [];
  let open = 0;
  let maxOpen = 0;
  const failures: { match: (p: string, i: number) => boolean; error: Error }[] = [];
  const api: FakeOkta = {
    origin: ORIGIN,
    nextOrigin: ORIGIN,
    fetched,
    get maxOpen() {
      return maxOpen;
    },
    failOn(match, error) {
      failures.push({ match, error });
    },
    async getJson<T>(): Promise<T> {
      throw new Error('not used');
    },
    async *paginate<T>(pathOrUrl: string, init?: { signal?: AbortSignal }): AsyncGenerator<OktaPage<T>> {
      open += 1;
      maxOpen = Math.max(maxOpen, open);
      try {
        let url: URL | null = new URL(pathOrUrl, ORIGIN);
        while (url !== null) {
          // A real request takes a moment: lets other slices interleave.
          await new Promise((r) => setTimeout(r, 0));
          init?.signal?.throwIfAborted();
          const pathAndQuery = `${url.pathname}${url.search}`;
          const index = fetched.length;
          fetched.push(pathAndQuery);
          for (const f of failures) if (f.match(pathAndQuery, index)) throw f.error;
          const def = defs.find((d) => d.listPath === url?.pathname);
          const all = data[url.pathname];
          if (def === undefined || all === undefined) throw new Error(`fake: no data for ${url.pathname}`);
          const raw = url.searchParams.get('xfilter');
          const filter = raw === null ? null : (JSON.parse(raw) as Filter);
          const keep = compileResidual(filter, def);
          const limit = Number(url.searchParams.get('limit') ?? '1000000');
          const after = url.searchParams.get('after');
          const matching = all.filter((r) => keep(r) && (after === null || String(r.id) > after));
          const items = matching.slice(0, limit);
          const last = items[items.length - 1];
          let next: URL | null = null;
          if (matching.length > limit && last !== undefined) {
            next = new URL(url.pathname + url.search, api.nextOrigin);
            next.searchParams.set('after', String(last.id));
          }
          const page: OktaPage<T> = { items: items as unknown as T[], nextUrl: next?.href ?? null, url: url.href };
          yield page;
          url = next === null ? null : new URL(`${next.pathname}${next.search}`, ORIGIN);
        }
      } finally {
        open -= 1;
      }
    },
  };
  return api;
}

/** Records every filter it was asked to plan. */
export function stubPlanner(): PlanFn & { filters: (Filter | null)[] } {
  const filters: (Filter | null)[] = [];
  const plan = (def: ObjectDef, filter: Filter | null, options?: { pageLimit?: number }): OktaQueryPlan => {
    filters.push(filter);
    const params = new URLSearchParams();
    if (filter !== null) params.set('xfilter', JSON.stringify(filter));
    if (options?.pageLimit !== undefined) params.set('limit', String(options.pageLimit));
    const query = params.toString();
    return {
      path: query === '' ? def.listPath : `${def.listPath}?${query}`,
      residual: compileResidual(filter, def),
      description: `stub ${def.name}`,
    };
  };
  return Object.assign(plan, { filters });
}

const DEPARTMENTS = ['Engineering', 'Sales', 'Finance', 'Support'];
const STATUSES = ['ACTIVE', 'STAGED', 'SUSPENDED', 'DEPROVISIONED'];
export const T0 = Date.UTC(2024, 0, 1);
const HOUR = 3_600_000;

/** Deterministic users sorted by id, spread over ~20 days of created/lastUpdated, with boundary-exact times. */
export function makeUsers(n: number): OktaRecord[] {
  return Array.from({ length: n }, (_, i) => {
    const created = T0 + ((i * 7919) % (n * 2)) * HOUR;
    const lastUpdated = created + ((i * 104729) % 50) * HOUR;
    return {
      id: `00u${String(i).padStart(6, '0')}`,
      status: STATUSES[i % STATUSES.length],
      created: new Date(created).toISOString(),
      lastUpdated: new Date(lastUpdated).toISOString(),
      profile: {
        login: `user${i}@example.com`,
        email: `user${i}@example.com`,
        department: DEPARTMENTS[i % DEPARTMENTS.length],
        ...(i % 5 === 0 ? {} : { city: 'Paris' }),
      },
      credentials: { password: {}, provider: { type: 'OKTA', name: 'OKTA' } },
      _links: { self: { href: `${ORIGIN}/api/v1/users/00u${i}` } },
    };
  });
}

export function makeGroups(n: number): OktaRecord[] {
  return Array.from({ length: n }, (_, i) => {
    const created = T0 + i * 5 * HOUR;
    return {
      id: `00g${String(i).padStart(6, '0')}`,
      type: i % 3 === 0 ? 'APP_GROUP' : 'OKTA_GROUP',
      created: new Date(created).toISOString(),
      lastUpdated: new Date(created + HOUR).toISOString(),
      lastMembershipUpdated: new Date(created + 2 * HOUR).toISOString(),
      objectClass: ['okta:user_group'],
      profile: { name: `Group ${i}`, description: null },
    };
  });
}
