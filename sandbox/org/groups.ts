import { GroupMembers } from './group-members.js';
import { IdSpace } from './ids.js';
import { DEPARTMENTS } from './names.js';
import { createRng, Stream, unit } from './random.js';
import { generationWindow, YEAR } from './time.js';
import { isoTimestamp as oktaTimestamp } from './timestamp.js';
import type { UserStore } from './users.js';

export type GroupType = 'OKTA_GROUP' | 'APP_GROUP' | 'BUILT_IN';
type GroupKind = 'everyone' | 'okta' | 'directory' | 'app';

export type GroupRecord = Record<string, unknown> & { profile: Record<string, unknown> };

export interface GroupStoreOptions {
  readonly seed: number;
  readonly count: number;
  readonly epochMs: number;
  /** App ids that source APP_GROUPs: a directory (AD-style profiles) and a provisioning app. */
  readonly directoryAppId: string;
  readonly provisioningAppId: string;
}

const SUFFIXES = ['Team', 'Admins', 'Readers', 'Contractors', 'Leads', 'On-call', 'Alumni', 'Interns', 'Partners'];

/** Expected group memberships per user: what real orgs look like (tens of groups each, a few huge ones). */
const MEMBERSHIPS_PER_USER = 30;
/** Share of generated OKTA_GROUPs with no members at all (what `expand=stats` lets a reader skip). */
const EMPTY_GROUP_SHARE = 0.03;
/** Groups holding admin roles are kept small: a few dozen admins, not thousands. */
const ADMIN_GROUP_MEMBERS = 12;

/**
 * Groups: group 0 is the BUILT_IN `Everyone` (every live user); the rest are OKTA_GROUPs, AD-style APP_GROUPs and
 * app-sourced APP_GROUPs. Membership (`GroupMembers`) is a per-group pseudo-random subset of the users, enumerable in
 * id order at the cost of the answer, under an overlay of admin adds/removes.
 *
 * Group sizes are heavy-tailed: density `base + 0.25·u^k` with `k` chosen so a user belongs to about
 * `min(0.085·G, 30)` groups (G = group count): with 12 groups every group is sizable, with 10,000 most groups are
 * teams of tens to hundreds and about 1% hold more than a fortieth of the org.
 */
export class GroupStore {
  readonly ids: IdSpace;
  readonly members: GroupMembers;
  /** Two small OKTA_GROUPs that hold admin roles (see roles.ts); empty in orgs too small to have them. */
  readonly adminGroups: readonly number[];
  private readonly stored = new Map<number, GroupRecord>();
  private readonly deleted = new Set<number>();
  private readonly startMs: number;
  private readonly endMs: number;
  private readonly step: number;
  private readonly densityBase: number;
  private readonly densityExponent: number;
  private createdCount = 0;

  constructor(
    private readonly options: GroupStoreOptions,
    private readonly users: UserStore,
  ) {
    this.ids = new IdSpace('00g', options.seed, Stream.groupId);
    const window = generationWindow(options.epochMs);
    this.startMs = window.startMs;
    this.endMs = window.endMs;
    this.step = (window.endMs - window.startMs) / Math.max(1, options.count);
    const groups = Math.max(1, options.count);
    const target = Math.min(0.085, MEMBERSHIPS_PER_USER / groups);
    this.densityBase = 0.002 * Math.min(1, 300 / groups);
    this.densityExponent = Math.max(2, 0.25 / Math.max(1e-9, target - this.densityBase) - 1);
    const admin: number[] = [];
    for (let g = 4; g < Math.min(options.count, 400) && admin.length < 2; g++) {
      if (this.kind(g) === 'okta' && !this.generatedEmpty(g)) admin.push(g);
    }
    this.adminGroups = admin;
    this.members = new GroupMembers(options.seed, users, options.count, (g) => this.density(g));
  }

  get size(): number {
    return this.options.count + this.createdCount;
  }

  /** Groups of the generated org (the System Log history names only these: it happened before any admin write). */
  get generatedCount(): number {
    return this.options.count;
  }

  get liveCount(): number {
    return this.size - this.deleted.size;
  }

  exists(g: number): boolean {
    return g >= 0 && g < this.size && !this.deleted.has(g);
  }

  resolve(id: string): number | undefined {
    const g = this.ids.indexOf(id);
    return g !== undefined && this.exists(g) ? g : undefined;
  }

  private kind(g: number): GroupKind {
    if (g === 0) return 'everyone';
    if (g === 1) return 'okta';
    if (g === 2) return 'directory';
    if (g === 3) return 'app';
    const u = unit(this.options.seed, Stream.groupRecord, g, 1);
    return u < 0.7 ? 'okta' : u < 0.85 ? 'directory' : 'app';
  }

  type(g: number): GroupType {
    const stored = this.stored.get(g);
    if (stored) return stored.type as GroupType;
    const kind = this.kind(g);
    return kind === 'everyone' ? 'BUILT_IN' : kind === 'okta' ? 'OKTA_GROUP' : 'APP_GROUP';
  }

  private generatedEmpty(g: number): boolean {
    return g >= 4 && this.kind(g) === 'okta' && unit(this.options.seed, Stream.groupRecord, g, 4) < EMPTY_GROUP_SHARE;
  }

  /** Probability that a generated user belongs to generated group g. */
  private density(g: number): number {
    if (this.generatedEmpty(g)) return 0;
    const u = unit(this.options.seed, Stream.groupRecord, g, 2);
    const p = this.densityBase + 0.25 * u ** this.densityExponent;
    if (this.adminGroups.includes(g)) return Math.min(p, ADMIN_GROUP_MEMBERS / Math.max(1, this.users.generatedCount));
    return p;
  }

  isMember(g: number, u: number): boolean {
    return this.exists(g) && this.members.isMember(g, u);
  }

  setMember(g: number, u: number, member: boolean): void {
    this.members.set(g, u, member);
  }

  /** Live members of group g from user index `start` on, in id order (nothing for a deleted group). */
  membersFrom(g: number, start: number): Iterable<number> {
    return this.exists(g) ? this.members.from(g, start) : [];
  }

  usersCount(g: number): number {
    return this.exists(g) ? this.members.count(g) : 0;
  }

  /** Groups user u belongs to, ascending (Everyone first). */
  groupsOf(u: number): number[] {
    const out: number[] = [];
    for (let g = 0; g < this.size; g++) if (this.isMember(g, u)) out.push(g);
    return out;
  }

  createdMs(g: number): number {
    const stored = this.stored.get(g);
    if (stored) return Date.parse(stored.created as string);
    if (g === 0) return this.startMs - YEAR;
    return this.startMs + Math.floor((g + 0.9 * unit(this.options.seed, Stream.groupRecord, g, 3)) * this.step);
  }

  /** The record without `_links`/`_embedded` (a fresh object each call). */
  data(g: number): GroupRecord {
    const stored = this.stored.get(g);
    if (stored) return structuredClone(stored);
    return this.generate(g);
  }

  serialize(g: number): GroupRecord {
    const record = this.data(g);
    const id = record.id as string;
    const links: Record<string, unknown> = {
      logo: [
        { name: 'medium', href: '{{origin}}/img/logos/groups/okta-medium.png', type: 'image/png' },
        { name: 'large', href: '{{origin}}/img/logos/groups/okta-large.png', type: 'image/png' },
      ],
    };
    const source = record.source as { id: string } | undefined;
    if (source) links.source = { href: `{{origin}}/api/v1/apps/${source.id}` };
    links.users = { href: `{{origin}}/api/v1/groups/${id}/users` };
    links.apps = { href: `{{origin}}/api/v1/groups/${id}/apps` };
    record._links = links;
    return record;
  }

  create(record: GroupRecord): number {
    const g = this.size;
    this.createdCount++;
    this.stored.set(g, { ...record, id: this.ids.idOf(g) });
    return g;
  }

  put(g: number, record: GroupRecord): void {
    this.stored.set(g, { ...record, id: this.ids.idOf(g) });
  }

  delete(g: number): void {
    this.deleted.add(g);
    this.stored.delete(g);
    this.members.forget(g);
  }

  private generate(g: number): GroupRecord {
    const seed = this.options.seed;
    const kind = this.kind(g);
    const createdMs = this.createdMs(g);
    const rng = createRng(seed, Stream.groupRecord, g);
    const lastUpdatedMs = createdMs + Math.floor(rng.next() * (this.endMs - createdMs));
    const lastMembershipUpdatedMs = createdMs + Math.floor(rng.next() * (this.endMs - createdMs));
    const id = this.ids.idOf(g);
    const base = {
      id,
      created: oktaTimestamp(createdMs),
      lastUpdated: oktaTimestamp(lastUpdatedMs),
      lastMembershipUpdated: oktaTimestamp(lastMembershipUpdatedMs),
    };
    if (kind === 'everyone') {
      return {
        ...base,
        objectClass: ['okta:user_group'],
        type: 'BUILT_IN',
        profile: { name: 'Everyone', description: 'All users in your organization' },
      };
    }
    const department = rng.pick(DEPARTMENTS);
    const suffix = rng.pick(SUFFIXES);
    if (kind === 'okta') {
      const admins = this.adminGroups.indexOf(g);
      const name =
        admins >= 0 ? `${admins === 0 ? 'IT Help Desk' : 'App Administrators'} ${g}` : `${department} ${suffix} ${g}`;
      const profile: Record<string, unknown> = { name };
      // Some groups have no description at all (Okta's Group schema does not allow null here).
      if (rng.next() < 0.7) profile.description = `${department} ${suffix.toLowerCase()} (group ${g})`;
      return { ...base, objectClass: ['okta:user_group'], type: 'OKTA_GROUP', profile };
    }
    if (kind === 'directory') {
      const cn = `${department.replace(/\s+/g, '')}-${suffix.replace(/\W+/g, '')}-${g}`;
      const guid = [8, 4, 4, 4, 12]
        .map((n) => Array.from({ length: n }, () => '0123456789abcdef'.charAt(rng.int(16))).join(''))
        .join('-');
      return {
        ...base,
        objectClass: ['okta:windows_security_principal'],
        type: 'APP_GROUP',
        source: { id: this.options.directoryAppId },
        profile: {
          name: cn,
          description: `${department} ${suffix.toLowerCase()} synchronized from Active Directory`,
          groupType: 'Security',
          dn: `CN=${cn},OU=Groups,DC=corp,DC=example,DC=com`,
          samAccountName: cn,
          windowsDomainQualifiedName: `CORP\\${cn}`,
          externalId: Buffer.from(guid.replace(/-/g, ''), 'hex').toString('base64'),
          objectGUID: guid,
        },
      };
    }
    return {
      ...base,
      objectClass: ['okta:app_group'],
      type: 'APP_GROUP',
      source: { id: this.options.provisioningAppId },
      profile: {
        name: `${department.toLowerCase()}-${suffix.toLowerCase()}-${g}`,
        description: `Pushed from app (${g})`,
      },
    };
  }
}
