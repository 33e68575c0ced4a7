import type { AppStore } from './apps.js';
import type { GroupStore } from './groups.js';
import { hash, Stream, unit } from './random.js';
import { SparseSubset } from './sparse-subset.js';
import { DAY } from './time.js';
import { isoTimestamp as oktaTimestamp } from './timestamp.js';
import type { UserStore } from './users.js';

/** Expected direct app assignments per user, and assigned groups per app, in big orgs. */
const DIRECT_APPS_PER_USER = 8;
const GROUPS_PER_APP = 4;

/** A group assignment's own fields (`PUT /apps/{id}/groups/{gid}` sets them). */
export interface GroupAssignmentFields {
  readonly priority: number;
  readonly profile: Record<string, unknown>;
  readonly lastUpdatedMs: number;
}

/** An admin's direct assignment or unassignment of a user, with the fields the assignment request set. */
export interface DirectOverride {
  readonly assigned: boolean;
  readonly atMs: number;
  readonly userName?: string;
  readonly profile?: Record<string, unknown>;
}

/** One user of an app: `direct` = scope USER (assigned directly, maybe also through a group), else scope GROUP. */
export interface AppUserRef {
  readonly u: number;
  readonly direct: boolean;
}

/**
 * Who is assigned to which app. Direct user assignments and group assignments are `SparseSubset`s (enumerable in
 * id order at the cost of the answer) under overlays of admin changes; an app's users are the merge of its direct
 * users and the members of its assigned groups, as Okta lists them (scope USER or GROUP).
 */
export class AppAssignments {
  private readonly direct = new Map<number, SparseSubset>();
  private readonly assignedGroupSets = new Map<number, SparseSubset>();
  private readonly userOverlay = new Map<number, Map<number, DirectOverride>>();
  private readonly groupOverlay = new Map<number, Map<number, GroupAssignmentFields | null>>();
  private readonly directBase: number;
  private readonly directExponent: number;
  private readonly groupDensity: number;

  constructor(
    private readonly seed: number,
    private readonly epochMs: number,
    private readonly apps: AppStore,
    private readonly users: UserStore,
    private readonly groups: GroupStore,
    /** Groups [1, generatedGroups) may carry generated assignments. */
    private readonly generatedGroups: number,
  ) {
    const count = Math.max(1, apps.size);
    const target = Math.min(0.11, DIRECT_APPS_PER_USER / count);
    this.directBase = 0.01 * Math.min(1, 72 / count);
    this.directExponent = Math.max(1, 0.2 / Math.max(1e-9, target - this.directBase) - 1);
    this.groupDensity = Math.min(0.15, GROUPS_PER_APP / Math.max(1, generatedGroups));
  }

  private directSet(a: number): SparseSubset {
    let set = this.direct.get(a);
    if (!set) {
      const u = unit(this.seed, Stream.appRecord, a, 3);
      const p = this.directBase + 0.2 * u ** this.directExponent;
      set = new SparseSubset(this.seed, Stream.appUser, a, this.users.generatedCount, p);
      this.direct.set(a, set);
    }
    return set;
  }

  private groupSet(a: number): SparseSubset {
    let set = this.assignedGroupSets.get(a);
    if (!set) {
      set = new SparseSubset(this.seed, Stream.appGroup, a, this.generatedGroups, this.groupDensity);
      this.assignedGroupSets.set(a, set);
    }
    return set;
  }

  /** Whether the generated org (before any admin change) assigns user u to app a directly. */
  generatedDirect(a: number, u: number): boolean {
    return this.directSet(a).has(u);
  }

  isDirect(a: number, u: number): boolean {
    if (!this.apps.exists(a) || !this.users.exists(u)) return false;
    const override = this.userOverlay.get(a)?.get(u);
    if (override !== undefined) return override.assigned;
    return this.directSet(a).has(u);
  }

  setDirect(a: number, u: number, assigned: boolean, details: Omit<DirectOverride, 'assigned'>): void {
    let overrides = this.userOverlay.get(a);
    if (!overrides) {
      overrides = new Map();
      this.userOverlay.set(a, overrides);
    }
    overrides.set(u, { ...details, assigned });
  }

  /** Live groups assigned to app a, ascending. */
  assignedGroups(a: number): number[] {
    if (!this.apps.exists(a)) return [];
    const overrides = this.groupOverlay.get(a);
    const out = new Set<number>();
    for (const g of this.groupSet(a).from(1)) if (overrides?.get(g) !== null) out.add(g);
    for (const [g, fields] of overrides ?? []) if (fields !== null) out.add(g);
    return [...out].filter((g) => this.groups.exists(g)).sort((x, y) => x - y);
  }

  isAssignedGroup(a: number, g: number): boolean {
    if (!this.apps.exists(a) || !this.groups.exists(g)) return false;
    const override = this.groupOverlay.get(a)?.get(g);
    if (override !== undefined) return override !== null;
    return g > 0 && this.groupSet(a).has(g);
  }

  setGroup(a: number, g: number, fields: GroupAssignmentFields | null): void {
    let overrides = this.groupOverlay.get(a);
    if (!overrides) {
      overrides = new Map();
      this.groupOverlay.set(a, overrides);
    }
    overrides.set(g, fields);
  }

  /** Whether user u can reach app a, directly or through one of its groups. */
  isAssignedUser(a: number, u: number): boolean {
    if (this.isDirect(a, u)) return true;
    return this.users.exists(u) && this.assignedGroups(a).some((g) => this.groups.isMember(g, u));
  }

  /** App a's users from user index `start` on, in id order: direct ones and members of its assigned groups. */
  *usersFrom(a: number, start: number): Generator<AppUserRef, void, undefined> {
    if (!this.apps.exists(a)) return;
    const overrides = this.userOverlay.get(a);
    const added = overrides
      ? [...overrides]
          .filter(([u, on]) => on.assigned && u >= start && !this.directSet(a).has(u))
          .map(([u]) => u)
          .sort((x, y) => x - y)
      : [];
    const streams: Iterator<number>[] = [
      this.liveDirect(a, start, overrides),
      added[Symbol.iterator](),
      ...this.assignedGroups(a).map((g) => this.groups.membersFrom(g, start)[Symbol.iterator]()),
    ];
    const heads = streams.map((it) => it.next());
    for (;;) {
      let min = Number.POSITIVE_INFINITY;
      for (const head of heads) if (!head.done && head.value < min) min = head.value;
      if (min === Number.POSITIVE_INFINITY) return;
      let direct = false;
      for (let k = 0; k < heads.length; k++) {
        const head = heads[k];
        if (head === undefined || head.done || head.value !== min) continue;
        if (k < 2) direct = true;
        heads[k] = streams[k]?.next() ?? { done: true, value: undefined };
      }
      if (this.users.exists(min)) yield { u: min, direct };
    }
  }

  private *liveDirect(a: number, start: number, overrides: Map<number, DirectOverride> | undefined): Generator<number> {
    for (const u of this.directSet(a).from(start)) if (overrides?.get(u)?.assigned !== false) yield u;
  }

  /** Apps user u reaches (directly or through a group), ascending. */
  appsOfUser(u: number): number[] {
    const out: number[] = [];
    for (let a = 0; a < this.apps.size; a++) if (this.isAssignedUser(a, u)) out.push(a);
    return out;
  }

  /** Apps group g is assigned to, ascending. */
  appsOfGroup(g: number): number[] {
    const out: number[] = [];
    for (let a = 0; a < this.apps.size; a++) if (this.isAssignedGroup(a, g)) out.push(a);
    return out;
  }

  /** An AppUser (`/api/v1/apps/{id}/users` item). */
  appUser(a: number, ref: AppUserRef): Record<string, unknown> {
    const { u, direct } = ref;
    const appId = this.apps.ids.idOf(a);
    const userId = this.users.ids.idOf(u);
    const override = direct ? this.userOverlay.get(a)?.get(u) : undefined;
    const assignedMs =
      Math.max(this.apps.createdMs(a), this.users.createdMs(u)) + (hash(this.seed, Stream.appUser, u, a) % (30 * DAY));
    const createdMs = override?.atMs ?? Math.min(assignedMs, this.epochMs - DAY);
    const lastUpdatedMs =
      override?.atMs ?? Math.max(createdMs, Math.min(this.users.lastUpdatedMs(u), this.epochMs - DAY));
    const login = override?.userName ?? this.users.login(u);
    const names = this.users.names(u);
    const provisioned = this.apps.signOnMode(a) === 'SAML_2_0';
    return {
      id: userId,
      ...(provisioned ? { externalId: `ext-${userId.slice(-8)}` } : {}),
      created: oktaTimestamp(createdMs),
      lastUpdated: oktaTimestamp(lastUpdatedMs),
      scope: direct ? 'USER' : 'GROUP',
      status: provisioned ? 'PROVISIONED' : 'ACTIVE',
      statusChanged: oktaTimestamp(createdMs),
      passwordChanged: null,
      syncState: provisioned ? 'SYNCHRONIZED' : 'DISABLED',
      ...(provisioned ? { lastSync: oktaTimestamp(lastUpdatedMs) } : {}),
      credentials: { userName: login },
      profile: {
        email: this.users.login(u),
        firstName: names.firstName,
        lastName: names.lastName,
        ...override?.profile,
      },
      _links: {
        app: { href: `{{origin}}/api/v1/apps/${appId}` },
        user: { href: `{{origin}}/api/v1/users/${userId}` },
      },
    };
  }

  /** A group assignment's priority, profile and lastUpdated (generated unless set by an admin). */
  groupFields(a: number, g: number): GroupAssignmentFields {
    const stored = this.groupOverlay.get(a)?.get(g);
    if (stored) return stored;
    return {
      priority: g % 100,
      profile: {},
      lastUpdatedMs: Math.min(
        this.apps.createdMs(a) + (hash(this.seed, Stream.appGroup, g, a) % (90 * DAY)),
        this.epochMs - DAY,
      ),
    };
  }

  /** An ApplicationGroupAssignment (`/api/v1/apps/{id}/groups` item). */
  appGroup(a: number, g: number): Record<string, unknown> {
    const appId = this.apps.ids.idOf(a);
    const groupId = this.groups.ids.idOf(g);
    const fields = this.groupFields(a, g);
    return {
      id: groupId,
      lastUpdated: oktaTimestamp(fields.lastUpdatedMs),
      priority: fields.priority,
      profile: structuredClone(fields.profile),
      _links: {
        app: { href: `{{origin}}/api/v1/apps/${appId}` },
        group: { href: `{{origin}}/api/v1/groups/${groupId}` },
        self: { href: `{{origin}}/api/v1/apps/${appId}/groups/${groupId}` },
      },
    };
  }
}
