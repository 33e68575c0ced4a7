/**
 * OAuth 2.0 refresh-token credentials for an Okta web app (authorization code + `offline_access`).
 *
 * Rotation (Okta ROTATE): every refresh returns a new refresh token; the one Okta issued LAST is the chain's current
 * token, and using any other after the grace period (default 30 s) revokes the whole chain — the org must consent
 * again. So the secret must provably hold the token from the refresh Okta processed last, even when Lambdas (or CLI
 * runs) refresh at once, their clocks disagree, or requests overtake each other. Deciding "newest" by anyone's clock
 * cannot give that; the secret's own versions can:
 *
 * 1. Lease: before refreshing, a process writes `refreshLease: {holder, ttlMs}` into the secret by compare-and-swap
 *    on the version it read. A lease held by another is waited for; it is taken over only after the secret stayed at
 *    the same version for the whole TTL as timed on the waiter's own clock (skew cannot make a live lease look old).
 * 2. Refresh with the token the leased secret holds.
 * 3. Store the new token by compare-and-swap on the lease's version. Success proves nobody wrote in between, hence
 *    nobody took the lease and refreshed after ours: the stored token is Okta's latest.
 * 4. A failed swap means someone took over the lease and may have refreshed after us (or before us, their request
 *    overtaken by ours). Either way one more round — lease, refresh with what the secret now holds, swap — at once,
 *    inside the grace period, makes the last refresh ours and stores it.
 *
 * Argument: the last successful swap is by a process P whose refresh was sent after its lease write and whose swap
 * saw no write since. Any refresh Okta processes after P's was sent either after P's lease (so its sender wrote a
 * lease after P's — P's swap would have failed) or before it (a slow holder whose own swap then fails and who does
 * another round, whose later success contradicts P being last). What is not covered: a process that crashes after
 * Okta processed its refresh and before its next round — as with any store, a rotated token that was never stored.
 *
 * Also: concurrent callers in one process share one refresh (single-flight, even across client instances of the
 * same app and store); a new refresh token is stored BEFORE the new access token is used; `invalid_grant` re-reads
 * the secret (a person may have re-consented); ambiguous failures (timeout, reset, 5xx, unreadable 2xx) are retried
 * once at once (if Okta processed the first, the old token is still inside the grace period); a 429 waits for its
 * reset (bounded). Stores without compare-and-swap fall back to re-read before, write after, newest wins.
 */
import { randomUUID } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import { OktaCredentialsError, OktaReconsentRequiredError, OktaScopeError } from '../errors.js';
import { type Clock, sleepWithSignal, systemClock } from '../http/clock.js';
import { safeCause } from '../http/redact.js';
import { parseOktaSecret } from './secret.js';
import {
  checkGrantedScopes,
  classifyTokenFailure,
  grantedScopes,
  orgAuthorizationServer,
  requestOptions,
  type TokenEndpointDeps,
  tokenFailureError,
} from './token-endpoint.js';
import type { AuthorizationHeader, CredentialProvider, SecretStore } from './types.js';

const DAY_MS = 86_400_000;

export interface RefreshTokenCredentialsOptions extends TokenEndpointDeps {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly refreshToken: string;
  readonly tokenEndpointAuthMethod?: 'client_secret_basic' | 'client_secret_post';
  /** Where the refresh token lives; required to persist rotations (Secrets Manager in AWS). */
  readonly store?: SecretStore;
  readonly clock?: Clock;
  /** First consent (ISO): Okta refresh tokens expire 90 days after it, rotations do not extend it. */
  readonly consentedAt?: string;
  /** Scopes the flows need; a token response without one of them is an `OktaScopeError`. */
  readonly requiredScopes?: readonly string[];
  /** Refresh this long before the access token expires (default 5 min). */
  readonly refreshMarginMs?: number;
  /** Warn when the refresh token expires within this many days (default 14). */
  readonly expiryWarningDays?: number;
  /** Absolute refresh-token lifetime (Okta org AS: 90 days). */
  readonly refreshTokenLifetimeDays?: number;
  /** Share refreshes with other instances for the same app and store in this process (default true). */
  readonly shareInProcess?: boolean;
  /** How long the refresh lease written into the secret is good for (default 20 s). */
  readonly refreshLeaseTtlMs?: number;
  /** Lease-refresh-store rounds before giving up on write conflicts (default 4). */
  readonly maxRefreshRounds?: number;
}

export interface RefreshTokenExpiry {
  readonly expiresAt: string;
  readonly daysLeft: number;
  /** True when within `expiryWarningDays`: plan `okta-flow connect`. */
  readonly expiringSoon: boolean;
}

interface Minted {
  readonly accessToken: string;
  readonly expiresAt: number;
  readonly refreshToken: string;
  readonly consentedAt: string | undefined;
}

/** How long a refresh lease in the secret is good for: a token request's timeout (15 s) plus a margin. */
const DEFAULT_LEASE_TTL_MS = 20_000;
/** How often a process waiting for another's lease re-reads the secret (plus up to as much jitter). */
const LEASE_POLL_MS = 150;

/** The refresh lease a process writes into the secret before it refreshes (see the header comment). */
interface LeaseRecord {
  readonly holder: string;
  readonly ttlMs: number;
}

function leaseOf(raw: Record<string, unknown>): LeaseRecord | null {
  const lease = raw.refreshLease as { holder?: unknown; ttlMs?: unknown } | undefined;
  if (lease === null || typeof lease !== 'object') return null;
  if (typeof lease.holder !== 'string' || typeof lease.ttlMs !== 'number') return null;
  return { holder: lease.holder, ttlMs: Math.min(Math.max(lease.ttlMs, 0), 5 * 60_000) };
}

interface Stored {
  raw: Record<string, unknown>;
  refreshToken: string;
  consentedAt?: string;
}

interface Versioned {
  readonly raw: Record<string, unknown>;
  readonly version: string;
  readonly parsed: Stored;
}

/** A held lease: the secret as we wrote it, its version, and the refresh token it holds. */
interface Lease {
  readonly raw: Record<string, unknown>;
  readonly version: string;
  readonly refreshToken: string;
  readonly consentedAt: string | undefined;
}

type Attempt =
  | { kind: 'ok'; body: oauth.TokenEndpointResponse }
  | { kind: 'invalid_grant'; error: OktaReconsentRequiredError };

/** Process-wide single-flight per app + store, so parallel clients do not race on one rotating token. */
const inflightByApp = new Map<string, Promise<Minted>>();
const storeIds = new WeakMap<object, number>();
let nextStoreId = 1;
function storeKey(store: SecretStore | undefined): string {
  if (!store) return 'memory';
  let id = storeIds.get(store);
  if (id === undefined) {
    id = nextStoreId++;
    storeIds.set(store, id);
  }
  return `store${id}`;
}

export class RefreshTokenCredentials implements CredentialProvider {
  readonly #o: RefreshTokenCredentialsOptions;
  readonly #clock: Clock;
  readonly #as: oauth.AuthorizationServer;
  readonly #client: oauth.Client;
  readonly #clientAuth: oauth.ClientAuth;
  readonly #key: string;
  /** Names this provider in the refresh lease. */
  readonly #holder = randomUUID();
  #refreshToken: string;
  #consentedAt: string | undefined;
  #access: { token: string; expiresAt: number } | undefined;
  #ownInflight: Promise<Minted> | undefined;
  #warnedExpiry = false;
  /** Refresh and access tokens this provider has held (a handful per run), for scrubbing Okta's echoes. */
  readonly #seen = new Set<string>();

  constructor(options: RefreshTokenCredentialsOptions) {
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
    this.#as = orgAuthorizationServer(options.origin);
    this.#client = { client_id: options.clientId };
    this.#clientAuth =
      (options.tokenEndpointAuthMethod ?? 'client_secret_basic') === 'client_secret_post'
        ? oauth.ClientSecretPost(options.clientSecret)
        : oauth.ClientSecretBasic(options.clientSecret);
    this.#refreshToken = options.refreshToken;
    this.#seen.add(options.refreshToken);
    this.#consentedAt = options.consentedAt;
    this.#key = `${options.origin}|${options.clientId}|${storeKey(options.store)}`;
  }

  describe(): string {
    return `OAuth refresh token for client ${this.#o.clientId} (Bearer)`;
  }

  toJSON(): string {
    return this.describe();
  }

  invalidate(): void {
    this.#access = undefined;
  }

  /** Client secret, every refresh token seen and every access token minted by this provider. */
  secrets(): readonly string[] {
    return [this.#o.clientSecret, ...this.#seen];
  }

  /** When the refresh token stops working (90 days after consent), if the secret records `consentedAt`. */
  refreshTokenExpiry(): RefreshTokenExpiry | undefined {
    const consented = Date.parse(this.#consentedAt ?? '');
    if (!Number.isFinite(consented)) return undefined;
    const expiresAtMs = consented + (this.#o.refreshTokenLifetimeDays ?? 90) * DAY_MS;
    const daysLeft = Math.floor((expiresAtMs - this.#clock.now()) / DAY_MS);
    return {
      expiresAt: new Date(expiresAtMs).toISOString(),
      daysLeft,
      expiringSoon: daysLeft <= (this.#o.expiryWarningDays ?? 14),
    };
  }

  async authorize(signal?: AbortSignal): Promise<AuthorizationHeader> {
    const margin = this.#o.refreshMarginMs ?? 5 * 60_000;
    if (this.#access && this.#clock.now() < this.#access.expiresAt - margin) {
      return { header: `Bearer ${this.#access.token}`, kind: 'bearer' };
    }
    signal?.throwIfAborted();
    const minted = await this.#singleFlight();
    this.#refreshToken = minted.refreshToken;
    this.#seen.add(minted.refreshToken);
    this.#seen.add(minted.accessToken);
    this.#consentedAt = minted.consentedAt ?? this.#consentedAt;
    this.#access = { token: minted.accessToken, expiresAt: minted.expiresAt };
    this.#warnIfExpiring();
    return { header: `Bearer ${minted.accessToken}`, kind: 'bearer' };
  }

  #singleFlight(): Promise<Minted> {
    const shared = this.#o.shareInProcess ?? true;
    const existing = shared ? inflightByApp.get(this.#key) : this.#ownInflight;
    if (existing) return existing;
    const p = this.#refresh().finally(() => {
      if (shared) inflightByApp.delete(this.#key);
      else this.#ownInflight = undefined;
    });
    if (shared) inflightByApp.set(this.#key, p);
    else this.#ownInflight = p;
    return p;
  }

  /** The stored secret as a JSON object plus its parsed oauth2 view. */
  async #readStore(): Promise<Stored> {
    const store = this.#o.store;
    if (!store) throw new Error('unreachable: no store');
    let text: string;
    try {
      text = await store.read();
    } catch (err) {
      throw new OktaCredentialsError(
        'Could not read the Okta credentials secret to get the current refresh token.',
        [],
        safeCause(err, this.secrets()),
      );
    }
    return this.#parseStored(text);
  }

  #parseStored(text: string): Stored {
    const secret = parseOktaSecret(text);
    if (secret.type !== 'oauth2') {
      throw new OktaCredentialsError(`The Okta credentials secret changed to type "${secret.type}" during the run.`, [
        'type',
      ]);
    }
    const consentedAt = secret.consentedAt ?? secret.refreshTokenIssuedAt;
    return {
      raw: JSON.parse(text) as Record<string, unknown>,
      refreshToken: secret.refreshToken,
      ...(consentedAt ? { consentedAt } : {}),
    };
  }

  /**
   * One refresh. With a compare-and-swap store (Secrets Manager, the CLI's file, memory) it runs under the refresh
   * lease (see the header comment); otherwise the store is re-read before and written after, newest-wins.
   */
  async #refresh(): Promise<Minted> {
    const store = this.#o.store;
    if (store?.readVersioned && store.writeIfVersion) return this.#refreshUnderLease(store);
    return this.#refreshUnversioned();
  }

  async #refreshUnderLease(store: SecretStore): Promise<Minted> {
    const rounds = this.#o.maxRefreshRounds ?? 4;
    let lastConflict = false;
    for (let round = 1; round <= rounds; round++) {
      const lease = await this.#takeLease(store);
      let outcome: Attempt;
      try {
        outcome = await this.#requestTokens(lease.refreshToken);
      } catch (error) {
        await this.#dropLease(store, lease).catch(() => undefined);
        throw error;
      }
      if (outcome.kind === 'invalid_grant') {
        // Holding the lease, the stored token is the one we sent: nobody rotated it meanwhile, unless a person
        // re-consented (a different token without our lease): then a new round uses theirs.
        const now = await this.#readStoreVersioned(store);
        if (now.parsed.refreshToken !== lease.refreshToken && round < rounds) {
          this.#o.observer?.onRetry?.({
            path: '/oauth2/v1/token',
            attempt: round,
            reason: 'invalid_grant: the secret holds a newer refresh token',
            delayMs: 0,
          });
          continue;
        }
        await this.#dropLease(store, lease).catch(() => undefined);
        throw outcome.error;
      }
      const { body } = outcome;
      const fresh = body.refresh_token && body.refresh_token !== lease.refreshToken ? body.refresh_token : undefined;
      if (fresh !== undefined) this.#seen.add(fresh);
      const { refreshLease: _ours, ...rest } = lease.raw;
      const next = JSON.stringify({
        ...rest,
        ...(fresh !== undefined
          ? { refreshToken: fresh, refreshTokenRotatedAt: new Date(this.#clock.now()).toISOString() }
          : {}),
      });
      if (await this.#casWrite(store, next, lease.version)) {
        return this.#minted(body, fresh ?? lease.refreshToken, lease.consentedAt);
      }
      // Someone wrote after our lease: they judged it stale (we were slow) and refreshed too, or a person
      // re-consented. Okta's current token is whichever refresh it processed LAST, which may be ours — unknown. One
      // more round, at once and so inside the rotation grace period, makes the last refresh ours and stores it.
      lastConflict = true;
      this.#o.observer?.onWarning?.({
        code: 'okta.oauth.rotation-conflict',
        message:
          'Another process refreshed the Okta token while this one held the refresh lease; refreshing once more ' +
          'so that the secret holds the token Okta issued last.',
      });
    }
    throw new OktaCredentialsError(
      `Could not store a rotated Okta refresh token after ${rounds} rounds${lastConflict ? ' of write conflicts' : ''}: ` +
        'other processes keep refreshing the same secret. Run fewer flows at once on one OAuth secret, or use a ' +
        'private-key-JWT service app (no refresh token).',
      ['refreshToken'],
    );
  }

  /**
   * Takes the refresh lease in the secret by compare-and-swap. A lease held by another process is waited for; it is
   * taken over only once its holder has left the secret unchanged for the lease's whole TTL as measured on OUR
   * clock, so skewed clocks cannot make a live lease look expired.
   */
  async #takeLease(store: SecretStore): Promise<Lease> {
    const ttlMs = this.#o.refreshLeaseTtlMs ?? DEFAULT_LEASE_TTL_MS;
    const giveUpAt = this.#clock.now() + 3 * ttlMs;
    let watching: { version: string; since: number } | null = null;
    for (;;) {
      const current = await this.#readStoreVersioned(store);
      const held = leaseOf(current.raw);
      if (held !== null && held.holder !== this.#holder) {
        const now = this.#clock.now();
        if (watching === null || watching.version !== current.version)
          watching = { version: current.version, since: now };
        if (now - watching.since < held.ttlMs) {
          if (now > giveUpAt) {
            throw new OktaCredentialsError(
              'Another process keeps the Okta refresh lease in the credentials secret and keeps renewing it; ' +
                'this one gave up waiting. Retry the run.',
              ['refreshLease'],
            );
          }
          await sleepWithSignal(this.#clock, LEASE_POLL_MS + Math.floor(Math.random() * LEASE_POLL_MS));
          continue;
        }
        this.#o.observer?.onWarning?.({
          code: 'okta.oauth.lease-taken-over',
          message: `A refresh lease in the credentials secret was unchanged for ${Math.round(held.ttlMs / 1000)} s; taking it over.`,
        });
      }
      const raw = { ...current.raw, refreshLease: { holder: this.#holder, ttlMs } };
      if (!(await this.#casWrite(store, JSON.stringify(raw), current.version))) continue;
      // The version of our own write: read back (the store returns no version from a write).
      const mine = await this.#readStoreVersioned(store);
      if (leaseOf(mine.raw)?.holder !== this.#holder) continue;
      return {
        raw: mine.raw,
        version: mine.version,
        refreshToken: mine.parsed.refreshToken,
        consentedAt: mine.parsed.consentedAt ?? this.#consentedAt,
      };
    }
  }

  /** Gives the lease back after a failed refresh (best effort: it expires anyway). */
  async #dropLease(store: SecretStore, lease: Lease): Promise<void> {
    const { refreshLease: _ours, ...rest } = lease.raw;
    await this.#casWrite(store, JSON.stringify(rest), lease.version);
  }

  async #casWrite(store: SecretStore, json: string, version: string): Promise<boolean> {
    try {
      return (await store.writeIfVersion?.(json, version)) === true;
    } catch (err) {
      throw new OktaCredentialsError(
        'Could not write the Okta credentials secret (check the role may secretsmanager:PutSecretValue and ' +
          'UpdateSecretVersionStage on it). No rotated token was used.',
        ['refreshToken'],
        safeCause(err, this.secrets()),
      );
    }
  }

  async #readStoreVersioned(store: SecretStore): Promise<Versioned> {
    let versioned: { value: string; version: string };
    try {
      versioned = await (store.readVersioned?.() ?? Promise.reject(new Error('no versioned read')));
    } catch (err) {
      throw new OktaCredentialsError(
        'Could not read the Okta credentials secret to get the current refresh token.',
        [],
        safeCause(err, this.secrets()),
      );
    }
    const parsed = this.#parseStored(versioned.value);
    this.#seen.add(parsed.refreshToken);
    return { raw: parsed.raw, version: versioned.version, parsed };
  }

  #minted(body: oauth.TokenEndpointResponse, refreshToken: string, consentedAt: string | undefined): Minted {
    this.#seen.add(body.access_token);
    return {
      accessToken: body.access_token,
      expiresAt: this.#clock.now() + (body.expires_in ?? 3600) * 1000,
      refreshToken,
      consentedAt,
    };
  }

  /**
   * One refresh request with its retries: ambiguous failures (timeout, reset, 5xx, unreadable 2xx) once at once (if
   * Okta processed the first, the old token is still inside the grace period), 429 after its reset (bounded).
   * `invalid_grant` is returned for the caller to decide.
   */
  async #requestTokens(token: string): Promise<Attempt> {
    let ambiguousRetried = false;
    let rateLimited = 0;
    for (;;) {
      try {
        const response = await oauth.refreshTokenGrantRequest(
          this.#as,
          this.#client,
          this.#clientAuth,
          token,
          requestOptions(this.#o),
        );
        const body = await oauth.processRefreshTokenResponse(this.#as, this.#client, response);
        if (body.refresh_token) this.#seen.add(body.refresh_token);
        this.#seen.add(body.access_token);
        checkGrantedScopes(
          body.scope === undefined ? undefined : grantedScopes(body.scope),
          { required: this.#o.requiredScopes },
          this.#o.observer,
        );
        return { kind: 'ok', body };
      } catch (err) {
        if (err instanceof OktaScopeError) throw err;
        const failure = classifyTokenFailure(err, this.secrets());
        if (failure.kind === 'oauth-error' && failure.error === 'invalid_grant') {
          return {
            kind: 'invalid_grant',
            error: new OktaReconsentRequiredError(
              failure.description ?? 'invalid_grant',
              tokenFailureError(failure, 'Refreshing the access token', this.#o.origin),
            ),
          };
        }
        if (failure.kind === 'oauth-error' && failure.status === 429 && rateLimited < 3) {
          rateLimited++;
          const waitMs = Math.min(60_000, Math.max(1_000, (failure.resetAtSec ?? 0) * 1000 - this.#clock.now() + 250));
          this.#o.observer?.onRateLimitWait?.({ bucket: 'POST /oauth2/v1/token', waitMs, reason: '429' });
          await sleepWithSignal(this.#clock, waitMs);
          continue;
        }
        const ambiguous =
          (failure.kind === 'network' && failure.ambiguous) ||
          failure.kind === 'invalid-response' ||
          (failure.kind === 'oauth-error' && failure.status >= 500);
        const refused = failure.kind === 'network' && !failure.ambiguous;
        if ((ambiguous || refused) && !ambiguousRetried) {
          ambiguousRetried = true;
          this.#o.observer?.onRetry?.({ path: '/oauth2/v1/token', attempt: 1, reason: failure.kind, delayMs: 0 });
          continue;
        }
        throw tokenFailureError(failure, 'Refreshing the access token', this.#o.origin, ambiguousRetried ? 2 : 1);
      }
    }
  }

  /** Stores without compare-and-swap: re-read before, write after, newest wins by rotation time. */
  async #refreshUnversioned(): Promise<Minted> {
    let token = this.#refreshToken;
    let consentedAt = this.#consentedAt;
    if (this.#o.store) {
      const stored = await this.#readStore();
      token = stored.refreshToken;
      consentedAt = stored.consentedAt ?? consentedAt;
    }
    let reread = false;
    for (;;) {
      const sentAt = this.#clock.now();
      const outcome = await this.#requestTokens(token);
      if (outcome.kind === 'invalid_grant') {
        if (this.#o.store && !reread) {
          reread = true;
          const stored = await this.#readStore();
          if (stored.refreshToken !== token) {
            token = stored.refreshToken;
            consentedAt = stored.consentedAt ?? consentedAt;
            this.#o.observer?.onRetry?.({
              path: '/oauth2/v1/token',
              attempt: 1,
              reason: 'invalid_grant: using the refresh token another process stored',
              delayMs: 0,
            });
            continue;
          }
        }
        throw outcome.error;
      }
      const { body } = outcome;
      let refreshToken = token;
      if (body.refresh_token && body.refresh_token !== token) {
        refreshToken = await this.#persist(token, body.refresh_token, sentAt);
      }
      return this.#minted(body, refreshToken, consentedAt);
    }
  }

  /**
   * Stores without compare-and-swap: store the rotated refresh token before anyone uses the new access token.
   * Returns the refresh token to use next (ours, or a newer one another process stored meanwhile).
   */
  async #persist(used: string, fresh: string, sentAt: number): Promise<string> {
    const store = this.#o.store;
    if (!store) {
      this.#o.observer?.onWarning?.({
        code: 'okta.oauth.rotation-not-persisted',
        message:
          'Okta rotated the refresh token but no secret store is configured: the new token lives only in memory. ' +
          'Configure the Secrets Manager secret so rotations survive this process.',
      });
      return fresh;
    }
    let lastError: unknown;
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        const current = this.#parseStored(await store.read());
        const storedAt = Math.max(
          ...['refreshTokenRotatedAt', 'refreshTokenIssuedAt', 'consentedAt'].map((k) => {
            const v = current.raw[k];
            return typeof v === 'string' ? Date.parse(v) || 0 : 0;
          }),
        );
        if (current.refreshToken !== used && current.refreshToken !== fresh && storedAt > sentAt) {
          this.#o.observer?.onWarning?.({
            code: 'okta.oauth.rotation-superseded',
            message: 'Another process stored a newer refresh token while we refreshed; keeping theirs.',
          });
          return current.refreshToken;
        }
        await store.write(
          JSON.stringify({
            ...current.raw,
            refreshToken: fresh,
            refreshTokenRotatedAt: new Date(sentAt).toISOString(),
          }),
        );
        return fresh;
      } catch (err) {
        lastError = err;
        await sleepWithSignal(this.#clock, 200 * 2 ** Math.min(attempt, 3));
      }
    }
    throw new OktaCredentialsError(
      'Okta rotated the refresh token but it could not be saved to the credentials secret (check the role may ' +
        'secretsmanager:PutSecretValue on it). The new access token was not used. If this persists, re-run ' +
        '`okta-flow connect`.',
      ['refreshToken'],
      safeCause(lastError, this.secrets()),
    );
  }

  #warnIfExpiring(): void {
    const expiry = this.refreshTokenExpiry();
    if (!expiry?.expiringSoon || this.#warnedExpiry) return;
    this.#warnedExpiry = true;
    this.#o.observer?.onWarning?.({
      code: 'okta.oauth.refresh-token-expiring',
      message:
        `The Okta refresh token expires in ${Math.max(0, expiry.daysLeft)} day(s) (${expiry.expiresAt}); Okta does ` +
        'not extend it on rotation. Re-run `okta-flow connect` before then.',
    });
  }
}
