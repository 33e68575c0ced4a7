/**
 * Amazon AppFlow's custom connector wire protocol (Lambda flavour), as the Java SDK spells it: request schemas
 * (zod, unknown keys ignored) and response shapes. Responses carry no `type`; every key is emitted, null when absent.
 */
import { z } from 'zod';

export const REQUEST_TYPES = [
  'ValidateConnectorRuntimeSettingsRequest',
  'ValidateCredentialsRequest',
  'DescribeConnectorConfigurationRequest',
  'ListEntitiesRequest',
  'DescribeEntityRequest',
  'QueryDataRequest',
  'RetrieveDataRequest',
  'WriteDataRequest',
] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

export const AUTHENTICATION_TYPES = ['BasicAuth', 'OAuth2', 'ApiKey', 'CustomAuth'] as const;
export type AuthenticationType = (typeof AUTHENTICATION_TYPES)[number];

/** AppFlow's error codes (ErrorCode enum). */
export type ErrorCode =
  | 'InvalidArgument'
  | 'InvalidCredentials'
  | 'AccessDenied'
  | 'RequestTimeout'
  | 'RateLimitExceeded'
  | 'ServiceUnavailable'
  | 'ClientError'
  | 'ServerError'
  | 'UnknownError'
  | 'PartialWriteFailure'
  | 'ResourceNotFoundError';

export interface ErrorDetails {
  readonly errorCode: ErrorCode;
  readonly errorMessage: string;
  readonly retryAfterSeconds: number | null;
}

/** Shared by every response. */
export interface BaseResponse {
  readonly isSuccess: boolean;
  readonly errorDetails: ErrorDetails | null;
}

const settings = z.record(z.string(), z.string().nullable()).nullish();

export const credentialsSchema = z.looseObject({
  secretArn: z.string().min(1),
  authenticationType: z.enum(AUTHENTICATION_TYPES),
});
export type AppFlowCredentials = z.infer<typeof credentialsSchema>;

export const connectorContextSchema = z.looseObject({
  apiVersion: z.string().nullish(),
  connectorRuntimeSettings: settings,
  credentials: credentialsSchema,
  entityDefinition: z.unknown().nullish(),
  flowName: z.string().nullish(),
  executionId: z.string().nullish(),
  connectorProfileLabel: z.string().nullish(),
});
export type ConnectorContext = z.infer<typeof connectorContextSchema>;

const entityIdentifier = z.string().min(1);
const fieldNames = z.array(z.string()).nullish();

export const validateRuntimeSettingsSchema = z.looseObject({
  type: z.literal('ValidateConnectorRuntimeSettingsRequest'),
  scope: z.enum(['CONNECTOR_PROFILE', 'SOURCE', 'DESTINATION', 'SOURCE_AND_DESTINATION']),
  connectorRuntimeSettings: settings,
  authenticationType: z.string().nullish(),
});

export const validateCredentialsSchema = z.looseObject({
  type: z.literal('ValidateCredentialsRequest'),
  credentials: credentialsSchema,
  connectorRuntimeSettings: settings,
});

export const describeConfigurationSchema = z.looseObject({
  type: z.literal('DescribeConnectorConfigurationRequest'),
  locale: z.string().nullish(),
  connectorLabel: z.string().nullish(),
});

export const listEntitiesSchema = z.looseObject({
  type: z.literal('ListEntitiesRequest'),
  connectorContext: connectorContextSchema,
  entitiesPath: z.string().nullish(),
  nextToken: z.string().nullish(),
  maxResult: z.number().int().nullish(),
});

export const describeEntitySchema = z.looseObject({
  type: z.literal('DescribeEntityRequest'),
  entityIdentifier,
  connectorContext: connectorContextSchema,
});

export const queryDataSchema = z.looseObject({
  type: z.literal('QueryDataRequest'),
  entityIdentifier,
  connectorContext: connectorContextSchema,
  selectedFieldNames: fieldNames,
  filterExpression: z.string().nullish(),
  nextToken: z.string().nullish(),
  maxResults: z.number().int().nullish(),
});
export type QueryDataRequest = z.infer<typeof queryDataSchema>;

export const retrieveDataSchema = z.looseObject({
  type: z.literal('RetrieveDataRequest'),
  entityIdentifier,
  connectorContext: connectorContextSchema,
  selectedFieldNames: fieldNames,
  idFieldName: z.string().nullish(),
  ids: z.array(z.string()),
});
export type RetrieveDataRequest = z.infer<typeof retrieveDataSchema>;

export const writeDataSchema = z.looseObject({
  type: z.literal('WriteDataRequest'),
  entityIdentifier: z.string().nullish(),
  connectorContext: connectorContextSchema.nullish(),
  operation: z.string().nullish(),
  idFieldNames: z.array(z.string()).nullish(),
  records: z.array(z.string()).nullish(),
  allOrNone: z.boolean().nullish(),
});

export interface CacheControl {
  readonly timeToLive: number;
  readonly timeToLiveUnit: 'SECONDS' | 'MINUTES' | 'HOURS' | 'DAYS';
}

export interface Entity {
  readonly entityIdentifier: string;
  readonly hasNestedEntities: boolean;
  readonly isWritable: boolean;
  readonly label: string;
  readonly description: string;
  readonly customProperties: Record<string, string> | null;
}

export interface ReadProperties {
  readonly isRetrievable: boolean;
  readonly isNullable: boolean;
  readonly isQueryable: boolean;
  readonly isTimestampFieldForIncrementalQueries: boolean;
}

export interface FieldDefinition {
  readonly fieldName: string;
  readonly dataType: string;
  readonly dataTypeLabel: string;
  readonly label: string;
  readonly description: string;
  readonly defaultValue: null;
  readonly isPrimaryKey: boolean;
  readonly isDeprecated: boolean;
  /** Field constraints (allowedValues, …); okta-flow declares none. */
  readonly constraints: null;
  readonly readProperties: ReadProperties;
  readonly writeProperties: WriteProperties | null;
  readonly filterOperators: string[];
  readonly customProperties: Record<string, string> | null;
}

/** AppFlow's FieldDefinition.writeProperties (destination fields). */
export interface WriteProperties {
  readonly isCreatable: boolean;
  readonly isUpdatable: boolean;
  readonly isNullable: boolean;
  readonly isUpsertable: boolean;
  readonly isDefaultedOnCreate: boolean;
  readonly supportedWriteOperations: string[];
}

export interface EntityDefinition {
  readonly entity: Entity;
  readonly fields: FieldDefinition[];
  readonly customProperties: Record<string, string> | null;
}

/** A response: the base keys plus the request type's own (all present). */
export type ConnectorResponse = BaseResponse & Record<string, unknown>;
