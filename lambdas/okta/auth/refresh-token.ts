/**
 * OAuth 2.0 refresh-token credentials for an Okta web app (authorization code + `offline_access`).
 *
 * Rotation safety (Okta ROTATE: every refresh returns a new refresh token; reusing an old one after the grace period
 * revokes the whole chain):
 * - Before every refresh we re-read the secret store: another invocation may have rotated the token since we read it.
 * - Concurrent callers in one process share one refresh (single-flight, even across client instances of the same
 *   app and store).
 * - A new refresh token is persisted BEFORE the access token is used. The write is "newest wins": if the store
 *   meanwhile holds a token from a refresh that was sent after ours, we adopt it instead of overwriting it.
 * - `invalid_grant`: re-read the store once; if it holds a different token, retry with it; else re-consent is needed.
 * - Ambiguous failures (timeout, connection reset, 5xx, unreadable 2xx) are retried once, immediately: if Okta did
 *   process the first request, the old token is still inside the grace period (default 30 s) and the retry gets a
 *   fresh pair; waiting or failing would leave a rotated token in the store whose next use revokes the chain.
 *   A 429 was not processed: we wait for its reset (bounded) and retry.
 */
import * as oauth from 'oauth4webapi';
import { OktaCredentialsError, OktaReconsentRequiredError } from '../errors.js';
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

  #secrets(extra: readonly string[] = []): string[] {
    return [this.#o.clientSecret, this.#refreshToken, ...extra];
  }

  /** The stored secret as a JSON object plus its parsed oauth2 view. */
  async #readStore(): Promise<{ raw: Record<string, unknown>; refreshToken: string; consentedAt?: string }> {
    const store = this.#o.store;
    if (!store) throw new Error('unreachable: no store');
    let text: string;
    try {
      text = await store.read();
    } catch (err) {
      throw new OktaCredentialsError(
        'Could not read the Okta credentials secret to get the current refresh token.',
        [],
        safeCause(err, this.#secrets()),
      );
    }
    return this.#parseStored(text);
  }

  #parseStored(text: string): { raw: Record<string, unknown>; refreshToken: string; consentedAt?: string } {
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

  async #refresh(): Promise<Minted> {
    let token = this.#refreshToken;
    let consentedAt = this.#consentedAt;
    if (this.#o.store) {
      const stored = await this.#readStore();
      token = stored.refreshToken;
      consentedAt = stored.consentedAt ?? consentedAt;
    }
    let reread = false;
    let ambiguousRetried = false;
    let rateLimited = 0;
    for (;;) {
      const sentAt = this.#clock.now();
      let body: oauth.TokenEndpointResponse;
      try {
        const response = await oauth.refreshTokenGrantRequest(
          this.#as,
          this.#client,
          this.#clientAuth,
          token,
          requestOptions(this.#o),
        );
        body = await oauth.processRefreshTokenResponse(this.#as, this.#client, response);
      } catch (err) {
        const failure = classifyTokenFailure(err, this.#secrets([token]));
        if (failure.kind === 'oauth-error' && failure.error === 'invalid_grant') {
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
          throw new OktaReconsentRequiredError(
            failure.description ?? 'invalid_grant',
            tokenFailureError(failure, 'Refreshing the access token', this.#o.origin),
          );
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

      checkGrantedScopes(
        body.scope === undefined ? undefined : grantedScopes(body.scope),
        { required: this.#o.requiredScopes },
        this.#o.observer,
      );
      let refreshToken = token;
      if (body.refresh_token && body.refresh_token !== token) {
        refreshToken = await this.#persist(token, body.refresh_token, sentAt, [body.access_token]);
      }
      return {
        accessToken: body.access_token,
        expiresAt: this.#clock.now() + (body.expires_in ?? 3600) * 1000,
        refreshToken,
        consentedAt,
      };
    }
  }

  /**
   * Store the rotated refresh token before anyone uses the new access token. Returns the refresh token to use next
   * (ours, or a newer one another process stored meanwhile).
   */
  async #persist(used: string, fresh: string, sentAt: number, extraSecrets: readonly string[]): Promise<string> {
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
        const versioned = store.readVersioned ? await store.readVersioned() : undefined;
        const current = this.#parseStored(versioned ? versioned.value : await store.read());
        const storedAt = Math.max(
          ...['refreshTokenRotatedAt', 'refreshTokenIssuedAt', 'consentedAt'].map((k) => {
            const v = current.raw[k];
            return typeof v === 'string' ? Date.parse(v) || 0 : 0;
          }),
        );
        if (current.refreshToken !== used && current.refreshToken !== fresh && storedAt > sentAt) {
          // Another process refreshed (or a human re-consented) after we sent ours: theirs is the chain's current.
          this.#o.observer?.onWarning?.({
            code: 'okta.oauth.rotation-superseded',
            message: 'Another process stored a newer refresh token while we refreshed; keeping theirs.',
          });
          return current.refreshToken;
        }
        const next = JSON.stringify({
          ...current.raw,
          refreshToken: fresh,
          refreshTokenRotatedAt: new Date(sentAt).toISOString(),
        });
        if (versioned && store.writeIfVersion) {
          // Compare-and-swap: if someone wrote since our read, decide again on what they wrote.
          if (await store.writeIfVersion(next, versioned.version)) return fresh;
          lastError = new Error('the secret changed while we were writing it');
          continue;
        }
        await store.write(next);
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
      safeCause(lastError, this.#secrets([used, fresh, ...extraSecrets])),
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
