/** Build the right `CredentialProvider` from the credentials secret. */
import type { JWK } from 'jose';
import type { Clock } from '../http/clock.js';
import { ApiTokenCredentials } from './api-token.js';
import { PrivateKeyJwtCredentials } from './private-key-jwt.js';
import { RefreshTokenCredentials } from './refresh-token.js';
import { type OktaSecret, parseOktaSecret } from './secret.js';
import type { TokenEndpointDeps } from './token-endpoint.js';
import type { CredentialProvider, SecretStore } from './types.js';

export interface CredentialsFromSecretOptions extends TokenEndpointDeps {
  /** The store the secret came from: required for OAuth refresh-token rotation to be persisted. */
  readonly store?: SecretStore;
  readonly clock?: Clock;
  /** Scopes the configured flows need (checked against every token response). */
  readonly requiredScopes?: readonly string[];
  readonly expiryWarningDays?: number;
}

export function credentialsFromSecret(
  secret: string | OktaSecret,
  options: CredentialsFromSecretOptions,
): CredentialProvider {
  const parsed = typeof secret === 'string' ? parseOktaSecret(secret) : secret;
  switch (parsed.type) {
    case 'apiToken':
      return new ApiTokenCredentials(parsed.apiToken);
    case 'oauth2':
      return new RefreshTokenCredentials({
        ...options,
        clientId: parsed.clientId,
        clientSecret: parsed.clientSecret,
        refreshToken: parsed.refreshToken,
        tokenEndpointAuthMethod: parsed.tokenEndpointAuthMethod,
        ...(parsed.consentedAt || parsed.refreshTokenIssuedAt
          ? { consentedAt: parsed.consentedAt ?? parsed.refreshTokenIssuedAt }
          : {}),
      });
    case 'privateKeyJwt':
      return new PrivateKeyJwtCredentials({
        ...options,
        clientId: parsed.clientId,
        privateKey: parsed.privateKey as JWK | string,
        ...(parsed.keyId ? { keyId: parsed.keyId } : {}),
        scopes: parsed.scopes,
      });
  }
}

/** Read the secret from its store and build the provider (the store is kept for rotations). */
export async function credentialsFromStore(
  store: SecretStore,
  options: Omit<CredentialsFromSecretOptions, 'store'>,
): Promise<CredentialProvider> {
  return credentialsFromSecret(await store.read(), { ...options, store });
}
