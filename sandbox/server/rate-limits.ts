import type { SandboxClock } from '../clock.js';

/** One rate-limit bucket: requests with one of `methods` (any when absent) whose path starts with `prefix`. */
export interface RateLimitBucket {
  readonly name: string;
  readonly prefix: string;
  readonly methods?: readonly string[];
  /** Requests per window (per minute with the default window). */
  readonly limit: number;
}

const WRITES = ['POST', 'PUT', 'DELETE', 'PATCH'];

/**
 * Okta's last published per-minute defaults (okta-api.md §5). Matching is method + longest path prefix, so
 * `/api/v1/users/{id}/groups` counts against `users`, and anything else under `/api/v1` against `api`. Writes have
 * their own buckets per family (users 600, groups 600, apps 100: the apps family is the tightest for writes too).
 */
export const DEFAULT_BUCKETS: readonly RateLimitBucket[] = [
  { name: 'apps', methods: ['GET'], prefix: '/api/v1/apps', limit: 100 },
  { name: 'groups', methods: ['GET'], prefix: '/api/v1/groups', limit: 600 },
  { name: 'users', methods: ['GET'], prefix: '/api/v1/users', limit: 600 },
  { name: 'appsWrite', methods: WRITES, prefix: '/api/v1/apps', limit: 100 },
  { name: 'groupsWrite', methods: WRITES, prefix: '/api/v1/groups', limit: 600 },
  { name: 'usersWrite', methods: WRITES, prefix: '/api/v1/users', limit: 600 },
  { name: 'devices', methods: ['GET'], prefix: '/api/v1/devices', limit: 150 },
  { name: 'logs', methods: ['GET'], prefix: '/api/v1/logs', limit: 50 },
  { name: 'api', prefix: '/api/v1', limit: 600 },
  { name: 'token', methods: ['POST'], prefix: '/oauth2/v1/token', limit: 1200 },
  { name: 'oauth', prefix: '/oauth2/v1', limit: 600 },
  { name: 'other', prefix: '/', limit: 600 },
];

export type BucketName =
  | 'apps'
  | 'groups'
  | 'users'
  | 'appsWrite'
  | 'groupsWrite'
  | 'usersWrite'
  | 'devices'
  | 'logs'
  | 'api'
  | 'token'
  | 'oauth'
  | 'other';

export interface RateLimitSettings {
  /** Per-bucket limits overriding the defaults, e.g. `{ users: 5 }`. */
  readonly limits?: Partial<Record<BucketName, number>>;
  /** Window length on the sandbox clock (default 60 000 ms, like Okta's one-minute windows). */
  readonly windowMs?: number;
  /** When set (0..1], each principal (API token or OAuth client) may use only this share of a bucket. */
  readonly principalShare?: number;
}

export interface RateLimitDecision {
  readonly allowed: boolean;
  readonly bucket: string;
  /** Values for `X-Rate-Limit-Limit`, `-Remaining` and `-Reset` (UTC epoch seconds). */
  readonly limit: number;
  readonly remaining: number;
  readonly resetSeconds: number;
}

interface Window {
  startMs: number;
  count: number;
}

/**
 * Fixed windows that open at a bucket's first request (so, like Okta's, they are not aligned to the minute) and
 * run on the sandbox clock, so tests move time instead of waiting.
 */
/** The per-window limit advertised when rate limiting is switched off. */
export const UNLIMITED = 1_000_000_000;

export class RateLimiter {
  readonly #buckets: readonly RateLimitBucket[];
  readonly #windowMs: number;
  readonly #share: number | undefined;
  readonly #enabled: boolean;
  readonly #windows = new Map<string, Window>();

  constructor(
    private readonly clock: SandboxClock,
    settings: RateLimitSettings | false,
  ) {
    this.#enabled = settings !== false;
    const config = settings === false ? {} : settings;
    const limits: Partial<Record<string, number>> = config.limits ?? {};
    this.#buckets = DEFAULT_BUCKETS.map((bucket) => ({ ...bucket, limit: limits[bucket.name] ?? bucket.limit }));
    this.#windowMs = config.windowMs ?? 60_000;
    this.#share = config.principalShare;
  }

  get buckets(): readonly RateLimitBucket[] {
    return this.#buckets;
  }

  /** The bucket for a request: method must match (when the bucket names one), longest prefix wins. */
  bucketFor(method: string, pathname: string): RateLimitBucket {
    let best: RateLimitBucket | undefined;
    for (const bucket of this.#buckets) {
      if (bucket.methods && !bucket.methods.includes(method === 'HEAD' ? 'GET' : method)) continue;
      if (!pathname.startsWith(bucket.prefix)) continue;
      const boundary = pathname.length === bucket.prefix.length || bucket.prefix.endsWith('/');
      if (!boundary && pathname[bucket.prefix.length] !== '/') continue;
      if (!best || bucket.prefix.length > best.prefix.length) best = bucket;
    }
    // The '/' bucket matches every path, so `best` is always set; the fallback keeps the types honest.
    return best ?? { name: 'other', prefix: '/', limit: 600 };
  }

  /** Counts one request by `principal` and says whether it may proceed, with the headers to send either way. */
  take(method: string, pathname: string, principal: string): RateLimitDecision {
    const bucket = this.bucketFor(method, pathname);
    const now = this.clock.now();
    const orgWindow = this.#window(bucket.name, now);
    if (!this.#enabled) {
      // Okta always sends the headers; with limits off they advertise a bucket no client will ever pace against,
      // so benchmarks measure the client and the sandbox, not a pacing delay derived from the default limits.
      return {
        allowed: true,
        bucket: bucket.name,
        limit: UNLIMITED,
        remaining: UNLIMITED,
        resetSeconds: Math.ceil((orgWindow.startMs + this.#windowMs) / 1000),
      };
    }
    let limit = bucket.limit;
    let window = orgWindow;
    let allowed = orgWindow.count < bucket.limit;
    if (this.#share !== undefined) {
      // The headers report the principal's own share: that is the ceiling this caller actually has.
      limit = Math.max(1, Math.floor(bucket.limit * this.#share));
      window = this.#window(`${bucket.name}\u0000${principal}`, now);
      allowed = allowed && window.count < limit;
    }
    if (allowed) {
      orgWindow.count += 1;
      if (window !== orgWindow) window.count += 1;
    }
    return {
      allowed,
      bucket: bucket.name,
      limit,
      remaining: Math.max(0, limit - window.count),
      resetSeconds: Math.ceil((window.startMs + this.#windowMs) / 1000),
    };
  }

  /** Forget every window (tests and the admin endpoint use it to start fresh). */
  reset(): void {
    this.#windows.clear();
  }

  #window(key: string, now: number): Window {
    let window = this.#windows.get(key);
    if (!window || now >= window.startMs + this.#windowMs || now < window.startMs) {
      window = { startMs: now, count: 0 };
      this.#windows.set(key, window);
    }
    return window;
  }
}
