/**
 * What the two ApplyPlan Lambdas share: their environment (validated), clients created once per container, the
 * Okta client on the WRITE credential (WRITE_CREDENTIALS_SECRET_ARN, never the read flows' secret), the output
 * store (S3, SSE-KMS like the data) and the Apply Action event sink. The handlers stay thin.
 *
 * Event: `{"plan": "s3://<output bucket>/<key>", "execute": false}`. The plan must be in the output bucket under the
 * output prefix (the roles can read nothing else); the resolution and audit go to `<prefix>/apply/<hash>/<run>/`.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';
import { configFromEnv, LambdaEnvError } from '../flow/runner/lambda-deps.js';
import { credentialsFromStore } from '../okta/auth/from-secret.js';
import { SecretsManagerSecretStore } from '../okta/auth/secret-stores.js';
import type { CredentialProvider } from '../okta/auth/types.js';
import { createOktaClient } from '../okta/client.js';
import { createS3Store } from '../output/sinks/s3-store.js';
import type { ObjectStore } from '../output/sinks/types.js';
import { applyEventSchema } from './apply-event.js';
import { EventBridgeApplyEvents } from './apply-events.js';
import { type ApplyPlanResult, applyPlan } from './apply-plan.js';
import type { OktaWriteApi } from './okta-write-api.js';
import { parsePlan, planFormatOf } from './parse-plan.js';
import { writeScopesFor } from './write-scopes.js';

const envSchema = z.object({
  OKTA_FLOW_CONFIG: z.string().min(1),
  OUTPUT_BUCKET: z.string().min(3),
  OUTPUT_PREFIX: z.string(),
  KMS_KEY_ARN: z.string().min(1),
  WRITE_CREDENTIALS_SECRET_ARN: z.string().min(1),
  EVENT_BUS_NAME: z.string().optional(),
});

export { type ApplyEvent, applyEventSchema } from './apply-event.js';

export class ApplyEventError extends Error {
  override readonly name = 'ApplyEventError';
}

export interface ApplyLambdaOverrides {
  readonly s3?: S3Client;
  readonly eventBridge?: EventBridgeClient;
  readonly secrets?: SecretsManagerClient;
  /** Tests: the sandbox instead of https://<okta.domain>. */
  readonly oktaOrigin?: string;
  readonly now?: () => number;
}

export interface ApplyLambdaRuntime {
  readonly bucket: string;
  readonly prefix: string;
  readonly s3: S3Client;
  readonly store: ObjectStore;
  readonly events: EventBridgeApplyEvents;
  readonly okta: (scopes: readonly string[]) => OktaWriteApi;
  readonly now: () => number;
}

export function createApplyRuntime(
  rawEnv: NodeJS.ProcessEnv,
  overrides: ApplyLambdaOverrides = {},
): ApplyLambdaRuntime {
  const parsed = envSchema.safeParse(rawEnv);
  if (!parsed.success) {
    throw new LambdaEnvError(
      `The function's environment is incomplete (${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}). ` +
        'Redeploy the stack; these are set by it.',
    );
  }
  const env = parsed.data;
  const config = configFromEnv({
    ...env,
    STATE_BUCKET: env.OUTPUT_BUCKET,
    CREDENTIALS_SECRET_ARN: env.WRITE_CREDENTIALS_SECRET_ARN,
  });
  const s3 = overrides.s3 ?? new S3Client({});
  const secrets = overrides.secrets ?? new SecretsManagerClient({});
  const store = createS3Store({
    kind: 's3',
    client: s3,
    bucket: env.OUTPUT_BUCKET,
    sseKms: { kmsKeyId: env.KMS_KEY_ARN },
  });
  const origin = overrides.oktaOrigin ?? `https://${config.okta.domain}`;
  return {
    bucket: env.OUTPUT_BUCKET,
    prefix: env.OUTPUT_PREFIX,
    s3,
    store,
    events: new EventBridgeApplyEvents(overrides.eventBridge ?? new EventBridgeClient({}), env.EVENT_BUS_NAME),
    now: overrides.now ?? Date.now,
    okta: (scopes) => {
      const secretStore = new SecretsManagerSecretStore(secrets, env.WRITE_CREDENTIALS_SECRET_ARN);
      let provider: Promise<CredentialProvider> | undefined;
      let known: CredentialProvider | undefined;
      const credentials: CredentialProvider = {
        authorize: async (signal) => {
          provider ??= credentialsFromStore(secretStore, { origin, requiredScopes: scopes });
          known = await provider;
          return known.authorize(signal);
        },
        invalidate: () => known?.invalidate?.(),
        describe: () => known?.describe() ?? 'the write credential (okta.writeCredentialsSecret)',
        // Everything Okta echoes is scrubbed of these before it reaches an error, the audit or a log.
        secrets: () => known?.secrets?.() ?? [],
      };
      return createOktaClient({
        domain: origin,
        allowLoopback: overrides.oktaOrigin !== undefined,
        ...(config.okta.customDomains ? { customDomains: config.okta.customDomains } : {}),
        credentials,
        rateLimitShare: config.okta.rateLimitShare,
        maxConcurrency: 1,
      });
    },
  };
}

/** Reads the plan named by the event (only from the output bucket, under the prefix) and applies it. */
export async function applyFromEvent(
  event: unknown,
  runtime: ApplyLambdaRuntime,
  execute: boolean,
): Promise<ApplyPlanResult & { readonly plan: string; readonly runId: string }> {
  const parsed = applyEventSchema.safeParse(event);
  if (!parsed.success) {
    throw new ApplyEventError(
      `ApplyPlan input: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'} ${i.message}`).join('; ')}. ` +
        'Expected {"plan": "s3://<bucket>/<prefix>/…/plan.jsonl", "execute": false}.',
    );
  }
  const { plan } = parsed.data;
  const [, , bucket, ...rest] = plan.split('/');
  const key = rest.join('/');
  const prefix = runtime.prefix.replace(/\/+$/, '');
  if (bucket !== runtime.bucket || !key.startsWith(`${prefix}/`)) {
    throw new ApplyEventError(
      `ApplyPlan reads plans only from the output, s3://${runtime.bucket}/${prefix}/…: ${plan} is elsewhere. ` +
        `Upload the plan there (e.g. s3://${runtime.bucket}/${prefix}/plans/plan.jsonl).`,
    );
  }
  const bytes = await runtime.store.getObject(key);
  if (bytes === null) throw new ApplyEventError(`ApplyPlan: no plan at ${plan}.`);
  const text = new TextDecoder().decode(bytes);
  const format = planFormatOf(key);
  const rows = parsePlan(text, format);
  const runId = parsed.data.runId ?? `apply-${new Date(runtime.now()).toISOString().replace(/[-:.]/g, '')}`;
  const result = await applyPlan({
    plan: { rows },
    execute,
    api: runtime.okta(writeScopesFor(rows.map((r) => r.action))),
    store: runtime.store,
    prefix,
    locate: (k) => `s3://${runtime.bucket}/${k}`,
    events: runtime.events,
    runId,
    now: runtime.now,
  });
  return { ...result, plan, runId };
}
