import type { ManagementRoute, RouteMatcher, RouteResult } from './contract.js';
import type { OrgState } from './org-state.js';
import { getApp, listAppGroups, listApps, listAppUsers } from './routes/apps.js';
import { getDevice, listDevices, listDeviceUsers } from './routes/devices.js';
import { getGroup, listGroups, listGroupUsers } from './routes/groups.js';
import { listLogs } from './routes/logs.js';
import { getUserSchema, getUserType, listUserTypes } from './routes/meta.js';
import { getUser, listUserGroups, listUsers } from './routes/users.js';

type Handler = (state: OrgState, params: URLSearchParams, path: Readonly<Record<string, string>>) => RouteResult;

const id = (path: Readonly<Record<string, string>>): string => path.id ?? '';

/** The Management API GET routes the sandbox serves, with the OAuth scope each one needs. */
const TABLE: readonly { template: string; scope: string; handle: Handler }[] = [
  { template: '/api/v1/users', scope: 'okta.users.read', handle: (s, q) => listUsers(s, q) },
  { template: '/api/v1/users/{id}', scope: 'okta.users.read', handle: (s, _q, p) => getUser(s, id(p)) },
  { template: '/api/v1/users/{id}/groups', scope: 'okta.users.read', handle: (s, q, p) => listUserGroups(s, id(p), q) },
  { template: '/api/v1/groups', scope: 'okta.groups.read', handle: (s, q) => listGroups(s, q) },
  { template: '/api/v1/groups/{id}', scope: 'okta.groups.read', handle: (s, q, p) => getGroup(s, id(p), q) },
  {
    template: '/api/v1/groups/{id}/users',
    scope: 'okta.groups.read',
    handle: (s, q, p) => listGroupUsers(s, id(p), q),
  },
  { template: '/api/v1/apps', scope: 'okta.apps.read', handle: (s, q) => listApps(s, q) },
  { template: '/api/v1/apps/{id}', scope: 'okta.apps.read', handle: (s, _q, p) => getApp(s, id(p)) },
  { template: '/api/v1/apps/{id}/users', scope: 'okta.apps.read', handle: (s, q, p) => listAppUsers(s, id(p), q) },
  { template: '/api/v1/apps/{id}/groups', scope: 'okta.apps.read', handle: (s, q, p) => listAppGroups(s, id(p), q) },
  { template: '/api/v1/devices', scope: 'okta.devices.read', handle: (s, q) => listDevices(s, q) },
  { template: '/api/v1/devices/{id}', scope: 'okta.devices.read', handle: (s, _q, p) => getDevice(s, id(p)) },
  {
    template: '/api/v1/devices/{id}/users',
    scope: 'okta.devices.read',
    handle: (s, _q, p) => listDeviceUsers(s, id(p)),
  },
  { template: '/api/v1/meta/types/user', scope: 'okta.userTypes.read', handle: (s) => listUserTypes(s) },
  {
    template: '/api/v1/meta/types/user/{id}',
    scope: 'okta.userTypes.read',
    handle: (s, _q, p) => getUserType(s, id(p)),
  },
  {
    template: '/api/v1/meta/schemas/user/{id}',
    scope: 'okta.schemas.read',
    handle: (s, _q, p) => getUserSchema(s, id(p)),
  },
  { template: '/api/v1/logs', scope: 'okta.logs.read', handle: (s, q) => listLogs(s, q) },
];

function splitPath(pathname: string): string[] {
  return pathname.split('/').filter((segment) => segment.length > 0);
}

/** Builds the GET matcher over the org's state; `{id}` segments are URL-decoded. */
export function createMatcher(state: OrgState): RouteMatcher {
  const compiled = TABLE.map((entry) => {
    const route: ManagementRoute = {
      template: entry.template,
      scope: entry.scope,
      handle: (params, pathParams) => entry.handle(state, params, pathParams),
    };
    return { segments: splitPath(entry.template), route };
  });
  return (method, pathname) => {
    if (method.toUpperCase() !== 'GET') return null;
    const parts = splitPath(pathname);
    for (const { segments, route } of compiled) {
      if (segments.length !== parts.length) continue;
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
      if (ok) return { route, pathParams };
    }
    return null;
  };
}
