import type { RouteResult } from '../contract.js';
import { errorResult, errors } from '../errors.js';
import type { OrgState } from '../org-state.js';
import { LIMITS, nextParams, readLimit, unpaginated } from '../paging.js';
import { resolveUser } from './users.js';

/** `GET /api/v1/users/{id}/roles`: the user's role assignments (direct, then inherited from groups), unpaginated. */
export function listUserRoles(state: OrgState, id: string): RouteResult {
  const u = resolveUser(state, id);
  if (u === undefined) return errorResult(errors.notFound(id));
  return unpaginated(state.roles.userRoles(u).map((role) => state.roles.serialize(role)));
}

/** `GET /api/v1/groups/{id}/roles`: the group's role assignments, unpaginated. */
export function listGroupRoles(state: OrgState, id: string): RouteResult {
  const g = state.groups.resolve(id);
  if (g === undefined) return errorResult(errors.notFound(id));
  return unpaginated(state.roles.groupRoles(g).map((role) => state.roles.serialize(role)));
}

/**
 * `GET /api/v1/iam/assignees/users`: users holding admin roles, in id order. Unlike most lists this answers one
 * object, `{value: [{id, orn, _links}], _links: {next: {href}}}`: the next page is in the body, not a Link header.
 */
export function listRoleAssignees(state: OrgState, params: URLSearchParams): RouteResult {
  const limit = readLimit(params, LIMITS.assignees);
  if (!limit.ok) return errorResult(limit.error);
  const { users } = state;
  const after = params.get('after');
  const start = after ? users.ids.positionAfter(after, users.size) : 0;
  const all = state.roles.assignees().filter((u) => u >= start);
  const page = all.slice(0, limit.limit);
  const orgTag = users.ids.head.slice(3);
  const value = page.map((u) => {
    const userId = users.ids.idOf(u);
    return {
      id: userId,
      orn: `orn:okta:directory:00o${orgTag}:users:${userId}`,
      _links: {
        self: { href: `{{origin}}/api/v1/users/${userId}` },
        roles: { href: `{{origin}}/api/v1/users/${userId}/roles` },
      },
    };
  });
  const last = page.at(-1);
  const links: Record<string, unknown> = {};
  if (all.length > page.length && last !== undefined) {
    const next = nextParams(params, users.ids.idOf(last), limit.limit);
    links.next = { href: `{{origin}}/api/v1/iam/assignees/users?${next.toString()}` };
  }
  return { kind: 'item', body: { value, _links: links } };
}
