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

/**
 * Groups: group 0 is the BUILT_IN `Everyone` (every live user); the rest are OKTA_GROUPs, AD-style APP_GROUPs and
 * app-sourced APP_GROUPs. Membership is a seed-addressed predicate (user u ∈ group g is a hash test) under an overlay
 * of admin adds/removes, so neither side of the relation is materialized.
 */
export class GroupStore {
  readonly ids: IdSpace;
  private readonly stored = new Map<number, GroupRecord>();
  private readonly deleted = new Set<number>();
  private readonly membershipOverlay = new Map<number, Map<number, boolean>>();
  private readonly usersCountCache = new Map<number, number>();
  private readonly startMs: number;
  private readonly endMs: number;
  private readonly step: number;
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
  }

  get size(): number {
    return this.options.count + this.createdCount;
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

  /** Probability that a generated user belongs to generated group g. */
  private density(g: number): number {
    const u = unit(this.options.seed, Stream.groupRecord, g, 2);
    return 0.002 + 0.25 * u * u;
  }

  isMember(g: number, u: number): boolean {
    if (!this.users.exists(u) || !this.exists(g)) return false;
    if (g === 0) return true;
    const overlay = this.membershipOverlay.get(g)?.get(u);
    if (overlay !== undefined) return overlay;
    if (g >= this.options.count || u >= this.users.generatedCount) return false;
    return unit(this.options.seed, Stream.membership, u, g) < this.density(g);
  }

  setMember(g: number, u: number, member: boolean): void {
    let overlay = this.membershipOverlay.get(g);
    if (!overlay) {
      overlay = new Map();
      this.membershipOverlay.set(g, overlay);
    }
    overlay.set(u, member);
    this.usersCountCache.delete(g);
  }

  /** Forget cached member counts (users were created or deleted). */
  invalidateCounts(): void {
    this.usersCountCache.clear();
  }

  usersCount(g: number): number {
    const cached = this.usersCountCache.get(g);
    if (cached !== undefined) return cached;
    let count = 0;
    if (g === 0) count = this.users.liveCount;
    else for (let u = 0; u < this.users.size; u++) if (this.isMember(g, u)) count++;
    this.usersCountCache.set(g, count);
    return count;
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
    this.membershipOverlay.delete(g);
    this.usersCountCache.delete(g);
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
      const profile: Record<string, unknown> = { name: `${department} ${suffix} ${g}` };
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
