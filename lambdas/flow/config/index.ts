/** okta-flow configuration: schema, parsing, loading, errors. Shared by the CDK app (lib/, bin/) and the runtime. */
export { ConfigError, type ConfigProblem, formatProblem } from './config-error.js';
export { type ConditionSpec, type FilterNodeSpec, type FilterSpec, filterConditions, toFilter } from './filter-spec.js';
export { findFlow, UnknownFlowError } from './find-flow.js';
export { buildConfigJsonSchema, CONFIG_SCHEMA_ID } from './json-schema.js';
export { DEFAULT_CONFIG_FILE, loadConfig, parseConfigText } from './load-config.js';
export { isOktaHostedDomain, OKTA_DOMAIN_SUFFIXES } from './okta-domain.js';
export { parseConfig } from './parse-config.js';
export { scheduleExpressionProblem } from './schedule-expression.js';
export {
  COMPRESSIONS_BY_FORMAT,
  type Compression,
  type Config,
  type ConfigInput,
  configSchema,
  type DeleteDetection,
  type FlowConfig,
  type OktaConfig,
  type OutputConfig,
  type OutputFormat,
  type ScheduleConfig,
  type SlicingConfig,
} from './schema.js';
export { timeZoneProblem } from './time-zone.js';
