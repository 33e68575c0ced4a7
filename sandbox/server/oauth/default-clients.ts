import type { JWK } from 'jose';
import { randomToken } from '../random.js';
import type { OAuthLifetimes } from './authorization-server.js';
import {
  type ConsentingAdmin,
  DEFAULT_ADMIN,
  DEFAULT_REDIRECT_URI,
  MANAGE_SCOPES,
  type OAuthClient,
  READ_SCOPES,
} from './clients.js';
import type { ClientKeyPair } from './keys.js';

export interface SandboxOAuthOptions {
  /** Override parts of the three default apps (e.g. fewer `scopes`, another `refreshTokenLeewaySeconds`). */
  readonly clients?: {
    readonly web?: Partial<OAuthClient>;
    readonly static?: Partial<OAuthClient>;
    readonly service?: Partial<OAuthClient>;
  };
  /** More apps, registered as given. */
  readonly extraClients?: readonly OAuthClient[];
  /** Redirect URIs of the two web apps (default `http://127.0.0.1:8765/callback`). */
  readonly redirectUris?: readonly string[];
  readonly lifetimes?: OAuthLifetimes;
  /** The admin the authorize endpoint consents as. */
  readonly admin?: ConsentingAdmin;
}

export interface SandboxOAuthClients {
  /** Web app: authorization code + PKCE + refresh tokens with ROTATE (leeway 30 s), `client_secret_basic`. */
  readonly web: OAuthClient;
  /** Web app with STATIC refresh tokens (the same token is returned on refresh), `client_secret_post`. */
  readonly static: OAuthClient;
  /** Service app: client credentials with `private_key_jwt`; `privateJwk` signs its assertions. */
  readonly service: OAuthClient & { readonly privateJwk: JWK };
}

/** Web apps may be granted writes too (the token carries only what is requested); the service app stays read-only. */
const WEB_SCOPES = [...READ_SCOPES, ...MANAGE_SCOPES, 'openid', 'profile', 'email', 'offline_access'];

export function defaultClients(options: SandboxOAuthOptions, serviceKey: ClientKeyPair): SandboxOAuthClients {
  const redirectUris = options.redirectUris ?? [DEFAULT_REDIRECT_URI];
  const web: OAuthClient = {
    clientId: '0oasandboxweb0000001',
    clientSecret: randomToken(40),
    tokenEndpointAuthMethod: 'client_secret_basic',
    grantTypes: ['authorization_code', 'refresh_token'],
    redirectUris,
    scopes: WEB_SCOPES,
    refreshTokenRotation: 'ROTATE',
    refreshTokenLeewaySeconds: 30,
    ...options.clients?.web,
  };
  const staticClient: OAuthClient = {
    clientId: '0oasandboxstatic0001',
    clientSecret: randomToken(40),
    tokenEndpointAuthMethod: 'client_secret_post',
    grantTypes: ['authorization_code', 'refresh_token'],
    redirectUris,
    scopes: WEB_SCOPES,
    refreshTokenRotation: 'STATIC',
    ...options.clients?.static,
  };
  const service: OAuthClient & { privateJwk: JWK } = {
    clientId: '0oasandboxservice001',
    tokenEndpointAuthMethod: 'private_key_jwt',
    grantTypes: ['client_credentials'],
    redirectUris: [],
    scopes: [...READ_SCOPES],
    jwks: [serviceKey.publicJwk],
    ...options.clients?.service,
    privateJwk: serviceKey.privateJwk,
  };
  return { web, static: staticClient, service };
}

export function consentingAdmin(options: SandboxOAuthOptions): ConsentingAdmin {
  return options.admin ?? DEFAULT_ADMIN;
}
