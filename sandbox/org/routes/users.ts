import type { RouteResult } from '../contract.js';
import { errorResult, errors } from '../errors.js';
import { usersFilter, usersSearch } from '../grammars.js';
import type { OrgState } from '../org-state.js';
import { LIMITS, listResult, readLimit, scanPage, scanRanges, unpaginated } from '../paging.js';
import { readPath } from '../path.js';
import { dateRange } from '../query/created-range.js';
import { compileQuery, type Getter, type Predicate } from '../query/grammar.js';
import type { UserStore } from '../users.js';

/** A getter over user i that answers cheap fields without building the record, and builds it at most once. */
export function userGetter(users: UserStore, i: number): Getter {
  return new UserView(users).at(i);
}

/**
 * One reusable getter for scans: `at(i)` repoints it at user i (predicates run synchronously, so a scan needs only
 * one), which keeps a million-user filtered scan free of per-user allocations for cheap fields.
 */
class UserView {
  private i = 0;
  private record: Record<string, unknown> | undefined;
  readonly get: Getter = (attr) => {
    const { users, i } = this;
    switch (attr) {
      case 'id':
        return users.ids.idOf(i);
      case 'status':
        return users.status(i);
      case 'created':
        return users.createdMs(i);
      case 'lastUpdated':
        return users.lastUpdatedMs(i);
      case 'type.id':
        return users.typeId(i);
      default:
        this.record ??= users.data(i);
        return readPath(this.record, attr);
    }
  };

  constructor(private readonly users: UserStore) {}

  at(i: number): Getter {
    this.i = i;
    this.record = undefined;
    return this.get;
  }
}

/** Sort keys for `sortBy`: dates compare as instants, strings case-insensitively, absent values last. */
function sortKey(value: unknown): string | number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const ms = /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : Number.NaN;
    return Number.isNaN(ms) ? value.toLowerCase() : ms;
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  return undefined;
}

/** `GET /api/v1/users`: default list (hides DEPROVISIONED), `search`, `filter`, or `q`. */
export function listUsers(state: OrgState, params: URLSearchParams): RouteResult {
  const { users } = state;
  const search = params.get('search');
  const filter = params.get('filter');
  const q = params.get('q');
  if (search !== null && filter !== null) return errorResult(errors.searchAndFilter());

  if (q !== null && search === null && filter === null) {
    // `q` is a prefix match on first name, last name and email; it omits DEPROVISIONED and is not paginated.
    const limit = readLimit(params, LIMITS.usersQ);
    if (!limit.ok) return errorResult(limit.error);
    const prefix = q.toLowerCase();
    const hit = (v: unknown): boolean => typeof v === 'string' && v.toLowerCase().startsWith(prefix);
    const found = scanPage(
      0,
      users.size,
      limit.limit,
      (i) => {
        if (!users.exists(i) || users.status(i) === 'DEPROVISIONED') return false;
        const p = users.data(i).profile;
        return hit(p.firstName) || hit(p.lastName) || hit(p.email);
      },
      (i) => users.serialize(i),
    );
    return unpaginated(found.items);
  }

  const limit = readLimit(params, LIMITS.users);
  if (!limit.ok) return errorResult(limit.error);

  let predicate: Predicate | undefined;
  // Generated users' `created` grows with their index: a `created` range in a search narrows the scan to a span.
  let span: [number, number] = [0, users.generatedCount];
  if (search !== null || filter !== null) {
    const compiled = compileQuery((search ?? filter) as string, search !== null ? usersSearch : usersFilter);
    if (!compiled.ok) return errorResult(compiled.error);
    predicate = compiled.predicate;
    if (search !== null) {
      const range = dateRange(compiled.expr, 'created');
      span = [
        Number.isFinite(range.fromMs) ? users.firstGeneratedCreatedAtLeast(range.fromMs) : 0,
        Number.isFinite(range.untilMs) ? users.firstGeneratedCreatedAtLeast(range.untilMs) : users.generatedCount,
      ];
    }
  }
  const view = new UserView(users);
  const matches = predicate
    ? (i: number) => users.exists(i) && predicate(view.at(i))
    : (i: number) => users.exists(i) && users.status(i) !== 'DEPROVISIONED';

  const sortBy = params.get('sortBy');
  if (search !== null && sortBy !== null) return sortedUsers(state, params, matches, sortBy, limit.limit);

  const after = params.get('after');
  const start = after ? users.ids.positionAfter(after, users.size) : 0;
  const ranges: [number, number][] = [
    [Math.max(start, span[0]), span[1]],
    [Math.max(start, users.generatedCount), users.size],
  ];
  const page = scanRanges(ranges, limit.limit, matches, (i) => users.serialize(i));
  return listResult(params, page.items, page.more ? users.ids.idOf(page.lastIndex) : null, limit.limit);
}

/** `search` with `sortBy`: materializes the matches, sorts them (ties by id) and pages by the last id. */
function sortedUsers(
  state: OrgState,
  params: URLSearchParams,
  matches: (i: number) => boolean,
  sortBy: string,
  limit: number,
): RouteResult {
  const { users } = state;
  if (!usersSearch.field(sortBy))
    return errorResult(errors.badSearch(`sortBy: '${sortBy}' is not a searchable attribute`));
  const order = (params.get('sortOrder') ?? 'asc').toLowerCase();
  if (order !== 'asc' && order !== 'desc') return errorResult(errors.badSearch(`sortOrder must be asc or desc`));
  const keyed: { i: number; key: string | number | undefined }[] = [];
  for (let i = 0; i < users.size; i++) if (matches(i)) keyed.push({ i, key: sortKey(userGetter(users, i)(sortBy)) });
  const direction = order === 'desc' ? -1 : 1;
  keyed.sort((a, b) => {
    if (a.key === b.key) return a.i - b.i;
    if (a.key === undefined) return 1;
    if (b.key === undefined) return -1;
    return (a.key < b.key ? -1 : 1) * direction;
  });
  const after = params.get('after');
  let start = 0;
  if (after) {
    const afterIndex = users.ids.indexOf(after);
    const at = keyed.findIndex((k) => k.i === afterIndex);
    start = at < 0 ? keyed.length : at + 1;
  }
  const slice = keyed.slice(start, start + limit);
  const last = slice.at(-1);
  const more = start + limit < keyed.length;
  return listResult(
    params,
    slice.map((k) => users.serialize(k.i)),
    more && last ? users.ids.idOf(last.i) : null,
    limit,
  );
}

export function getUser(state: OrgState, id: string): RouteResult {
  const i = resolveUser(state, id);
  if (i === undefined) return errorResult(errors.notFound(id));
  return { kind: 'item', body: state.users.serialize(i, true) };
}

/** Resolves an id, a login or `me` (the sandbox admin, user 0). */
export function resolveUser(state: OrgState, idOrLogin: string): number | undefined {
  if (idOrLogin === 'me') return state.users.exists(0) ? 0 : undefined;
  return state.users.resolve(idOrLogin);
}

/** `GET /api/v1/users/{id}/groups`: the user's groups in id order. */
export function listUserGroups(state: OrgState, id: string, params: URLSearchParams): RouteResult {
  const u = resolveUser(state, id);
  if (u === undefined) return errorResult(errors.notFound(id));
  const limit = readLimit(params, LIMITS.userGroups);
  if (!limit.ok) return errorResult(limit.error);
  const { groups } = state;
  const after = params.get('after');
  const start = after ? groups.ids.positionAfter(after, groups.size) : 0;
  const page = scanPage(
    start,
    groups.size,
    limit.limit,
    (g) => groups.isMember(g, u),
    (g) => groups.serialize(g),
  );
  return listResult(params, page.items, page.more ? groups.ids.idOf(page.lastIndex) : null, limit.limit);
}
