/**
 * The connection's credentials: AppFlow stores them in a secret (`appflow!<account>-<label>-…`) and names it in each
 * request. Read with GetSecretValue, cached briefly (AppFlow rewrites OAuth secrets when it refreshes a token, so a
 * long cache would keep serving a dead access token), and turned into an Okta credential provider.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ApiTokenCredentials } from '../okta/auth/api-token.js';
import { StaticBearerCredentials } from '../okta/auth/static-bearer.js';
import type { CredentialProvider } from '../okta/auth/types.js';
import { OktaCredentialsError } from '../okta/errors.js';
import { ConnectorSecretError, InvalidRequestError } from './errors.js';
import type { AppFlowCredentials } from './protocol.js';

/** Reads a secret's string value by ARN. */
export type SecretReader = (secretArn: string) => Promise<string>;

/** Default cache lifetime: long enough to serve a flow run's burst of QueryData pages, short enough for refreshes. */
export const DEFAULT_SECRET_TTL_MS = 30_000;

const SM_CODES: Readonly<Record<string, ConnectorSecretError['errorCode']>> = {
  ResourceNotFoundException: 'ResourceNotFoundError',
  AccessDeniedException: 'AccessDenied',
  DecryptionFailure: 'AccessDenied',
};

/** A SecretReader over Secrets Manager; AWS errors become ConnectorSecretError with AppFlow's error code. */
export function secretsManagerReader(client: SecretsManagerClient): SecretReader {
  return async (secretArn) => {
    let value: string | undefined;
    try {
      const out = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
      value = out.SecretString;
    } catch (err) {
      const name = err instanceof Error ? err.name : 'Error';
      const code = SM_CODES[name] ?? 'ServerError';
      const hint =
        code === 'ResourceNotFoundError'
          ? ' Secrets Manager is eventually consistent right after a connection is created: retry shortly.'
          : code === 'AccessDenied'
            ? ' Grant the connector Lambda secretsmanager:GetSecretValue on the secret (and kms:Decrypt on its key).'
            : '';
      throw new ConnectorSecretError(`Could not read the connection secret ${secretArn} (${name}).${hint}`, code, {
        cause: err,
      });
    }
    if (typeof value !== 'string') {
      throw new ConnectorSecretError(`The connection secret ${secretArn} has no SecretString.`, 'InvalidCredentials');
    }
    return value;
  };
}

/** A TTL cache in front of a SecretReader; `invalidate` drops one entry (after Okta rejects its credential). */
export class SecretCache {
  readonly #entries = new Map<string, { value: string; expiresAt: number }>();
  constructor(
    private readonly read: SecretReader,
    private readonly now: () => number = Date.now,
    private readonly ttlMs: number = DEFAULT_SECRET_TTL_MS,
  ) {}

  async get(secretArn: string): Promise<string> {
    const hit = this.#entries.get(secretArn);
    if (hit !== undefined && hit.expiresAt > this.now()) return hit.value;
    const value = await this.read(secretArn);
    this.#entries.set(secretArn, { value, expiresAt: this.now() + this.ttlMs });
    return value;
  }

  invalidate(secretArn: string): void {
    this.#entries.delete(secretArn);
  }
}

function secretKey(json: string, key: string, secretArn: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    // Never echo the content: it is the credential.
    throw new ConnectorSecretError(`The connection secret ${secretArn} is not a JSON object.`, 'InvalidCredentials');
  }
  const value = parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>)[key] : undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConnectorSecretError(
      `The connection secret ${secretArn} has no non-empty "${key}". Edit the connection in AppFlow and enter the ` +
        'credential again.',
      'InvalidCredentials',
    );
  }
  return value;
}

/** Checks the secret has what its authentication type needs and returns the Okta credential provider. */
export function credentialsFromSecretJson(json: string, credentials: AppFlowCredentials): CredentialProvider {
  const { authenticationType, secretArn } = credentials;
  try {
    switch (authenticationType) {
      case 'ApiKey':
        // AppFlow's ApiKey is Okta's API token, sent as `Authorization: SSWS <apiKey>`.
        return new ApiTokenCredentials(secretKey(json, 'apiKey', secretArn));
      case 'OAuth2':
        // AppFlow runs the authorization-code dance and refreshes; we only ever use the current access token.
        return new StaticBearerCredentials(secretKey(json, 'accessToken', secretArn));
      default:
        throw new InvalidRequestError(
          `Authentication type ${authenticationType} is not supported by the Okta connector: use ApiKey (an Okta ` +
            'API token) or OAuth2 (authorization code).',
        );
    }
  } catch (err) {
    if (err instanceof OktaCredentialsError) {
      throw new ConnectorSecretError(`The connection secret ${secretArn}: ${err.message}`, 'InvalidCredentials', {
        cause: err,
      });
    }
    throw err;
  }
}
