/**
 * The AppFlow custom connector: one function from any event to a response. It never throws: every failure becomes
 * `{isSuccess: false, errorDetails}` with AppFlow's error code, because a thrown error reaches the user only as
 * "No valid response and error details found in the connector response".
 */
import type { z } from 'zod';
import { listObjectDefs } from '../okta/catalog/index.js';
import { OktaAuthError } from '../okta/errors.js';
import { connectorConfiguration } from './configuration.js';
import type { ConnectorDeps, ConnectorLogger } from './deps.js';
import { METADATA_CACHE_CONTROL, toEntity, toEntityDefinition } from './entities.js';
import { InvalidRequestError, toErrorDetails } from './errors.js';
import {
  type BaseResponse,
  type ConnectorContext,
  type ConnectorResponse,
  describeConfigurationSchema,
  describeEntitySchema,
  listEntitiesSchema,
  queryDataSchema,
  REQUEST_TYPES,
  type RequestType,
  retrieveDataSchema,
  validateCredentialsSchema,
  validateRuntimeSettingsSchema,
  writeDataSchema,
} from './protocol.js';
import { queryData } from './query-data.js';
import { retrieveData } from './retrieve-data.js';
import { validateRuntimeSettings } from './runtime-settings.js';
import { credentialsFromSecretJson } from './secrets.js';
import { OKTA_DOMAIN_SETTING, openSession, type Session } from './session.js';
import { writeData } from './write-data.js';

/** Every key of each response type other than isSuccess/errorDetails, null on failure. */
const FAILURE_KEYS: Readonly<Record<RequestType, readonly string[]>> = {
  ValidateConnectorRuntimeSettingsRequest: ['errorsByInputField'],
  ValidateCredentialsRequest: [],
  DescribeConnectorConfigurationRequest: Object.keys(connectorConfiguration()),
  ListEntitiesRequest: ['entities', 'nextToken', 'cacheControl'],
  DescribeEntityRequest: ['entityDefinition', 'cacheControl'],
  QueryDataRequest: ['nextToken', 'records'],
  RetrieveDataRequest: ['records'],
  WriteDataRequest: ['writeRecordResults'],
};

/** Cheap, read-only and needing only okta.users.read: proves the domain, the credential and the scope. */
export const CREDENTIALS_PROBE_PATH = '/api/v1/users?limit=1';

const ok = (body: Record<string, unknown>): ConnectorResponse => ({ isSuccess: true, errorDetails: null, ...body });

function requestType(event: unknown): RequestType | null {
  const type = event !== null && typeof event === 'object' ? (event as { type?: unknown }).type : undefined;
  return REQUEST_TYPES.find((t) => t === type) ?? null;
}

function parse<S extends z.ZodType>(schema: S, event: unknown): z.infer<S> {
  const parsed = schema.safeParse(event);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  throw new InvalidRequestError(
    `The request is not a valid ${String((event as { type?: unknown }).type)}: ${problems}`,
  );
}

function contextKeys(context: ConnectorContext | null | undefined): Record<string, string> {
  const keys: Record<string, string> = {};
  // Read before validation: only plain non-empty strings become log keys.
  for (const key of ['flowName', 'executionId', 'connectorProfileLabel'] as const) {
    const value: unknown = context?.[key];
    if (typeof value === 'string' && value !== '') keys[key] = value;
  }
  return keys;
}

/** Handles one AppFlow request. `startedAt` is when the invocation began (deps.now() clock). */
export async function handleConnectorRequest(
  event: unknown,
  deps: ConnectorDeps,
  startedAt: number = deps.now(),
): Promise<ConnectorResponse> {
  const type = requestType(event);
  const context = (event as { connectorContext?: ConnectorContext } | null)?.connectorContext ?? null;
  const logger = deps.logger.child({ requestType: type ?? 'unknown', ...contextKeys(context) });
  let session: Session | null = null;
  try {
    if (type === null) {
      const seen = event !== null && typeof event === 'object' ? (event as { type?: unknown }).type : undefined;
      throw new InvalidRequestError(
        `Unknown request type ${JSON.stringify(seen ?? null)}; expected one of ${REQUEST_TYPES.join(', ')}.`,
      );
    }
    const open = async (
      settings: ConnectorContext['connectorRuntimeSettings'],
      credentials: ConnectorContext['credentials'],
    ) => {
      session = await openSession(settings, credentials, deps);
      return session;
    };
    const response = await dispatch(type, event, deps, startedAt, open);
    const records = Array.isArray(response.records) ? { records: response.records.length } : {};
    logger.info('AppFlow request served', { durationMs: deps.now() - startedAt, ...records });
    return response;
  } catch (err) {
    const current = session as Session | null;
    if (err instanceof OktaAuthError) current?.forgetSecret();
    const errorDetails = toErrorDetails(
      err,
      current === null ? {} : { retryAfterSeconds: (b) => current.retryAfterSeconds(b) },
    );
    logFailure(logger, err, errorDetails.errorCode);
    const failure: Record<string, unknown> = { isSuccess: false, errorDetails };
    for (const key of type === null ? [] : FAILURE_KEYS[type]) failure[key] = null;
    return failure as ConnectorResponse & BaseResponse;
  }
}

function logFailure(logger: ConnectorLogger, err: unknown, errorCode: string): void {
  const name = err instanceof Error ? err.name : typeof err;
  const message = err instanceof Error ? err.message : String(err);
  logger.warn('AppFlow request failed', { errorCode, errorName: name, errorMessage: message });
}

type Open = (
  settings: ConnectorContext['connectorRuntimeSettings'],
  credentials: ConnectorContext['credentials'],
) => Promise<Session>;

async function dispatch(
  type: RequestType,
  event: unknown,
  deps: ConnectorDeps,
  startedAt: number,
  open: Open,
): Promise<ConnectorResponse> {
  switch (type) {
    case 'DescribeConnectorConfigurationRequest':
      parse(describeConfigurationSchema, event);
      return ok(connectorConfiguration());
    case 'ValidateConnectorRuntimeSettingsRequest': {
      const req = parse(validateRuntimeSettingsSchema, event);
      const errors = validateRuntimeSettings(req.scope, req.connectorRuntimeSettings, deps);
      if (Object.keys(errors).length === 0) return ok({ errorsByInputField: null });
      return {
        isSuccess: false,
        errorDetails: {
          errorCode: 'InvalidArgument',
          errorMessage: Object.values(errors).join(' '),
          retryAfterSeconds: null,
        },
        errorsByInputField: errors,
      };
    }
    case 'ValidateCredentialsRequest': {
      const req = parse(validateCredentialsSchema, event);
      if (req.connectorRuntimeSettings?.[OKTA_DOMAIN_SETTING] == null) {
        // Without the domain there is no org to ask: check the secret holds the credential its type needs; the
        // first data call reports a rejected credential as InvalidCredentials.
        credentialsFromSecretJson(await deps.secrets.get(req.credentials.secretArn), req.credentials);
        deps.logger.warn('ValidateCredentials without oktaDomain: only the secret was checked');
        return ok({});
      }
      const session = await open(req.connectorRuntimeSettings, req.credentials);
      await session.client.getJson(CREDENTIALS_PROBE_PATH, {
        signal: AbortSignal.timeout(deps.limits.metadataBudgetMs),
      });
      return ok({});
    }
    case 'ListEntitiesRequest': {
      const req = parse(listEntitiesSchema, event);
      // The five objects sit at the root; there are no nested entities below them.
      const root = req.entitiesPath === null || req.entitiesPath === undefined || ['', '/'].includes(req.entitiesPath);
      return ok({
        entities: root ? listObjectDefs().map(toEntity) : [],
        nextToken: null,
        cacheControl: METADATA_CACHE_CONTROL,
      });
    }
    case 'DescribeEntityRequest': {
      const req = parse(describeEntitySchema, event);
      const session = await open(req.connectorContext.connectorRuntimeSettings, req.connectorContext.credentials);
      const def = await session.definition(req.entityIdentifier, AbortSignal.timeout(deps.limits.metadataBudgetMs));
      return ok({ entityDefinition: toEntityDefinition(def), cacheControl: METADATA_CACHE_CONTROL });
    }
    case 'QueryDataRequest': {
      const req = parse(queryDataSchema, event);
      const session = await open(req.connectorContext.connectorRuntimeSettings, req.connectorContext.credentials);
      const result = await queryData(req, session, deps, startedAt);
      return ok({ nextToken: result.nextToken, records: result.records });
    }
    case 'RetrieveDataRequest': {
      const req = parse(retrieveDataSchema, event);
      const session = await open(req.connectorContext.connectorRuntimeSettings, req.connectorContext.credentials);
      return ok(await retrieveData(req, session, deps));
    }
    case 'WriteDataRequest': {
      const req = parse(writeDataSchema, event);
      if (!req.connectorContext) throw new InvalidRequestError('WriteData needs connectorContext (the connection).');
      const session = await open(req.connectorContext.connectorRuntimeSettings, req.connectorContext.credentials);
      return ok(
        await writeData(
          {
            entityIdentifier: req.entityIdentifier ?? '',
            operation: req.operation ?? '',
            idFieldNames: req.idFieldNames ?? [],
            records: req.records ?? [],
            allOrNone: req.allOrNone === true,
          },
          session.client,
          deps.logger,
          deps.now,
          deps.writeAudit,
          deps.writeEvents,
        ),
      );
    }
  }
}
