/**
 * Lambda entry point for Amazon AppFlow's custom connector protocol. Thin: wires Secrets Manager, Powertools and
 * the per-invocation time budget, then hands the event to `handleConnectorRequest` (which never throws).
 *
 * Environment: `OKTA_CUSTOM_DOMAINS` (optional, comma-separated) — custom Okta domains accepted as `oktaDomain`
 * besides Okta's own suffixes. `OUTPUT_BUCKET`, `OUTPUT_PREFIX`, `KMS_KEY_ARN` (set by the stack) — where WriteData
 * stores its resolution and audit (SSE-KMS); without them the audit goes to the log only, and the log says so.
 * `EVENT_BUS_NAME` — where WriteData's Apply Action events go.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
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
import { writeAuditFromEnv } from '../appflow/write-audit-target.js';
import { EventBridgeApplyEvents } from '../write/apply-events.js';

const logger = new Logger({ serviceName: 'okta-flow-appflow-connector' });
// Module scope: reused across warm invocations (short TTLs inside).
const secrets = new SecretCache(secretsManagerReader(new SecretsManagerClient({})));
const definitions = ttlDefinitionCache();
const customDomains = (process.env.OKTA_CUSTOM_DOMAINS ?? '')
  .split(',')
  .map((d) => d.trim())
  .filter(Boolean);

const writeAudit = writeAuditFromEnv(process.env, () => new S3Client({}));
if (writeAudit === undefined) {
  logger.warn(
    'OUTPUT_BUCKET, OUTPUT_PREFIX or KMS_KEY_ARN unset: WriteData audits to this log only. Redeploy the stack.',
  );
}

// Apply Action events of WriteData, on the bus the stack names (EVENT_BUS_NAME, the default bus).
const writeEvents =
  process.env.EVENT_BUS_NAME === undefined
    ? undefined
    : new EventBridgeApplyEvents(new EventBridgeClient({}), process.env.EVENT_BUS_NAME);

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
      writeAudit,
      writeEvents,
      limits: {
        ...DEFAULT_LIMITS,
        hardBudgetMs,
        softBudgetMs: Math.min(DEFAULT_LIMITS.softBudgetMs, Math.max(500, hardBudgetMs - 5_000)),
      },
    },
    startedAt,
  );
}
