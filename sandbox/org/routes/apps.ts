import type { AppUserRef } from '../app-assignments.js';
import type { AppStore } from '../apps.js';
import type { RouteResult } from '../contract.js';
import { errorResult, errors } from '../errors.js';
import { appsFilter } from '../grammars.js';
import type { OrgState } from '../org-state.js';
import { LIMITS, listResult, readLimit, scanPage, takePage } from '../paging.js';
import { readPath } from '../path.js';
import type { Expr } from '../query/ast.js';
import { compileQuery, type Getter } from '../query/grammar.js';

function appGetter(state: OrgState, a: number): Getter {
  const apps: AppStore = state.apps;
  let record: Record<string, unknown> | undefined;
  return (attr) => {
    if (attr === 'id') return apps.ids.idOf(a);
    if (attr === 'status') return apps.status(a);
    record ??= apps.data(a);
    // The filter's `settings.slo.enabled` lives under `settings.signOn.slo` in SAML apps.
    if (attr === 'settings.slo.enabled')
      return readPath(record, 'settings.signOn.slo.enabled') ?? readPath(record, attr);
    return readPath(record, attr);
  };
}

/** `GET /api/v1/apps`: all apps (ACTIVE and INACTIVE), a single-`eq` `filter`, and/or a `q` prefix on name/label. */
export function listApps(state: OrgState, params: URLSearchParams): RouteResult {
  const { apps, users, groups, assignments } = state;
  const limit = readLimit(params, LIMITS.apps);
  if (!limit.ok) return errorResult(limit.error);
  const filter = params.get('filter');
  const q = params.get('q')?.toLowerCase();
  let matches = (a: number): boolean => apps.exists(a);
  let embedUser: number | undefined;
  if (filter !== null) {
    const compiled = compileQuery(filter, appsFilter);
    if (!compiled.ok) return errorResult(compiled.error);
    const expr: Expr = compiled.expr;
    if (expr.type === 'cmp' && expr.value.kind === 'string' && (expr.attr === 'user.id' || expr.attr === 'group.id')) {
      // Assignment filters: resolve the principal once, then test assignments.
      const target = expr.value.value;
      if (expr.attr === 'user.id') {
        const u = users.resolve(target);
        embedUser = u;
        matches = (a) => u !== undefined && assignments.isAssignedUser(a, u);
      } else {
        const g = groups.resolve(target);
        matches = (a) => g !== undefined && assignments.isAssignedGroup(a, g);
      }
    } else {
      const predicate = compiled.predicate;
      matches = (a) => apps.exists(a) && predicate(appGetter(state, a));
    }
  }
  if (q !== undefined) {
    const byFilter = matches;
    matches = (a) => {
      if (!byFilter(a)) return false;
      const record = apps.data(a);
      return String(record.name).toLowerCase().startsWith(q) || String(record.label).toLowerCase().startsWith(q);
    };
  }
  const expand = params.get('expand');
  if (expand?.startsWith('user/')) {
    const wanted = users.resolve(expand.slice('user/'.length));
    if (wanted === undefined || wanted !== embedUser) {
      return errorResult(
        errors.validation('expand=user/{userId} requires filter=user.id eq "{userId}" for the same user'),
      );
    }
  }
  const after = params.get('after');
  const start = after ? apps.ids.positionAfter(after, apps.size) : 0;
  const page = scanPage(start, apps.size, limit.limit, matches, (a) => {
    const record = apps.serialize(a);
    if (expand?.startsWith('user/') && embedUser !== undefined) {
      record._embedded = { user: assignments.appUser(a, { u: embedUser, direct: assignments.isDirect(a, embedUser) }) };
    }
    return record;
  });
  return listResult(params, page.items, page.more ? apps.ids.idOf(page.lastIndex) : null, limit.limit);
}

export function getApp(state: OrgState, id: string): RouteResult {
  const a = state.apps.resolve(id);
  if (a === undefined) return errorResult(errors.notFound(id));
  return { kind: 'item', body: state.apps.serialize(a) };
}

/**
 * `GET /api/v1/apps/{id}/users`: AppUser objects in user id order, direct assignments (scope USER) and users who reach
 * the app through an assigned group (scope GROUP); `expand=user` embeds the User, `q` is a prefix on the app user's
 * userName, first name, last name or email. Enumerated from the cursor on: a page costs its own size.
 */
export function listAppUsers(state: OrgState, id: string, params: URLSearchParams): RouteResult {
  const { apps, users, assignments } = state;
  const a = apps.resolve(id);
  if (a === undefined) return errorResult(errors.notFound(id));
  const limit = readLimit(params, LIMITS.appUsers);
  if (!limit.ok) return errorResult(limit.error);
  const expandUser = expansions(params).includes('user');
  const q = params.get('q')?.toLowerCase();
  const after = params.get('after');
  const start = after ? users.ids.positionAfter(after, users.size) : 0;
  const prefixed = (ref: AppUserRef): boolean => {
    if (!q) return true;
    const names = users.names(ref.u);
    const login = users.login(ref.u).toLowerCase();
    return (
      login.startsWith(q) || names.firstName.toLowerCase().startsWith(q) || names.lastName.toLowerCase().startsWith(q)
    );
  };
  const page = takePage(
    filtered(assignments.usersFrom(a, start), prefixed),
    limit.limit,
    (ref) => {
      const record = assignments.appUser(a, ref);
      if (expandUser) record._embedded = { user: users.serialize(ref.u) };
      return record;
    },
    (ref) => ref.u,
  );
  return listResult(params, page.items, page.more ? users.ids.idOf(page.lastIndex) : null, limit.limit);
}

/** `GET /api/v1/apps/{id}/groups`: group assignments in group id order; `expand=group` embeds the Group. */
export function listAppGroups(state: OrgState, id: string, params: URLSearchParams): RouteResult {
  const { apps, groups, assignments } = state;
  const a = apps.resolve(id);
  if (a === undefined) return errorResult(errors.notFound(id));
  const limit = readLimit(params, LIMITS.appGroups);
  if (!limit.ok) return errorResult(limit.error);
  const expandGroup = expansions(params).includes('group');
  const q = params.get('q')?.toLowerCase();
  const after = params.get('after');
  const start = after ? groups.ids.positionAfter(after, groups.size) : 0;
  const assigned = assignments
    .assignedGroups(a)
    .filter((g) => g >= start)
    .filter(
      (g) =>
        !q ||
        String(groups.data(g).profile.name ?? '')
          .toLowerCase()
          .startsWith(q),
    );
  const page = takePage(
    assigned,
    limit.limit,
    (g) => {
      const record = assignments.appGroup(a, g);
      if (expandGroup) record._embedded = { group: groups.serialize(g) };
      return record;
    },
    (g) => g,
  );
  return listResult(params, page.items, page.more ? groups.ids.idOf(page.lastIndex) : null, limit.limit);
}

function* filtered<T>(items: Iterable<T>, keep: (item: T) => boolean): Generator<T> {
  for (const item of items) if (keep(item)) yield item;
}

function expansions(params: URLSearchParams): string[] {
  return (params.get('expand') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
