/**
 * One request's view of the connection: the Okta origin from `connectorRuntimeSettings.oktaDomain`, the credential
 * from the secret AppFlow names, a client tuned for AppFlow's 30 s limit, and object definitions (User extended with
 * the org's custom attributes from its schema).
 */
import { getObjectDef, userDef, withCustomUserAttributes } from '../okta/catalog/index.js';
import type { ObjectDef } from '../okta/catalog/types.js';
import { createOktaClient, type OktaClient } from '../okta/client.js';
import { validateOktaDomain } from '../okta/domain.js';
import { OktaApiError, OktaAuthError, OktaScopeError } from '../okta/errors.js';
import type { ConnectorDeps } from './deps.js';
import { InvalidRequestError } from './errors.js';
import type { AppFlowCredentials } from './protocol.js';
import { credentialsFromSecretJson } from './secrets.js';

export const OKTA_DOMAIN_SETTING = 'oktaDomain';

/** Client defaults that fit inside one AppFlow call: give up on 429s quickly and let AppFlow retry later. */
const APPFLOW_CLIENT_DEFAULTS = {
  maxRetries: 2,
  maxRateLimitRetries: 2,
  maxRateLimitWaitMs: 5_000,
  requestTimeoutMs: 10_000,
} as const;

export interface Session {
  readonly client: OktaClient;
  /** The object definition for an entity identifier (User with custom attributes). */
  definition(entityIdentifier: string, signal?: AbortSignal): Promise<ObjectDef>;
  /** Seconds until an Okta rate-limit bucket resets, when the client has seen it. */
  retryAfterSeconds(bucket: string): number | undefined;
  /** Forget the cached secret (after Okta rejected its credential, AppFlow refreshes it). */
  forgetSecret(): void;
}

/** The Okta origin from the runtime settings; InvalidArgument when absent or not an Okta domain. */
export function oktaOrigin(
  settings: Readonly<Record<string, string | null>> | null | undefined,
  deps: Pick<ConnectorDeps, 'clientOptions'>,
): string {
  const domain = settings?.[OKTA_DOMAIN_SETTING];
  if (typeof domain !== 'string' || domain.trim() === '') {
    throw new InvalidRequestError(
      `The connection has no "${OKTA_DOMAIN_SETTING}" setting: edit the connection and enter the Okta domain, e.g. acme.okta.com.`,
    );
  }
  return validateOktaDomain(domain, {
    allowLoopback: deps.clientOptions?.allowLoopback ?? false,
    customDomains: deps.clientOptions?.customDomains ?? [],
  });
}

export async function openSession(
  settings: Readonly<Record<string, string | null>> | null | undefined,
  credentials: AppFlowCredentials,
  deps: ConnectorDeps,
): Promise<Session> {
  const origin = oktaOrigin(settings, deps);
  const secret = await deps.secrets.get(credentials.secretArn);
  const provider = credentialsFromSecretJson(secret, credentials);
  const client = createOktaClient({
    ...APPFLOW_CLIENT_DEFAULTS,
    ...deps.clientOptions,
    domain: origin,
    credentials: provider,
  });
  const clock = deps.clientOptions?.clock;
  const now = clock === undefined ? deps.now : () => clock.now();
  return {
    client,
    async definition(entityIdentifier, signal) {
      const def = getObjectDef(entityIdentifier);
      if (def.name !== 'User') return def;
      // Per org and per connection: two connections to one org may see different schemas (scopes).
      const key = `${origin} ${credentials.secretArn}`;
      const cached = deps.definitions.get(key);
      if (cached !== undefined) return cached;
      try {
        const schema = await client.getJson('/api/v1/meta/schemas/user/default', signal ? { signal } : {});
        const extended = withCustomUserAttributes(userDef, schema);
        deps.definitions.set(key, extended);
        return extended;
      } catch (err) {
        // Without okta.schemas.read the built-in fields still work; custom attributes stay inside `profile`.
        if (
          err instanceof OktaScopeError ||
          (err instanceof OktaApiError && err.status === 403 && !(err instanceof OktaAuthError))
        ) {
          deps.logger.warn('User schema not readable; custom attributes are not offered as fields', {
            reason: err.message,
          });
          return userDef;
        }
        throw err;
      }
    },
    retryAfterSeconds(bucket) {
      const reset = client.rateLimitSnapshot().buckets[bucket]?.resetAtLocal;
      return reset === undefined ? undefined : Math.max(1, Math.ceil((reset - now()) / 1000));
    },
    forgetSecret: () => deps.secrets.invalidate(credentials.secretArn),
  };
}
