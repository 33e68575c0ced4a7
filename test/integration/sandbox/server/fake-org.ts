import type { ManagementRoute, RouteMatcher, RouteResult } from '../../../../sandbox/org/contract.js';
import type { ServedOrg } from '../../../../sandbox/server/sandbox-server.js';

/**
 * A tiny stand-in org for server tests: the server's behaviour (links, auth, limits, faults) must not depend on
 * the generated data, so these tests pin it with a handful of predictable records.
 */
export function fakeOrg(userCount = 25): ServedOrg & { users: Record<string, unknown>[] } {
  const users: Record<string, unknown>[] = Array.from({ length: userCount }, (_, i) => user(i));

  const listUsers: ManagementRoute = {
    method: 'GET' as const,
    template: '/api/v1/users',
    scope: 'okta.users.read',
    handle(params): RouteResult {
      const limit = Math.min(Number(params.get('limit') ?? 10), 200);
      const start = Number(params.get('after') ?? 0);
      const items = users.slice(start, start + limit);
      let next: URLSearchParams | null = null;
      if (start + limit < users.length) {
        next = new URLSearchParams(params);
        next.set('after', String(start + limit));
        next.set('limit', String(limit));
      }
      return { kind: 'list', items, next, paginated: true };
    },
  };
  const getUser: ManagementRoute = {
    method: 'GET' as const,
    template: '/api/v1/users/{id}',
    scope: 'okta.users.read',
    handle(_params, pathParams): RouteResult {
      const found = users.find((candidate) => candidate.id === pathParams.id);
      if (!found) {
        return {
          kind: 'error',
          error: {
            status: 404,
            errorCode: 'E0000007',
            errorSummary: `Not found: Resource not found: ${pathParams.id} (User)`,
          },
        };
      }
      return { kind: 'item', body: found };
    },
  };
  const listGroups: ManagementRoute = {
    method: 'GET' as const,
    template: '/api/v1/groups',
    scope: 'okta.groups.read',
    handle: () => ({ kind: 'list', items: [{ id: '00gfake000000000001' }], next: null, paginated: true }),
  };
  const userTypes: ManagementRoute = {
    method: 'GET' as const,
    template: '/api/v1/meta/types/user',
    scope: 'okta.userTypes.read',
    handle: () => ({
      kind: 'list',
      items: [{ id: 'otyfake000000000001', default: true }],
      next: null,
      paginated: false,
    }),
  };
  const none: Record<string, string> = {};
  const match: RouteMatcher = (method, pathname) => {
    if (method !== 'GET') return null;
    if (pathname === '/api/v1/users') return { route: listUsers, pathParams: none };
    if (pathname === '/api/v1/groups') return { route: listGroups, pathParams: none };
    if (pathname === '/api/v1/meta/types/user') return { route: userTypes, pathParams: none };
    const byId = /^\/api\/v1\/users\/([^/]+)$/.exec(pathname);
    if (byId?.[1]) return { route: getUser, pathParams: { id: byId[1] } };
    return null;
  };
  return {
    users,
    match,
    handleAdmin(method, pathname, body): RouteResult {
      if (method === 'POST' && pathname === '/users') {
        const created = { ...user(users.length), ...(typeof body === 'object' && body !== null ? body : {}) };
        users.push(created);
        return { kind: 'item', body: created };
      }
      return { kind: 'error', error: { status: 404, errorCode: 'E0000008', errorSummary: 'No such admin route' } };
    },
  };
}

function user(i: number): Record<string, unknown> {
  const id = `00ufake${String(i).padStart(12, '0')}`;
  return {
    id,
    status: 'ACTIVE',
    profile: { login: `user${i}@example.com` },
    _links: { self: { href: `{{origin}}/api/v1/users/${id}` } },
  };
}
