import { IdSpace } from './ids.js';
import {
  CITIES,
  DEPARTMENTS,
  FIRST_NAME_SLUGS,
  FIRST_NAMES,
  LAST_NAME_SLUGS,
  LAST_NAMES,
  SKILLS,
  TITLES,
} from './names.js';
import { createRng, type Rng, Stream, unit } from './random.js';
import { DAY, generationWindow } from './time.js';
import { isoTimestamp as oktaTimestamp } from './timestamp.js';

export const USER_STATUSES = [
  'ACTIVE',
  'DEPROVISIONED',
  'LOCKED_OUT',
  'PASSWORD_EXPIRED',
  'PROVISIONED',
  'RECOVERY',
  'STAGED',
  'SUSPENDED',
] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

const AGENCIES = ['Acme Staffing', 'Globex Contractors', 'Initech Partners', 'Umbrella Talent'];

/** Cumulative weights for users past the pinned ones (which cover every status in even the smallest org). */
const STATUS_WEIGHTS: readonly [UserStatus, number][] = [
  ['ACTIVE', 0.7],
  ['DEPROVISIONED', 0.78],
  ['SUSPENDED', 0.83],
  ['STAGED', 0.87],
  ['PROVISIONED', 0.91],
  ['LOCKED_OUT', 0.94],
  ['PASSWORD_EXPIRED', 0.97],
  ['RECOVERY', 1],
];
/** Users 0..9: every status once, then two users mid-transition. */
const PINNED_STATUS: readonly UserStatus[] = [...USER_STATUSES, 'PROVISIONED', 'ACTIVE'];
const PINNED_TRANSITION: Readonly<Record<number, string>> = { 8: 'ACTIVE', 9: 'DEPROVISIONED' };

/**
 * Shared, frozen credential shapes (most users have one of three): fewer allocations per generated user. Frozen, so a
 * caller that mutates a returned record fails loudly instead of corrupting every other user.
 */
const PROVIDER_OKTA = Object.freeze({ type: 'OKTA', name: 'OKTA' });
const RECOVERY = Object.freeze({ question: 'What is the name of your first pet?' });
const PASSWORD_CREDENTIALS = Object.freeze({
  password: Object.freeze({}),
  recovery_question: RECOVERY,
  provider: PROVIDER_OKTA,
});
const PENDING_CREDENTIALS = Object.freeze({ recovery_question: RECOVERY, provider: PROVIDER_OKTA });
const FEDERATED_CREDENTIALS = Object.freeze({
  provider: Object.freeze({ type: 'ACTIVE_DIRECTORY', name: 'corp.example.com' }),
});

export type UserRecord = Record<string, unknown> & { profile: Record<string, unknown> };

/** A stored (mutated or admin-created) user: the record as served, minus `_links`. */
interface StoredUser {
  readonly record: UserRecord;
}

export interface UserStoreOptions {
  readonly seed: number;
  readonly count: number;
  readonly epochMs: number;
  /** User type ids: index 0 is the default type. */
  readonly typeIds: readonly string[];
}

/**
 * The org's users: a lazy, seed-addressed generator (user i is a pure function of (seed, i)) under an overlay of
 * admin mutations. Cheap fields (status, created, lastUpdated, type) are computed without building the record, so
 * filtered scans over a million users stay fast. Index order is id order is created order.
 */
export class UserStore {
  readonly ids: IdSpace;
  private readonly stored = new Map<number, StoredUser>();
  private readonly deleted = new Set<number>();
  private readonly loginIndex = new Map<string, number>();
  private readonly step: number;
  private readonly startMs: number;
  private readonly endMs: number;
  private createdCount = 0;
  private readonly typeRefs: readonly Readonly<{ id: string }>[];

  constructor(private readonly options: UserStoreOptions) {
    this.ids = new IdSpace('00u', options.seed, Stream.userId);
    this.typeRefs = options.typeIds.map((id) => Object.freeze({ id }));
    const window = generationWindow(options.epochMs);
    this.startMs = window.startMs;
    this.endMs = window.endMs;
    this.step = (window.endMs - window.startMs) / Math.max(1, options.count);
  }

  get generatedCount(): number {
    return this.options.count;
  }

  /** Size of the index space: generated plus admin-created users (deleted ones included). */
  get size(): number {
    return this.options.count + this.createdCount;
  }

  get liveCount(): number {
    return this.size - this.deleted.size;
  }

  exists(i: number): boolean {
    return i >= 0 && i < this.size && !this.deleted.has(i);
  }

  /** Indexes of deleted users (few: only admin deletes). */
  deletedIndexes(): Iterable<number> {
    return this.deleted;
  }

  isStored(i: number): boolean {
    return this.stored.has(i);
  }

  status(i: number): UserStatus {
    const stored = this.stored.get(i);
    if (stored) return stored.record.status as UserStatus;
    return this.generatedStatus(i);
  }

  /** User i's status as generated, ignoring admin changes (generated System Log history is about that org). */
  generatedStatus(i: number): UserStatus {
    const pinned = PINNED_STATUS[i];
    if (pinned) return pinned;
    const u = unit(this.options.seed, Stream.userStatus, i);
    for (const [status, upTo] of STATUS_WEIGHTS) if (u < upTo) return status;
    return 'ACTIVE';
  }

  createdMs(i: number): number {
    const stored = this.stored.get(i);
    if (stored) return Date.parse(stored.record.created as string);
    return this.startMs + Math.floor((i + 0.9 * unit(this.options.seed, Stream.userCreated, i)) * this.step);
  }

  lastUpdatedMs(i: number): number {
    const stored = this.stored.get(i);
    if (stored) return Date.parse(stored.record.lastUpdated as string);
    const created = this.createdMs(i);
    return created + Math.floor(unit(this.options.seed, Stream.userUpdated, i) * (this.endMs - created));
  }

  /** The first generated index whose created time is at or after `ms` (created grows with the index). */
  firstGeneratedCreatedAtLeast(ms: number): number {
    let lo = 0;
    let hi = this.options.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.createdMs(mid) < ms) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  typeIndex(i: number): number {
    const stored = this.stored.get(i);
    if (stored) {
      const id = (stored.record.type as { id: string }).id;
      return Math.max(0, this.options.typeIds.indexOf(id));
    }
    if (i === 10) return Math.min(1, this.options.typeIds.length - 1);
    if (i === 11) return Math.min(2, this.options.typeIds.length - 1);
    const u = unit(this.options.seed, Stream.userType, i);
    const index = u < 0.85 ? 0 : u < 0.95 ? 1 : 2;
    return Math.min(index, this.options.typeIds.length - 1);
  }

  typeId(i: number): string {
    return this.options.typeIds[this.typeIndex(i)] ?? '';
  }

  private transition(i: number, status: UserStatus): string | undefined {
    const pinned = PINNED_TRANSITION[i];
    if (pinned !== undefined) return pinned;
    if (i < PINNED_STATUS.length) return undefined;
    const u = unit(this.options.seed, Stream.userTransition, i);
    if (status === 'PROVISIONED' && u < 0.05) return 'ACTIVE';
    if (status === 'ACTIVE' && u < 0.002) return 'DEPROVISIONED';
    return undefined;
  }

  /** First and last name of user i (also used for `manager`), without building the record. */
  names(i: number): { firstName: string; lastName: string } {
    const stored = this.stored.get(i);
    if (stored) {
      return {
        firstName: String(stored.record.profile.firstName ?? ''),
        lastName: String(stored.record.profile.lastName ?? ''),
      };
    }
    const { first, last } = this.nameIndexes(i);
    return { firstName: FIRST_NAMES[first] ?? '', lastName: LAST_NAMES[last] ?? '' };
  }

  /** Positions of user i's names in the pools: the first two draws of its record generator. */
  private nameIndexes(
    i: number,
    rng: Rng = createRng(this.options.seed, Stream.userRecord, i),
  ): { first: number; last: number } {
    return { first: rng.int(FIRST_NAMES.length), last: rng.int(LAST_NAMES.length) };
  }

  /** Names as generated, ignoring renames (for history written before any admin change). */
  generatedNames(i: number): { firstName: string; lastName: string; login: string } {
    const { first, last } = this.nameIndexes(i);
    return {
      firstName: FIRST_NAMES[first] ?? '',
      lastName: LAST_NAMES[last] ?? '',
      login: `${FIRST_NAME_SLUGS[first]}.${LAST_NAME_SLUGS[last]}.${i}@example.com`,
    };
  }

  private generatedLogin(i: number): string {
    const { first, last } = this.nameIndexes(i);
    return `${FIRST_NAME_SLUGS[first]}.${LAST_NAME_SLUGS[last]}.${i}@example.com`;
  }

  login(i: number): string {
    const stored = this.stored.get(i);
    return stored ? String(stored.record.profile.login) : this.generatedLogin(i);
  }

  /** The record without `_links` (a fresh object each call). */
  data(i: number): UserRecord {
    const stored = this.stored.get(i);
    if (stored) return structuredClone(stored.record);
    return this.generate(i);
  }

  /** The user as the API serializes it in lists (`_links.self` only) or by id (plus type and schema links). */
  serialize(i: number, detail = false): UserRecord {
    const record = this.data(i);
    const id = record.id as string;
    const links: Record<string, unknown> = { self: { href: `{{origin}}/api/v1/users/${id}` } };
    if (detail) {
      const typeId = (record.type as { id: string }).id;
      links.type = { href: `{{origin}}/api/v1/meta/types/user/${typeId}` };
      links.schema = {
        href: `{{origin}}/api/v1/meta/schemas/user/${typeId === this.options.typeIds[0] ? 'default' : typeId}`,
      };
    }
    record._links = links;
    return record;
  }

  /** Resolves an id or a login (case-insensitive) to a live user index. */
  resolve(idOrLogin: string): number | undefined {
    const byId = this.ids.indexOf(idOrLogin);
    if (byId !== undefined) return this.exists(byId) ? byId : undefined;
    const lower = idOrLogin.toLowerCase();
    const renamed = this.loginIndex.get(lower);
    if (renamed !== undefined)
      return this.exists(renamed) && this.login(renamed).toLowerCase() === lower ? renamed : undefined;
    const match = /\.(\d+)@example\.com$/.exec(lower);
    if (!match?.[1]) return undefined;
    const i = Number(match[1]);
    if (!this.exists(i) || this.login(i).toLowerCase() !== lower) return undefined;
    return i;
  }

  // ---- mutations (the admin layer validates and logs; these only change state) ----

  /** Appends a user; its index (and so its id) sorts after every existing user. */
  create(record: UserRecord): number {
    const i = this.size;
    this.createdCount++;
    const full: UserRecord = { ...record, id: this.ids.idOf(i) };
    this.stored.set(i, { record: full });
    this.loginIndex.set(String(full.profile.login).toLowerCase(), i);
    return i;
  }

  /** Replaces user i's record (keeping its id); the caller bumps lastUpdated. */
  put(i: number, record: UserRecord): void {
    this.stored.set(i, { record: { ...record, id: this.ids.idOf(i) } });
    this.loginIndex.set(String(record.profile.login).toLowerCase(), i);
  }

  delete(i: number): void {
    this.deleted.add(i);
    this.stored.delete(i);
  }

  // ---- generation ----

  private generate(i: number): UserRecord {
    const seed = this.options.seed;
    const rng = createRng(seed, Stream.userRecord, i);
    const names = this.nameIndexes(i, rng);
    const firstName = FIRST_NAMES[names.first] ?? '';
    const lastName = LAST_NAMES[names.last] ?? '';
    const firstSlug = FIRST_NAME_SLUGS[names.first] ?? 'user';
    const lastSlug = LAST_NAME_SLUGS[names.last] ?? 'person';
    const status = this.status(i);
    const createdMs = this.createdMs(i);
    const lastUpdatedMs = this.lastUpdatedMs(i);
    const span = lastUpdatedMs - createdMs;
    const neverActivated = status === 'STAGED' || status === 'PROVISIONED';
    const activatedMs = neverActivated ? null : createdMs + Math.floor(rng.next() * Math.min(span * 0.2, 7 * DAY));
    const statusChangedMs =
      status === 'STAGED'
        ? null
        : status === 'ACTIVE' && activatedMs !== null
          ? activatedMs
          : Math.max(activatedMs ?? createdMs, lastUpdatedMs - Math.floor(rng.next() * span * 0.3));
    const sinceActive = activatedMs ?? createdMs;
    const lastLoginMs =
      neverActivated || rng.chance(0.2) ? null : sinceActive + Math.floor(rng.next() * (lastUpdatedMs - sinceActive));
    const federated = rng.chance(0.15);
    const passwordChangedMs =
      neverActivated || federated ? null : sinceActive + Math.floor(rng.next() * (lastUpdatedMs - sinceActive));
    const transitioning = this.transition(i, status);
    const place = rng.pick(CITIES);
    const login = `${firstSlug}.${lastSlug}.${i}@example.com`;

    const profile: Record<string, unknown> = {
      firstName,
      lastName,
      mobilePhone: rng.chance(0.5) ? `+1-555-${String(1000 + (i % 9000)).padStart(4, '0')}` : null,
      secondEmail: rng.chance(0.3) ? `${firstSlug}.${i}@personal.example.org` : null,
      login,
      email: rng.chance(0.9) ? login : `${lastSlug}.${i}@mail.example.net`,
    };
    // Unset standard attributes are sometimes null and sometimes absent, as in real orgs.
    const middle = rng.next();
    if (middle < 0.4) profile.middleName = rng.pick(FIRST_NAMES);
    else if (middle < 0.7) profile.middleName = null;
    profile.displayName = `${firstName} ${lastName}`;
    profile.title = rng.pick(TITLES);
    profile.department = rng.pick(DEPARTMENTS);
    profile.employeeNumber = String(100000 + i);
    profile.organization = 'Example Corp';
    if (rng.chance(0.6)) profile.costCenter = `CC-${100 + rng.int(20)}`;
    profile.city = place.city;
    profile.state = place.state;
    profile.countryCode = place.countryCode;
    profile.timezone = place.timezone;
    profile.locale = place.locale;
    profile.preferredLanguage = place.locale.slice(0, 2);
    if (rng.chance(0.5)) profile.userType = rng.chance(0.5) ? 'Employee' : null;
    if (i > 0) {
      const managerIndex = Math.floor(rng.next() * Math.min(i, 50));
      const manager = this.names(managerIndex);
      profile.managerId = this.ids.idOf(managerIndex);
      profile.manager = `${manager.firstName} ${manager.lastName}`;
    }
    // Custom attributes (one per schema type, see CUSTOM_ATTRIBUTES): each is absent, null or set. Named stores keep
    // the profile's hidden classes few and this hot loop fast.
    let variant = rng.next();
    if (variant >= 0.15) profile.githubHandle = variant < 0.3 ? null : `${firstSlug}-${i.toString(36)}`;
    variant = rng.next();
    if (variant >= 0.15) profile.fteRatio = variant < 0.3 ? null : Math.round(rng.next() * 100) / 100;
    variant = rng.next();
    if (variant >= 0.15) profile.isContractor = variant < 0.3 ? null : rng.chance(0.2);
    variant = rng.next();
    if (variant >= 0.15) profile.clearanceLevel = variant < 0.3 ? null : rng.int(5);
    variant = rng.next();
    if (variant >= 0.15) profile.skills = variant < 0.3 ? null : SKILLS.filter(() => rng.chance(0.3));
    // Attributes of one user type's schema (USER_TYPE_ATTRIBUTES): contractors and service accounts only.
    const typeIndex = this.typeIndex(i);
    if (typeIndex === 1) {
      variant = rng.next();
      if (variant >= 0.1) profile.contractorAgency = variant < 0.2 ? null : rng.pick(AGENCIES);
      variant = rng.next();
      if (variant >= 0.1) profile.accessTiers = variant < 0.2 ? null : [1, 2, 3, 4].filter(() => rng.chance(0.5));
      profile.badgeNumber = `B-${10000 + i}`;
    } else if (typeIndex === 2) {
      profile.ownerTeam = rng.pick(DEPARTMENTS);
      variant = rng.next();
      if (variant >= 0.1) profile.rotationDays = variant < 0.2 ? null : 30 * (1 + rng.int(6));
      profile.badgeNumber = 10000 + i;
    }

    const credentials = federated ? FEDERATED_CREDENTIALS : neverActivated ? PENDING_CREDENTIALS : PASSWORD_CREDENTIALS;

    const record: UserRecord = {
      id: this.ids.idOf(i),
      status,
      created: oktaTimestamp(createdMs),
      activated: activatedMs === null ? null : oktaTimestamp(activatedMs),
      statusChanged: statusChangedMs === null ? null : oktaTimestamp(statusChangedMs),
      lastLogin: lastLoginMs === null ? null : oktaTimestamp(lastLoginMs),
      lastUpdated: oktaTimestamp(lastUpdatedMs),
      passwordChanged: passwordChangedMs === null ? null : oktaTimestamp(passwordChangedMs),
      ...(transitioning ? { transitioningToStatus: transitioning } : {}),
      type: this.typeRefs[this.typeIndex(i)] ?? { id: this.typeId(i) },
      profile,
      credentials,
    };
    return record;
  }
}
