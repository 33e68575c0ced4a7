/**
 * Builds the runner's dependencies for in-process runs (CLI `run`, the demo, tests): the Okta API (the configured
 * org, or a sandbox on loopback), the output target (a folder or s3://bucket/prefix), state beside the output, events
 * in memory, a silent or recording logger.
 */

import { join, resolve } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Config } from '../../lambdas/flow/config/schema.js';
import { MemoryEventSink } from '../../lambdas/flow/observability/event-sink.js';
import { memoryRunLogger, type RunLogger } from '../../lambdas/flow/observability/logger.js';
import { MemoryRunMetrics } from '../../lambdas/flow/observability/metrics.js';
import { taskClientLimits } from '../../lambdas/flow/runner/task-client-limits.js';
import type { RunnerDeps } from '../../lambdas/flow/runner/types.js';
import { LocalFileStateStore } from '../../lambdas/flow/state/local-file-state-store.js';
import { S3StateStore } from '../../lambdas/flow/state/s3-state-store.js';
import type { StateStore } from '../../lambdas/flow/state/state-store.js';
import { ApiTokenCredentials } from '../../lambdas/okta/auth/api-token.js';
import { credentialsFromStore } from '../../lambdas/okta/auth/from-secret.js';
import { SecretsManagerSecretStore } from '../../lambdas/okta/auth/secret-stores.js';
import type { CredentialProvider } from '../../lambdas/okta/auth/types.js';
import { createOktaClient } from '../../lambdas/okta/client.js';
import type { OktaClientObserver } from '../../lambdas/okta/types.js';
import type { OutputTarget } from '../../lambdas/output/sinks/types.js';
import { FileSecretStore } from './file-secret-store.js';

/** Where the Okta API is: a sandbox on loopback (`--sandbox`) or the configured org. */
export type OktaSource =
  | { readonly kind: 'sandbox'; readonly baseUrl: string; readonly apiToken: string }
  | { readonly kind: 'org'; readonly credentials: CredentialProvider };

export interface ParsedOut {
  readonly target: OutputTarget;
  readonly state: StateStore;
  /** What to print: the folder or s3:// URL. */
  readonly where: string;
  /** Output prefix inside the target (overrides output.prefix for s3://bucket/prefix). */
  readonly prefix: string | undefined;
  /** Where a key of the target is, for people: a path or an s3:// URL. */
  locate(key: string): string;
}

export class OutOptionError extends Error {
  override readonly name = 'OutOptionError';
}

/**
 * `--out dir` or `--out s3://bucket/prefix` (SSE-KMS key from --kms-key or OKTA_FLOW_KMS_KEY). In a folder, data
 * goes under `<dir>/<configPrefix>/` and state under `<dir>/<configPrefix>/_state/`, the layout of the bucket.
 */
export function parseOut(out: string, kmsKeyId: string | undefined, configPrefix = ''): ParsedOut {
  if (out.startsWith('s3://')) {
    const rest = out.slice('s3://'.length);
    const [bucket, ...parts] = rest.split('/');
    if (!bucket) throw new OutOptionError(`--out ${out}: expected s3://bucket/prefix`);
    if (!kmsKeyId) {
      throw new OutOptionError(
        `--out ${out}: S3 output is always SSE-KMS encrypted; give the key with --kms-key <arn> (or OKTA_FLOW_KMS_KEY)`,
      );
    }
    const prefix = parts.filter((p) => p !== '').join('/');
    const client = new S3Client({});
    return {
      target: { kind: 's3', client, bucket, sseKms: { kmsKeyId } },
      state: new S3StateStore({ client, bucket, prefix, kmsKeyId }),
      where: out,
      prefix,
      locate: (key) => `s3://${bucket}/${key}`,
    };
  }
  const dir = resolve(out);
  return {
    target: { kind: 'local', rootDir: dir },
    state: new LocalFileStateStore({ dir: join(dir, ...configPrefix.split('/').filter((p) => p !== '')) }),
    where: dir,
    prefix: undefined,
    locate: (key) => join(dir, ...key.split('/')),
  };
}

/**
 * Credentials for the configured org when running locally: a secret JSON file (rotated refresh tokens are written
 * back to it) or the configured Secrets Manager secret. Never an environment variable: secrets stay out of the
 * environment, where shells, process listings and child processes would see them.
 */
export async function localCredentials(config: Config, secretFile: string | undefined): Promise<CredentialProvider> {
  if (secretFile !== undefined) {
    return credentialsFromStore(new FileSecretStore(secretFile), { origin: `https://${config.okta.domain}` });
  }
  const secret = config.okta.credentialsSecret;
  const secretId = typeof secret === 'string' ? secret : secret.name;
  if (secretId === undefined) {
    throw new OutOptionError(
      'No Okta credentials: pass --secret-file <file> (from `okta-flow connect --print`, or ' +
        '{"type":"apiToken","apiToken":"…"}) or name the secret in okta.credentialsSecret. ' +
        'Or try the bundled org with --sandbox.',
    );
  }
  const store = new SecretsManagerSecretStore(new SecretsManagerClient({}), secretId);
  return credentialsFromStore(store, { origin: `https://${config.okta.domain}` });
}

export interface LocalDepsOptions {
  readonly config: Config;
  readonly okta: OktaSource;
  readonly out: ParsedOut;
  readonly logger?: RunLogger;
  readonly clock?: () => number;
  readonly onProgress?: RunnerDeps['onProgress'];
  readonly pageLimit?: number;
  /** From output.encryption.clientSide (see clientSideEncryptionFor). */
  readonly clientSideEncryption?: RunnerDeps['clientSideEncryption'];
}

export function localRunnerDeps(options: LocalDepsOptions): RunnerDeps & {
  events: MemoryEventSink;
  metrics: MemoryRunMetrics;
} {
  const { okta } = options;
  const config =
    options.out.prefix === undefined
      ? options.config
      : { ...options.config, output: { ...options.config.output, prefix: options.out.prefix } };
  const createOktaApi = (observer: OktaClientObserver, { concurrentTasks }: { concurrentTasks: number }) =>
    okta.kind === 'sandbox'
      ? createOktaClient({
          domain: okta.baseUrl,
          allowLoopback: true,
          credentials: new ApiTokenCredentials(okta.apiToken),
          ...taskClientLimits(config.okta, concurrentTasks),
          observer,
        })
      : createOktaClient({
          domain: config.okta.domain,
          ...(config.okta.customDomains ? { customDomains: config.okta.customDomains } : {}),
          credentials: okta.credentials,
          ...taskClientLimits(config.okta, concurrentTasks),
          observer,
        });
  return {
    config,
    createOktaApi,
    target: options.out.target,
    state: options.out.state,
    events: new MemoryEventSink(),
    clock: options.clock ?? Date.now,
    logger: options.logger ?? memoryRunLogger(),
    metrics: new MemoryRunMetrics(),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.pageLimit !== undefined ? { pageLimit: options.pageLimit } : {}),
    ...(options.clientSideEncryption ? { clientSideEncryption: options.clientSideEncryption } : {}),
  };
}
