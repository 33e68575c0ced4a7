/**
 * Builds the runner's dependencies for in-process runs (CLI `run`, the demo, tests): the Okta API (what the Okta
 * source options resolved to, or a sandbox on loopback), the output target (a folder or s3://bucket/prefix), state beside the output, events
 * in memory, a silent or recording logger.
 */

import { join, resolve } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
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
import { createOktaClient, type OktaClientOptions } from '../../lambdas/okta/client.js';
import type { OktaClientObserver } from '../../lambdas/okta/types.js';
import type { OutputTarget } from '../../lambdas/output/sinks/types.js';
import type { OktaConnection } from './okta-source.js';

/**
 * Where the Okta API is: a sandbox on loopback with its API token (tests, benchmarks), or what the CLI's Okta source
 * options resolved to (okta-source.ts: the configured org, an in-process sandbox or a `--sandbox-url` one).
 */
export type OktaSource =
  | { readonly kind: 'sandbox'; readonly baseUrl: string; readonly apiToken: string }
  | {
      readonly kind: 'connection';
      readonly connection: Pick<OktaConnection, 'domain' | 'allowLoopback' | 'customDomains' | 'credentials'> &
        Partial<Pick<OktaConnection, 'events'>>;
    };

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
export function parseOut(
  out: string,
  kmsKeyId: string | undefined,
  configPrefix = '',
  /** Tests: the S3 client for an s3:// output (default: the SDK's, from the environment). */
  s3Client?: S3Client,
): ParsedOut {
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
    const client = s3Client ?? new S3Client({});
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
  /** Client timing for tests (request timeout, retries, backoff); runs use the defaults. */
  readonly oktaClientOptions?: Pick<
    OktaClientOptions,
    'requestTimeoutMs' | 'maxRetries' | 'backoff' | 'maxRateLimitRetries' | 'fetch'
  >;
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
  const createOktaApi = (
    observer: OktaClientObserver,
    { concurrentTasks, sleepBudgetMs }: { concurrentTasks: number; sleepBudgetMs?: number },
  ) => {
    // The credentials' own warnings (OAuth refresh) belong to the step being run.
    if (okta.kind === 'connection') okta.connection.events?.relayTo(observer);
    return okta.kind === 'sandbox'
      ? createOktaClient({
          domain: okta.baseUrl,
          allowLoopback: true,
          credentials: new ApiTokenCredentials(okta.apiToken),
          ...taskClientLimits(config.okta, concurrentTasks, sleepBudgetMs),
          ...options.oktaClientOptions,
          observer,
        })
      : createOktaClient({
          domain: okta.connection.domain,
          allowLoopback: okta.connection.allowLoopback,
          ...(okta.connection.customDomains ? { customDomains: okta.connection.customDomains } : {}),
          credentials: okta.connection.credentials,
          ...taskClientLimits(config.okta, concurrentTasks, sleepBudgetMs),
          ...options.oktaClientOptions,
          observer,
        });
  };
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
