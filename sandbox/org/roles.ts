import type { GroupStore } from './groups.js';
import { IdSpace } from './ids.js';
import { hash, Stream } from './random.js';
import { DAY } from './time.js';
import { isoTimestamp as oktaTimestamp } from './timestamp.js';
import type { UserStore } from './users.js';

/** Okta's labels for the standard admin roles. */
const LABELS: Readonly<Record<string, string>> = {
  SUPER_ADMIN: 'Super Administrator',
  ORG_ADMIN: 'Organization Administrator',
  APP_ADMIN: 'Application Administrator',
  USER_ADMIN: 'Group Administrator',
  HELP_DESK_ADMIN: 'Help Desk Administrator',
  READ_ONLY_ADMIN: 'Read Only Administrator',
  MOBILE_ADMIN: 'Mobile Administrator',
  API_ACCESS_MANAGEMENT_ADMIN: 'API Access Management Administrator',
  REPORT_ADMIN: 'Report Administrator',
  GROUP_MEMBERSHIP_ADMIN: 'Group Membership Administrator',
};
/** Roles generated admins hold (weighted by repetition); CUSTOM draws one of the org's two custom roles. */
const ADMIN_ROLES = [
  'ORG_ADMIN',
  'APP_ADMIN',
  'APP_ADMIN',
  'USER_ADMIN',
  'HELP_DESK_ADMIN',
  'HELP_DESK_ADMIN',
  'READ_ONLY_ADMIN',
  'READ_ONLY_ADMIN',
  'REPORT_ADMIN',
  'GROUP_MEMBERSHIP_ADMIN',
  'API_ACCESS_MANAGEMENT_ADMIN',
  'MOBILE_ADMIN',
  'CUSTOM',
  'CUSTOM',
] as const;
const CUSTOM_ROLES = [
  { label: 'UserCreatorRole', resourceSet: 0 },
  { label: 'AppAuditor', resourceSet: 1 },
] as const;

/** One role assignment, before serialization. */
export interface RoleAssignment {
  readonly id: string;
  readonly type: string;
  /** Index into CUSTOM_ROLES for type CUSTOM. */
  readonly custom?: number;
  readonly assignee: { readonly kind: 'user' | 'group'; readonly index: number };
  readonly createdMs: number;
}

/**
 * Admin roles: user 0 (the sandbox admin, whose token the server honours) is the super admin; a few dozen other
 * ACTIVE users hold one or two standard or custom roles directly, and the two small admin groups of the org
 * (groups.ts) hold roles that their members inherit (assignmentType GROUP). All of it is a function of the seed.
 */
export class RoleStore {
  private readonly userAssignmentIds: IdSpace;
  private readonly groupAssignmentIds: IdSpace;
  private readonly customAssignmentIds: IdSpace;
  readonly customRoleIds: IdSpace;
  readonly resourceSetIds: IdSpace;
  private directAdmins: number[] | undefined;

  constructor(
    private readonly seed: number,
    private readonly epochMs: number,
    private readonly users: UserStore,
    private readonly groups: GroupStore,
  ) {
    this.userAssignmentIds = new IdSpace('ra1', seed, Stream.roleId);
    this.groupAssignmentIds = new IdSpace('gra', seed, Stream.roleId + 100);
    this.customAssignmentIds = new IdSpace('irb', seed, Stream.roleId + 200);
    this.customRoleIds = new IdSpace('cr0', seed, Stream.roleId + 300);
    this.resourceSetIds = new IdSpace('iam', seed, Stream.roleId + 400);
  }

  /** Generated users holding roles directly: user 0 plus ~sqrt(users)/25 ACTIVE users (2–48). */
  admins(): readonly number[] {
    if (this.directAdmins) return this.directAdmins;
    const n = this.users.generatedCount;
    const out = new Set<number>(n > 0 ? [0] : []);
    const wanted = n < 20 ? 0 : Math.min(48, Math.max(2, Math.round(Math.sqrt(n) / 25)));
    for (let k = 0; out.size < wanted + 1 && k < wanted * 20; k++) {
      const u = 12 + (hash(this.seed, Stream.roles, k) % (n - 12));
      if (this.users.generatedStatus(u) === 'ACTIVE') out.add(u);
    }
    this.directAdmins = [...out].sort((a, b) => a - b);
    return this.directAdmins;
  }

  /** Role assignments held by user u directly. */
  private direct(u: number): RoleAssignment[] {
    if (!this.users.exists(u) || !this.admins().includes(u)) return [];
    const assignee = { kind: 'user' as const, index: u };
    const createdMs = this.createdMs(u, 0);
    if (u === 0) return [{ id: this.userAssignmentIds.idOf(0), type: 'SUPER_ADMIN', assignee, createdMs }];
    const count = 1 + (hash(this.seed, Stream.roles, u, 1) % 2);
    const out: RoleAssignment[] = [];
    const seen = new Set<string>();
    for (let k = 0; k < count; k++) {
      const type = ADMIN_ROLES[hash(this.seed, Stream.roles, u, 2 + k) % ADMIN_ROLES.length] ?? 'READ_ONLY_ADMIN';
      const custom = type === 'CUSTOM' ? hash(this.seed, Stream.roles, u, 9) % CUSTOM_ROLES.length : undefined;
      const key = `${type}:${custom ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const ids = type === 'CUSTOM' ? this.customAssignmentIds : this.userAssignmentIds;
      out.push({
        id: ids.idOf(u * 4 + k),
        type,
        ...(custom !== undefined ? { custom } : {}),
        assignee,
        createdMs: this.createdMs(u, k),
      });
    }
    return out;
  }

  /** Role assignments held by group g (only the org's admin groups hold any). */
  groupRoles(g: number): RoleAssignment[] {
    const which = this.groups.adminGroups.indexOf(g);
    if (which < 0 || !this.groups.exists(g)) return [];
    const assignee = { kind: 'group' as const, index: g };
    const createdMs = this.groups.createdMs(g) + DAY;
    if (which === 0) return [{ id: this.groupAssignmentIds.idOf(g * 4), type: 'HELP_DESK_ADMIN', assignee, createdMs }];
    return [
      { id: this.groupAssignmentIds.idOf(g * 4), type: 'APP_ADMIN', assignee, createdMs },
      { id: this.customAssignmentIds.idOf(g * 4 + 1), type: 'CUSTOM', custom: 1, assignee, createdMs },
    ];
  }

  /** Every role user u holds: direct ones, then those inherited from admin groups (assignmentType GROUP). */
  userRoles(u: number): RoleAssignment[] {
    const inherited = this.groups.adminGroups
      .filter((g) => this.groups.isMember(g, u))
      .flatMap((g) => this.groupRoles(g));
    return [...this.direct(u), ...inherited];
  }

  /** Users holding at least one role, directly or through a group, ascending. */
  assignees(): number[] {
    const out = new Set(this.admins().filter((u) => this.users.exists(u)));
    for (const g of this.groups.adminGroups) for (const u of this.groups.membersFrom(g, 0)) out.add(u);
    return [...out].sort((a, b) => a - b);
  }

  isSuperAdmin(u: number): boolean {
    return this.userRoles(u).some((r) => r.type === 'SUPER_ADMIN');
  }

  private createdMs(u: number, k: number): number {
    const from = this.users.createdMs(u);
    const span = Math.max(DAY, this.epochMs - DAY - from);
    return from + (hash(this.seed, Stream.roles, u, 20 + k) % span);
  }

  /** A role assignment as `/users/{id}/roles` and `/groups/{id}/roles` return it. */
  serialize(role: RoleAssignment): Record<string, unknown> {
    const at = oktaTimestamp(role.createdMs);
    const assigneeHref =
      role.assignee.kind === 'user'
        ? `{{origin}}/api/v1/users/${this.users.ids.idOf(role.assignee.index)}`
        : `{{origin}}/api/v1/groups/${this.groups.ids.idOf(role.assignee.index)}`;
    const base = {
      id: role.id,
      label: LABELS[role.type] ?? role.type,
      type: role.type,
      status: 'ACTIVE',
      created: at,
      lastUpdated: at,
      assignmentType: role.assignee.kind === 'user' ? 'USER' : 'GROUP',
    };
    if (role.type !== 'CUSTOM') return { ...base, _links: { assignee: { href: assigneeHref } } };
    const custom = CUSTOM_ROLES[role.custom ?? 0] ?? CUSTOM_ROLES[0];
    const roleId = this.customRoleIds.idOf(role.custom ?? 0);
    const resourceSet = this.resourceSetIds.idOf(custom.resourceSet);
    return {
      ...base,
      label: custom.label,
      role: roleId,
      'resource-set': resourceSet,
      _links: {
        assignee: { href: assigneeHref },
        'resource-set': { href: `{{origin}}/api/v1/iam/resource-sets/${resourceSet}` },
        role: { href: `{{origin}}/api/v1/iam/roles/${roleId}` },
        permissions: { href: `{{origin}}/api/v1/iam/roles/${roleId}/permissions` },
        member: { href: `{{origin}}/api/v1/iam/resource-sets/${resourceSet}/bindings/${roleId}/members/${role.id}` },
      },
    };
  }
}
