import type { SandboxClock } from '../clock.js';
import { createAdmin, type OrgAdmin } from './admin.js';
import { handleAdminRequest } from './admin-http.js';
import { AppAssignments } from './app-assignments.js';
import { AppStore, DIRECTORY_APP_INDEX, MIN_APPS, PROVISIONING_APP_INDEX } from './apps.js';
import type { OrgOptions, RouteMatcher, RouteResult } from './contract.js';
import { DeviceStore } from './devices.js';
import { FactorStore } from './factors.js';
import { GroupStore } from './groups.js';
import { generateHistory } from './history.js';
import { IdSpace } from './ids.js';
import { GeneratedLog } from './log-history.js';
import { type LogParty, LogStore } from './logs.js';
import type { OrgState } from './org-state.js';
import { Stream, seed32 } from './random.js';
import { RoleStore } from './roles.js';
import { createMatcher } from './router.js';
import { DEFAULT_EPOCH_MS } from './time.js';
import { UserTypeStore } from './user-types.js';
import { UserStore } from './users.js';

export type {
  AppLifecycleAction,
  CreateUserInput,
  DeviceLifecycleAction,
  OrgAdmin,
  UserLifecycleAction,
} from './admin.js';
export type { MutationContext, OrgOptions, RouteMatcher, RouteRequest, RouteResult } from './contract.js';
export { OrgRequestError } from './errors.js';
export type { LogParty } from './logs.js';
export { DEFAULT_EPOCH_MS, epochForClock } from './time.js';

export type OrgObject = 'users' | 'groups' | 'apps' | 'devices' | 'userTypes';

export interface SandboxOrg {
  /** Management API routes (reads and Okta's write endpoints). */
  readonly match: RouteMatcher;
  /** Programmatic mutations for tests. */
  readonly admin: OrgAdmin;
  /** The same mutations over HTTP; `pathname` is relative to `/__sandbox/admin` (see `handleAdminRequest`). */
  handleAdmin(method: string, pathname: string, body: unknown): RouteResult;
  /** Live (not deleted) records per object; users include DEPROVISIONED ones. */
  readonly counts: { users: number; groups: number; apps: number; devices: number; userTypes: number };
  /**
   * Stores an event persisted now but published at `publishedMs` (in the past): what Okta does with events that
   * arrive late. Polling readers still get it (after everything persisted before it); bounded readers whose window
   * already passed `publishedMs` miss it, as on Okta.
   */
  injectLateLogEvent(input: {
    eventType: string;
    publishedMs: number;
    displayMessage?: string;
    targets?: LogParty[];
  }): Record<string, unknown>;
  /** System Log size: generated events (cost no memory) and materialized ones. */
  logStats(): { generated: number; materialized: number };
  /** Ground truth for tests: every live record as the API serializes it in lists (DEPROVISIONED users included). */
  all(object: OrgObject): Iterable<Record<string, unknown>>;
  /** User types and their profile schemas; tests change schemas here (schema drift). */
  readonly userTypes: UserTypeStore;
}

/** Default sizes derived from the user count (all overridable through OrgOptions). */
export function defaultSizes(users: number): { groups: number; apps: number; devices: number } {
  return {
    groups: Math.min(2000, Math.max(12, Math.ceil(users / 500))),
    apps: 16,
    devices: Math.max(12, Math.ceil(users / 4)),
  };
}

/**
 * Builds the deterministic org for (seed, sizes): nothing per-user is materialized up front, so a 1,000,000-user
 * org is created in microseconds and served lazily.
 *
 * Serialized records contain `_links` hrefs with the literal origin token `{{origin}}` (e.g.
 * `{{origin}}/api/v1/users/00u…`): the server must replace every `{{origin}}` in the serialized JSON with its base
 * URL. Error specs carry no errorLink/errorId; the server adds them.
 *
 * `epochMs` (default 2026-01-01T00:00:00.000Z) is the org's generation "now": records are created in the four years
 * before it and System Log history covers the 90 days before it. Start the clock at or after it.
 */
export function createOrg(options: OrgOptions, clock: SandboxClock): SandboxOrg {
  if (!Number.isInteger(options.users) || options.users < 0) {
    throw new RangeError(`users must be a non-negative integer, got ${options.users}`);
  }
  const seed = seed32(options.seed);
  const epochMs = options.epochMs ?? DEFAULT_EPOCH_MS;
  const defaults = defaultSizes(options.users);
  const groupCount = Math.max(1, options.groups ?? defaults.groups);
  const appCount = Math.max(MIN_APPS, options.apps ?? defaults.apps);
  const deviceCount = Math.max(0, options.devices ?? defaults.devices);

  const adminId = new IdSpace('00u', seed, Stream.userId).idOf(0);
  const userTypes = new UserTypeStore(seed, epochMs, adminId);
  const users = new UserStore({ seed, count: options.users, epochMs, typeIds: userTypes.typeIds });
  const apps = new AppStore({ seed, count: appCount, epochMs, groupCount });
  const groups = new GroupStore(
    {
      seed,
      count: groupCount,
      epochMs,
      directoryAppId: apps.ids.idOf(DIRECTORY_APP_INDEX),
      provisioningAppId: apps.ids.idOf(PROVISIONING_APP_INDEX),
    },
    users,
  );
  const assignments = new AppAssignments(seed, epochMs, apps, users, groups, groupCount);
  const devices = new DeviceStore({ seed, count: deviceCount, epochMs }, users);
  const adminParty = {
    id: adminId,
    type: 'User',
    alternateId: options.users > 0 ? users.login(0) : 'admin@example.com',
    displayName: 'Sandbox Admin',
  };
  const roles = new RoleStore(seed, epochMs, users, groups);
  const factors = new FactorStore(seed, epochMs, users);
  const logEvents = options.logEvents;
  if (logEvents !== undefined && (!Number.isInteger(logEvents) || logEvents < 0)) {
    throw new RangeError(`logEvents must be a non-negative integer, got ${logEvents}`);
  }
  const generatedLog =
    logEvents === undefined
      ? undefined
      : new GeneratedLog(seed, logEvents, epochMs, { users, groups, apps, assignments, devices, roles }, adminParty);
  const logs = new LogStore(
    seed,
    adminParty,
    () => (generatedLog ? [] : generateHistory(users, groups, epochMs)),
    generatedLog,
  );
  const state: OrgState = {
    clock,
    epochMs,
    users,
    groups,
    apps,
    assignments,
    devices,
    roles,
    factors,
    userTypes,
    logs,
  };
  const admin = createAdmin(state);

  return {
    match: createMatcher(state),
    admin,
    userTypes,
    handleAdmin: (method, pathname, body) => handleAdminRequest(admin, method, pathname, body),
    injectLateLogEvent(input) {
      const nowMs = clock.now();
      if (!Number.isFinite(input.publishedMs) || input.publishedMs > nowMs) {
        throw new RangeError('a late event is published before it is persisted: publishedMs must be <= now');
      }
      const entry = logs.append({
        eventType: input.eventType,
        displayMessage: input.displayMessage ?? input.eventType,
        targets: input.targets ?? [],
        publishedMs: input.publishedMs,
        persistedMs: nowMs,
      });
      return logs.serializeEntry(entry);
    },
    logStats: () => ({ generated: generatedLog?.count ?? 0, materialized: logs.materializedCount }),
    get counts() {
      return {
        users: users.liveCount,
        groups: groups.liveCount,
        apps: apps.liveCount,
        devices: devices.liveCount,
        userTypes: userTypes.count,
      };
    },
    *all(object) {
      switch (object) {
        case 'users':
          for (let i = 0; i < users.size; i++) if (users.exists(i)) yield users.serialize(i);
          return;
        case 'groups':
          for (let g = 0; g < groups.size; g++) if (groups.exists(g)) yield groups.serialize(g);
          return;
        case 'apps':
          for (let a = 0; a < apps.size; a++) if (apps.exists(a)) yield apps.serialize(a);
          return;
        case 'devices':
          for (let d = 0; d < devices.size; d++) if (devices.exists(d)) yield devices.serialize(d);
          return;
        case 'userTypes':
          for (let t = 0; t < userTypes.count; t++) yield userTypes.serialize(t);
          return;
      }
    },
  };
}
