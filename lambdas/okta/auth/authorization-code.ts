/**
 * The authorization-code + PKCE flow against the org authorization server, for `okta-flow connect`: build the
 * /authorize URL, then exchange the code (with the verifier) for an access + refresh token.
 */
import * as oauth from 'oauth4webapi';
import { OktaAuthError } from '../errors.js';
import {
  AUTHORIZE_PATH,
  classifyTokenFailure,
  grantedScopes,
  orgAuthorizationServer,
  requestOptions,
  type TokenEndpointDeps,
  tokenFailureError,
} from './token-endpoint.js';

/** A fresh PKCE verifier + S256 challenge and a random `state`. */
export async function createPkce(): Promise<{ codeVerifier: string; codeChallenge: string; state: string }> {
  const codeVerifier = oauth.generateRandomCodeVerifier();
  return {
    codeVerifier,
    codeChallenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
    state: oauth.generateRandomState(),
  };
}

export interface AuthorizationUrlInput {
  /** Validated org origin. */
  readonly origin: string;
  readonly clientId: string;
  readonly redirectUri: string;
  /** Include `offline_access` to receive a refresh token. */
  readonly scopes: readonly string[];
  readonly state: string;
  readonly codeChallenge: string;
}

export function buildAuthorizationUrl(input: AuthorizationUrlInput): string {
  const url = new URL(`${input.origin}${AUTHORIZE_PATH}`);
  url.searchParams.set('client_id', input.clientId);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', input.scopes.join(' '));
  url.searchParams.set('redirect_uri', input.redirectUri);
  url.searchParams.set('state', input.state);
  url.searchParams.set('code_challenge', input.codeChallenge);
  url.searchParams.set('code_challenge_method', 'S256');
  return url.toString();
}

export interface ExchangeInput extends TokenEndpointDeps {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly tokenEndpointAuthMethod?: 'client_secret_basic' | 'client_secret_post';
  readonly redirectUri: string;
  /** Either the full callback URL the browser was redirected to, or just its `code`. */
  readonly callbackUrl?: string;
  readonly code?: string;
  /** The `state` sent to /authorize; checked against the callback's. */
  readonly state: string;
  readonly codeVerifier: string;
}

export interface ExchangedTokens {
  readonly accessToken: string;
  readonly refreshToken: string | undefined;
  readonly scope: readonly string[];
  readonly expiresIn: number | undefined;
  /** The token response's `Date` header (the org's clock) as ISO-8601, when it had a readable one. */
  readonly issuedAt: string | undefined;
}

export async function exchangeAuthorizationCode(input: ExchangeInput): Promise<ExchangedTokens> {
  const as = orgAuthorizationServer(input.origin);
  const client: oauth.Client = { client_id: input.clientId };
  const clientAuth =
    input.tokenEndpointAuthMethod === 'client_secret_post'
      ? oauth.ClientSecretPost(input.clientSecret)
      : oauth.ClientSecretBasic(input.clientSecret);
  const callback = input.callbackUrl
    ? new URL(input.callbackUrl).searchParams
    : new URLSearchParams({ code: input.code ?? '', state: input.state });
  let params: URLSearchParams;
  try {
    params = oauth.validateAuthResponse(as, client, callback, input.state);
  } catch (err) {
    const error = err instanceof oauth.AuthorizationResponseError ? err.error : 'invalid_callback';
    const description =
      err instanceof oauth.AuthorizationResponseError ? err.error_description : 'state mismatch or no code';
    throw new OktaAuthError(
      { status: 400, method: 'GET', path: AUTHORIZE_PATH, errorCode: error, errorSummary: description },
      {
        message: `Okta did not authorize the app: ${error}${description ? ` (${description})` : ''}. Check the app's redirect URI, granted scopes and that you consented as an admin.`,
      },
    );
  }
  try {
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      clientAuth,
      params,
      input.redirectUri,
      input.codeVerifier,
      requestOptions(input),
    );
    const date = Date.parse(response.headers.get('date') ?? '');
    const body = await oauth.processAuthorizationCodeResponse(as, client, response);
    return {
      issuedAt: Number.isFinite(date) ? new Date(date).toISOString() : undefined,
      accessToken: body.access_token,
      refreshToken: body.refresh_token,
      scope: grantedScopes(body.scope),
      expiresIn: body.expires_in,
    };
  } catch (err) {
    // A code is single-use: never retried.
    throw tokenFailureError(
      classifyTokenFailure(err, [input.clientSecret, input.codeVerifier, input.code ?? '']),
      'Exchanging the authorization code',
      input.origin,
    );
  }
}
