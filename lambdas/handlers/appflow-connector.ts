/**
 * Lambda entry point for Amazon AppFlow's custom connector protocol. Thin: wires Secrets Manager, Powertools and
 * the per-invocation time budget, then hands the event to `handleConnectorRequest` (which never throws).
 *
 * Environment: `OKTA_CUSTOM_DOMAINS` (optional, comma-separated) — custom Okta domains accepted as `oktaDomain`
 * besides Okta's own suffixes.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  type ConnectorResponse,
  DEFAULT_LIMITS,
  handleConnectorRequest,
  powertoolsConnectorLogger,
  SecretCache,
  secretsManagerReader,
  ttlDefinitionCache,
} from '../appflow/index.js';

const logger = new Logger({ serviceName: 'okta-flow-appflow-connector' });
// Module scope: reused across warm invocations (short TTLs inside).
const secrets = new SecretCache(secretsManagerReader(new SecretsManagerClient({})));
const definitions = ttlDefinitionCache();
const customDomains = (process.env.OKTA_CUSTOM_DOMAINS ?? '')
  .split(',')
  .map((d) => d.trim())
  .filter(Boolean);

/** Time kept back from the Lambda's remaining time to serialize and return the response. */
const RESPONSE_HEADROOM_MS = 3_000;

interface LambdaContextLike {
  getRemainingTimeInMillis?: () => number;
}

export async function handler(event: unknown, context?: LambdaContextLike): Promise<ConnectorResponse> {
  const startedAt = Date.now();
  const remaining = context?.getRemainingTimeInMillis?.() ?? Number.POSITIVE_INFINITY;
  const hardBudgetMs = Math.max(1_000, Math.min(DEFAULT_LIMITS.hardBudgetMs, remaining - RESPONSE_HEADROOM_MS));
  return handleConnectorRequest(
    event,
    {
      secrets,
      definitions,
      clientOptions: { customDomains },
      now: Date.now,
      logger: powertoolsConnectorLogger(logger),
      limits: {
        ...DEFAULT_LIMITS,
        hardBudgetMs,
        softBudgetMs: Math.min(DEFAULT_LIMITS.softBudgetMs, Math.max(500, hardBudgetMs - 5_000)),
      },
    },
    startedAt,
  );
}
