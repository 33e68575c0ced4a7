/**
 * What the four run Lambdas share: environment (validated), AWS clients and credentials created once per container
 * (lazily, so a malformed event fails before any client exists), and RunnerDeps with Powertools logs and metrics.
 * No secrets in env: OKTA_FLOW_CONFIG is the validated config, credentials come from Secrets Manager.
 */

import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GlueClient } from '@aws-sdk/client-glue';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';
import { GlueLakeCatalog } from '../../lake/glue-catalog.js';
import { FIRST_PARTITION_DAY } from '../../lake/glue-definitions.js';
import { credentialsFromStore } from '../../okta/auth/from-secret.js';
import { RelayObserver } from '../../okta/auth/relay-observer.js';
import { SecretsManagerSecretStore } from '../../okta/auth/secret-stores.js';
import type { CredentialProvider } from '../../okta/auth/types.js';
import { createOktaClient } from '../../okta/client.js';
import type { ClientSideEncryption } from '../../output/client-side-encryption.js';
import { parseConfig } from '../config/parse-config.js';
import type { Config } from '../config/schema.js';
import { EventBridgeEventSink } from '../observability/event-sink.js';
import { powertoolsRunLogger } from '../observability/logger.js';
import { powertoolsRunMetrics } from '../observability/metrics.js';
import { S3StateStore } from '../state/s3-state-store.js';
import { clientSideEncryptionFor } from './client-side-encryption-for.js';
import { taskClientLimits } from './task-client-limits.js';
import type { RunnerDeps } from './types.js';

export const SERVICE_NAME = 'okta-flow';

const envSchema = z.object({
  OKTA_FLOW_CONFIG: z.string().min(1, 'is empty: set it to the validated config JSON (the stack does this)'),
  STATE_BUCKET: z.string().min(3),
  STATE_PREFIX: z.string().optional(),
  OUTPUT_BUCKET: z.string().min(3),
  KMS_KEY_ARN: z.string().min(1),
  CREDENTIALS_SECRET_ARN: z.string().min(1),
  EVENT_BUS_NAME: z.string().optional(),
  /** CommitRun: the lake's Glue database, when the output has Glue tables. */
  GLUE_DATABASE: z.string().optional(),
});
export type LambdaEnv = z.infer<typeof envSchema>;

export class LambdaEnvError extends Error {
  override readonly name = 'LambdaEnvError';
}

export function readLambdaEnv(env: NodeJS.ProcessEnv = process.env): LambdaEnv {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map(
      (i) =>
        `${i.path.join('.')}: ${i.message === 'Invalid input: expected string, received undefined' ? 'is not set' : i.message}`,
    );
    throw new LambdaEnvError(
      `The function's environment is incomplete (${problems.join('; ')}). Redeploy the stack; these are set by it.`,
    );
  }
  return result.data;
}

export function configFromEnv(env: LambdaEnv): Config {
  let raw: unknown;
  try {
    raw = JSON.parse(env.OKTA_FLOW_CONFIG);
  } catch (error) {
    throw new LambdaEnvError('OKTA_FLOW_CONFIG is not JSON: redeploy the stack from a valid config', { cause: error });
  }
  return parseConfig(raw, 'OKTA_FLOW_CONFIG');
}

export const logger = new Logger({ serviceName: SERVICE_NAME });
export const metrics = new Metrics({ namespace: 'OktaFlow', serviceName: SERVICE_NAME });
export const tracer = new Tracer({ serviceName: SERVICE_NAME });

export interface LambdaRuntime {
  readonly env: LambdaEnv;
  readonly config: Config;
  readonly s3: S3Client;
  readonly eventBridge: EventBridgeClient;
  credentials: Promise<CredentialProvider> | null;
  /** What the cached credentials report, relayed to the step that uses them. */
  readonly credentialEvents: RelayObserver;
  readonly secrets: SecretsManagerClient;
  readonly glue: GlueClient;
  /** From output.encryption.clientSide: the KMS keyring every file is envelope-encrypted with, or undefined. */
  readonly clientSideEncryption: ClientSideEncryption | undefined;
  /** Tests only: the Okta origin to call instead of https://<okta.domain> (a sandbox on loopback). */
  readonly oktaOrigin: string | undefined;
}
type Runtime = LambdaRuntime;

/** What a test replaces: the AWS clients (local servers, mocks) and where Okta is (the sandbox). */
export interface LambdaRuntimeOverrides {
  readonly s3?: S3Client;
  readonly eventBridge?: EventBridgeClient;
  readonly secrets?: SecretsManagerClient;
  readonly glue?: GlueClient;
  /** An http://127.0.0.1:<port> origin: the sandbox instead of the configured org. */
  readonly oktaOrigin?: string;
}

/** Longest one S3 request (a part of up to 8 MiB) may take before it is abandoned and retried. */
const S3_REQUEST_TIMEOUT_MS = 60_000;

let runtime: Runtime | null = null;

/** A function's clients and config from its environment (the deployed function's own, or a test's). */
export function createLambdaRuntime(rawEnv: NodeJS.ProcessEnv, overrides: LambdaRuntimeOverrides = {}): LambdaRuntime {
  const env = readLambdaEnv(rawEnv);
  const config = configFromEnv(env);
  return {
    env,
    config,
    // lib-storage passes no abort signal to part uploads: a request timeout is what stops a hung part (the SDK
    // then retries it, and an unrecoverable failure aborts the multipart upload).
    s3:
      overrides.s3 ??
      tracer.captureAWSv3Client(
        new S3Client({ requestHandler: { requestTimeout: S3_REQUEST_TIMEOUT_MS, connectionTimeout: 5_000 } }),
      ),
    eventBridge: overrides.eventBridge ?? tracer.captureAWSv3Client(new EventBridgeClient({})),
    secrets: overrides.secrets ?? tracer.captureAWSv3Client(new SecretsManagerClient({})),
    glue: overrides.glue ?? tracer.captureAWSv3Client(new GlueClient({})),
    credentials: null,
    credentialEvents: new RelayObserver(),
    clientSideEncryption: clientSideEncryptionFor(config.output, env.KMS_KEY_ARN),
    oktaOrigin: overrides.oktaOrigin,
  };
}

/** Clients and config, created on first use and reused by later invocations of the same container. */
function getRuntime(): Runtime {
  runtime ??= createLambdaRuntime(process.env);
  return runtime;
}

function credentials(rt: Runtime): Promise<CredentialProvider> {
  if (rt.credentials === null) {
    const store = new SecretsManagerSecretStore(rt.secrets, rt.env.CREDENTIALS_SECRET_ARN);
    rt.credentials = credentialsFromStore(store, {
      origin: `https://${rt.config.okta.domain}`,
      // Credential warnings (refresh token near expiry, rotation conflicts) reach the step that is running.
      observer: rt.credentialEvents,
    });
    // A failed read is retried by the next invocation, not cached.
    rt.credentials.catch(() => {
      rt.credentials = null;
    });
  }
  return rt.credentials;
}

export function lambdaRunnerDeps(): RunnerDeps {
  return runnerDepsFor(getRuntime());
}

/** RunnerDeps over one runtime: Powertools logs and metrics, S3 state and output, EventBridge run events. */
export function runnerDepsFor(rt: LambdaRuntime): RunnerDeps {
  const { env, config } = rt;
  return {
    config,
    createOktaApi: async (observer, { concurrentTasks, sleepBudgetMs }) => {
      rt.credentialEvents.relayTo(observer);
      return createOktaClient({
        ...(rt.oktaOrigin === undefined
          ? { domain: config.okta.domain }
          : { domain: rt.oktaOrigin, allowLoopback: true }),
        ...(config.okta.customDomains ? { customDomains: config.okta.customDomains } : {}),
        credentials: await credentials(rt),
        ...taskClientLimits(config.okta, concurrentTasks, sleepBudgetMs),
        observer,
      });
    },
    target: { kind: 's3', client: rt.s3, bucket: env.OUTPUT_BUCKET, sseKms: { kmsKeyId: env.KMS_KEY_ARN } },
    state: new S3StateStore({
      client: rt.s3,
      bucket: env.STATE_BUCKET,
      prefix: env.STATE_PREFIX ?? config.output.prefix,
      kmsKeyId: env.KMS_KEY_ARN,
    }),
    events: new EventBridgeEventSink(rt.eventBridge, env.EVENT_BUS_NAME),
    clock: Date.now,
    logger: powertoolsRunLogger(logger),
    metrics: powertoolsRunMetrics(metrics),
    ...(rt.clientSideEncryption ? { clientSideEncryption: rt.clientSideEncryption } : {}),
    ...(env.GLUE_DATABASE !== undefined
      ? {
          lakeCatalog: new GlueLakeCatalog({
            client: rt.glue,
            config,
            databaseName: env.GLUE_DATABASE,
            bucketName: env.OUTPUT_BUCKET,
            firstDay: FIRST_PARTITION_DAY,
          }),
        }
      : {}),
  };
}

/** Stop reading pages this long before the Lambda's own timeout: time to finish the open file and checkpoint. */
export function deadlineFrom(remainingMs: number, now: number): number {
  const margin = Math.min(60_000, Math.max(5_000, remainingMs * 0.2));
  return now + Math.max(0, remainingMs - margin);
}

/** Tests only: forget the cached clients and config (e.g. after changing process.env). */
export function resetLambdaRuntime(): void {
  runtime = null;
}
