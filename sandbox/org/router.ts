import type { ManagementRoute, RouteMatcher, RouteRequest, RouteResult } from './contract.js';
import type { OrgState } from './org-state.js';
import {
  appLifecycleRoute,
  assignGroupRoute,
  assignUserRoute,
  getAppGroup,
  getAppUser,
  unassignGroupRoute,
  unassignUserRoute,
} from './routes/app-writes.js';
import { getApp, listAppGroups, listApps, listAppUsers } from './routes/apps.js';
import { getDevice, listDevices, listDeviceUsers } from './routes/devices.js';
import { listFactors } from './routes/factors.js';
import { createGroupRoute, deleteGroupRoute, groupMemberRoute, replaceGroupRoute } from './routes/group-writes.js';
import { getGroup, listGroups, listGroupUsers } from './routes/groups.js';
import { listLogs } from './routes/logs.js';
import { getUserSchema, getUserType, listUserTypes } from './routes/meta.js';
import { listGroupRoles, listRoleAssignees, listUserRoles } from './routes/roles.js';
import {
  clearSessionsRoute,
  createUserRoute,
  deleteUserRoute,
  updateUserRoute,
  userLifecycleRoute,
} from './routes/user-writes.js';
import { getUser, listUserGroups, listUsers } from './routes/users.js';

type Handler = (
  state: OrgState,
  params: URLSearchParams,
  path: Readonly<Record<string, string>>,
  request: RouteRequest | undefined,
) => RouteResult;
type Method = ManagementRoute['method'];

const p = (path: Readonly<Record<string, string>>, name: string): string => path[name] ?? '';
const id = (path: Readonly<Record<string, string>>): string => p(path, 'id');

const USERS_MANAGE = 'okta.users.manage';
const GROUPS_MANAGE = 'okta.groups.manage';
const APPS_MANAGE = 'okta.apps.manage';

/** The Management API routes the sandbox serves, with the OAuth scope each one needs. */
const TABLE: readonly { method: Method; template: string; scope: string; handle: Handler }[] = [
  { method: 'GET', template: '/api/v1/users', scope: 'okta.users.read', handle: (s, q) => listUsers(s, q) },
  { method: 'POST', template: '/api/v1/users', scope: USERS_MANAGE, handle: (s, q, _p, r) => createUserRoute(s, q, r) },
  { method: 'GET', template: '/api/v1/users/{id}', scope: 'okta.users.read', handle: (s, _q, x) => getUser(s, id(x)) },
  {
    method: 'POST',
    template: '/api/v1/users/{id}',
    scope: USERS_MANAGE,
    handle: (s, _q, x, r) => updateUserRoute(s, id(x), false, r),
  },
  {
    method: 'PUT',
    template: '/api/v1/users/{id}',
    scope: USERS_MANAGE,
    handle: (s, _q, x, r) => updateUserRoute(s, id(x), true, r),
  },
  {
    method: 'DELETE',
    template: '/api/v1/users/{id}',
    scope: USERS_MANAGE,
    handle: (s, q, x, r) => deleteUserRoute(s, id(x), q, r),
  },
  {
    method: 'POST',
    template: '/api/v1/users/{id}/lifecycle/{action}',
    scope: USERS_MANAGE,
    handle: (s, q, x, r) => userLifecycleRoute(s, id(x), p(x, 'action'), q, r),
  },
  {
    method: 'DELETE',
    template: '/api/v1/users/{id}/sessions',
    scope: USERS_MANAGE,
    handle: (s, q, x, r) => clearSessionsRoute(s, id(x), q, r),
  },
  {
    method: 'GET',
    template: '/api/v1/users/{id}/groups',
    scope: 'okta.users.read',
    handle: (s, q, x) => listUserGroups(s, id(x), q),
  },
  {
    method: 'GET',
    template: '/api/v1/users/{id}/roles',
    scope: 'okta.roles.read',
    handle: (s, _q, x) => listUserRoles(s, id(x)),
  },
  {
    method: 'GET',
    template: '/api/v1/users/{id}/factors',
    scope: 'okta.users.read',
    handle: (s, _q, x) => listFactors(s, id(x)),
  },
  { method: 'GET', template: '/api/v1/groups', scope: 'okta.groups.read', handle: (s, q) => listGroups(s, q) },
  {
    method: 'POST',
    template: '/api/v1/groups',
    scope: GROUPS_MANAGE,
    handle: (s, _q, _x, r) => createGroupRoute(s, r),
  },
  {
    method: 'GET',
    template: '/api/v1/groups/{id}',
    scope: 'okta.groups.read',
    handle: (s, q, x) => getGroup(s, id(x), q),
  },
  {
    method: 'PUT',
    template: '/api/v1/groups/{id}',
    scope: GROUPS_MANAGE,
    handle: (s, _q, x, r) => replaceGroupRoute(s, id(x), r),
  },
  {
    method: 'DELETE',
    template: '/api/v1/groups/{id}',
    scope: GROUPS_MANAGE,
    handle: (s, _q, x, r) => deleteGroupRoute(s, id(x), r),
  },
  {
    method: 'GET',
    template: '/api/v1/groups/{id}/users',
    scope: 'okta.groups.read',
    handle: (s, q, x) => listGroupUsers(s, id(x), q),
  },
  {
    method: 'PUT',
    template: '/api/v1/groups/{id}/users/{userId}',
    scope: GROUPS_MANAGE,
    handle: (s, _q, x, r) => groupMemberRoute(s, id(x), p(x, 'userId'), true, r),
  },
  {
    method: 'DELETE',
    template: '/api/v1/groups/{id}/users/{userId}',
    scope: GROUPS_MANAGE,
    handle: (s, _q, x, r) => groupMemberRoute(s, id(x), p(x, 'userId'), false, r),
  },
  {
    method: 'GET',
    template: '/api/v1/groups/{id}/roles',
    scope: 'okta.roles.read',
    handle: (s, _q, x) => listGroupRoles(s, id(x)),
  },
  {
    method: 'GET',
    template: '/api/v1/iam/assignees/users',
    scope: 'okta.roles.read',
    handle: (s, q) => listRoleAssignees(s, q),
  },
  { method: 'GET', template: '/api/v1/apps', scope: 'okta.apps.read', handle: (s, q) => listApps(s, q) },
  { method: 'GET', template: '/api/v1/apps/{id}', scope: 'okta.apps.read', handle: (s, _q, x) => getApp(s, id(x)) },
  {
    method: 'GET',
    template: '/api/v1/apps/{id}/users',
    scope: 'okta.apps.read',
    handle: (s, q, x) => listAppUsers(s, id(x), q),
  },
  {
    method: 'POST',
    template: '/api/v1/apps/{id}/users',
    scope: APPS_MANAGE,
    handle: (s, _q, x, r) => assignUserRoute(s, id(x), r),
  },
  {
    method: 'GET',
    template: '/api/v1/apps/{id}/users/{userId}',
    scope: 'okta.apps.read',
    handle: (s, q, x) => getAppUser(s, id(x), p(x, 'userId'), q),
  },
  {
    method: 'DELETE',
    template: '/api/v1/apps/{id}/users/{userId}',
    scope: APPS_MANAGE,
    handle: (s, q, x, r) => unassignUserRoute(s, id(x), p(x, 'userId'), q, r),
  },
  {
    method: 'GET',
    template: '/api/v1/apps/{id}/groups',
    scope: 'okta.apps.read',
    handle: (s, q, x) => listAppGroups(s, id(x), q),
  },
  {
    method: 'GET',
    template: '/api/v1/apps/{id}/groups/{groupId}',
    scope: 'okta.apps.read',
    handle: (s, q, x) => getAppGroup(s, id(x), p(x, 'groupId'), q),
  },
  {
    method: 'PUT',
    template: '/api/v1/apps/{id}/groups/{groupId}',
    scope: APPS_MANAGE,
    handle: (s, _q, x, r) => assignGroupRoute(s, id(x), p(x, 'groupId'), r),
  },
  {
    method: 'DELETE',
    template: '/api/v1/apps/{id}/groups/{groupId}',
    scope: APPS_MANAGE,
    handle: (s, _q, x, r) => unassignGroupRoute(s, id(x), p(x, 'groupId'), r),
  },
  {
    method: 'POST',
    template: '/api/v1/apps/{id}/lifecycle/activate',
    scope: APPS_MANAGE,
    handle: (s, _q, x, r) => appLifecycleRoute(s, id(x), 'activate', r),
  },
  {
    method: 'POST',
    template: '/api/v1/apps/{id}/lifecycle/deactivate',
    scope: APPS_MANAGE,
    handle: (s, _q, x, r) => appLifecycleRoute(s, id(x), 'deactivate', r),
  },
  { method: 'GET', template: '/api/v1/devices', scope: 'okta.devices.read', handle: (s, q) => listDevices(s, q) },
  {
    method: 'GET',
    template: '/api/v1/devices/{id}',
    scope: 'okta.devices.read',
    handle: (s, _q, x) => getDevice(s, id(x)),
  },
  {
    method: 'GET',
    template: '/api/v1/devices/{id}/users',
    scope: 'okta.devices.read',
    handle: (s, _q, x) => listDeviceUsers(s, id(x)),
  },
  { method: 'GET', template: '/api/v1/meta/types/user', scope: 'okta.userTypes.read', handle: (s) => listUserTypes(s) },
  {
    method: 'GET',
    template: '/api/v1/meta/types/user/{id}',
    scope: 'okta.userTypes.read',
    handle: (s, _q, x) => getUserType(s, id(x)),
  },
  {
    method: 'GET',
    template: '/api/v1/meta/schemas/user/{id}',
    scope: 'okta.schemas.read',
    handle: (s, _q, x) => getUserSchema(s, id(x)),
  },
  { method: 'GET', template: '/api/v1/logs', scope: 'okta.logs.read', handle: (s, q) => listLogs(s, q) },
];

function splitPath(pathname: string): string[] {
  return pathname.split('/').filter((segment) => segment.length > 0);
}

/** Builds the matcher over the org's state; `{param}` segments are URL-decoded, literal segments win over params. */
export function createMatcher(state: OrgState): RouteMatcher {
  const compiled = TABLE.map((entry) => {
    const route: ManagementRoute = {
      template: entry.template,
      method: entry.method,
      scope: entry.scope,
      handle: (params, pathParams, request) => entry.handle(state, params, pathParams, request),
    };
    const segments = splitPath(entry.template);
    return { segments, literals: segments.filter((s) => !s.startsWith('{')).length, route };
  });
  return (method, pathname) => {
    const verb = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
    const parts = splitPath(pathname);
    let best: { route: ManagementRoute; pathParams: Record<string, string>; literals: number } | null = null;
    for (const { segments, literals, route } of compiled) {
      if (route.method !== verb || segments.length !== parts.length) continue;
      if (best && best.literals >= literals) continue;
      const pathParams: Record<string, string> = {};
      let ok = true;
      for (let k = 0; k < segments.length && ok; k++) {
        const segment = segments[k] ?? '';
        const part = parts[k] ?? '';
        if (segment.startsWith('{')) {
          try {
            pathParams[segment.slice(1, -1)] = decodeURIComponent(part);
          } catch {
            ok = false;
          }
        } else ok = segment === part;
      }
      if (ok) best = { route, pathParams, literals };
    }
    return best ? { route: best.route, pathParams: best.pathParams } : null;
  };
}
