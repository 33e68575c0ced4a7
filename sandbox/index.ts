/**
 * The sandbox: a local Okta org on loopback (generated org data + Okta's transport, auth, OAuth, rate limits and
 * fault injection). Use it from tests (`startSandbox`) or from the command line (`npm run sandbox`).
 */
import { createClock, type SandboxClock } from './clock.js';
import { createOrg, type SandboxOrg } from './org/index.js';
import type { FaultController, FaultRule } from './server/faults.js';
import type { SandboxOAuthOptions } from './server/oauth/default-clients.js';
import type { RateLimiter, RateLimitSettings } from './server/rate-limits.js';
import { type SandboxOAuthInfo, startSandboxServer } from './server/sandbox-server.js';
import type { SandboxStats } from './server/stats.js';

export type { SandboxClock } from './clock.js';
export type { Fault, FaultRule } from './server/faults.js';
export type { OAuthClient } from './server/oauth/clients.js';
export type { SandboxOAuthClients, SandboxOAuthOptions } from './server/oauth/default-clients.js';
export type { BucketName, RateLimitSettings } from './server/rate-limits.js';
export type { SandboxOAuthInfo } from './server/sandbox-server.js';
export type { SandboxStats } from './server/stats.js';

export interface SandboxOptions {
  /** Org size (default 1000 users; the other sizes default to the org generator's proportions). */
  readonly users?: number;
  readonly groups?: number;
  readonly apps?: number;
  readonly devices?: number;
  /** Same seed and sizes → same org (default 42). Also seeds probabilistic faults. */
  readonly seed?: number;
  /** Org "now" at generation time; records are created before it (default: the org generator's). */
  readonly epochMs?: number;
  /**
   * A generated System Log history of this many events over the 90 days before `epochMs` (sign-ins, MFA, SSO,
   * lifecycle, membership, app assignment, admin and policy events), served on demand in bounded memory. Unset: a
   * small history of the newest users' lifecycle and first membership.
   */
  readonly logEvents?: number;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Loopback only. */
  readonly host?: '127.0.0.1' | 'localhost';
  /** The SSWS API token (random when absent). */
  readonly apiToken?: string;
  /** A clock to share, or how to make one (default: starts at the wall-clock time and runs). */
  readonly clock?: SandboxClock | { readonly startMs?: number; readonly running?: boolean };
  /**
   * Rate limits are ON by default at Okta's documented per-minute values (users 600, groups 600, apps 100,
   * devices 150, logs 50, /api/v1 600, /oauth2/v1/token 1200) on the sandbox clock. Pass `false` for benchmarks,
   * or `{ limits: { users: 5 } }` to make 429s easy to reach in tests.
   */
  readonly rateLimits?: false | RateLimitSettings;
  /** Shortcut for `rateLimits.principalShare`: each API token / OAuth client gets this share of a bucket. */
  readonly principalShare?: number;
  /** Requests in flight before 429 with `X-Rate-Limit-Limit: 0` (default 75). */
  readonly concurrencyLimit?: number;
  readonly faults?: readonly FaultRule[];
  readonly oauth?: SandboxOAuthOptions;
}

export interface Sandbox {
  /** e.g. `http://127.0.0.1:54321`: use it as the Okta org URL. */
  readonly baseUrl: string;
  /** `Authorization: SSWS <apiToken>` carries every read scope. */
  readonly apiToken: string;
  readonly oauth: SandboxOAuthInfo;
  readonly clock: SandboxClock;
  readonly org: SandboxOrg;
  /** Programmatic mutations (create, update, deactivate, delete; bump lastUpdated; write System Log events). */
  readonly admin: SandboxOrg['admin'];
  /** Add or clear fault rules at runtime. */
  readonly faults: FaultController;
  readonly rateLimits: RateLimiter;
  stats(): SandboxStats;
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const clock = toClock(options.clock);
  const seed = options.seed ?? 42;
  const org = createOrg(
    {
      seed,
      users: options.users ?? 1000,
      ...(options.groups !== undefined && { groups: options.groups }),
      ...(options.apps !== undefined && { apps: options.apps }),
      ...(options.devices !== undefined && { devices: options.devices }),
      ...(options.epochMs !== undefined && { epochMs: options.epochMs }),
      ...(options.logEvents !== undefined && { logEvents: options.logEvents }),
    },
    clock,
  );
  let rateLimits: false | RateLimitSettings = options.rateLimits ?? {};
  if (rateLimits !== false && options.principalShare !== undefined) {
    rateLimits = { ...rateLimits, principalShare: options.principalShare };
  }
  // Consent as the org's first user (the generator's admin), so a token's uid is a real user of the org.
  const admin = options.oauth?.admin ?? firstUser(org);
  const oauth: SandboxOAuthOptions = { ...options.oauth, ...(admin && { admin }) };
  const server = await startSandboxServer(org, clock, {
    seed,
    rateLimits,
    faults: options.faults ?? [],
    ...(options.port !== undefined && { port: options.port }),
    ...(options.host !== undefined && { host: options.host }),
    ...(options.apiToken !== undefined && { apiToken: options.apiToken }),
    ...(options.concurrencyLimit !== undefined && { concurrencyLimit: options.concurrencyLimit }),
    oauth,
  });
  return {
    baseUrl: server.baseUrl,
    apiToken: server.apiToken,
    oauth: server.oauth,
    clock,
    org,
    admin: org.admin,
    faults: server.faults,
    rateLimits: server.rateLimits,
    stats: server.stats,
    close: server.close,
  };
}

function firstUser(org: SandboxOrg): { id: string; login: string } | undefined {
  for (const user of org.all('users')) {
    const profile = user.profile as { login?: unknown } | undefined;
    if (typeof user.id === 'string' && typeof profile?.login === 'string') return { id: user.id, login: profile.login };
    return undefined;
  }
  return undefined;
}

function toClock(option: SandboxOptions['clock']): SandboxClock {
  if (option && 'now' in option) return option;
  return createClock(option?.startMs ?? Date.now(), { running: option?.running ?? true });
}
