import type { AppAssignments } from './app-assignments.js';
import type { AppStore } from './apps.js';
import type { DeviceStore } from './devices.js';
import type { GroupStore } from './groups.js';
import { IdSpace } from './ids.js';
import { agentAt, clientOf, geo, placeAt, securityContextOf } from './log-clients.js';
import type { LogParty } from './logs.js';
import { hash, Stream, unit } from './random.js';
import type { RoleStore } from './roles.js';
import { DAY, MINUTE } from './time.js';
import { isoTimestamp as oktaTimestamp } from './timestamp.js';
import type { UserStore } from './users.js';

/** What an event is, cheap to compute (no JSON): enough to answer `eventType`/`actor.id`/`target.id` filters. */
export interface EventSkeleton {
  readonly eventType: string;
  readonly displayMessage: string;
  readonly actor: LogParty;
  readonly targets: readonly LogParty[];
  readonly result: string;
  readonly reason?: string;
  readonly severity: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** The user whose client this is (their home place and agent), or -1 for a system/API client. */
  readonly clientUser: number;
  readonly family: 'signin' | 'mfa' | 'sso' | 'admin' | 'oauth' | 'system';
  readonly debug?: Readonly<Record<string, string>>;
}

type Maker = (i: number) => EventSkeleton;

const SIGNIN_FAILURES = ['INVALID_CREDENTIALS', 'VERIFICATION_ERROR', 'LOCKED_OUT', 'UNKNOWN_USER'];
const ACTIVATED = new Set(['ACTIVE', 'PASSWORD_EXPIRED', 'LOCKED_OUT', 'RECOVERY']);
const POLICIES = ['Default Policy', 'Require MFA for admins', 'Contractors sign-on', 'Block legacy auth'];
const LEGACY: Readonly<Record<string, string>> = {
  'user.session.start': 'core.user_auth.login_success',
  'user.session.end': 'core.user_auth.logout_success',
  'user.authentication.sso': 'app.auth.sso',
  'user.authentication.auth_via_mfa': 'core.user.factor.attempt_success',
  'user.lifecycle.create': 'core.user.config.user_creation.success',
  'user.lifecycle.activate': 'core.user.config.user_activated',
  'user.lifecycle.deactivate': 'core.user.config.user_deactivated',
  'user.lifecycle.suspend': 'core.user.config.user_status.suspended',
  'user.lifecycle.unsuspend': 'core.user.config.user_status.unsuspended',
  'user.lifecycle.delete.completed': 'core.user.config.user_deleted',
  'user.account.update_profile': 'core.user.config.profile_update.success',
  'user.account.lock': 'core.user.account.locked',
  'user.account.update_password': 'core.user.config.password_update.success',
  'group.user_membership.add': 'core.user_group_member.user_add',
  'group.user_membership.remove': 'core.user_group_member.user_remove',
  'group.lifecycle.create': 'core.user_group.created',
  'group.lifecycle.delete': 'core.user_group.deleted',
  'application.user_membership.add': 'app.generic.provision.assign_user_to_app',
  'application.user_membership.remove': 'app.generic.unauth_app_access_attempt',
  'application.lifecycle.delete': 'app.generic.config.app_deleted',
  'user.account.privilege.grant': 'core.user.admin_privilege.granted',
  'user.account.privilege.revoke': 'core.user.admin_privilege.revoked',
};

export function legacyEventType(eventType: string): string | undefined {
  return LEGACY[eventType];
}

/**
 * A System Log history of `count` events over the 90 days before the epoch, every event a pure function of
 * (seed, index): nothing is materialized, so a million events cost what one page of them costs. Event i is published
 * at a time that grows with i (so "events from time t on" is a binary search) and persisted when published.
 *
 * The mix is what a workforce org's log looks like: sign-ins (success and failure, with MFA and SSO), sign-on
 * policy evaluations, OAuth token grants, profile and lifecycle changes, group and app membership, admin privilege
 * grants and policy edits. Events agree with the generated org where it matters to readers: membership and app
 * assignment adds/removes say what the org says now, lifecycle events target users in the matching status,
 * privilege grants target the org's admins, and delete events name records that no longer exist (ids from their
 * own id space), so delete detection and relation incrementals built on the log find nothing that is not so.
 */
export class GeneratedLog {
  private readonly startMs: number;
  private readonly step: number;
  private readonly table: readonly { weight: number; make: Maker }[];
  private readonly total: number;
  private readonly ghosts: Readonly<Record<'user' | 'group' | 'app' | 'device', IdSpace>>;
  private readonly createdInWindow: number;

  constructor(
    private readonly seed: number,
    readonly count: number,
    readonly epochMs: number,
    private readonly org: {
      readonly users: UserStore;
      readonly groups: GroupStore;
      readonly apps: AppStore;
      readonly assignments: AppAssignments;
      readonly devices: DeviceStore;
      readonly roles: RoleStore;
    },
    private readonly adminActor: LogParty,
  ) {
    this.startMs = epochMs - 90 * DAY;
    this.step = (90 * DAY - MINUTE) / Math.max(1, count);
    this.ghosts = {
      user: new IdSpace('00u', seed, Stream.logGhost),
      group: new IdSpace('00g', seed, Stream.logGhost + 1),
      app: new IdSpace('0oa', seed, Stream.logGhost + 2),
      device: new IdSpace('guo', seed, Stream.logGhost + 3),
    };
    this.createdInWindow = org.users.firstGeneratedCreatedAtLeast(this.startMs);
    this.table = [
      { weight: 280, make: (i) => this.signIn(i) },
      { weight: 60, make: (i) => this.signOut(i) },
      { weight: 170, make: (i) => this.sso(i) },
      { weight: 140, make: (i) => this.mfa(i) },
      { weight: 8, make: (i) => this.pushDenied(i) },
      { weight: 70, make: (i) => this.policy(i) },
      { weight: 60, make: (i) => this.tokenGrant(i) },
      { weight: 40, make: (i) => this.profileUpdate(i) },
      { weight: 25, make: (i) => this.passwordUpdate(i) },
      { weight: 10, make: (i) => this.lock(i) },
      { weight: 12, make: (i) => this.lifecycle(i) },
      { weight: 45, make: (i) => this.groupMembership(i) },
      { weight: 25, make: (i) => this.appMembership(i) },
      { weight: 4, make: (i) => this.privilege(i) },
      { weight: 6, make: (i) => this.policyChange(i) },
      { weight: 4, make: (i) => this.deletion(i) },
      { weight: 3, make: (i) => this.rateLimitWarning(i) },
    ];
    this.total = this.table.reduce((sum, row) => sum + row.weight, 0);
  }

  publishedMs(i: number): number {
    return this.startMs + Math.floor((i + 0.9 * unit(this.seed, Stream.logHistory, i)) * this.step);
  }

  /** The first index published at or after `ms` (`count` when none is). */
  firstAtOrAfter(ms: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.publishedMs(mid) < ms) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  uuid(i: number): string {
    const hex = [0, 1, 2, 3]
      .map((k) =>
        hash(this.seed, Stream.logHistory, i, 100 + k)
          .toString(16)
          .padStart(8, '0'),
      )
      .join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-1${hex.slice(13, 16)}-9${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }

  skeleton(i: number): EventSkeleton {
    let pick = unit(this.seed, Stream.logHistory, i, 1) * this.total;
    for (const row of this.table) {
      pick -= row.weight;
      if (pick < 0) return row.make(i);
    }
    return this.signIn(i);
  }

  /** Event i as `/api/v1/logs` returns it. */
  serialize(i: number, skeleton = this.skeleton(i)): Record<string, unknown> {
    const seed = this.seed;
    const publishedMs = this.publishedMs(i);
    const u = skeleton.clientUser;
    const users = this.org.users;
    const home = placeAt(u >= 0 ? hash(seed, Stream.logHistory, u, 7) : 0);
    // Most requests come from the user's home; some from elsewhere (travel, VPNs, attacks).
    const away = u >= 0 && unit(seed, Stream.logHistory, i, 8) < 0.08;
    const where = away ? placeAt(hash(seed, Stream.logHistory, i, 9)) : home;
    const agent = u >= 0 ? agentAt(hash(seed, Stream.logHistory, u, 10), 6) : agentAt(7);
    const client = clientOf(seed, u >= 0 ? u * 31 + (away ? i % 7 : 0) : i, where, agent);
    const requestId = `${this.uuid(i).slice(0, 8)}${hash(seed, Stream.logHistory, i, 11).toString(36)}`;
    const sessionId =
      u >= 0 ? `idx${hash(seed, Stream.logHistory, u, Math.floor(publishedMs / DAY)).toString(36)}` : '';
    const requestUri =
      skeleton.family === 'signin' || skeleton.family === 'mfa'
        ? '/idp/idx/identify'
        : skeleton.family === 'sso'
          ? '/app/sso/saml'
          : skeleton.family === 'oauth'
            ? '/oauth2/v1/token'
            : '/api/v1/users';
    const authenticationContext: Record<string, unknown> = { authenticationStep: 0 };
    if (sessionId !== '') authenticationContext.externalSessionId = sessionId;
    if (skeleton.family === 'signin') {
      authenticationContext.authenticationProvider =
        users.generatedCount > 0 && unit(seed, Stream.logHistory, u, 12) < 0.15
          ? 'ACTIVE_DIRECTORY'
          : 'OKTA_AUTHENTICATION_PROVIDER';
      authenticationContext.credentialType = 'PASSWORD';
    } else if (skeleton.family === 'mfa') {
      authenticationContext.authenticationProvider = 'FACTOR_PROVIDER';
      authenticationContext.credentialProvider = 'OKTA_CREDENTIAL_PROVIDER';
      authenticationContext.credentialType = 'OTP';
    } else if (skeleton.family === 'oauth') {
      authenticationContext.credentialType = 'JWT';
    }
    const ipChain = [
      {
        ip: client.ipAddress,
        geographicalContext: geo(where),
        version: 'V4',
      },
    ];
    const legacy = LEGACY[skeleton.eventType];
    return {
      actor: { ...skeleton.actor },
      client,
      authenticationContext,
      displayMessage: skeleton.displayMessage,
      eventType: skeleton.eventType,
      outcome: skeleton.reason ? { result: skeleton.result, reason: skeleton.reason } : { result: skeleton.result },
      published: oktaTimestamp(publishedMs),
      securityContext: securityContextOf(where, away && hash(seed, Stream.logHistory, i, 13) % 3 === 0),
      severity: skeleton.severity,
      debugContext: {
        debugData: {
          requestId,
          requestUri,
          url: `${requestUri}?`,
          threatSuspected: String(away && skeleton.result === 'FAILURE'),
          ...skeleton.debug,
        },
      },
      ...(legacy ? { legacyEventType: legacy } : {}),
      transaction: { type: 'WEB', id: requestId, detail: {} },
      uuid: this.uuid(i),
      version: '0',
      request: { ipChain },
      target: skeleton.targets.map((t) => ({ ...t })),
    };
  }

  // ---- parties ----

  private pickUser(i: number, salt: number): number {
    const n = this.org.users.generatedCount;
    return n === 0 ? -1 : hash(this.seed, Stream.logHistory, i, salt) % n;
  }

  private userParty(u: number): LogParty {
    if (u < 0) return this.adminActor;
    const names = this.org.users.generatedNames(u);
    return {
      id: this.org.users.ids.idOf(u),
      type: 'User',
      alternateId: names.login,
      displayName: `${names.firstName} ${names.lastName}`,
    };
  }

  private appParty(a: number): LogParty {
    const app = this.org.apps.data(a);
    return {
      id: this.org.apps.ids.idOf(a),
      type: 'AppInstance',
      alternateId: String(app.label),
      displayName: String(app.label),
    };
  }

  private groupParty(g: number): LogParty {
    return {
      id: this.org.groups.ids.idOf(g),
      type: 'UserGroup',
      alternateId: 'unknown',
      displayName: String(this.org.groups.data(g).profile.name ?? ''),
    };
  }

  /** One of the org's admins (the super admin most of the time): who makes admin changes. */
  private adminParty(i: number): { party: LogParty; u: number } {
    const admins = this.org.roles.admins();
    const u =
      admins.length > 0 && unit(this.seed, Stream.logHistory, i, 20) < 0.4
        ? (admins[hash(this.seed, Stream.logHistory, i, 21) % admins.length] ?? -1)
        : -1;
    return { party: u >= 0 ? this.userParty(u) : this.adminActor, u: Math.max(u, 0) };
  }

  // ---- event makers ----

  private user(i: number): { u: number; party: LogParty; activated: boolean } {
    const u = this.pickUser(i, 2);
    return { u, party: this.userParty(u), activated: u >= 0 && ACTIVATED.has(this.org.users.generatedStatus(u)) };
  }

  private signIn(i: number): EventSkeleton {
    const { u, party, activated } = this.user(i);
    const fails = !activated || unit(this.seed, Stream.logHistory, i, 3) < 0.12;
    return {
      eventType: 'user.session.start',
      displayMessage: 'User login to Okta',
      actor: party,
      targets: [],
      result: fails ? 'FAILURE' : 'SUCCESS',
      ...(fails
        ? {
            reason: activated
              ? (SIGNIN_FAILURES[hash(this.seed, Stream.logHistory, i, 4) % 2] ?? 'INVALID_CREDENTIALS')
              : 'VERIFICATION_ERROR',
          }
        : {}),
      severity: fails ? 'WARN' : 'INFO',
      clientUser: u,
      family: 'signin',
    };
  }

  private signOut(i: number): EventSkeleton {
    const { u, party } = this.user(i);
    return {
      eventType: 'user.session.end',
      displayMessage: 'User logout from Okta',
      actor: party,
      targets: [],
      result: 'SUCCESS',
      severity: 'INFO',
      clientUser: u,
      family: 'signin',
    };
  }

  private sso(i: number): EventSkeleton {
    const { u, party } = this.user(i);
    const a = hash(this.seed, Stream.logHistory, i, 5) % Math.max(1, this.org.apps.size);
    const app = this.appParty(a);
    return {
      eventType: 'user.authentication.sso',
      displayMessage: 'User single sign on to app',
      actor: party,
      targets: [
        app,
        {
          id: `0ua${app.id.slice(3)}`,
          type: 'AppUser',
          alternateId: party.alternateId,
          displayName: party.displayName,
        },
      ],
      result: 'SUCCESS',
      severity: 'INFO',
      clientUser: u,
      family: 'sso',
    };
  }

  private mfa(i: number): EventSkeleton {
    const { u, party } = this.user(i);
    const fails = unit(this.seed, Stream.logHistory, i, 3) < 0.05;
    return {
      eventType: 'user.authentication.auth_via_mfa',
      displayMessage: 'Authentication of user via MFA',
      actor: party,
      targets: [
        {
          id: `pfd${party.id.slice(3)}`,
          type: 'AuthenticatorEnrollment',
          alternateId: 'unknown',
          displayName: 'Okta Verify',
        },
      ],
      result: fails ? 'FAILURE' : 'SUCCESS',
      ...(fails ? { reason: 'INVALID_CREDENTIALS' } : {}),
      severity: fails ? 'WARN' : 'INFO',
      clientUser: u,
      family: 'mfa',
      debug: { factor: 'OKTA_VERIFY_PUSH', factorIntent: 'AUTHENTICATION' },
    };
  }

  private pushDenied(i: number): EventSkeleton {
    const { u, party } = this.user(i);
    return {
      eventType: 'user.mfa.okta_verify.deny_push',
      displayMessage: 'User rejected Okta push verify',
      actor: party,
      targets: [],
      result: 'FAILURE',
      reason: 'User rejected Okta push verify',
      severity: 'WARN',
      clientUser: u,
      family: 'mfa',
    };
  }

  private policy(i: number): EventSkeleton {
    const { u, party } = this.user(i);
    const roll = unit(this.seed, Stream.logHistory, i, 3);
    const result = roll < 0.8 ? 'ALLOW' : roll < 0.95 ? 'CHALLENGE' : 'DENY';
    const name = POLICIES[hash(this.seed, Stream.logHistory, i, 6) % POLICIES.length] ?? 'Default Policy';
    return {
      eventType: 'policy.evaluate_sign_on',
      displayMessage: 'Evaluation of sign-on policy',
      actor: party,
      targets: [
        { id: `00p${party.id.slice(3)}`, type: 'PolicyEntity', alternateId: 'unknown', displayName: name },
        { id: `0pr${party.id.slice(3)}`, type: 'PolicyRule', alternateId: 'unknown', displayName: `${name} rule` },
      ],
      result,
      ...(result === 'DENY' ? { reason: 'Sign-on policy denied the request' } : {}),
      severity: result === 'DENY' ? 'WARN' : 'INFO',
      clientUser: u,
      family: 'signin',
    };
  }

  private tokenGrant(i: number): EventSkeleton {
    const a = hash(this.seed, Stream.logHistory, i, 5) % Math.max(1, this.org.apps.size);
    const app = this.appParty(a);
    return {
      eventType: 'app.oauth2.token.grant.access_token',
      displayMessage: 'OAuth2 access token is granted',
      actor: { id: app.id, type: 'PublicClientApp', alternateId: app.id, displayName: app.displayName },
      targets: [
        {
          id: `AT.${hash(this.seed, Stream.logHistory, i, 14).toString(36)}`,
          type: 'access_token',
          alternateId: 'unknown',
          displayName: 'Access Token',
        },
      ],
      result: 'SUCCESS',
      severity: 'INFO',
      clientUser: -1,
      family: 'oauth',
      debug: { grantType: 'client_credentials', grantedScopes: 'okta.users.read' },
    };
  }

  private profileUpdate(i: number): EventSkeleton {
    const { party } = this.user(i);
    const admin = this.adminParty(i);
    return {
      eventType: 'user.account.update_profile',
      displayMessage: 'Update user profile for Okta',
      actor: admin.party,
      targets: [party],
      result: 'SUCCESS',
      severity: 'INFO',
      clientUser: admin.u,
      family: 'admin',
      debug: { changedAttributes: 'title,department' },
    };
  }

  private passwordUpdate(i: number): EventSkeleton {
    const { u, party } = this.user(i);
    return {
      eventType: 'user.account.update_password',
      displayMessage: 'User update password for Okta',
      actor: party,
      targets: [party],
      result: 'SUCCESS',
      severity: 'INFO',
      clientUser: u,
      family: 'signin',
    };
  }

  private lock(i: number): EventSkeleton {
    const { u, party } = this.user(i);
    return {
      eventType: 'user.account.lock',
      displayMessage: 'Max sign in attempts exceeded',
      actor: party,
      targets: [party],
      result: 'FAILURE',
      reason: 'LOCKED_OUT',
      severity: 'WARN',
      clientUser: u,
      family: 'signin',
    };
  }

  /** A lifecycle event that matches the target's generated status (or its creation, for users created lately). */
  private lifecycle(i: number): EventSkeleton {
    const admin = this.adminParty(i);
    const users = this.org.users;
    const n = users.generatedCount;
    const base = {
      actor: admin.party,
      result: 'SUCCESS',
      severity: 'INFO' as const,
      clientUser: admin.u,
      family: 'admin' as const,
    };
    if (n === 0)
      return { ...base, eventType: 'user.lifecycle.create', displayMessage: 'Create okta user', targets: [] };
    if (this.createdInWindow < n && unit(this.seed, Stream.logHistory, i, 15) < 0.4) {
      const u = this.createdInWindow + (hash(this.seed, Stream.logHistory, i, 16) % (n - this.createdInWindow));
      return {
        ...base,
        eventType: 'user.lifecycle.create',
        displayMessage: 'Create okta user',
        targets: [this.userParty(u)],
      };
    }
    const u = this.pickUser(i, 2);
    const status = users.generatedStatus(u);
    const [eventType, displayMessage] =
      status === 'DEPROVISIONED'
        ? ['user.lifecycle.deactivate', 'Deactivate Okta user']
        : status === 'SUSPENDED'
          ? ['user.lifecycle.suspend', 'Suspend Okta user']
          : status === 'STAGED' || status === 'PROVISIONED'
            ? ['user.lifecycle.create', 'Create okta user']
            : ['user.lifecycle.activate', 'Activate Okta user'];
    return { ...base, eventType, displayMessage, targets: [this.userParty(u)] };
  }

  /** A membership add or remove that agrees with the generated org: add if the user is a member now, else remove. */
  private groupMembership(i: number): EventSkeleton {
    const admin = this.adminParty(i);
    const groups = this.org.groups;
    // The generated groups only: a group created later must not appear in (or change) the history before it.
    const g = 1 + (hash(this.seed, Stream.logHistory, i, 17) % Math.max(1, groups.generatedCount - 1));
    const u = this.pickUser(i, 2);
    if (g >= groups.generatedCount || u < 0) return this.signIn(i);
    const member = groups.members.generated(g).has(u);
    return {
      eventType: member ? 'group.user_membership.add' : 'group.user_membership.remove',
      displayMessage: member ? 'Add user to group membership' : 'Remove user from group membership',
      actor: admin.party,
      targets: [this.userParty(u), this.groupParty(g)],
      result: 'SUCCESS',
      severity: 'INFO',
      clientUser: admin.u,
      family: 'admin',
    };
  }

  private appMembership(i: number): EventSkeleton {
    const admin = this.adminParty(i);
    const a = hash(this.seed, Stream.logHistory, i, 5) % Math.max(1, this.org.apps.size);
    const u = this.pickUser(i, 2);
    if (u < 0 || this.org.apps.size === 0) return this.signIn(i);
    const assigned = this.org.assignments.generatedDirect(a, u);
    return {
      eventType: assigned ? 'application.user_membership.add' : 'application.user_membership.remove',
      displayMessage: assigned ? 'Add user to application membership' : 'Remove user from application membership',
      actor: admin.party,
      targets: [this.userParty(u), this.appParty(a)],
      result: 'SUCCESS',
      severity: 'INFO',
      clientUser: admin.u,
      family: 'admin',
    };
  }

  /** Admin role grants to the org's admins (revokes to others). */
  private privilege(i: number): EventSkeleton {
    const admins = this.org.roles.admins().filter((u) => u !== 0);
    const granted = admins.length > 0 && unit(this.seed, Stream.logHistory, i, 18) < 0.8;
    const u = granted ? (admins[hash(this.seed, Stream.logHistory, i, 19) % admins.length] ?? 0) : this.pickUser(i, 2);
    const roles = granted ? this.org.roles.userRoles(u).filter((r) => r.assignee.kind === 'user') : [];
    const label = roles[0] ? String(this.org.roles.serialize(roles[0]).label) : 'Read Only Administrator';
    return {
      eventType: granted ? 'user.account.privilege.grant' : 'user.account.privilege.revoke',
      displayMessage: granted ? 'Grant user privilege' : 'Revoke user privilege',
      actor: this.adminActor,
      targets: [this.userParty(u)],
      result: 'SUCCESS',
      severity: 'INFO',
      clientUser: 0,
      family: 'admin',
      debug: granted ? { privilegeGranted: label } : { privilegeRevoked: label },
    };
  }

  private policyChange(i: number): EventSkeleton {
    const name = POLICIES[hash(this.seed, Stream.logHistory, i, 6) % POLICIES.length] ?? 'Default Policy';
    const rule = unit(this.seed, Stream.logHistory, i, 3) < 0.5;
    return {
      eventType: rule ? 'policy.rule.update' : 'policy.lifecycle.update',
      displayMessage: rule ? 'Update policy rule' : 'Update policy',
      actor: this.adminActor,
      targets: [
        { id: `00p${this.adminActor.id.slice(3)}`, type: 'PolicyEntity', alternateId: 'unknown', displayName: name },
      ],
      result: 'SUCCESS',
      severity: 'INFO',
      clientUser: 0,
      family: 'admin',
    };
  }

  /** Deletes of records that no longer exist: their ids come from spaces the org never serves. */
  private deletion(i: number): EventSkeleton {
    const roll = hash(this.seed, Stream.logHistory, i, 22) % 10;
    const k = i;
    const [eventType, displayMessage, target]: [string, string, LogParty] =
      roll < 6
        ? [
            'user.lifecycle.delete.completed',
            'Delete user',
            {
              id: this.ghosts.user.idOf(k),
              type: 'User',
              alternateId: `former.user.${k}@example.com`,
              displayName: 'Former User',
            },
          ]
        : roll < 8
          ? [
              'group.lifecycle.delete',
              'Delete group',
              {
                id: this.ghosts.group.idOf(k),
                type: 'UserGroup',
                alternateId: 'unknown',
                displayName: `Retired group ${k}`,
              },
            ]
          : roll < 9
            ? [
                'application.lifecycle.delete',
                'Delete application',
                {
                  id: this.ghosts.app.idOf(k),
                  type: 'AppInstance',
                  alternateId: `Retired app ${k}`,
                  displayName: `Retired app ${k}`,
                },
              ]
            : [
                'device.lifecycle.delete',
                'Delete device',
                {
                  id: this.ghosts.device.idOf(k),
                  type: 'Device',
                  alternateId: this.ghosts.device.idOf(k),
                  displayName: 'Retired laptop',
                },
              ];
    return {
      eventType,
      displayMessage,
      actor: this.adminActor,
      targets: [target],
      result: 'SUCCESS',
      severity: 'INFO',
      clientUser: 0,
      family: 'admin',
    };
  }

  private rateLimitWarning(_i: number): EventSkeleton {
    return {
      eventType: 'system.org.rate_limit.warning',
      displayMessage: 'Rate limit warning',
      actor: { id: 'system', type: 'SystemPrincipal', alternateId: 'system@okta.com', displayName: 'Okta System' },
      targets: [],
      result: 'SUCCESS',
      severity: 'WARN',
      clientUser: -1,
      family: 'system',
      debug: { threshold: '60', timeSpan: '1', timeUnit: 'MINUTES', operationRateLimitScopeType: 'ORG' },
    };
  }
}
