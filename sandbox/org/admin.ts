import type { RouteResult } from './contract.js';
import { errorResult, errors, OrgRequestError, oktaError } from './errors.js';
import type { LogParty } from './logs.js';
import type { OrgState } from './org-state.js';
import { isoTimestamp as oktaTimestamp } from './timestamp.js';
import type { UserRecord } from './users.js';

export type UserLifecycleAction =
  | 'activate'
  | 'deactivate'
  | 'suspend'
  | 'unsuspend'
  | 'unlock'
  | 'expire_password'
  | 'reset_password';
export type AppLifecycleAction = 'activate' | 'deactivate';
export type DeviceLifecycleAction = 'activate' | 'deactivate' | 'suspend' | 'unsuspend';

/**
 * Programmatic mutations (tests call these directly; `handleAdmin` exposes the same over HTTP). Each one obeys
 * Okta's rules, stamps `lastUpdated` with the sandbox clock and writes the System Log event Okta would write.
 * Failures throw `OrgRequestError` carrying the Okta error body.
 */
export interface OrgAdmin {
  /** Creates a user (ACTIVE unless `activate: false`, then STAGED); id sorts after every existing user. */
  createUser(input: { profile: Record<string, unknown>; typeId?: string; activate?: boolean }): Record<string, unknown>;
  /** Partial profile update (Okta's POST /users/{id}); `null` clears an attribute. */
  updateUser(idOrLogin: string, profile: Record<string, unknown>): Record<string, unknown>;
  userLifecycle(idOrLogin: string, action: UserLifecycleAction): Record<string, unknown>;
  /** Okta semantics: a user that is not DEPROVISIONED is deactivated first; deleting a DEPROVISIONED one removes it. */
  deleteUser(idOrLogin: string): 'deactivated' | 'deleted';
  createGroup(input: { profile: Record<string, unknown> }): Record<string, unknown>;
  updateGroup(id: string, profile: Record<string, unknown>): Record<string, unknown>;
  deleteGroup(id: string): void;
  addGroupMember(groupId: string, userIdOrLogin: string): void;
  removeGroupMember(groupId: string, userIdOrLogin: string): void;
  appLifecycle(id: string, action: AppLifecycleAction): Record<string, unknown>;
  /** Only INACTIVE apps can be deleted (403 E0000056 otherwise). */
  deleteApp(id: string): void;
  assignUserToApp(appId: string, userIdOrLogin: string): void;
  unassignUserFromApp(appId: string, userIdOrLogin: string): void;
  deviceLifecycle(id: string, action: DeviceLifecycleAction): Record<string, unknown>;
  /** Only DEACTIVATED devices can be deleted (400 E0000001 otherwise). */
  deleteDevice(id: string): void;
}

const USER_TRANSITIONS: Readonly<Record<UserLifecycleAction, { from: readonly string[]; to: string; event: string }>> =
  {
    activate: { from: ['STAGED', 'PROVISIONED', 'DEPROVISIONED'], to: 'ACTIVE', event: 'user.lifecycle.activate' },
    deactivate: {
      from: ['ACTIVE', 'LOCKED_OUT', 'PASSWORD_EXPIRED', 'PROVISIONED', 'RECOVERY', 'STAGED', 'SUSPENDED'],
      to: 'DEPROVISIONED',
      event: 'user.lifecycle.deactivate',
    },
    suspend: { from: ['ACTIVE'], to: 'SUSPENDED', event: 'user.lifecycle.suspend' },
    unsuspend: { from: ['SUSPENDED'], to: 'ACTIVE', event: 'user.lifecycle.unsuspend' },
    unlock: { from: ['LOCKED_OUT'], to: 'ACTIVE', event: 'user.account.unlock' },
    expire_password: { from: ['ACTIVE'], to: 'PASSWORD_EXPIRED', event: 'user.account.expire_password' },
    reset_password: {
      from: ['ACTIVE', 'PASSWORD_EXPIRED', 'LOCKED_OUT'],
      to: 'RECOVERY',
      event: 'user.account.reset_password',
    },
  };

const DEVICE_TRANSITIONS: Readonly<Record<DeviceLifecycleAction, { from: readonly string[]; to: string }>> = {
  activate: { from: ['DEACTIVATED', 'CREATED'], to: 'ACTIVE' },
  deactivate: { from: ['ACTIVE', 'SUSPENDED', 'UNSUSPENDED', 'CREATED'], to: 'DEACTIVATED' },
  suspend: { from: ['ACTIVE', 'UNSUSPENDED'], to: 'SUSPENDED' },
  unsuspend: { from: ['SUSPENDED'], to: 'ACTIVE' },
};

function fail(cause: string, status = 400, code = 'E0000001', summary = 'Api validation failed: request'): never {
  throw new OrgRequestError(oktaError(status, code, summary, [cause]));
}

function notFound(what: string): never {
  throw new OrgRequestError(errors.notFound(what));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function createAdmin(state: OrgState): OrgAdmin {
  const { users, groups, apps, devices, logs, clock } = state;
  const now = (): number => clock.now();

  const userIndex = (idOrLogin: string): number => users.resolve(idOrLogin) ?? notFound(idOrLogin);
  const groupIndex = (id: string): number => groups.resolve(id) ?? notFound(id);
  const appIndex = (id: string): number => apps.resolve(id) ?? notFound(id);
  const deviceIndex = (id: string): number => devices.resolve(id) ?? notFound(id);

  const userParty = (u: number): LogParty => {
    const { firstName, lastName } = users.names(u);
    return {
      id: users.ids.idOf(u),
      type: 'User',
      alternateId: users.login(u),
      displayName: `${firstName} ${lastName}`,
    };
  };
  const groupParty = (g: number): LogParty => ({
    id: groups.ids.idOf(g),
    type: 'UserGroup',
    alternateId: 'unknown',
    displayName: String(groups.data(g).profile.name ?? ''),
  });
  const appParty = (a: number): LogParty => {
    const app = apps.data(a);
    return {
      id: apps.ids.idOf(a),
      type: 'AppInstance',
      alternateId: String(app.label),
      displayName: String(app.label),
    };
  };
  const deviceParty = (d: number): LogParty => {
    const device = devices.data(d);
    return {
      id: devices.ids.idOf(d),
      type: 'Device',
      alternateId: devices.ids.idOf(d),
      displayName: String(device.profile.displayName),
    };
  };
  const log = (eventType: string, displayMessage: string, targets: LogParty[]): void => {
    logs.append({ eventType, displayMessage, targets, publishedMs: now() });
  };

  const validateProfile = (profile: Record<string, unknown>, u: number | undefined): void => {
    for (const [key, value] of Object.entries(profile)) {
      const type = state.userTypes.attributeType(key);
      if (type === undefined) fail(`Property name '${key}' is not defined in the user profile schema`);
      if (value === null) continue;
      const ok =
        type === 'number'
          ? typeof value === 'number'
          : type === 'boolean'
            ? typeof value === 'boolean'
            : typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
      if (!ok) fail(`${key}: value of type ${typeof value} does not match the schema type ${type}`);
    }
    const login = profile.login;
    if (login !== undefined) {
      if (typeof login !== 'string' || login.length < 5) fail('login: must be a string of at least 5 characters');
      const other = users.resolve(login);
      if (other !== undefined && other !== u)
        fail('login: An object with this field already exists in the current organization');
    }
  };

  /** Everyone's (and other groups') membership changed: bump lastMembershipUpdated without touching the user. */
  const touchMembership = (g: number): void => {
    const record = groups.data(g);
    record.lastMembershipUpdated = oktaTimestamp(now());
    groups.put(g, record);
  };

  const putUser = (u: number, change: (record: UserRecord) => void): UserRecord => {
    const record = users.data(u);
    change(record);
    record.lastUpdated = oktaTimestamp(now());
    users.put(u, record);
    return users.serialize(u, true);
  };

  const lifecycle = (u: number, action: UserLifecycleAction): UserRecord => {
    const transition = USER_TRANSITIONS[action];
    if (!transition) fail(`Unknown lifecycle operation '${action}'`);
    const status = users.status(u);
    if (!transition.from.includes(status)) {
      fail(`Cannot ${action} a user whose status is ${status}`, 400, 'E0000001');
    }
    const result = putUser(u, (record) => {
      const at = oktaTimestamp(now());
      record.status = transition.to;
      record.statusChanged = at;
      if (transition.to === 'ACTIVE' && action === 'activate') record.activated = at;
      delete record.transitioningToStatus;
    });
    log(transition.event, `${action} user`, [userParty(u)]);
    return result;
  };

  const setMembership = (groupId: string, userIdOrLogin: string, member: boolean): void => {
    const g = groupIndex(groupId);
    const u = userIndex(userIdOrLogin);
    const type = groups.type(g);
    if (type !== 'OKTA_GROUP') fail(`Cannot modify the membership of a ${type} group through the API`);
    if (groups.isMember(g, u) === member) return;
    groups.setMember(g, u, member);
    touchMembership(g);
    log(
      member ? 'group.user_membership.add' : 'group.user_membership.remove',
      member ? 'Add user to group membership' : 'Remove user from group membership',
      [userParty(u), groupParty(g)],
    );
  };

  const setAssignment = (appId: string, userIdOrLogin: string, assigned: boolean): void => {
    const a = appIndex(appId);
    const u = userIndex(userIdOrLogin);
    if (apps.isAssignedUser(a, u) === assigned) return;
    apps.setUserAssignment(a, u, assigned);
    log(
      assigned ? 'application.user_membership.add' : 'application.user_membership.remove',
      assigned ? 'Add user to application membership' : 'Remove user from application membership',
      [userParty(u), appParty(a)],
    );
  };

  return {
    createUser(input) {
      if (!isRecord(input?.profile)) fail('profile: an object with login, email, firstName and lastName is required');
      const profile = { ...input.profile };
      for (const required of ['login', 'email', 'firstName', 'lastName']) {
        if (typeof profile[required] !== 'string' || profile[required] === '') fail(`${required}: is required`);
      }
      validateProfile(profile, undefined);
      const typeIds = state.userTypes.typeIds;
      const typeId = input.typeId ?? typeIds[0] ?? '';
      if (!typeIds.includes(typeId)) fail(`type.id: '${typeId}' is not a user type of this org`);
      const at = oktaTimestamp(now());
      const active = input.activate !== false;
      const u = users.create({
        status: active ? 'ACTIVE' : 'STAGED',
        created: at,
        activated: active ? at : null,
        statusChanged: active ? at : null,
        lastLogin: null,
        lastUpdated: at,
        passwordChanged: null,
        type: { id: typeId },
        profile,
        credentials: { provider: { type: 'OKTA', name: 'OKTA' } },
      });
      groups.invalidateCounts();
      touchMembership(0);
      log('user.lifecycle.create', 'Create okta user', [userParty(u)]);
      if (active) log('user.lifecycle.activate', 'Activate okta user', [userParty(u)]);
      return users.serialize(u, true);
    },

    updateUser(idOrLogin, profile) {
      const u = userIndex(idOrLogin);
      if (!isRecord(profile)) fail('profile: must be an object');
      validateProfile(profile, u);
      const result = putUser(u, (record) => {
        record.profile = { ...record.profile, ...profile };
      });
      log('user.account.update_profile', 'Update user profile for Okta', [userParty(u)]);
      return result;
    },

    userLifecycle(idOrLogin, action) {
      return lifecycle(userIndex(idOrLogin), action);
    },

    deleteUser(idOrLogin) {
      const u = userIndex(idOrLogin);
      if (users.status(u) !== 'DEPROVISIONED') {
        lifecycle(u, 'deactivate');
        return 'deactivated';
      }
      const party = userParty(u);
      const memberOf: number[] = [];
      for (let g = 1; g < groups.size; g++) if (groups.isMember(g, u)) memberOf.push(g);
      users.delete(u);
      groups.invalidateCounts();
      for (const g of [0, ...memberOf]) touchMembership(g);
      log('user.lifecycle.delete.completed', 'Delete user', [party]);
      return 'deleted';
    },

    createGroup(input) {
      if (!isRecord(input?.profile) || typeof input.profile.name !== 'string' || input.profile.name === '') {
        fail('profile.name: is required');
      }
      const at = oktaTimestamp(now());
      const g = groups.create({
        created: at,
        lastUpdated: at,
        lastMembershipUpdated: at,
        objectClass: ['okta:user_group'],
        type: 'OKTA_GROUP',
        profile: { ...input.profile },
      });
      log('group.lifecycle.create', 'Create okta group', [groupParty(g)]);
      return groups.serialize(g);
    },

    updateGroup(id, profile) {
      const g = groupIndex(id);
      if (!isRecord(profile)) fail('profile: must be an object');
      if (groups.type(g) !== 'OKTA_GROUP') fail(`Cannot update the profile of a ${groups.type(g)} group`);
      const record = groups.data(g);
      record.profile = { ...record.profile, ...profile };
      record.lastUpdated = oktaTimestamp(now());
      groups.put(g, record);
      log('group.profile.update', 'Update group profile', [groupParty(g)]);
      return groups.serialize(g);
    },

    deleteGroup(id) {
      const g = groupIndex(id);
      if (groups.type(g) === 'BUILT_IN')
        fail(
          'Cannot delete the BUILT_IN Everyone group',
          403,
          'E0000006',
          'You do not have permission to perform the requested action',
        );
      const party = groupParty(g);
      groups.delete(g);
      log('group.lifecycle.delete', 'Delete group', [party]);
    },

    addGroupMember: (groupId, userId) => setMembership(groupId, userId, true),
    removeGroupMember: (groupId, userId) => setMembership(groupId, userId, false),

    appLifecycle(id, action) {
      const a = appIndex(id);
      const to =
        action === 'activate'
          ? 'ACTIVE'
          : action === 'deactivate'
            ? 'INACTIVE'
            : fail(`Unknown lifecycle operation '${action}'`);
      if (apps.status(a) !== to) {
        const record = apps.data(a);
        record.status = to;
        record.lastUpdated = oktaTimestamp(now());
        apps.put(a, record);
        log(`application.lifecycle.${action}`, `${action} application`, [appParty(a)]);
      }
      return apps.serialize(a);
    },

    deleteApp(id) {
      const a = appIndex(id);
      if (apps.status(a) !== 'INACTIVE') {
        throw new OrgRequestError(errors.deleteForbidden('Deactivate the application before deleting it'));
      }
      const party = appParty(a);
      apps.delete(a);
      log('application.lifecycle.delete', 'Delete application', [party]);
    },

    assignUserToApp: (appId, userId) => setAssignment(appId, userId, true),
    unassignUserFromApp: (appId, userId) => setAssignment(appId, userId, false),

    deviceLifecycle(id, action) {
      const d = deviceIndex(id);
      const transition = DEVICE_TRANSITIONS[action];
      if (!transition) fail(`Unknown lifecycle operation '${action}'`);
      const status = devices.status(d);
      if (!transition.from.includes(status)) fail(`Cannot ${action} a device whose status is ${status}`);
      const record = devices.data(d);
      record.status = transition.to;
      record.lastUpdated = oktaTimestamp(now());
      devices.put(d, record);
      log(`device.lifecycle.${action}`, `${action} device`, [deviceParty(d)]);
      return devices.serialize(d);
    },

    deleteDevice(id) {
      const d = deviceIndex(id);
      if (devices.status(d) !== 'DEACTIVATED') fail('Deactivate the device before deleting it');
      const party = deviceParty(d);
      devices.delete(d);
      log('device.lifecycle.delete', 'Delete device', [party]);
    },
  };
}

/**
 * The admin mutations over HTTP (paths relative to `/__sandbox/admin`). A `null` item body means "204 No Content".
 *   POST   /users                              {profile, typeId?, activate?}   → user
 *   POST   /users/{id}                         {profile}                       → user (partial update)
 *   POST   /users/{id}/lifecycle/{action}      activate|deactivate|suspend|unsuspend|unlock|expire_password|reset_password
 *   DELETE /users/{id}                         deactivates, or deletes when already DEPROVISIONED → null
 *   POST   /groups                             {profile: {name, description?}} → group
 *   POST   /groups/{id}                        {profile}                       → group
 *   DELETE /groups/{id}                                                        → null
 *   PUT|POST /groups/{id}/users/{userId}, DELETE /groups/{id}/users/{userId}   → null
 *   POST   /apps/{id}/lifecycle/{activate|deactivate}                         → app
 *   DELETE /apps/{id}                          only INACTIVE apps               → null
 *   PUT|POST /apps/{id}/users/{userId}, DELETE /apps/{id}/users/{userId}       → null
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
        return item(null);
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
        return item(null);
      }
      if (id !== undefined && sub === 'users' && arg !== undefined && parts.length === 4) {
        if (write) admin.addGroupMember(id, arg);
        else if (verb === 'DELETE') admin.removeGroupMember(id, arg);
        else return errorResult(errors.notFound(pathname));
        return item(null);
      }
    }
    if (collection === 'apps' && id !== undefined) {
      if (sub === 'lifecycle' && arg !== undefined && verb === 'POST' && parts.length === 4) {
        return item(admin.appLifecycle(id, arg as AppLifecycleAction));
      }
      if (sub === undefined && verb === 'DELETE') {
        admin.deleteApp(id);
        return item(null);
      }
      if (sub === 'users' && arg !== undefined && parts.length === 4) {
        if (write) admin.assignUserToApp(id, arg);
        else if (verb === 'DELETE') admin.unassignUserFromApp(id, arg);
        else return errorResult(errors.notFound(pathname));
        return item(null);
      }
    }
    if (collection === 'devices' && id !== undefined) {
      if (sub === 'lifecycle' && arg !== undefined && verb === 'POST' && parts.length === 4) {
        return item(admin.deviceLifecycle(id, arg as DeviceLifecycleAction));
      }
      if (sub === undefined && verb === 'DELETE') {
        admin.deleteDevice(id);
        return item(null);
      }
    }
    return errorResult(oktaError(404, 'E0000008', 'The requested path was not found', [`${verb} ${pathname}`]));
  } catch (error) {
    if (error instanceof OrgRequestError) return errorResult(error.spec);
    throw error;
  }
}
