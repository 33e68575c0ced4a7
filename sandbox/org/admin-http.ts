import type { AppLifecycleAction, DeviceLifecycleAction, OrgAdmin, UserLifecycleAction } from './admin.js';
import type { RouteResult } from './contract.js';
import { errorResult, errors, OrgRequestError, oktaError } from './errors.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The admin mutations over HTTP (paths relative to `/__sandbox/admin`), the same `OrgAdmin` the Okta write
 * endpoints use. A `null` item body means "no content".
 *   POST   /users                              {profile, typeId?, activate?}   → user
 *   POST   /users/{id}                         {profile}                       → user (partial update)
 *   POST   /users/{id}/lifecycle/{action}      activate|reactivate|deactivate|suspend|unsuspend|unlock|
 *                                              expire_password|reset_password|reset_factors
 *   DELETE /users/{id}                         deactivates, or deletes when already DEPROVISIONED → null
 *   POST   /groups                             {profile: {name, description?}} → group
 *   POST   /groups/{id}                        {profile}                       → group
 *   DELETE /groups/{id}                                                        → null
 *   PUT|POST /groups/{id}/users/{userId}, DELETE /groups/{id}/users/{userId}   → null
 *   POST   /apps/{id}/lifecycle/{activate|deactivate}                         → app
 *   DELETE /apps/{id}                          only INACTIVE apps               → null
 *   PUT|POST /apps/{id}/users/{userId}, DELETE /apps/{id}/users/{userId}       → null
 *   PUT    /apps/{id}/groups/{groupId} {priority?, profile?}, DELETE …         → null
 *   POST   /devices/{id}/lifecycle/{activate|deactivate|suspend|unsuspend}    → device
 *   DELETE /devices/{id}                       only DEACTIVATED devices         → null
 */
export function handleAdminRequest(admin: OrgAdmin, method: string, pathname: string, body: unknown): RouteResult {
  const verb = method.toUpperCase();
  const parts = pathname
    .split('/')
    .filter((p) => p.length > 0)
    .map((p) => decodeURIComponent(p));
  const input = isRecord(body) ? body : {};
  const item = (value: unknown): RouteResult => ({ kind: 'item', body: value });
  const done = (): RouteResult => item(null);
  try {
    const [collection, id, sub, arg] = parts;
    const write = verb === 'POST' || verb === 'PUT';
    if (collection === 'users') {
      if (verb === 'POST' && id === undefined) {
        return item(
          admin.createUser({
            profile: isRecord(input.profile) ? input.profile : {},
            ...(typeof input.typeId === 'string' ? { typeId: input.typeId } : {}),
            ...(isRecord(input.type) && typeof input.type.id === 'string' ? { typeId: input.type.id } : {}),
            ...(typeof input.activate === 'boolean' ? { activate: input.activate } : {}),
          }),
        );
      }
      if (id !== undefined && sub === undefined && verb === 'POST') {
        return item(admin.updateUser(id, isRecord(input.profile) ? input.profile : {}));
      }
      if (id !== undefined && sub === undefined && verb === 'DELETE') {
        admin.deleteUser(id);
        return done();
      }
      if (id !== undefined && sub === 'lifecycle' && arg !== undefined && verb === 'POST' && parts.length === 4) {
        return item(admin.userLifecycle(id, arg as UserLifecycleAction));
      }
    }
    if (collection === 'groups') {
      if (verb === 'POST' && id === undefined) {
        return item(admin.createGroup({ profile: isRecord(input.profile) ? input.profile : {} }));
      }
      if (id !== undefined && sub === undefined && verb === 'POST') {
        return item(admin.updateGroup(id, isRecord(input.profile) ? input.profile : {}));
      }
      if (id !== undefined && sub === undefined && verb === 'DELETE') {
        admin.deleteGroup(id);
        return done();
      }
      if (id !== undefined && sub === 'users' && arg !== undefined && parts.length === 4) {
        if (write) admin.addGroupMember(id, arg);
        else if (verb === 'DELETE') admin.removeGroupMember(id, arg);
        else return errorResult(errors.notFound(pathname));
        return done();
      }
    }
    if (collection === 'apps' && id !== undefined) {
      if (sub === 'lifecycle' && arg !== undefined && verb === 'POST' && parts.length === 4) {
        return item(admin.appLifecycle(id, arg as AppLifecycleAction));
      }
      if (sub === undefined && verb === 'DELETE') {
        admin.deleteApp(id);
        return done();
      }
      if (sub === 'users' && arg !== undefined && parts.length === 4) {
        if (write) admin.assignUserToApp(id, arg);
        else if (verb === 'DELETE') admin.unassignUserFromApp(id, arg);
        else return errorResult(errors.notFound(pathname));
        return done();
      }
      if (sub === 'groups' && arg !== undefined && parts.length === 4) {
        if (write) {
          admin.assignGroupToApp(id, arg, {
            ...(typeof input.priority === 'number' ? { priority: input.priority } : {}),
            ...(isRecord(input.profile) ? { profile: input.profile } : {}),
          });
        } else if (verb === 'DELETE') admin.unassignGroupFromApp(id, arg);
        else return errorResult(errors.notFound(pathname));
        return done();
      }
    }
    if (collection === 'devices' && id !== undefined) {
      if (sub === 'lifecycle' && arg !== undefined && verb === 'POST' && parts.length === 4) {
        return item(admin.deviceLifecycle(id, arg as DeviceLifecycleAction));
      }
      if (sub === undefined && verb === 'DELETE') {
        admin.deleteDevice(id);
        return done();
      }
    }
    return errorResult(oktaError(404, 'E0000008', 'The requested path was not found', [`${verb} ${pathname}`]));
  } catch (error) {
    if (error instanceof OrgRequestError) return errorResult(error.spec);
    throw error;
  }
}
