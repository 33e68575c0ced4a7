import type { JWK } from 'jose';

export type GrantType = 'authorization_code' | 'refresh_token' | 'client_credentials';
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt';

/** An OAuth app registered with the sandbox's org authorization server. */
export interface OAuthClient {
  readonly clientId: string;
  /** For `client_secret_basic` / `client_secret_post` apps. */
  readonly clientSecret?: string;
  /** Enforced like Okta does: an app configured for Basic fails with form-post credentials and vice versa. */
  readonly tokenEndpointAuthMethod: ClientAuthMethod;
  readonly grantTypes: readonly GrantType[];
  /** Exact-match redirect URIs for the authorization code flow. */
  readonly redirectUris: readonly string[];
  /** Scopes granted to the app; requested scopes outside this list are silently dropped. */
  readonly scopes: readonly string[];
  readonly refreshTokenRotation?: 'ROTATE' | 'STATIC';
  /** Grace period in which a rotated refresh token still works (0–60 s, default 30). */
  readonly refreshTokenLeewaySeconds?: number;
  /** Public keys for `private_key_jwt`. */
  readonly jwks?: readonly JWK[];
}

/** Scopes this authorization server knows; anything else is `invalid_scope`. */
export const READ_SCOPES = [
  'okta.users.read',
  'okta.groups.read',
  'okta.apps.read',
  'okta.devices.read',
  'okta.userTypes.read',
  'okta.schemas.read',
  'okta.logs.read',
  'okta.roles.read',
] as const;

/** Write scopes (each implies its read scope): what `okta-flow apply` asks for. */
export const MANAGE_SCOPES = ['okta.users.manage', 'okta.groups.manage', 'okta.apps.manage'] as const;

export const KNOWN_SCOPES: ReadonlySet<string> = new Set([
  ...READ_SCOPES,
  ...READ_SCOPES.map((scope) => scope.replace(/\.read$/, '.manage')),
  'openid',
  'profile',
  'email',
  'address',
  'phone',
  'offline_access',
]);

/** The user the authorize endpoint consents as: the sandbox has no login page. */
export interface ConsentingAdmin {
  readonly id: string;
  readonly login: string;
}

export const DEFAULT_ADMIN: ConsentingAdmin = { id: '00usandboxadmin00001', login: 'admin@sandbox.example.com' };
export const DEFAULT_REDIRECT_URI = 'http://127.0.0.1:8765/callback';
