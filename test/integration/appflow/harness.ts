/**
 * A sandbox org and the AppFlow connector wired to it: the connection's secret lives in memory (or behind
 * aws-sdk-client-mock), `oktaDomain` is the sandbox's loopback URL, requests are shaped as AppFlow sends them.
 */
import {
  type ConnectorDeps,
  type ConnectorLogger,
  type ConnectorResponse,
  DEFAULT_LIMITS,
  handleConnectorRequest,
  SecretCache,
  ttlDefinitionCache,
} from '../../../lambdas/appflow/index.js';
import type { OktaRecord } from '../../../lambdas/okta/types.js';
import { type Sandbox, type SandboxOptions, startSandbox } from '../../../sandbox/index.js';
import { DEFAULT_EPOCH_MS, type OrgObject } from '../../../sandbox/org/index.js';
import { connect as oauthConsent } from '../okta/client/helpers.js';

export const SECRET_ARN =
  'arn:aws:secretsmanager:us-east-1:123456789012:secret:appflow!123456789012-okta-flow-conn-AbCdEf';
const HIGH = 10_000_000;
export const HIGH_LIMITS = { apps: HIGH, groups: HIGH, users: HIGH, devices: HIGH, logs: HIGH, api: HIGH, other: HIGH };

export async function startOrg(options: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({
    users: 300,
    seed: 11,
    rateLimits: { limits: HIGH_LIMITS },
    clock: { startMs: DEFAULT_EPOCH_MS + 3_600_000, running: false },
    ...options,
  });
}

export interface Connection {
  readonly deps: ConnectorDeps;
  /** Every log line the connector wrote, serialized (to check no secret ever appears). */
  readonly logs: string[];
  /** How many times the secret was read (the cache in front of it). */
  secretReads(): number;
  setSecret(json: string): void;
  call(event: Record<string, unknown>): Promise<ConnectorResponse>;
  context(authenticationType?: 'ApiKey' | 'OAuth2'): Record<string, unknown>;
}

export function connect(sandbox: Sandbox, overrides: Partial<ConnectorDeps> = {}, secret?: string): Connection {
  let value = secret ?? JSON.stringify({ apiKey: sandbox.apiToken });
  let reads = 0;
  const logs: string[] = [];
  const logger = (keys: Record<string, string>): ConnectorLogger => {
    const line = (level: string) => (message: string, extra?: Record<string, unknown>) =>
      logs.push(JSON.stringify({ level, message, ...keys, ...extra }));
    return { info: line('info'), warn: line('warn'), error: line('error'), child: (k) => logger({ ...keys, ...k }) };
  };
  const deps: ConnectorDeps = {
    secrets: new SecretCache(async () => {
      reads++;
      return value;
    }),
    definitions: ttlDefinitionCache(),
    clientOptions: { allowLoopback: true },
    now: Date.now,
    logger: logger({}),
    limits: DEFAULT_LIMITS,
    ...overrides,
  };
  const context = (authenticationType: 'ApiKey' | 'OAuth2' = 'ApiKey') => ({
    apiVersion: 'v1',
    connectorRuntimeSettings: { oktaDomain: sandbox.baseUrl },
    credentials: { secretArn: SECRET_ARN, authenticationType },
    entityDefinition: null,
    flowName: 'okta-to-s3',
    executionId: 'exec-1',
    connectorProfileLabel: 'okta-sandbox',
  });
  return {
    deps,
    logs,
    secretReads: () => reads,
    setSecret: (json) => {
      value = json;
    },
    call: (event) => handleConnectorRequest(event, deps),
    context,
  };
}

export function queryRequest(
  connection: Connection,
  entityIdentifier: string,
  extra: { selectedFieldNames?: string[] | null; filterExpression?: string | null; maxResults?: number } = {},
  nextToken: string | null = null,
) {
  return {
    type: 'QueryDataRequest',
    entityIdentifier,
    connectorContext: connection.context(),
    selectedFieldNames: extra.selectedFieldNames ?? null,
    filterExpression: extra.filterExpression ?? null,
    nextToken,
    maxResults: extra.maxResults ?? 1000,
  };
}

/** Pages a whole query through QueryData; returns the parsed records and the number of responses. */
export async function queryAll(
  connection: Connection,
  entityIdentifier: string,
  extra: Parameters<typeof queryRequest>[2] = {},
): Promise<{ records: Record<string, unknown>[]; responses: number }> {
  const records: Record<string, unknown>[] = [];
  let nextToken: string | null = null;
  let responses = 0;
  do {
    const res = await connection.call(queryRequest(connection, entityIdentifier, extra, nextToken));
    if (!res.isSuccess) throw new Error(`QueryData failed: ${JSON.stringify(res.errorDetails)}`);
    records.push(...(res.records as string[]).map((r) => JSON.parse(r) as Record<string, unknown>));
    nextToken = res.nextToken as string | null;
    responses++;
    if (responses > 1000) throw new Error('QueryData never ended');
  } while (nextToken !== null);
  return { records, responses };
}

export const truth = (sandbox: Sandbox, object: OrgObject): OktaRecord[] => [...sandbox.org.all(object)];

/** An OAuth access token for the sandbox's web app with the given scopes (authorization code + PKCE). */
export async function accessToken(sandbox: Sandbox, scopes: readonly string[]): Promise<string> {
  return (await oauthConsent(sandbox, 'web', scopes)).tokens.accessToken;
}
