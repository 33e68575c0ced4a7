/** Credential providers for the Okta client (one import for callers). */
export { ApiTokenCredentials } from './api-token.js';
export {
  type AuthorizationUrlInput,
  buildAuthorizationUrl,
  createPkce,
  type ExchangedTokens,
  type ExchangeInput,
  exchangeAuthorizationCode,
} from './authorization-code.js';
export { type CredentialsFromSecretOptions, credentialsFromSecret, credentialsFromStore } from './from-secret.js';
export { importSigningKey, PrivateKeyJwtCredentials, type PrivateKeyJwtCredentialsOptions } from './private-key-jwt.js';
export {
  RefreshTokenCredentials,
  type RefreshTokenCredentialsOptions,
  type RefreshTokenExpiry,
} from './refresh-token.js';
export {
  type ApiTokenSecret,
  type OAuth2RefreshSecret,
  type OktaSecret,
  type PrivateKeyJwtSecret,
  parseOktaSecret,
} from './secret.js';
export { InMemorySecretStore, SecretsManagerSecretStore } from './secret-stores.js';
export { StaticBearerCredentials } from './static-bearer.js';
export type { AuthorizationHeader, CredentialProvider, SecretStore } from './types.js';
