import { IdSpace } from './ids.js';
import { createRng, hash, Stream, unit } from './random.js';
import { generationWindow } from './time.js';
import { isoTimestamp as oktaTimestamp } from './timestamp.js';
import type { UserStore } from './users.js';

export const DEVICE_PLATFORMS = ['ANDROID', 'IOS', 'MACOS', 'WINDOWS'] as const;
/** CREATED is not in Okta's DeviceStatus enum but real orgs return it; it is here on purpose. */
export const DEVICE_STATUSES = ['ACTIVE', 'DEACTIVATED', 'SUSPENDED', 'CREATED', 'UNSUSPENDED'] as const;

const MODELS: Readonly<Record<string, readonly { manufacturer: string; model: string; os: string }[]>> = {
  ANDROID: [
    { manufacturer: 'Google', model: 'Pixel 8', os: '14' },
    { manufacturer: 'samsung', model: 'SM-S918B', os: '13' },
  ],
  IOS: [
    { manufacturer: 'APPLE', model: 'iPhone15,2', os: '17.4.1' },
    { manufacturer: 'APPLE', model: 'iPad13,4', os: '16.7' },
  ],
  MACOS: [
    { manufacturer: 'APPLE', model: 'MacBookPro18,3', os: '14.4.1' },
    { manufacturer: 'APPLE', model: 'Mac14,2', os: '13.6.4' },
  ],
  WINDOWS: [
    { manufacturer: 'LENOVO', model: '20XW004GUS', os: '10.0.22631' },
    { manufacturer: 'Dell Inc.', model: 'Latitude 7440', os: '10.0.19045' },
  ],
};

export type DeviceRecord = Record<string, unknown> & { profile: Record<string, unknown> };

export interface DeviceStoreOptions {
  readonly seed: number;
  readonly count: number;
  readonly epochMs: number;
}

/** Devices: lazy and seed-addressed like users (there can be hundreds of thousands), with an overlay. */
export class DeviceStore {
  readonly ids: IdSpace;
  private readonly stored = new Map<number, DeviceRecord>();
  private readonly deleted = new Set<number>();
  private readonly startMs: number;
  private readonly endMs: number;
  private readonly step: number;

  constructor(
    private readonly options: DeviceStoreOptions,
    private readonly users: UserStore,
  ) {
    this.ids = new IdSpace('guo', options.seed, Stream.deviceId);
    const window = generationWindow(options.epochMs);
    // Devices enrol over the last two years of the window.
    this.startMs = window.endMs - (window.endMs - window.startMs) / 2;
    this.endMs = window.endMs;
    this.step = (this.endMs - this.startMs) / Math.max(1, options.count);
  }

  get size(): number {
    return this.options.count;
  }

  get liveCount(): number {
    return this.size - this.deleted.size;
  }

  exists(d: number): boolean {
    return d >= 0 && d < this.size && !this.deleted.has(d);
  }

  resolve(id: string): number | undefined {
    const d = this.ids.indexOf(id);
    return d !== undefined && this.exists(d) ? d : undefined;
  }

  status(d: number): string {
    const stored = this.stored.get(d);
    if (stored) return String(stored.status);
    const pinned = DEVICE_STATUSES[d];
    if (pinned) return pinned;
    const u = unit(this.options.seed, Stream.deviceStatus, d);
    return u < 0.8 ? 'ACTIVE' : u < 0.9 ? 'DEACTIVATED' : u < 0.95 ? 'SUSPENDED' : u < 0.98 ? 'CREATED' : 'UNSUSPENDED';
  }

  platform(d: number): string {
    if (d < DEVICE_PLATFORMS.length) return DEVICE_PLATFORMS[d] ?? 'WINDOWS';
    return DEVICE_PLATFORMS[hash(this.options.seed, Stream.deviceRecord, d, 1) % DEVICE_PLATFORMS.length] ?? 'WINDOWS';
  }

  createdMs(d: number): number {
    const stored = this.stored.get(d);
    if (stored) return Date.parse(String(stored.created));
    return this.startMs + Math.floor((d + 0.9 * unit(this.options.seed, Stream.deviceCreated, d)) * this.step);
  }

  lastUpdatedMs(d: number): number {
    const stored = this.stored.get(d);
    if (stored) return Date.parse(String(stored.lastUpdated));
    const created = this.createdMs(d);
    return created + Math.floor(unit(this.options.seed, Stream.deviceUpdated, d) * (this.endMs - created));
  }

  /** The user index that owns device d, if any (10% of devices have none; a deleted owner leaves none). */
  owner(d: number): number | undefined {
    if (this.users.generatedCount === 0 || unit(this.options.seed, Stream.deviceOwner, d, 1) < 0.1) return undefined;
    const u = hash(this.options.seed, Stream.deviceOwner, d) % this.users.generatedCount;
    return this.users.exists(u) ? u : undefined;
  }

  data(d: number): DeviceRecord {
    const stored = this.stored.get(d);
    if (stored) return structuredClone(stored);
    return this.generate(d);
  }

  serialize(d: number): DeviceRecord {
    const record = this.data(d);
    const id = String(record.id);
    const links: Record<string, unknown> = {
      self: { href: `{{origin}}/api/v1/devices/${id}`, hints: { allow: ['GET', 'PUT', 'DELETE'] } },
      users: { href: `{{origin}}/api/v1/devices/${id}/users`, hints: { allow: ['GET'] } },
    };
    const status = String(record.status);
    if (status === 'ACTIVE' || status === 'UNSUSPENDED') {
      links.suspend = { href: `{{origin}}/api/v1/devices/${id}/lifecycle/suspend`, hints: { allow: ['POST'] } };
      links.deactivate = { href: `{{origin}}/api/v1/devices/${id}/lifecycle/deactivate`, hints: { allow: ['POST'] } };
    } else if (status === 'SUSPENDED') {
      links.unsuspend = { href: `{{origin}}/api/v1/devices/${id}/lifecycle/unsuspend`, hints: { allow: ['POST'] } };
    } else {
      links.activate = { href: `{{origin}}/api/v1/devices/${id}/lifecycle/activate`, hints: { allow: ['POST'] } };
    }
    record._links = links;
    return record;
  }

  put(d: number, record: DeviceRecord): void {
    this.stored.set(d, { ...record, id: this.ids.idOf(d) });
  }

  delete(d: number): void {
    this.deleted.add(d);
    this.stored.delete(d);
  }

  /** The DeviceUser item for device d's owner (`/devices/{id}/users`, `expand=user`). */
  deviceUser(d: number, u: number, summary: boolean): Record<string, unknown> {
    const rng = createRng(this.options.seed, Stream.deviceOwner, d);
    const user = summary ? this.userSummary(u) : this.users.serialize(u);
    return {
      created: oktaTimestamp(this.createdMs(d)),
      managementStatus: rng.chance(0.6) ? 'MANAGED' : 'NOT_MANAGED',
      screenLockType: rng.pick(['NONE', 'PASSCODE', 'BIOMETRIC'] as const),
      user,
    };
  }

  private userSummary(u: number): Record<string, unknown> {
    const record = this.users.data(u);
    const profile = record.profile;
    return {
      id: record.id,
      status: record.status,
      profile: { firstName: profile.firstName, lastName: profile.lastName, login: profile.login, email: profile.email },
      _links: { self: { href: `{{origin}}/api/v1/users/${String(record.id)}` } },
    };
  }

  private generate(d: number): DeviceRecord {
    const seed = this.options.seed;
    const rng = createRng(seed, Stream.deviceRecord, d);
    const platform = this.platform(d);
    const hardware = rng.pick(MODELS[platform] ?? []);
    const serial = `C0${hash(seed, Stream.deviceRecord, d, 2).toString(36).toUpperCase().padStart(7, '0')}${d % 100}`;
    const profile: Record<string, unknown> = {
      displayName: `${hardware.model} (${serial.slice(-4)})`,
      platform,
      manufacturer: hardware.manufacturer,
      model: hardware.model,
      osVersion: hardware.os,
      serialNumber: serial,
      registered: true,
      secureHardwarePresent: rng.chance(0.7),
      diskEncryptionType:
        platform === 'WINDOWS' || platform === 'MACOS' ? (rng.chance(0.8) ? 'ALL_INTERNAL_VOLUMES' : 'NONE') : 'USER',
    };
    if (platform === 'ANDROID' || platform === 'IOS') {
      profile.imei = String(350000000000000 + (hash(seed, Stream.deviceRecord, d, 3) % 99_999_999) * 1000 + (d % 1000));
      profile.meid = `A${hash(seed, Stream.deviceRecord, d, 4).toString(16).toUpperCase().padStart(8, '0')}${String(d % 100000).padStart(5, '0')}`;
      profile.udid = `${hash(seed, Stream.deviceRecord, d, 5).toString(16).padStart(8, '0')}-${hash(seed, Stream.deviceRecord, d, 6).toString(16).padStart(16, '0')}`;
      profile.integrityJailbreak = rng.chance(0.02);
      profile.managed = rng.chance(0.5);
    } else {
      profile.udid = `${hash(seed, Stream.deviceRecord, d, 5).toString(16).padStart(8, '0').toUpperCase()}-0000-0000-0000-${String(d).padStart(12, '0')}`;
      if (platform === 'WINDOWS') {
        profile.sid = `S-1-5-21-${hash(seed, Stream.deviceRecord, d, 7)}-${hash(seed, Stream.deviceRecord, d, 8)}-${1000 + d}`;
        profile.tpmPublicKeyHash = hash(seed, Stream.deviceRecord, d, 9).toString(16).padStart(8, '0').repeat(8);
      }
    }
    const id = this.ids.idOf(d);
    return {
      id,
      status: this.status(d),
      created: oktaTimestamp(this.createdMs(d)),
      lastUpdated: oktaTimestamp(this.lastUpdatedMs(d)),
      profile,
      resourceType: 'UDDevice',
      resourceDisplayName: { value: String(profile.displayName), sensitive: false },
      resourceId: id,
    };
  }
}
