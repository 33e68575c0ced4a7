import type { RouteResult } from '../contract.js';
import { errorResult, errors } from '../errors.js';
import { groupsFilter, groupsSearch } from '../grammars.js';
import type { GroupStore } from '../groups.js';
import type { OrgState } from '../org-state.js';
import { LIMITS, listResult, readLimit, scanPage, takePage, unpaginated } from '../paging.js';
import { readPath } from '../path.js';
import { compileQuery, type Getter } from '../query/grammar.js';

function groupGetter(groups: GroupStore, g: number): Getter {
  let record: Record<string, unknown> | undefined;
  return (attr) => {
    if (attr === 'id') return groups.ids.idOf(g);
    if (attr === 'type') return groups.type(g);
    if (attr === 'created') return groups.createdMs(g);
    record ??= groups.data(g);
    return readPath(record, attr);
  };
}

/** Applies `expand=stats|app` (comma-separated) to a serialized group. */
function expandGroup(state: OrgState, g: number, expand: readonly string[]): Record<string, unknown> {
  const record: Record<string, unknown> = state.groups.serialize(g);
  if (expand.length === 0) return record;
  const embedded: Record<string, unknown> = {};
  if (expand.includes('stats')) {
    embedded.stats = {
      usersCount: state.groups.usersCount(g),
      appsCount: state.assignments.appsOfGroup(g).length,
      groupPushMappingsCount: 0,
      hasAdminPrivilege: g === 0,
    };
  }
  const source = record.source as { id: string } | undefined;
  if (expand.includes('app') && source) {
    const a = state.apps.resolve(source.id);
    if (a !== undefined) {
      const app = state.apps.data(a);
      embedded.app = { id: app.id, name: app.name, label: app.label, signOnMode: app.signOnMode };
    }
  }
  record._embedded = embedded;
  return record;
}

function expansions(params: URLSearchParams): string[] {
  return (params.get('expand') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** `GET /api/v1/groups`: all groups, `search`, `filter`, or `q` (name prefix, not paginated). */
export function listGroups(state: OrgState, params: URLSearchParams): RouteResult {
  const { groups } = state;
  const search = params.get('search');
  const filter = params.get('filter');
  const q = params.get('q');
  const expand = expansions(params);
  if (search !== null && filter !== null) return errorResult(errors.searchAndFilter());

  if (q !== null && search === null && filter === null) {
    const limit = readLimit(params, LIMITS.groupsQ);
    if (!limit.ok) return errorResult(limit.error);
    const prefix = q.toLowerCase();
    const found = scanPage(
      0,
      groups.size,
      limit.limit,
      (g) =>
        groups.exists(g) &&
        String(groups.data(g).profile.name ?? '')
          .toLowerCase()
          .startsWith(prefix),
      (g) => expandGroup(state, g, expand),
    );
    return unpaginated(found.items);
  }

  const limit = readLimit(params, LIMITS.groups);
  if (!limit.ok) return errorResult(limit.error);
  let matches = (g: number): boolean => groups.exists(g);
  if (search !== null || filter !== null) {
    const compiled = compileQuery((search ?? filter) as string, search !== null ? groupsSearch : groupsFilter);
    if (!compiled.ok) return errorResult(compiled.error);
    const predicate = compiled.predicate;
    matches = (g) => groups.exists(g) && predicate(groupGetter(groups, g));
  }
  const after = params.get('after');
  const start = after ? groups.ids.positionAfter(after, groups.size) : 0;
  const page = scanPage(start, groups.size, limit.limit, matches, (g) => expandGroup(state, g, expand));
  return listResult(params, page.items, page.more ? groups.ids.idOf(page.lastIndex) : null, limit.limit);
}

export function getGroup(state: OrgState, id: string, params: URLSearchParams): RouteResult {
  const g = state.groups.resolve(id);
  if (g === undefined) return errorResult(errors.notFound(id));
  return { kind: 'item', body: expandGroup(state, g, expansions(params)) };
}

/**
 * `GET /api/v1/groups/{id}/users`: full User objects of the members, in user id order. Members are enumerated from
 * the cursor on, so a page costs its own size whatever the org's size.
 */
export function listGroupUsers(state: OrgState, id: string, params: URLSearchParams): RouteResult {
  const g = state.groups.resolve(id);
  if (g === undefined) return errorResult(errors.notFound(id));
  const limit = readLimit(params, LIMITS.groupUsers);
  if (!limit.ok) return errorResult(limit.error);
  const { users, groups } = state;
  const after = params.get('after');
  const start = after ? users.ids.positionAfter(after, users.size) : 0;
  const page = takePage(
    groups.membersFrom(g, start),
    limit.limit,
    (u) => users.serialize(u),
    (u) => u,
  );
  return listResult(params, page.items, page.more ? users.ids.idOf(page.lastIndex) : null, limit.limit);
}
