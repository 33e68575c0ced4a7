/**
 * The `okta-flow` package entry: the `OktaFlow` construct for your own CDK app (and `OktaFlowStack`, the same in a
 * stack of its own), its parts, the config types and validation, and the run events' names and shapes.
 *
 *   import { OktaFlow } from 'okta-flow';
 *   const okta = new OktaFlow(this, 'Okta', { config: 'okta-flow.config.json' });
 */
export {
  type Config,
  ConfigError,
  type ConfigInput,
  type ConfigProblem,
  type FlowConfig,
  loadConfig,
  type OutputConfig,
  parseConfig,
} from '../lambdas/flow/config/index.js';
export {
  RUN_EVENT_DETAIL_TYPES,
  RUN_EVENT_SOURCE,
  type RunCompletedDetail,
  type RunCounts,
  type RunEventKind,
  type RunFailedDetail,
  type RunStartedDetail,
} from '../lambdas/flow/events.js';
export { AppFlowConfigError, AppFlowConnector } from './appflow-connector.js';
export { CredentialsSecret } from './credentials-secret.js';
export { EncryptionKeys } from './encryption-keys.js';
export { FlowSchedules } from './flow-schedules.js';
export { GlueTables } from './glue-tables.js';
export { type GrantReadLakeOptions, lakeReadFolders } from './lake-read-grants.js';
export { Monitoring } from './monitoring.js';
export {
  FIRST_PARTITION_DAY,
  type FlowMetricName,
  type LambdaCodeLocation,
  OktaFlow,
  type OktaFlowProps,
  RUN_TIMEOUT,
  UnknownFlowMetricError,
} from './okta-flow.js';
export { LAMBDA_BUNDLES_CONTEXT, LambdaCodeNotFoundError, OktaFlowFunction } from './okta-flow-function.js';
export { OktaFlowStack, type OktaFlowStackProps } from './okta-flow-stack.js';
export { OutputBucket } from './output-bucket.js';
export { type OnRunEventOptions, RunEventRuleError, runEventPattern } from './run-event-rule.js';
export { RunFlowStateMachine } from './run-flow-state-machine.js';
export { RunnerFunctions } from './runner-functions.js';
export { RuntimeConfigTooLargeError } from './runtime-config.js';
