/**
 * `createOktaClient`: the one object everything else uses to read Okta. Validates the domain, wires credentials,
 * the rate-limit governor, the HTTP executor and pagination together, and implements `OktaApi`.
 */
import type { CredentialProvider } from './auth/types.js';
import { type OktaDomainOptions, validateOktaDomain } from './domain.js';
import type { BackoffPolicy } from './http/backoff.js';
import { type Clock, systemClock } from './http/clock.js';
import { OktaHttpExecutor, type OktaResponse } from './http/executor.js';
import { type GovernorSnapshot, RateGovernor } from './http/governor.js';
import { type PaginateOptions, paginate, resolveOnOrigin } from './paginate.js';
import type { OktaApi, OktaClientObserver, OktaPage, OktaRecord } from './types.js';
import { DEFAULT_USER_AGENT } from './version.js';

/**
 * Default org-wide in-flight cap. Okta's concurrency limit is per org and shared by every integration (75 on most
 * plans, 35 — historically 15 — on free/one-app orgs). 8 stays under half of the smallest documented limit, and is
 * plenty: pacing, not concurrency, is what limits throughput (300 req/min at 50 % of a 600/min bucket needs only
 * ~3 in flight at 500 ms latency). Each client instance (Lambda invocation) has its own cap.
 */
export const DEFAULT_MAX_CONCURRENCY = 8;
export const DEFAULT_RATE_LIMIT_SHARE = 0.5;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RETRIES = 5;
export const DEFAULT_MAX_RATE_LIMIT_RETRIES = 10;
export const DEFAULT_MAX_RATE_LIMIT_WAIT_MS = 5 * 60_000;

export interface OktaClientOptions extends OktaDomainOptions {
  /** `acme.okta.com` or `https://acme.okta.com` (loopback http URLs only with `allowLoopback`). */
  readonly domain: string;
  readonly credentials: CredentialProvider;
  readonly fetch?: typeof fetch;
  readonly clock?: Clock;
  /** [0, 1) random source for jitter (tests inject a deterministic one). */
  readonly random?: () => number;
  /** Fraction of each rate-limit bucket this client may use per window (default 0.5). */
  readonly rateLimitShare?: number;
  /**
   * Fraction of each bucket the whole run may use per window, when several clients split it (default:
   * `rateLimitShare`); with `clientsSharing`, see governor.ts for how the ceiling holds across clients.
   */
  readonly rateLimitCeilingShare?: number;
  /** How many clients of the run split the ceiling at once (default 1). */
  readonly clientsSharing?: number;
  /** Org-wide cap on requests in flight from this client (default 8). */
  readonly maxConcurrency?: number;
  readonly requestTimeoutMs?: number;
  /** Retries for 5xx / network / timeout / bad body (default 5). */
  readonly maxRetries?: number;
  /** 429 retries per request before `OktaRateLimitError` (default 10). */
  readonly maxRateLimitRetries?: number;
  /**
   * The run's wait budget: the most one request may be blocked by rate limits (429 resets, drained windows) in
   * total; a reset further away fails at once with `OktaRateLimitError` (default 5 min).
   */
  readonly maxRateLimitWaitMs?: number;
  /**
   * The invocation's sleep budget: local ms by which every rate-limit wait must be over. A longer wait that fits the
   * run's budget throws `OktaRateLimitDeferral` (checkpoint and resume after it) instead of sleeping.
   */
  readonly sleepUntil?: number;
  /** Okta rate-limit window length used for pacing (default 60 s). */
  readonly rateLimitWindowMs?: number;
  readonly backoff?: BackoffPolicy;
  readonly observer?: OktaClientObserver;
  readonly userAgent?: string;
}

export interface OktaClient extends OktaApi {
  readonly userAgent: string;
  /** GET with full response access (status, headers), same retries and errors as `getJson`. */
  get(pathOrUrl: string, init?: { signal?: AbortSignal }): Promise<OktaResponse>;
  paginate<T = OktaRecord>(pathOrUrl: string, init?: PaginateOptions): AsyncGenerator<OktaPage<T>>;
  /**
   * A write (POST/PUT/DELETE) through the same credentials and governor (each method + path family is its own
   * bucket, as Okta counts them). Never repeated when Okta may have acted on it; see OktaHttpExecutor.request.
   */
  send(
    method: 'POST' | 'PUT' | 'DELETE',
    pathOrUrl: string,
    init?: { body?: unknown; signal?: AbortSignal },
  ): Promise<OktaResponse>;
  /** What the governor currently knows (limits, remaining, skew, concurrency cap), for logs and benches. */
  rateLimitSnapshot(): GovernorSnapshot;
  /** The credential in words, without secrets. */
  describeCredentials(): string;
}

export function createOktaClient(options: OktaClientOptions): OktaClient {
  const origin = validateOktaDomain(options.domain, options);
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const observer = options.observer;
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
  const governor = new RateGovernor({
    clock,
    random,
    share: options.rateLimitShare ?? DEFAULT_RATE_LIMIT_SHARE,
    ...(options.rateLimitCeilingShare !== undefined ? { ceilingShare: options.rateLimitCeilingShare } : {}),
    ...(options.clientsSharing !== undefined ? { clientsSharing: options.clientsSharing } : {}),
    maxConcurrency: options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY,
    windowMs: options.rateLimitWindowMs,
    observer,
  });
  const executor = new OktaHttpExecutor({
    credentials: options.credentials,
    governor,
    fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
    clock,
    random,
    userAgent,
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
    maxRateLimitRetries: options.maxRateLimitRetries ?? DEFAULT_MAX_RATE_LIMIT_RETRIES,
    maxRateLimitWaitMs: options.maxRateLimitWaitMs ?? DEFAULT_MAX_RATE_LIMIT_WAIT_MS,
    sleepUntil: options.sleepUntil,
    backoff: options.backoff,
    observer,
  });
  const get = (url: URL, signal?: AbortSignal) => executor.get(url, signal);

  return {
    origin,
    userAgent,
    get: (pathOrUrl, init) => executor.get(resolveOnOrigin(pathOrUrl, origin), init?.signal),
    async getJson<T = unknown>(pathOrUrl: string, init?: { signal?: AbortSignal }): Promise<T> {
      const response = await executor.get(resolveOnOrigin(pathOrUrl, origin), init?.signal);
      return response.body as T;
    },
    paginate<T = OktaRecord>(pathOrUrl: string, init: PaginateOptions = {}): AsyncGenerator<OktaPage<T>> {
      return paginate<T>(pathOrUrl, { origin, get, observer, scrub: (text) => executor.scrub(text) }, init);
    },
    send: (method, pathOrUrl, init) =>
      executor.request(method, resolveOnOrigin(pathOrUrl, origin), { body: init?.body, signal: init?.signal }),
    rateLimitSnapshot: () => governor.snapshot(),
    describeCredentials: () => options.credentials.describe(),
  };
}
