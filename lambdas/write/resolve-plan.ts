/**
 * Resolves a validated plan against the live org, row by row, with Okta's lifecycle rules. Rows see the effect of
 * the rows before them (a deactivate-user then a delete-user of the same user is valid; a second identical row is
 * already so). Nothing is written here.
 *
 * Effects Okta does not let us read back (clear-user-sessions, reactivate-user's new activation email, a deleted
 * user or group) are "already so" when the audit of an earlier execution of the same plan shows the row succeeded
 * (`applied`): re-running an executed plan changes nothing.
 */
import type { OktaRecord } from '../okta/types.js';
import { ACTIONS, type ActionName } from './actions.js';
import type { OktaWriteApi } from './okta-write-api.js';
import { OrgReader } from './org-reader.js';
import { planHash } from './plan-hash.js';
import type { PlanRow } from './plan-row.js';
import { countOutcomes, type OktaCall, type Resolution, type ResolvedRow, type TargetRef } from './resolution.js';

export interface ResolveOptions {
  readonly api: OktaWriteApi;
  /** Rows of this plan (same hash) that an earlier execution's audit shows succeeded. */
  readonly applied?: ReadonlySet<number>;
  readonly now?: () => number;
}

interface UserState {
  readonly id: string;
  readonly label: string;
  status: string;
  profile: Record<string, unknown>;
  readonly hasPassword: boolean;
  deletedBy?: number;
}

interface GroupState {
  readonly id: string;
  readonly label: string;
  readonly type: string;
  profile: Record<string, unknown>;
  deletedBy?: number;
}

interface AppState {
  readonly id: string;
  readonly label: string;
  status: string;
}

class Invalid extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}

const json = (v: unknown) => JSON.stringify(v);
const sameValue = (a: unknown, b: unknown) => json(a ?? null) === json(b ?? null);

/** What the plan itself has changed so far, over what the org says. */
class Projection {
  readonly users = new Map<string, UserState>();
  readonly groups = new Map<string, GroupState>();
  readonly apps = new Map<string, AppState>();
  readonly members = new Map<string, boolean>();
  readonly appUsers = new Map<string, string | null>();
  readonly appGroups = new Map<string, boolean>();
  readonly factorsReset = new Set<string>();
  readonly createdLogins = new Map<string, number>();
  readonly createdGroups = new Map<string, number>();
}

export async function resolvePlan(rows: readonly PlanRow[], options: ResolveOptions): Promise<Resolution> {
  const reader = new OrgReader(options.api);
  const p = new Projection();
  const applied = options.applied ?? new Set<number>();
  const resolved: ResolvedRow[] = [];
  for (const row of rows) {
    const target: { user?: TargetRef; group?: TargetRef; app?: TargetRef } = {};
    try {
      resolved.push(await resolveRow(row, target, reader, p, applied.has(row.row)));
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      resolved.push({
        row: row.row,
        action: row.action,
        outcome: 'invalid',
        target,
        before: null,
        after: null,
        field: error.field,
        reason: error.reason,
      });
    }
  }
  return {
    planHash: planHash(rows),
    resolvedAt: new Date((options.now ?? Date.now)()).toISOString(),
    rows: resolved,
    counts: countOutcomes(resolved),
  };
}

async function userOf(
  row: PlanRow,
  reader: OrgReader,
  p: Projection,
  allowMissing = false,
): Promise<UserState | undefined> {
  const ref = row.user ?? '';
  const createdBy = p.createdLogins.get(ref.toLowerCase());
  if (createdBy !== undefined) {
    throw new Invalid('user', `${json(ref)} is created by row ${createdBy} of this plan: act on it in a later plan`);
  }
  const record = await reader.user(ref);
  if (record === undefined || typeof record.id !== 'string') {
    if (allowMissing) return undefined;
    throw new Invalid('user', `no user with id or login ${json(ref)} in the org`);
  }
  const known = p.users.get(record.id);
  if (known) {
    if (known.deletedBy !== undefined) throw new Invalid('user', `${known.label} is deleted by row ${known.deletedBy}`);
    return known;
  }
  const profile = { ...((record.profile as Record<string, unknown> | undefined) ?? {}) };
  const credentials = (record.credentials as { password?: unknown; provider?: { type?: unknown } } | undefined) ?? {};
  const state: UserState = {
    id: record.id,
    label: typeof profile.login === 'string' ? profile.login : record.id,
    status: String(record.status ?? 'UNKNOWN'),
    profile,
    hasPassword: credentials.password !== undefined || (credentials.provider?.type ?? 'OKTA') !== 'OKTA',
  };
  p.users.set(state.id, state);
  return state;
}

async function groupOf(
  row: PlanRow,
  reader: OrgReader,
  p: Projection,
  allowMissing = false,
): Promise<GroupState | undefined> {
  const ref = row.group ?? '';
  const createdBy = p.createdGroups.get(ref.toLowerCase());
  if (createdBy !== undefined) {
    throw new Invalid('group', `${json(ref)} is created by row ${createdBy} of this plan: act on it in a later plan`);
  }
  const found = await reader.group(ref);
  if (found.kind === 'many') {
    throw new Invalid('group', `${found.count} groups are named ${json(ref)}: name the group by its id`);
  }
  if (found.kind === 'none') {
    if (allowMissing) return undefined;
    throw new Invalid('group', `no group with id or name ${json(ref)} in the org`);
  }
  const record: OktaRecord = found.record;
  const id = String(record.id);
  const known = p.groups.get(id);
  if (known) {
    if (known.deletedBy !== undefined)
      throw new Invalid('group', `${known.label} is deleted by row ${known.deletedBy}`);
    return known;
  }
  const profile = { ...((record.profile as Record<string, unknown> | undefined) ?? {}) };
  const state: GroupState = {
    id,
    label: typeof profile.name === 'string' ? profile.name : id,
    type: String(record.type ?? 'OKTA_GROUP'),
    profile,
  };
  p.groups.set(id, state);
  return state;
}

async function appOf(row: PlanRow, reader: OrgReader, p: Projection): Promise<AppState> {
  const ref = row.app ?? '';
  const found = await reader.app(ref);
  if (found.kind === 'many')
    throw new Invalid('app', `${found.count} apps are labelled ${json(ref)}: name the app by its id`);
  if (found.kind === 'none') throw new Invalid('app', `no app with id or label ${json(ref)} in the org`);
  const id = String(found.record.id);
  const known = p.apps.get(id);
  if (known) return known;
  const state: AppState = {
    id,
    label: typeof found.record.label === 'string' ? found.record.label : id,
    status: String(found.record.status ?? 'ACTIVE'),
  };
  p.apps.set(id, state);
  return state;
}

function requireOktaGroup(group: GroupState, action: ActionName): void {
  if (group.type !== 'OKTA_GROUP') {
    throw new Invalid(
      'group',
      `${group.label} is a ${group.type} group: Okta lets ${action} change only OKTA_GROUPs (app and built-in ` +
        'groups are managed by their source)',
    );
  }
}

async function guard(row: PlanRow, user: UserState, reader: OrgReader): Promise<void> {
  if (!ACTIONS[row.action].guarded || row.allowAdmin === true) return;
  const reasons = [
    (await reader.selfId()) === user.id ? 'the user of the credential this plan runs with' : undefined,
    (await reader.isSuperAdmin(user.id)) ? 'a super administrator' : undefined,
  ].filter((r) => r !== undefined);
  if (reasons.length > 0) {
    throw new Invalid(
      'user',
      `${user.label} is ${reasons.join(' and ')}: ${row.action} could lock the org's administration out. Add ` +
        '"allowAdmin": true to the row if you mean it',
    );
  }
}

function changedProfile(current: Readonly<Record<string, unknown>>, wanted: Readonly<Record<string, unknown>>) {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(wanted)) {
    if (!sameValue(current[key], value)) {
      before[key] = current[key] ?? null;
      after[key] = value;
    }
  }
  return { before, after, changed: Object.keys(after).length > 0 };
}

type Target = { user?: TargetRef; group?: TargetRef; app?: TargetRef };

const ref = (s: { id: string; label: string }): TargetRef => ({ id: s.id, label: s.label });

/** A status transition by a lifecycle operation: `from` → `to`, `same` already so, anything else invalid. */
interface Transition {
  readonly op: string;
  readonly from: readonly string[];
  readonly to: (u: UserState) => string;
  readonly already: readonly string[];
  readonly hint?: string;
}

const TRANSITIONS: Partial<Record<ActionName, Transition>> = {
  'activate-user': {
    op: 'activate',
    from: ['STAGED', 'DEPROVISIONED'],
    to: (u) => (u.hasPassword ? 'ACTIVE' : 'PROVISIONED'),
    already: ['ACTIVE', 'PROVISIONED'],
    hint: 'Okta activates STAGED or DEPROVISIONED users',
  },
  'deactivate-user': {
    op: 'deactivate',
    from: ['ACTIVE', 'LOCKED_OUT', 'PASSWORD_EXPIRED', 'PROVISIONED', 'RECOVERY', 'STAGED', 'SUSPENDED'],
    to: () => 'DEPROVISIONED',
    already: ['DEPROVISIONED'],
  },
  'suspend-user': {
    op: 'suspend',
    from: ['ACTIVE'],
    to: () => 'SUSPENDED',
    already: ['SUSPENDED'],
    hint: 'Okta suspends only ACTIVE users',
  },
  'unsuspend-user': {
    op: 'unsuspend',
    from: ['SUSPENDED'],
    to: () => 'ACTIVE',
    already: ['ACTIVE'],
    hint: 'Okta unsuspends only SUSPENDED users',
  },
  'unlock-user': {
    op: 'unlock',
    from: ['LOCKED_OUT'],
    to: () => 'ACTIVE',
    already: ['ACTIVE'],
    hint: 'Okta unlocks LOCKED_OUT users',
  },
  'expire-password': {
    op: 'expire_password',
    from: ['ACTIVE'],
    to: () => 'PASSWORD_EXPIRED',
    already: ['PASSWORD_EXPIRED'],
    hint: 'Okta expires the password of ACTIVE users',
  },
};

async function resolveRow(
  row: PlanRow,
  target: Target,
  reader: OrgReader,
  p: Projection,
  appliedBefore: boolean,
): Promise<ResolvedRow> {
  const base = { row: row.row, action: row.action, target };
  const already = (reason: string, before: Record<string, unknown> | null = null): ResolvedRow => ({
    ...base,
    outcome: 'already-so',
    before,
    after: before,
    reason,
  });
  const change = (
    before: Record<string, unknown> | null,
    after: Record<string, unknown> | null,
    call: OktaCall,
  ): ResolvedRow => ({ ...base, outcome: 'will-change', before, after, call });
  const byAudit = 'done by an earlier execution of this plan (its audit says so)';

  const transition = TRANSITIONS[row.action];
  if (transition) {
    const user = (await userOf(row, reader, p)) as UserState;
    target.user = ref(user);
    const status = user.status;
    if (transition.already.includes(status)) return already(`the user is ${status}`, { status });
    if (!transition.from.includes(status)) {
      throw new Invalid('user', `${user.label} is ${status}: ${transition.hint ?? `Okta cannot ${transition.op} it`}`);
    }
    await guard(row, user, reader);
    const to = transition.to(user);
    user.status = to;
    const query = transition.op === 'activate' ? '?sendEmail=false' : '';
    return change(
      { status },
      { status: to },
      {
        method: 'POST',
        path: `/api/v1/users/${user.id}/lifecycle/${transition.op}${query}`,
      },
    );
  }

  switch (row.action) {
    case 'reactivate-user': {
      const user = (await userOf(row, reader, p)) as UserState;
      target.user = ref(user);
      if (!['PROVISIONED', 'RECOVERY'].includes(user.status)) {
        throw new Invalid(
          'user',
          `${user.label} is ${user.status}: Okta reactivates only PROVISIONED or RECOVERY users`,
        );
      }
      if (appliedBefore) return already(byAudit, { status: user.status });
      return change(
        { status: user.status },
        { status: 'PROVISIONED', activationEmail: 'sent again' },
        {
          method: 'POST',
          path: `/api/v1/users/${user.id}/lifecycle/reactivate?sendEmail=false`,
        },
      );
    }
    case 'delete-user': {
      const user = await userOf(row, reader, p, appliedBefore);
      if (user === undefined) return already(`${byAudit}: the user is gone`);
      target.user = ref(user);
      if (user.status !== 'DEPROVISIONED') {
        throw new Invalid(
          'user',
          `${user.label} is ${user.status}: Okta deletes only DEPROVISIONED users. Deactivate it first (a ` +
            'deactivate-user row before this one)',
        );
      }
      await guard(row, user, reader);
      user.deletedBy = row.row;
      return change({ status: user.status }, null, { method: 'DELETE', path: `/api/v1/users/${user.id}` });
    }
    case 'reset-factors': {
      const user = (await userOf(row, reader, p)) as UserState;
      target.user = ref(user);
      const count = p.factorsReset.has(user.id) ? 0 : await reader.factorCount(user.id);
      if (count === 0) return already('the user has no enrolled factors', { factors: 0 });
      p.factorsReset.add(user.id);
      return change(
        { factors: count },
        { factors: 0 },
        {
          method: 'POST',
          path: `/api/v1/users/${user.id}/lifecycle/reset_factors`,
        },
      );
    }
    case 'clear-user-sessions': {
      const user = (await userOf(row, reader, p)) as UserState;
      target.user = ref(user);
      if (user.status === 'DEPROVISIONED') return already('the user is DEPROVISIONED (no sessions)');
      if (appliedBefore) return already(byAudit);
      return change(
        { sessions: 'any' },
        { sessions: 'none' },
        {
          method: 'DELETE',
          path: `/api/v1/users/${user.id}/sessions`,
        },
      );
    }
    case 'update-user': {
      const user = (await userOf(row, reader, p)) as UserState;
      target.user = ref(user);
      if (user.status === 'DEPROVISIONED') {
        throw new Invalid('user', `${user.label} is DEPROVISIONED: Okta does not update deactivated users' profiles`);
      }
      const diff = changedProfile(user.profile, row.profile ?? {});
      if (!diff.changed) return already('the profile already has these values');
      Object.assign(user.profile, diff.after);
      return change(
        { profile: diff.before },
        { profile: diff.after },
        {
          method: 'POST',
          path: `/api/v1/users/${user.id}`,
          body: { profile: diff.after },
        },
      );
    }
    case 'create-user': {
      const profile = row.profile ?? {};
      const login = String(profile.login);
      const existing = await reader.user(login);
      if (existing !== undefined || p.createdLogins.has(login.toLowerCase())) {
        if (existing && typeof existing.id === 'string') target.user = { id: existing.id, label: login };
        return already(`a user with login ${login} exists`);
      }
      p.createdLogins.set(login.toLowerCase(), row.row);
      return change(null, { profile }, { method: 'POST', path: '/api/v1/users?activate=true', body: { profile } });
    }
    case 'add-user-to-group':
    case 'remove-user-from-group': {
      const user = (await userOf(row, reader, p)) as UserState;
      target.user = ref(user);
      const group = (await groupOf(row, reader, p)) as GroupState;
      target.group = ref(group);
      requireOktaGroup(group, row.action);
      const key = `${group.id}|${user.id}`;
      const member = p.members.get(key) ?? (await reader.userGroupIds(user.id)).has(group.id);
      const want = row.action === 'add-user-to-group';
      if (member === want) return already(want ? 'the user is a member' : 'the user is not a member', { member });
      p.members.set(key, want);
      return change(
        { member },
        { member: want },
        {
          method: want ? 'PUT' : 'DELETE',
          path: `/api/v1/groups/${group.id}/users/${user.id}`,
        },
      );
    }
    case 'create-group': {
      const profile = row.profile ?? {};
      const name = String(profile.name);
      const found = await reader.group(name);
      if (found.kind !== 'none' || p.createdGroups.has(name.toLowerCase())) {
        if (found.kind === 'one') target.group = { id: String(found.record.id), label: name };
        return already(`a group named ${name} exists`);
      }
      p.createdGroups.set(name.toLowerCase(), row.row);
      return change(null, { profile }, { method: 'POST', path: '/api/v1/groups', body: { profile } });
    }
    case 'update-group': {
      const group = (await groupOf(row, reader, p)) as GroupState;
      target.group = ref(group);
      requireOktaGroup(group, row.action);
      const diff = changedProfile(group.profile, row.profile ?? {});
      if (!diff.changed) return already('the profile already has these values');
      Object.assign(group.profile, diff.after);
      return change(
        { profile: diff.before },
        { profile: diff.after },
        {
          method: 'PUT',
          path: `/api/v1/groups/${group.id}`,
          body: { profile: { ...group.profile } },
        },
      );
    }
    case 'delete-group': {
      const group = await groupOf(row, reader, p, appliedBefore);
      if (group === undefined) return already(`${byAudit}: the group is gone`);
      target.group = ref(group);
      requireOktaGroup(group, row.action);
      group.deletedBy = row.row;
      return change({ name: group.label }, null, { method: 'DELETE', path: `/api/v1/groups/${group.id}` });
    }
    case 'assign-user-to-app':
    case 'remove-user-from-app': {
      const user = (await userOf(row, reader, p)) as UserState;
      target.user = ref(user);
      const app = await appOf(row, reader, p);
      target.app = ref(app);
      const key = `${app.id}|${user.id}`;
      const scope = p.appUsers.has(key)
        ? (p.appUsers.get(key) ?? null)
        : (((await reader.appUser(app.id, user.id))?.scope as string | undefined) ?? null);
      if (row.action === 'assign-user-to-app') {
        if (scope !== null) return already(`the user is assigned (scope ${scope})`, { assigned: true, scope });
        p.appUsers.set(key, 'USER');
        return change(
          { assigned: false },
          { assigned: true, scope: 'USER' },
          {
            method: 'POST',
            path: `/api/v1/apps/${app.id}/users`,
            body: { id: user.id, scope: 'USER', ...(row.profile ? { profile: row.profile } : {}) },
          },
        );
      }
      if (scope === null) return already('the user is not assigned', { assigned: false });
      if (scope === 'GROUP') {
        return already(
          'no direct assignment to remove; the user still reaches the app through a group (scope GROUP): remove ' +
            'the group from the app or the user from the group to take the app away',
          { assigned: true, scope },
        );
      }
      p.appUsers.set(key, null);
      return change(
        { assigned: true, scope },
        { assigned: false },
        {
          method: 'DELETE',
          path: `/api/v1/apps/${app.id}/users/${user.id}`,
        },
      );
    }
    case 'assign-group-to-app':
    case 'remove-group-from-app': {
      const group = (await groupOf(row, reader, p)) as GroupState;
      target.group = ref(group);
      const app = await appOf(row, reader, p);
      target.app = ref(app);
      const key = `${app.id}|${group.id}`;
      const assigned = p.appGroups.get(key) ?? (await reader.appGroup(app.id, group.id)) !== undefined;
      const want = row.action === 'assign-group-to-app';
      if (assigned === want) return already(want ? 'the group is assigned' : 'the group is not assigned', { assigned });
      p.appGroups.set(key, want);
      return change(
        { assigned },
        { assigned: want },
        {
          method: want ? 'PUT' : 'DELETE',
          path: `/api/v1/apps/${app.id}/groups/${group.id}`,
          ...(want ? { body: {} } : {}),
        },
      );
    }
    case 'activate-app':
    case 'deactivate-app': {
      const app = await appOf(row, reader, p);
      target.app = ref(app);
      const want = row.action === 'activate-app' ? 'ACTIVE' : 'INACTIVE';
      if (app.status === want) return already(`the app is ${want}`, { status: want });
      const before = app.status;
      app.status = want;
      return change(
        { status: before },
        { status: want },
        {
          method: 'POST',
          path: `/api/v1/apps/${app.id}/lifecycle/${row.action === 'activate-app' ? 'activate' : 'deactivate'}`,
        },
      );
    }
    default:
      throw new Invalid('action', `${row.action} has no resolver`);
  }
}
