/**
 * OAuth 2.0 client credentials with `private_key_jwt` (an Okta service app): no refresh token, no consent, the most
 * robust option for unattended runs. The client assertion (iss = sub = clientId, aud = the token URL, exp ≤ 60 s,
 * unique jti, RS256 for RSA keys / ES256 for P-256 keys) is built and signed by oauth4webapi's PrivateKeyJwt from a
 * key imported with jose.
 */
import { createPrivateKey } from 'node:crypto';
import { importJWK, type JWK } from 'jose';
import * as oauth from 'oauth4webapi';
import { OktaCredentialsError } from '../errors.js';
import { backoffDelay } from '../http/backoff.js';
import { type Clock, sleepWithSignal, systemClock } from '../http/clock.js';
import {
  checkGrantedScopes,
  classifyTokenFailure,
  grantedScopes,
  orgAuthorizationServer,
  requestOptions,
  type TokenEndpointDeps,
  tokenFailureError,
} from './token-endpoint.js';
import type { AuthorizationHeader, CredentialProvider } from './types.js';

export interface PrivateKeyJwtCredentialsOptions extends TokenEndpointDeps {
  readonly clientId: string;
  /** A private JWK (RSA or EC) or a PEM string (PKCS#8 or PKCS#1/SEC1). */
  readonly privateKey: JWK | string;
  /** The key id registered with the app (defaults to the JWK's `kid`). */
  readonly keyId?: string;
  /** Scopes to request (client credentials need an explicit scope). */
  readonly scopes: readonly string[];
  readonly requiredScopes?: readonly string[];
  readonly clock?: Clock;
  readonly random?: () => number;
  /** Mint a new token this long before the current one expires (default 5 min). */
  readonly refreshMarginMs?: number;
  /** Retries of a failed token request (network, 5xx, 429); each uses a new assertion (default 3). */
  readonly maxRetries?: number;
}

function algFor(jwk: JWK): string {
  if (typeof jwk.alg === 'string' && jwk.alg) return jwk.alg;
  if (jwk.kty === 'RSA') return 'RS256';
  if (jwk.kty === 'EC') {
    if (jwk.crv === 'P-384') return 'ES384';
    if (jwk.crv === 'P-521') return 'ES512';
    return 'ES256';
  }
  throw new OktaCredentialsError('The private key must be an RSA or EC key (key "privateKey").', ['privateKey']);
}

/** The CryptoKey type as jose returns it (this project's TS lib has no DOM types). */
export type SigningKey = Exclude<Awaited<ReturnType<typeof importJWK>>, Uint8Array>;

/** Import a JWK or PEM private key as a signing CryptoKey plus its JWS algorithm. Errors never quote key material. */
export async function importSigningKey(
  privateKey: JWK | string,
): Promise<{ key: SigningKey; alg: string; kid?: string }> {
  let jwk: JWK;
  if (typeof privateKey === 'string') {
    try {
      jwk = createPrivateKey({ key: privateKey, format: 'pem' }).export({ format: 'jwk' }) as JWK;
    } catch {
      throw new OktaCredentialsError(
        'Key "privateKey" is not a readable PEM private key (expected "-----BEGIN PRIVATE KEY-----" PKCS#8, or PKCS#1 RSA / SEC1 EC).',
        ['privateKey'],
      );
    }
  } else {
    jwk = privateKey;
  }
  if (!jwk.d)
    throw new OktaCredentialsError('Key "privateKey" is a public key; a private key is required.', ['privateKey']);
  const alg = algFor(jwk);
  try {
    const key = await importJWK({ ...jwk, alg }, alg);
    if (key instanceof Uint8Array) throw new Error('not an asymmetric key');
    return { key, alg, ...(typeof jwk.kid === 'string' ? { kid: jwk.kid } : {}) };
  } catch {
    throw new OktaCredentialsError(`Key "privateKey" could not be imported as an ${alg} signing key.`, ['privateKey']);
  }
}

export class PrivateKeyJwtCredentials implements CredentialProvider {
  readonly #o: PrivateKeyJwtCredentialsOptions;
  readonly #clock: Clock;
  readonly #as: oauth.AuthorizationServer;
  readonly #client: oauth.Client;
  #auth: Promise<oauth.ClientAuth> | undefined;
  #access: { token: string; expiresAt: number } | undefined;
  #inflight: Promise<{ token: string; expiresAt: number }> | undefined;
  /** Every access token minted by this provider (a few per day), for scrubbing Okta's echoes. */
  readonly #minted = new Set<string>();

  constructor(options: PrivateKeyJwtCredentialsOptions) {
    if (!options.scopes.length)
      throw new OktaCredentialsError('Key "scopes" must list at least one scope.', ['scopes']);
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
    this.#as = orgAuthorizationServer(options.origin);
    this.#client = { client_id: options.clientId };
  }

  describe(): string {
    return `OAuth client credentials (private_key_jwt) for service app ${this.#o.clientId} (Bearer)`;
  }

  toJSON(): string {
    return this.describe();
  }

  invalidate(): void {
    this.#access = undefined;
  }

  /** The access tokens minted so far (the private key never leaves this process; assertions expire in 60 s). */
  secrets(): readonly string[] {
    return [...this.#minted];
  }

  async authorize(signal?: AbortSignal): Promise<AuthorizationHeader> {
    const margin = this.#o.refreshMarginMs ?? 5 * 60_000;
    if (this.#access && this.#clock.now() < this.#access.expiresAt - margin) {
      return { header: `Bearer ${this.#access.token}`, kind: 'bearer' };
    }
    signal?.throwIfAborted();
    this.#inflight ??= this.#mint().finally(() => {
      this.#inflight = undefined;
    });
    this.#access = await this.#inflight;
    return { header: `Bearer ${this.#access.token}`, kind: 'bearer' };
  }

  #clientAuth(): Promise<oauth.ClientAuth> {
    this.#auth ??= (async () => {
      const { key, kid: jwkKid } = await importSigningKey(this.#o.privateKey);
      const kid = this.#o.keyId ?? jwkKid;
      if (!kid)
        throw new OktaCredentialsError('Key "keyId" is required (the key id registered with the app).', ['keyId']);
      const tokenUrl = this.#as.token_endpoint ?? '';
      return oauth.PrivateKeyJwt(
        { key, kid },
        {
          // Okta wants aud = the token URL (oauth4webapi defaults to the issuer); times from our clock.
          [oauth.modifyAssertion]: (_header, payload) => {
            const now = Math.floor(this.#clock.now() / 1000);
            payload.aud = tokenUrl;
            payload.iat = now;
            payload.nbf = now;
            payload.exp = now + 60;
          },
        },
      );
    })();
    this.#auth.catch(() => {
      this.#auth = undefined;
    });
    return this.#auth;
  }

  async #mint(): Promise<{ token: string; expiresAt: number }> {
    const clientAuth = await this.#clientAuth();
    const maxRetries = this.#o.maxRetries ?? 3;
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await oauth.clientCredentialsGrantRequest(
          this.#as,
          this.#client,
          clientAuth,
          { scope: this.#o.scopes.join(' ') },
          requestOptions(this.#o),
        );
        const body = await oauth.processClientCredentialsResponse(this.#as, this.#client, response);
        checkGrantedScopes(
          body.scope === undefined ? undefined : grantedScopes(body.scope),
          { required: this.#o.requiredScopes, requested: this.#o.scopes },
          this.#o.observer,
        );
        this.#minted.add(body.access_token);
        return { token: body.access_token, expiresAt: this.#clock.now() + (body.expires_in ?? 3600) * 1000 };
      } catch (err) {
        if (err instanceof OktaCredentialsError || (err as Error).name === 'OktaScopeError') throw err;
        const failure = classifyTokenFailure(err, []);
        // Client credentials have no rotating state: any transient failure may be retried with a new assertion.
        const transient =
          failure.kind === 'network' ||
          failure.kind === 'invalid-response' ||
          (failure.kind === 'oauth-error' && (failure.status >= 500 || failure.status === 429));
        if (!transient || attempt >= maxRetries) {
          throw tokenFailureError(failure, 'Getting a client-credentials token', this.#o.origin, attempt + 1);
        }
        const delayMs =
          failure.kind === 'oauth-error' && failure.status === 429 && failure.resetAtSec
            ? Math.min(60_000, Math.max(0, failure.resetAtSec * 1000 - this.#clock.now()) + 250)
            : backoffDelay(attempt, this.#o.random ?? Math.random);
        this.#o.observer?.onRetry?.({ path: '/oauth2/v1/token', attempt: attempt + 1, reason: failure.kind, delayMs });
        await sleepWithSignal(this.#clock, delayMs);
      }
    }
  }
}
