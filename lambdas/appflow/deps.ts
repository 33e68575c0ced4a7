/**
 * What the connector core needs from the outside world, injected so tests run it against the sandbox and
 * aws-sdk-client-mock without touching module state: the secret cache, Okta client options, a clock, a logger and
 * the limits AppFlow imposes.
 */

import type { ObjectDef } from '../okta/catalog/types.js';
import type { OktaClientOptions } from '../okta/client.js';
import type { ObjectStore } from '../output/sinks/types.js';
import type { ApplyEventSink } from '../write/apply-events.js';
import type { SecretCache } from './secrets.js';

/** Structured logger (Powertools in Lambda, in-memory in tests). Never pass it a secret. */
export interface ConnectorLogger {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
  /** A logger whose lines also carry `keys`. */
  child(keys: Record<string, string>): ConnectorLogger;
}

export const silentLogger: ConnectorLogger = {
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silentLogger,
};

export interface ConnectorLimits {
  /** Stop starting new Okta requests for a QueryData page after this long (default 20 s of AppFlow's 30 s). */
  readonly softBudgetMs: number;
  /** Abort an Okta request still in flight at this point (default 25 s), leaving time to answer. */
  readonly hardBudgetMs: number;
  /** Abort Okta requests of configuration/metadata calls (ValidateCredentials, DescribeEntity) after this (default 8 s of AppFlow's 10 s). */
  readonly metadataBudgetMs: number;
  /** Stop filling a QueryData page at this many response bytes (default 5 MiB; AppFlow refuses 6 MB). */
  readonly maxResponseBytes: number;
  /** Hard ceiling for one response (default 6,000,000 bytes minus headroom): a single larger record is an error. */
  readonly hardResponseBytes: number;
}

export const DEFAULT_LIMITS: ConnectorLimits = {
  softBudgetMs: 20_000,
  hardBudgetMs: 25_000,
  metadataBudgetMs: 8_000,
  maxResponseBytes: 5 * 1024 * 1024,
  hardResponseBytes: 5_900_000,
};

/** Per-process cache of User definitions extended with the org's custom attributes. */
export interface DefinitionCache {
  get(key: string): ObjectDef | undefined;
  set(key: string, def: ObjectDef): void;
}

/** A small TTL map for definitions (the user schema changes rarely; AppFlow caches metadata for an hour anyway). */
export function ttlDefinitionCache(now: () => number = Date.now, ttlMs = 10 * 60_000): DefinitionCache {
  const entries = new Map<string, { def: ObjectDef; expiresAt: number }>();
  return {
    get(key) {
      const hit = entries.get(key);
      return hit !== undefined && hit.expiresAt > now() ? hit.def : undefined;
    },
    set(key, def) {
      entries.set(key, { def, expiresAt: now() + ttlMs });
    },
  };
}

/**
 * Where WriteData stores its resolution and audit: the output bucket (SSE-KMS like the data), under
 * `<prefix>/apply/<plan hash>/<run id>/`, the layout `okta-flow apply` and ApplyPlan use.
 */
export interface WriteAuditTarget {
  readonly store: ObjectStore;
  readonly prefix: string;
  /** A key → a location people can open (s3://bucket/key). */
  readonly locate: (key: string) => string;
}

export interface ConnectorDeps {
  readonly secrets: SecretCache;
  /** Options for every Okta client (fetch, loopback for the sandbox, custom domains, retry limits). */
  readonly clientOptions?: Partial<Omit<OktaClientOptions, 'domain' | 'credentials'>>;
  readonly definitions: DefinitionCache;
  readonly now: () => number;
  readonly logger: ConnectorLogger;
  readonly limits: ConnectorLimits;
  /** WriteData's audit in the bucket (the Lambda sets it from OUTPUT_BUCKET/OUTPUT_PREFIX/KMS_KEY_ARN). */
  readonly writeAudit?: WriteAuditTarget | undefined;
  /** WriteData's Apply Action events, one per outcome (the Lambda: EventBridge, EVENT_BUS_NAME). */
  readonly writeEvents?: ApplyEventSink | undefined;
}
