import type { OktaErrorSpec } from '../org/contract.js';
import type { AccessTokenRecord } from './oauth/token-store.js';
import { INVALID_SESSION, INVALID_TOKEN, NO_PERMISSION } from './okta-errors.js';

/** Who made a Management API request, for scope checks and per-principal rate limits. */
export type Principal =
  | { readonly kind: 'ssws'; readonly key: string }
  | { readonly kind: 'bearer'; readonly key: string; readonly token: AccessTokenRecord };

export type AuthResult = { readonly principal: Principal } | { readonly error: OktaErrorSpec; readonly key: string };

export interface Credentials {
  readonly apiToken: string;
  accessToken(token: string): AccessTokenRecord | null;
}

/**
 * `SSWS <apiToken>` or `Bearer <access token>`. No or malformed header → 403 E0000005 (Okta then falls back to a
 * browser session and finds none); unknown, revoked or expired token → 401 E0000011 (an OAuth token sent with the
 * SSWS scheme too, Airbyte's bug).
 */
export function authenticate(header: string | undefined, credentials: Credentials, realm: string): AuthResult {
  if (!header) return { error: INVALID_SESSION, key: 'anonymous' };
  const space = header.indexOf(' ');
  const scheme = space < 0 ? header : header.slice(0, space);
  const value = space < 0 ? '' : header.slice(space + 1).trim();
  if (scheme === 'SSWS') {
    if (value.length > 0 && value === credentials.apiToken) return { principal: { kind: 'ssws', key: 'ssws' } };
    return { error: INVALID_TOKEN, key: 'ssws-invalid' };
  }
  if (scheme === 'Bearer') {
    const token = credentials.accessToken(value);
    if (token) return { principal: { kind: 'bearer', key: `client:${token.clientId}`, token } };
    return {
      error: {
        ...INVALID_TOKEN,
        headers: {
          'WWW-Authenticate': `Bearer authorization_uri="${realm}/oauth2/v1/authorize", realm="${realm}", error="invalid_token", error_description="The access token is invalid or has expired."`,
        },
      },
      key: 'bearer-invalid',
    };
  }
  return { error: INVALID_SESSION, key: 'anonymous' };
}

/** SSWS tokens carry every read scope; Bearer tokens must carry the route's scope. */
export function checkScope(principal: Principal, scope: string, realm: string, resource: string): OktaErrorSpec | null {
  if (principal.kind === 'ssws' || principal.token.scopes.has(scope)) return null;
  // okta.x.manage implies okta.x.read, as on Okta.
  if (scope.endsWith('.read') && principal.token.scopes.has(scope.replace(/\.read$/, '.manage'))) return null;
  return {
    ...NO_PERMISSION,
    headers: {
      'WWW-Authenticate': `Bearer authorization_uri="${realm}/oauth2/v1/authorize", realm="${realm}", scope="${scope}", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", resource="${resource}"`,
    },
  };
}
