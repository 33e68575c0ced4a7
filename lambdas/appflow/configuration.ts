/**
 * DescribeConnectorConfiguration: what AppFlow shows when the connector is registered. Source and destination; Okta API token
 * (`SSWS <apiKey>`) or OAuth2 authorization code against the org authorization server, whose URLs AppFlow fills in
 * from the `oktaDomain` the user enters. (Client credentials against Okta needs private_key_jwt, which AppFlow's
 * OAuth2 cannot do.)
 */
import { readScopes } from '../okta/catalog/index.js';
import { OKTA_FLOW_VERSION } from '../okta/version.js';
import { OKTA_DOMAIN_SETTING } from './session.js';
import { SUPPORTED_WRITE_OPERATIONS } from './write-data.js';

/** Must not start with aws, amazon or appflow. */
export const CONNECTOR_OWNER = 'okta-flow';
export const CONNECTOR_NAME = 'okta-flow-okta-source';

/** Every read scope of the catalog and `offline_access` (the refresh token AppFlow keeps). */
export const OAUTH_SCOPES: readonly string[] = [...readScopes(), 'offline_access'];

/**
 * Every ConnectorOperator: filters (the eight comparison operators) run here; projection, masking, validation and
 * arithmetic tasks are applied by AppFlow to the records we return, so the connector accepts flows that use them.
 */
export const OPERATORS_SUPPORTED = [
  'PROJECTION',
  'LESS_THAN',
  'GREATER_THAN',
  'BETWEEN',
  'LESS_THAN_OR_EQUAL_TO',
  'GREATER_THAN_OR_EQUAL_TO',
  'EQUAL_TO',
  'CONTAINS',
  'NOT_EQUAL_TO',
  'ADDITION',
  'SUBTRACTION',
  'MULTIPLICATION',
  'DIVISION',
  'MASK_ALL',
  'MASK_FIRST_N',
  'MASK_LAST_N',
  'VALIDATE_NON_NULL',
  'VALIDATE_NON_ZERO',
  'VALIDATE_NON_NEGATIVE',
  'VALIDATE_NUMERIC',
  'NO_OP',
] as const;

/** The configuration body (without isSuccess/errorDetails). */
export function connectorConfiguration() {
  return {
    connectorOwner: CONNECTOR_OWNER,
    connectorName: CONNECTOR_NAME,
    connectorVersion: OKTA_FLOW_VERSION,
    // DESTINATION: WriteData for User (INSERT, UPDATE) and GroupMember (INSERT, DELETE) (write-data.ts).
    connectorModes: ['SOURCE', 'DESTINATION'],
    authenticationConfig: {
      isBasicAuthSupported: false,
      isApiKeyAuthSupported: true,
      isOAuth2Supported: true,
      isCustomAuthSupported: false,
      oAuth2Defaults: {
        oAuthScopes: [...OAUTH_SCOPES],
        tokenURL: [`https://{{${OKTA_DOMAIN_SETTING}}}/oauth2/v1/token`],
        authURL: [`https://{{${OKTA_DOMAIN_SETTING}}}/oauth2/v1/authorize`],
        oAuth2GrantTypesSupported: ['AUTHORIZATION_CODE'],
        oAuth2ContentType: 'URL_ENCODED',
        oAuth2MethodType: 'HTTP_POST',
        oauth2CustomProperties: null,
        // Okta web apps authenticate the client with client_secret_basic by default.
        addBasicAuthHeader: true,
      },
      customAuthConfig: null,
    },
    connectorRuntimeSetting: [
      {
        key: OKTA_DOMAIN_SETTING,
        dataType: 'String',
        required: true,
        label: 'Okta domain',
        description:
          'Your Okta org domain, e.g. acme.okta.com (also oktapreview.com, okta-emea.com, okta-gov.com, okta.mil).',
        scope: 'CONNECTOR_PROFILE',
        connectorSuppliedValueOptions: null,
      },
    ],
    supportedApiVersions: ['v1'],
    operatorsSupported: [...OPERATORS_SUPPORTED],
    supportedTriggerTypes: ['SCHEDULED', 'ONDEMAND'],
    triggerFrequenciesSupported: ['BYMINUTE', 'HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'ONCE'],
    supportedWriteOperations: [...SUPPORTED_WRITE_OPERATIONS],
    logoURL: null,
    supportedDataTransferTypes: ['RECORD'],
  };
}
