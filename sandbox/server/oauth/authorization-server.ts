import { createHash, timingSafeEqual } from 'node:crypto';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { SandboxClock } from '../../clock.js';
import { randomToken } from '../random.js';
import { type ConsentingAdmin, KNOWN_SCOPES, type OAuthClient } from './clients.js';
import type { SigningKey } from './keys.js';
import { type AccessTokenRecord, type RefreshChain, TokenStore } from './token-store.js';

export interface OAuthLifetimes {
  /** Access tokens (Okta's org AS: 3600 s, fixed). */
  readonly accessTokenSeconds?: number;
  /** Absolute refresh-token lifetime from consent (Okta's org AS: 90 days). */
  readonly refreshTokenSeconds?: number;
  /** Authorization codes (300 s). */
  readonly codeSeconds?: number;
}

/** An OAuth response: JSON body, or a redirect for /authorize. */
export type OAuthResponse =
  | { readonly status: number; readonly json: unknown; readonly headers?: Record<string, string> }
  | { readonly status: 302; readonly location: string };

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const ASSERTION_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'];
const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

function tokenError(status: number, error: string, description: string): OAuthResponse {
  return { status, json: { error, error_description: description }, headers: NO_STORE };
}

const INVALID_CLIENT = tokenError(
  401,
  'invalid_client',
  'Client authentication failed. Either the client or the client credentials are invalid.',
);

/**
 * The org authorization server (`/oauth2/v1/*`): authorization code + PKCE with auto-consent, refresh tokens with
 * ROTATE/STATIC behaviour, leeway and reuse detection, and client credentials with `private_key_jwt`.
 * All lifetimes run on the sandbox clock.
 */
export class OrgAuthorizationServer {
  readonly store = new TokenStore();
  readonly #clients: ReadonlyMap<string, OAuthClient>;
  readonly #accessSeconds: number;
  readonly #refreshSeconds: number;
  readonly #codeSeconds: number;
  #issued = 0;

  constructor(
    private readonly clock: SandboxClock,
    private readonly issuer: () => string,
    clients: readonly OAuthClient[],
    private readonly admin: ConsentingAdmin,
    private readonly signingKey: SigningKey,
    lifetimes: OAuthLifetimes = {},
  ) {
    this.#clients = new Map(clients.map((client) => [client.clientId, client]));
    this.#accessSeconds = lifetimes.accessTokenSeconds ?? 3600;
    this.#refreshSeconds = lifetimes.refreshTokenSeconds ?? 90 * 24 * 3600;
    this.#codeSeconds = lifetimes.codeSeconds ?? 300;
  }

  get tokenUrl(): string {
    return `${this.issuer()}/oauth2/v1/token`;
  }

  discovery(): unknown {
    const issuer = this.issuer();
    return {
      issuer,
      authorization_endpoint: `${issuer}/oauth2/v1/authorize`,
      token_endpoint: `${issuer}/oauth2/v1/token`,
      jwks_uri: `${issuer}/oauth2/v1/keys`,
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: [...KNOWN_SCOPES],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
      token_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGORITHMS,
      code_challenge_methods_supported: ['S256'],
      claims_supported: ['iss', 'sub', 'aud', 'iat', 'exp', 'jti', 'cid', 'uid', 'scp'],
    };
  }

  jwks(): unknown {
    return { keys: [this.signingKey.publicJwk] };
  }

  /** The record behind a Bearer token, or null when unknown, revoked or expired. */
  accessToken(token: string): AccessTokenRecord | null {
    const record = this.store.accessTokens.get(token);
    if (!record || record.revoked || record.expiresAtMs <= this.clock.now()) return null;
    return record;
  }

  /** GET /oauth2/v1/authorize: consents as the configured admin and redirects back with a code. */
  authorize(params: URLSearchParams): OAuthResponse {
    const client = this.#clients.get(params.get('client_id') ?? '');
    if (!client) {
      return tokenError(400, 'invalid_client', "Invalid value for 'client_id' parameter.");
    }
    const redirectUri = params.get('redirect_uri') ?? '';
    // An unregistered redirect_uri is never redirected to (that is the point of exact matching).
    if (!client.redirectUris.includes(redirectUri)) {
      return tokenError(
        400,
        'invalid_request',
        "The 'redirect_uri' parameter must be a Login redirect URI in the client app settings.",
      );
    }
    const state = params.get('state');
    const fail = (error: string, description: string): OAuthResponse => {
      const location = new URL(redirectUri);
      location.searchParams.set('error', error);
      location.searchParams.set('error_description', description);
      if (state !== null) location.searchParams.set('state', state);
      return { status: 302, location: location.toString() };
    };
    if (!state) return fail('invalid_request', "The 'state' parameter is required.");
    if (params.get('response_type') !== 'code') {
      return fail('unsupported_response_type', "The 'response_type' must be 'code'.");
    }
    if (!client.grantTypes.includes('authorization_code')) {
      return fail('unauthorized_client', 'The client is not authorized to use the authorization code flow.');
    }
    const challenge = params.get('code_challenge');
    if (!challenge) return fail('invalid_request', 'PKCE code challenge is required.');
    if (params.get('code_challenge_method') !== 'S256') {
      return fail('invalid_request', "PKCE code challenge method must be 'S256'.");
    }
    if (!/^[A-Za-z0-9_-]{43,128}$/.test(challenge)) {
      return fail('invalid_request', 'PKCE code challenge must be a base64url S256 digest.');
    }
    const scopes = this.#grantScopes(client, params.get('scope'));
    if ('error' in scopes) return fail('invalid_scope', scopes.error);
    const code = randomToken(43);
    this.store.codes.set(code, {
      clientId: client.clientId,
      redirectUri,
      scopes: scopes.granted,
      codeChallenge: challenge,
      subject: this.admin.id,
      expiresAtMs: this.clock.now() + this.#codeSeconds * 1000,
      used: false,
      accessTokens: [],
      chain: null,
    });
    const location = new URL(redirectUri);
    location.searchParams.set('code', code);
    location.searchParams.set('state', state);
    return { status: 302, location: location.toString() };
  }

  /** POST /oauth2/v1/token with a form body. */
  async token(
    authorization: string | undefined,
    contentType: string | undefined,
    body: string,
  ): Promise<OAuthResponse> {
    if (!contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
      return tokenError(400, 'invalid_request', 'Token requests must be application/x-www-form-urlencoded.');
    }
    const form = new URLSearchParams(body);
    const authenticated = await this.#authenticateClient(authorization, form);
    if ('response' in authenticated) return authenticated.response;
    const { client } = authenticated;
    const grantType = form.get('grant_type');
    if (!grantType) return tokenError(400, 'invalid_request', "The 'grant_type' parameter is required.");
    if (!['authorization_code', 'refresh_token', 'client_credentials'].includes(grantType)) {
      return tokenError(400, 'unsupported_grant_type', `The grant type '${grantType}' is not supported.`);
    }
    if (!client.grantTypes.some((allowed) => allowed === grantType)) {
      return tokenError(
        400,
        'unauthorized_client',
        `The client is not authorized to use the provided grant type. Configured grant types: [${client.grantTypes.join(', ')}].`,
      );
    }
    if (grantType === 'authorization_code') return this.#authorizationCodeGrant(client, form);
    if (grantType === 'refresh_token') return this.#refreshTokenGrant(client, form);
    return this.#clientCredentialsGrant(client, form);
  }

  async #authorizationCodeGrant(client: OAuthClient, form: URLSearchParams): Promise<OAuthResponse> {
    const codeValue = form.get('code') ?? '';
    const code = this.store.codes.get(codeValue);
    if (!code || code.clientId !== client.clientId) {
      return tokenError(400, 'invalid_grant', 'The authorization code is invalid or has expired.');
    }
    if (code.used) {
      // A replayed code revokes what it minted: someone else may hold it.
      for (const token of code.accessTokens) this.store.revokeAccessToken(token);
      if (code.chain) this.store.revokeChain(code.chain);
      return tokenError(400, 'invalid_grant', 'The authorization code is invalid or has expired.');
    }
    if (code.expiresAtMs <= this.clock.now()) {
      this.store.codes.delete(codeValue);
      return tokenError(400, 'invalid_grant', 'The authorization code is invalid or has expired.');
    }
    if (form.get('redirect_uri') !== code.redirectUri) {
      return tokenError(
        400,
        'invalid_grant',
        "The 'redirect_uri' does not match the redirection URI used in the authorization request.",
      );
    }
    const verifier = form.get('code_verifier');
    if (!verifier) return tokenError(400, 'invalid_grant', 'PKCE verification failed: code_verifier is required.');
    if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) || s256(verifier) !== code.codeChallenge) {
      return tokenError(400, 'invalid_grant', 'PKCE verification failed.');
    }
    code.used = true;
    let chain: RefreshChain | null = null;
    if (code.scopes.includes('offline_access') && client.grantTypes.includes('refresh_token')) {
      chain = this.#newChain(client, code.subject, code.scopes);
      code.chain = chain;
    }
    const accessToken = await this.#issueAccessToken(client, code.subject, code.scopes, chain);
    code.accessTokens.push(accessToken);
    return this.#tokenResponse(accessToken, code.scopes, chain?.current);
  }

  async #refreshTokenGrant(client: OAuthClient, form: URLSearchParams): Promise<OAuthResponse> {
    const value = form.get('refresh_token') ?? '';
    const record = this.store.refreshTokens.get(value);
    const invalid = tokenError(400, 'invalid_grant', 'The refresh token is invalid or expired.');
    if (!record || record.chain.clientId !== client.clientId || record.chain.revoked) return invalid;
    const { chain } = record;
    const now = this.clock.now();
    if (chain.expiresAtMs <= now) return invalid;
    let scopes = chain.scopes;
    const requested = form.get('scope');
    if (requested !== null) {
      const asked = splitScopes(requested);
      const outside = asked.filter((scope) => !chain.scopes.includes(scope));
      if (outside.length > 0) {
        return tokenError(
          400,
          'invalid_scope',
          `The requested scope is invalid, unknown, or malformed: ${outside.join(' ')} was not granted.`,
        );
      }
      scopes = asked;
    }
    // The refresh token this response hands out. Captured before the await below: a concurrent refresh of the same
    // chain may rotate `chain.current` meanwhile, and each caller must get the token its own request minted.
    let issued = chain.current;
    if (client.refreshTokenRotation === 'ROTATE') {
      if (record.rotatedAtMs !== null) {
        const leewayMs = (client.refreshTokenLeewaySeconds ?? 30) * 1000;
        if (now - record.rotatedAtMs > leewayMs) {
          // Reuse of a rotated token after the grace period: assume theft, revoke the whole family.
          this.store.revokeChain(chain);
          return invalid;
        }
      }
      const next = randomToken(43);
      const previous = this.store.refreshTokens.get(chain.current);
      if (previous && previous.rotatedAtMs === null) previous.rotatedAtMs = now;
      if (record.rotatedAtMs === null) record.rotatedAtMs = now;
      chain.current = next;
      issued = next;
      this.store.refreshTokens.set(next, { chain, rotatedAtMs: null });
    }
    const accessToken = await this.#issueAccessToken(client, chain.subject, scopes, chain);
    return this.#tokenResponse(accessToken, scopes, issued);
  }

  async #clientCredentialsGrant(client: OAuthClient, form: URLSearchParams): Promise<OAuthResponse> {
    const requested = form.get('scope');
    if (!requested) return tokenError(400, 'invalid_scope', 'The client_credentials grant requires a scope.');
    const scopes = this.#grantScopes(client, requested);
    if ('error' in scopes) return tokenError(400, 'invalid_scope', scopes.error);
    const granted = scopes.granted.filter((scope) => scope !== 'offline_access' && scope !== 'openid');
    if (granted.length === 0) {
      return tokenError(400, 'invalid_scope', 'None of the requested scopes is granted to this client.');
    }
    const accessToken = await this.#issueAccessToken(client, client.clientId, granted, null);
    return this.#tokenResponse(accessToken, granted, undefined);
  }

  /** Requested ∩ granted-to-the-app: unknown scopes are an error, unallowed ones are dropped (as Okta does). */
  #grantScopes(client: OAuthClient, requested: string | null): { granted: string[] } | { error: string } {
    const asked = splitScopes(requested ?? '');
    if (asked.length === 0) return { error: "The 'scope' parameter is required." };
    const unknown = asked.filter((scope) => !KNOWN_SCOPES.has(scope));
    if (unknown.length > 0) {
      return { error: `The requested scope is invalid, unknown, or malformed: ${unknown.join(' ')}.` };
    }
    const granted = asked.filter(
      (scope) =>
        client.scopes.includes(scope) && (scope !== 'offline_access' || client.grantTypes.includes('refresh_token')),
    );
    if (granted.length === 0) return { error: 'None of the requested scopes is granted to this client.' };
    return { granted };
  }

  #newChain(client: OAuthClient, subject: string, scopes: readonly string[]): RefreshChain {
    const first = randomToken(43);
    const chain: RefreshChain = {
      id: randomToken(12),
      clientId: client.clientId,
      subject,
      scopes,
      expiresAtMs: this.clock.now() + this.#refreshSeconds * 1000,
      revoked: false,
      current: first,
      accessTokens: new Set(),
    };
    this.store.refreshTokens.set(first, { chain, rotatedAtMs: null });
    return chain;
  }

  async #issueAccessToken(
    client: OAuthClient,
    subject: string,
    scopes: readonly string[],
    chain: RefreshChain | null,
  ): Promise<string> {
    const nowMs = this.clock.now();
    const issuer = this.issuer();
    const nowSeconds = Math.floor(nowMs / 1000);
    const token = await new SignJWT({ ver: 1, cid: client.clientId, uid: subject, scp: [...scopes] })
      .setProtectedHeader({ alg: 'RS256', kid: String(this.signingKey.publicJwk.kid) })
      .setJti(`AT.${randomToken(24)}`)
      .setIssuer(issuer)
      .setAudience(issuer)
      .setSubject(subject)
      .setIssuedAt(nowSeconds)
      .setExpirationTime(nowSeconds + this.#accessSeconds)
      .sign(this.signingKey.privateKey);
    this.store.accessTokens.set(token, {
      clientId: client.clientId,
      subject,
      scopes: new Set(scopes),
      expiresAtMs: nowSeconds * 1000 + this.#accessSeconds * 1000,
      revoked: false,
    });
    chain?.accessTokens.add(token);
    this.#issued += 1;
    if (this.#issued % 256 === 0) this.store.sweep(nowMs);
    return token;
  }

  #tokenResponse(accessToken: string, scopes: readonly string[], refreshToken: string | undefined): OAuthResponse {
    const json: Record<string, unknown> = {
      token_type: 'Bearer',
      expires_in: this.#accessSeconds,
      access_token: accessToken,
      scope: scopes.join(' '),
    };
    if (refreshToken !== undefined) json.refresh_token = refreshToken;
    return { status: 200, json, headers: NO_STORE };
  }

  async #authenticateClient(
    authorization: string | undefined,
    form: URLSearchParams,
  ): Promise<{ client: OAuthClient } | { response: OAuthResponse }> {
    const basic = authorization?.startsWith('Basic ') ? authorization.slice(6).trim() : undefined;
    const methods = [basic !== undefined, form.has('client_secret'), form.has('client_assertion')].filter(Boolean);
    if (methods.length > 1) {
      return {
        response: tokenError(
          400,
          'invalid_request',
          'Cannot supply multiple client credentials. Use one of the following: credentials in the Authorization header, credentials in the post body, or a client_assertion in the post body.',
        ),
      };
    }
    if (basic !== undefined) {
      const decoded = Buffer.from(basic, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) return { response: INVALID_CLIENT };
      const clientId = safeDecode(decoded.slice(0, colon));
      const secret = safeDecode(decoded.slice(colon + 1));
      const formClientId = form.get('client_id');
      if (formClientId !== null && formClientId !== clientId) {
        return {
          response: tokenError(400, 'invalid_request', "The 'client_id' does not match the Authorization header."),
        };
      }
      return this.#secretClient(clientId, secret, 'client_secret_basic');
    }
    if (form.has('client_secret')) {
      return this.#secretClient(form.get('client_id') ?? '', form.get('client_secret') ?? '', 'client_secret_post');
    }
    if (form.has('client_assertion')) {
      if (form.get('client_assertion_type') !== ASSERTION_TYPE) {
        return {
          response: tokenError(400, 'invalid_request', `The 'client_assertion_type' must be '${ASSERTION_TYPE}'.`),
        };
      }
      return this.#assertionClient(form.get('client_assertion') ?? '', form.get('client_id'));
    }
    return { response: INVALID_CLIENT };
  }

  #secretClient(
    clientId: string,
    secret: string,
    method: 'client_secret_basic' | 'client_secret_post',
  ): { client: OAuthClient } | { response: OAuthResponse } {
    const client = this.#clients.get(clientId);
    if (!client?.clientSecret || !equalSecrets(client.clientSecret, secret)) return { response: INVALID_CLIENT };
    if (client.tokenEndpointAuthMethod !== method) {
      return {
        response: tokenError(
          401,
          'invalid_client',
          `Client authentication failed: the client is configured for ${client.tokenEndpointAuthMethod}, not ${method}.`,
        ),
      };
    }
    return { client };
  }

  async #assertionClient(
    assertion: string,
    formClientId: string | null,
  ): Promise<{ client: OAuthClient } | { response: OAuthResponse }> {
    const fail = (description: string) => ({ response: tokenError(401, 'invalid_client', description) });
    let issuer: string | undefined;
    let kid: string | undefined;
    let alg: string | undefined;
    try {
      issuer = decodeJwt(assertion).iss;
      const header = decodeProtectedHeader(assertion);
      kid = header.kid;
      alg = header.alg;
    } catch {
      return fail('The client_assertion is not a well-formed JWT.');
    }
    const client = this.#clients.get(issuer ?? '');
    if (client?.tokenEndpointAuthMethod !== 'private_key_jwt' || !client.jwks?.length)
      return { response: INVALID_CLIENT };
    if (formClientId !== null && formClientId !== client.clientId) {
      return fail("The 'client_id' does not match the client_assertion issuer.");
    }
    if (!kid) return fail("The client_assertion header must contain a 'kid'.");
    if (!alg || !ASSERTION_ALGORITHMS.includes(alg)) {
      return fail(`The client_assertion must be signed with one of ${ASSERTION_ALGORITHMS.join(', ')}.`);
    }
    const nowMs = this.clock.now();
    let payload: { exp?: number; iat?: number; jti?: string };
    try {
      ({ payload } = await jwtVerify(assertion, createLocalJWKSet({ keys: [...client.jwks] }), {
        algorithms: ASSERTION_ALGORITHMS,
        issuer: client.clientId,
        subject: client.clientId,
        audience: this.tokenUrl,
        currentDate: new Date(nowMs),
        requiredClaims: ['exp', 'jti'],
      }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) return fail('The client_assertion token is expired.');
      if (error instanceof joseErrors.JWKSNoMatchingKey)
        return fail('No key registered for this client matches the client_assertion kid.');
      if (error instanceof joseErrors.JWTClaimValidationFailed) {
        return fail(`The client_assertion claim '${error.claim}' is invalid: ${error.reason}.`);
      }
      return fail('The client_assertion signature is invalid.');
    }
    const expMs = (payload.exp ?? 0) * 1000;
    if (expMs - nowMs > 3600_000) return fail('The client_assertion token has an expiration too far into the future.');
    const jti = String(payload.jti);
    if (this.store.assertionIds.has(`${client.clientId}\u0000${jti}`)) {
      return fail('The client_assertion token has already been used (jti replay).');
    }
    this.store.assertionIds.set(`${client.clientId}\u0000${jti}`, expMs);
    return { client };
  }
}

function splitScopes(value: string): string[] {
  return [...new Set(value.split(' ').filter((scope) => scope.length > 0))];
}

function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

function equalSecrets(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
