/** The Amazon AppFlow custom connector protocol over okta-flow's catalog, planner and extraction engine. */
export { CONNECTOR_NAME, CONNECTOR_OWNER, connectorConfiguration, OAUTH_SCOPES } from './configuration.js';
export { CREDENTIALS_PROBE_PATH, handleConnectorRequest } from './connector.js';
export {
  type ConnectorDeps,
  type ConnectorLimits,
  type ConnectorLogger,
  DEFAULT_LIMITS,
  silentLogger,
  ttlDefinitionCache,
} from './deps.js';
export { toEntityDefinition } from './entities.js';
export { toErrorDetails } from './errors.js';
export { powertoolsConnectorLogger } from './powertools-logger.js';
export type { ConnectorResponse, ErrorCode, ErrorDetails } from './protocol.js';
export { DEFAULT_SECRET_TTL_MS, SecretCache, type SecretReader, secretsManagerReader } from './secrets.js';
