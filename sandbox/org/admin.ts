import type { MutationContext } from './contract.js';
import { errors, OrgRequestError, oktaError } from './errors.js';
import type { LogParty, LogRequestInfo } from './logs.js';
import type { OrgState } from './org-state.js';
import { isoTimestamp as oktaTimestamp } from './timestamp.js';
import type { UserRecord, UserStatus } from './users.js';

export type UserLifecycleAction =
  | 'activate'
  | 'reactivate'
  | 'deactivate'
  | 'suspend'
  | 'unsuspend'
  | 'unlock'
  | 'expire_password'
  | 'reset_password'
  | 'reset_factors';
export type AppLifecycleAction = 'activate' | 'deactivate';
export type DeviceLifecycleAction = 'activate' | 'deactivate' | 'suspend' | 'unsuspend';

export interface CreateUserInput {
  readonly profile: Record<string, unknown>;
  readonly typeId?: string;
  /** Default true. */
  readonly activate?: boolean;
  /** A password was supplied (its value is never stored): activation then ends ACTIVE instead of PROVISIONED. */
  readonly password?: boolean;
  /** `changePassword` (with activate): created with an expired password. */
  readonly nextLogin?: string;
  readonly groupIds?: readonly string[];
}

/**
 * Every mutation the sandbox knows, shared by Okta's own write endpoints (`routes/*-writes.ts`) and the
 * `/__sandbox/admin` control plane (`handleAdminRequest`). Each one obeys Okta's rules, stamps `lastUpdated` /
 * `lastMembershipUpdated` with the sandbox clock and writes the System Log event Okta would write, with the
 * request's actor and client. Failures throw `OrgRequestError` carrying the Okta error body.
 */
export interface OrgAdmin {
  /** Creates a user (ACTIVE unless `activate: false`, then STAGED); id sorts after every existing user. */
  createUser(input: CreateUserInput): Record<string, unknown>;
  /** Partial profile update (Okta's POST /users/{id}); `null` clears an attribute. */
  updateUser(idOrLogin: string, profile: Record<string, unknown>): Record<string, unknown>;
  /** Full profile replacement (Okta's PUT /users/{id}): attributes not sent are removed. */
  replaceUser(idOrLogin: string, profile: Record<string, unknown>): Record<string, unknown>;
  userLifecycle(idOrLogin: string, action: UserLifecycleAction): Record<string, unknown>;
  /** Okta semantics: a user that is not DEPROVISIONED is deactivated first; deleting a DEPROVISIONED one removes it. */
  deleteUser(idOrLogin: string): 'deactivated' | 'deleted';
  /** `DELETE /users/{id}/sessions`: the user's sessions (and with `oauthTokens`, tokens) are revoked. */
  clearSessions(idOrLogin: string, oauthTokens: boolean): void;
  createGroup(input: { profile: Record<string, unknown> }): Record<string, unknown>;
  /** Partial profile update (admin API only; Okta's PUT replaces, see `replaceGroup`). */
  updateGroup(id: string, profile: Record<string, unknown>): Record<string, unknown>;
  replaceGroup(id: string, profile: Record<string, unknown>): Record<string, unknown>;
  deleteGroup(id: string): void;
  addGroupMember(groupId: string, userIdOrLogin: string): void;
  removeGroupMember(groupId: string, userIdOrLogin: string): void;
  appLifecycle(id: string, action: AppLifecycleAction): Record<string, unknown>;
  /** Only INACTIVE apps can be deleted (403 E0000056 otherwise). */
  deleteApp(id: string): void;
  /** Direct assignment (scope USER); returns the AppUser. */
  assignUserToApp(
    appId: string,
    userIdOrLogin: string,
    fields?: { userName?: string; profile?: Record<string, unknown> },
  ): Record<string, unknown>;
  unassignUserFromApp(appId: string, userIdOrLogin: string): void;
  assignGroupToApp(
    appId: string,
    groupId: string,
    fields?: { priority?: number; profile?: Record<string, unknown> },
  ): Record<string, unknown>;
  unassignGroupFromApp(appId: string, groupId: string): void;
  deviceLifecycle(id: string, action: DeviceLifecycleAction): Record<string, unknown>;
  /** Only DEACTIVATED devices can be deleted (400 E0000001 otherwise). */
  deleteDevice(id: string): void;
}

/** Okta's lifecycle rules (UserLifecycle API) and the error each refusal answers. */
const USER_TRANSITIONS: Readonly<
  Record<
    Exclude<UserLifecycleAction, 'reset_factors'>,
    { from: readonly UserStatus[]; event: string; message: string; refusal: 'E0000001' | 'E0000016' | 'E0000038' }
  >
> = {
  activate: {
    from: ['STAGED', 'DEPROVISIONED'],
    event: 'user.lifecycle.activate',
    message: 'Activate Okta user',
    refusal: 'E0000016',
  },
  reactivate: {
    from: ['PROVISIONED', 'RECOVERY'],
    event: 'user.lifecycle.reactivate',
    message: 'Reactivate Okta user',
    refusal: 'E0000038',
  },
  deactivate: {
    from: ['ACTIVE', 'LOCKED_OUT', 'PASSWORD_EXPIRED', 'PROVISIONED', 'RECOVERY', 'STAGED', 'SUSPENDED'],
    event: 'user.lifecycle.deactivate',
    message: 'Deactivate Okta user',
    refusal: 'E0000038',
  },
  suspend: { from: ['ACTIVE'], event: 'user.lifecycle.suspend', message: 'Suspend Okta user', refusal: 'E0000001' },
  unsuspend: {
    from: ['SUSPENDED'],
    event: 'user.lifecycle.unsuspend',
    message: 'Unsuspend Okta user',
    refusal: 'E0000001',
  },
  unlock: {
    from: ['LOCKED_OUT', 'ACTIVE'],
    event: 'user.account.unlock',
    message: 'Unlock user account',
    refusal: 'E0000038',
  },
  expire_password: {
    from: ['ACTIVE', 'PASSWORD_EXPIRED'],
    event: 'user.account.expire_password',
    message: 'Expire user password',
    refusal: 'E0000038',
  },
  reset_password: {
    from: ['ACTIVE', 'PASSWORD_EXPIRED', 'LOCKED_OUT', 'RECOVERY'],
    event: 'user.account.reset_password',
    message: 'Reset user password',
    refusal: 'E0000038',
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

function refuse(code: 'E0000001' | 'E0000016' | 'E0000038', cause: string): never {
  if (code === 'E0000016') fail(cause, 403, code, 'Activation failed because the user is already active');
  if (code === 'E0000038') fail(cause, 403, code, "This operation is not allowed in the user's current status.");
  fail(cause);
}

function forbidden(cause: string): never {
  fail(cause, 403, 'E0000006', 'You do not have permission to perform the requested action');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The admin mutations over `state`, attributing their System Log events to `context` (default: the org admin). */
export function createAdmin(state: OrgState, context: MutationContext = {}): OrgAdmin {
  const { users, groups, apps, assignments, devices, logs, clock } = state;
  const now = (): number => clock.now();

  const userIndex = (idOrLogin: string): number =>
    (idOrLogin === 'me' && users.exists(0) ? 0 : users.resolve(idOrLogin)) ?? notFound(idOrLogin);
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
  const actor = ((): LogParty | undefined => {
    const who = context.actor;
    if (!who) return undefined;
    if (who.kind === 'client') {
      return { id: who.clientId, type: 'PublicClientApp', alternateId: who.clientId, displayName: who.clientId };
    }
    const u = users.resolve(who.id);
    return u === undefined ? undefined : userParty(u);
  })();
  const request: LogRequestInfo | undefined =
    context.requestId === undefined
      ? undefined
      : {
          requestId: context.requestId,
          requestUri: context.requestUri ?? '/api/v1',
          ipAddress: context.ipAddress ?? '127.0.0.1',
          userAgent: context.userAgent ?? '',
        };
  const log = (eventType: string, displayMessage: string, targets: LogParty[]): void => {
    const at = now();
    logs.append({
      eventType,
      displayMessage,
      targets,
      publishedMs: at,
      ...(actor ? { actor } : {}),
      ...(request ? { request } : {}),
    });
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
  const requireNames = (profile: Record<string, unknown>): void => {
    for (const required of ['login', 'email', 'firstName', 'lastName']) {
      if (typeof profile[required] !== 'string' || profile[required] === '') {
        fail(`${required}: The field cannot be left blank`);
      }
    }
  };

  /** A membership changed: bump lastMembershipUpdated without touching the user. */
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

  const changeStatus = (u: number, to: UserStatus, activated = false): UserRecord =>
    putUser(u, (record) => {
      const at = oktaTimestamp(now());
      record.status = to;
      record.statusChanged = at;
      if (activated) record.activated = at;
      delete record.transitioningToStatus;
    });

  const lifecycle = (u: number, action: UserLifecycleAction): UserRecord => {
    if (action === 'reset_factors') {
      state.factors.resetFactors(u);
      log('user.mfa.factor.reset_all', 'Reset all factors for user', [userParty(u)]);
      return putUser(u, () => undefined);
    }
    const transition = USER_TRANSITIONS[action];
    if (!transition)
      fail(`Unknown lifecycle operation '${action}'`, 404, 'E0000008', 'The requested path was not found');
    const status = users.status(u);
    if (!transition.from.includes(status)) {
      refuse(transition.refusal, `Cannot ${action.replace('_', ' ')} a user whose status is ${status}`);
    }
    let result: UserRecord;
    switch (action) {
      case 'activate': {
        // Users without a password finish activation themselves: they stay PROVISIONED until then.
        const credentials = users.data(u).credentials as { password?: unknown; provider?: { type?: string } };
        const ready = credentials.password !== undefined || credentials.provider?.type !== 'OKTA';
        result = changeStatus(u, ready ? 'ACTIVE' : 'PROVISIONED', true);
        break;
      }
      case 'reactivate':
        result = putUser(u, () => undefined);
        break;
      case 'deactivate':
        result = changeStatus(u, 'DEPROVISIONED');
        break;
      case 'suspend':
        result = changeStatus(u, 'SUSPENDED');
        break;
      case 'unsuspend':
        result = changeStatus(u, 'ACTIVE');
        break;
      case 'unlock':
        result = status === 'ACTIVE' ? putUser(u, () => undefined) : changeStatus(u, 'ACTIVE');
        break;
      case 'expire_password':
        result = changeStatus(u, 'PASSWORD_EXPIRED');
        break;
      default:
        result = changeStatus(u, 'RECOVERY');
        break;
    }
    log(transition.event, transition.message, [userParty(u)]);
    return result;
  };

  const setMembership = (groupId: string, userIdOrLogin: string, member: boolean): void => {
    const g = groupIndex(groupId);
    const u = userIndex(userIdOrLogin);
    const type = groups.type(g);
    if (type !== 'OKTA_GROUP') forbidden(`Cannot modify the membership of a ${type} group`);
    if (groups.isMember(g, u) === member) return;
    groups.setMember(g, u, member);
    touchMembership(g);
    log(
      member ? 'group.user_membership.add' : 'group.user_membership.remove',
      member ? 'Add user to group membership' : 'Remove user from group membership',
      [userParty(u), groupParty(g)],
    );
  };

  const requireOktaGroup = (g: number, verb: string): void => {
    const type = groups.type(g);
    if (type !== 'OKTA_GROUP') forbidden(`Cannot ${verb} a ${type} group`);
  };

  const groupProfile = (profile: unknown): Record<string, unknown> => {
    if (!isRecord(profile) || typeof profile.name !== 'string' || profile.name.trim() === '') {
      fail('profile.name: The field cannot be left blank');
    }
    return { ...profile };
  };

  return {
    createUser(input) {
      if (!isRecord(input?.profile)) fail('profile: The field cannot be left blank');
      const profile = { ...input.profile };
      requireNames(profile);
      validateProfile(profile, undefined);
      const typeIds = state.userTypes.typeIds;
      const typeId = input.typeId ?? typeIds[0] ?? '';
      if (!typeIds.includes(typeId)) fail(`type.id: '${typeId}' is not a user type of this org`);
      const groupIndexes = (input.groupIds ?? []).map((id) => groupIndex(id));
      for (const g of groupIndexes) requireOktaGroup(g, 'add users to');
      const at = oktaTimestamp(now());
      const activate = input.activate !== false;
      const expired = input.nextLogin === 'changePassword';
      if (expired && (!activate || input.password !== true)) {
        fail('nextLogin: changePassword needs activate=true and a password');
      }
      // The admin API has always created ACTIVE users; the Okta API leaves password-less activations PROVISIONED.
      const status: UserStatus = !activate
        ? 'STAGED'
        : expired
          ? 'PASSWORD_EXPIRED'
          : input.password === false
            ? 'PROVISIONED'
            : 'ACTIVE';
      const credentials: Record<string, unknown> = { provider: { type: 'OKTA', name: 'OKTA' } };
      // The admin API does not say: its users get a password, as they always have. The Okta API says.
      if (input.password !== false) credentials.password = {};
      const u = users.create({
        status,
        created: at,
        activated: activate ? at : null,
        statusChanged: activate ? at : null,
        lastLogin: null,
        lastUpdated: at,
        passwordChanged: input.password !== false ? at : null,
        type: { id: typeId },
        profile,
        credentials,
      });
      touchMembership(0);
      log('user.lifecycle.create', 'Create okta user', [userParty(u)]);
      if (activate) log('user.lifecycle.activate', 'Activate okta user', [userParty(u)]);
      for (const g of groupIndexes) setMembership(groups.ids.idOf(g), users.ids.idOf(u), true);
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

    replaceUser(idOrLogin, profile) {
      const u = userIndex(idOrLogin);
      if (!isRecord(profile)) fail('profile: The field cannot be left blank');
      requireNames(profile);
      validateProfile(profile, u);
      const result = putUser(u, (record) => {
        record.profile = { ...profile };
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
      const memberOf = groups.groupsOf(u);
      users.delete(u);
      for (const g of memberOf) touchMembership(g);
      log('user.lifecycle.delete.initiated', 'Delete Okta user', [party]);
      log('user.lifecycle.delete.completed', 'Delete user', [party]);
      return 'deleted';
    },

    clearSessions(idOrLogin, oauthTokens) {
      const u = userIndex(idOrLogin);
      log('user.session.clear', 'Clear user session', [userParty(u)]);
      if (oauthTokens) log('user.authentication.revoke_tokens', 'Revoke OAuth tokens for user', [userParty(u)]);
    },

    createGroup(input) {
      const profile = groupProfile(input?.profile);
      const at = oktaTimestamp(now());
      const g = groups.create({
        created: at,
        lastUpdated: at,
        lastMembershipUpdated: at,
        objectClass: ['okta:user_group'],
        type: 'OKTA_GROUP',
        profile,
      });
      log('group.lifecycle.create', 'Create okta group', [groupParty(g)]);
      return groups.serialize(g);
    },

    updateGroup(id, profile) {
      const g = groupIndex(id);
      if (!isRecord(profile)) fail('profile: must be an object');
      requireOktaGroup(g, 'update the profile of');
      const record = groups.data(g);
      record.profile = { ...record.profile, ...profile };
      record.lastUpdated = oktaTimestamp(now());
      groups.put(g, record);
      log('group.profile.update', 'Update group profile', [groupParty(g)]);
      return groups.serialize(g);
    },

    replaceGroup(id, profile) {
      const g = groupIndex(id);
      requireOktaGroup(g, 'update the profile of');
      const record = groups.data(g);
      record.profile = groupProfile(profile);
      record.lastUpdated = oktaTimestamp(now());
      groups.put(g, record);
      log('group.profile.update', 'Update group profile', [groupParty(g)]);
      return groups.serialize(g);
    },

    deleteGroup(id) {
      const g = groupIndex(id);
      requireOktaGroup(g, 'delete');
      const party = groupParty(g);
      const reachable = assignments.appsOfGroup(g);
      groups.delete(g);
      for (const a of reachable) {
        log('group.application_assignment.remove', 'Remove assigned application from group', [party, appParty(a)]);
      }
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
            : fail(`Unknown lifecycle operation '${action}'`, 404, 'E0000008', 'The requested path was not found');
      if (apps.status(a) !== to) {
        const record = apps.data(a);
        record.status = to;
        record.lastUpdated = oktaTimestamp(now());
        apps.put(a, record);
        log(`application.lifecycle.${action}`, `${action === 'activate' ? 'Activate' : 'Deactivate'} application`, [
          appParty(a),
        ]);
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

    assignUserToApp(appId, userIdOrLogin, fields = {}) {
      const a = appIndex(appId);
      const u = userIndex(userIdOrLogin);
      const changed = !assignments.isDirect(a, u);
      if (changed || fields.userName !== undefined || fields.profile !== undefined) {
        assignments.setDirect(a, u, true, { atMs: now(), ...fields });
      }
      if (changed) {
        log('application.user_membership.add', 'Add user to application membership', [userParty(u), appParty(a)]);
      }
      return assignments.appUser(a, { u, direct: true });
    },

    unassignUserFromApp(appId, userIdOrLogin) {
      const a = appIndex(appId);
      const u = userIndex(userIdOrLogin);
      if (!assignments.isDirect(a, u)) {
        if (assignments.isAssignedUser(a, u)) {
          fail(
            'The user is assigned to the application through a group: remove the user from the group or unassign the group',
            403,
            'E0000090',
            'Deactivate application for user forbidden',
          );
        }
        notFound(`${userIdOrLogin} (AppUser)`);
      }
      assignments.setDirect(a, u, false, { atMs: now() });
      log('application.user_membership.remove', 'Remove user from application membership', [userParty(u), appParty(a)]);
    },

    assignGroupToApp(appId, groupId, fields = {}) {
      const a = appIndex(appId);
      const g = groupIndex(groupId);
      const before = assignments.isAssignedGroup(a, g) ? assignments.groupFields(a, g) : undefined;
      if (fields.priority !== undefined && (!Number.isInteger(fields.priority) || fields.priority < 0)) {
        fail('priority: must be a non-negative integer');
      }
      assignments.setGroup(a, g, {
        priority: fields.priority ?? before?.priority ?? 0,
        profile: fields.profile ?? before?.profile ?? {},
        lastUpdatedMs: now(),
      });
      if (!before) {
        log('group.application_assignment.add', 'Add assigned application to group', [groupParty(g), appParty(a)]);
      }
      return assignments.appGroup(a, g);
    },

    unassignGroupFromApp(appId, groupId) {
      const a = appIndex(appId);
      const g = groupIndex(groupId);
      if (!assignments.isAssignedGroup(a, g)) notFound(`${groupId} (ApplicationGroupAssignment)`);
      assignments.setGroup(a, g, null);
      log('group.application_assignment.remove', 'Remove assigned application from group', [
        groupParty(g),
        appParty(a),
      ]);
    },

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
