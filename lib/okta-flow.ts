/**
 * `OktaFlow`: everything okta-flow deploys for one config, as one construct for your own CDK app — the keys, the
 * output bucket, the credentials secret, the runner Lambdas, the RunFlow state machine, the schedules, the Glue
 * database and tables, the alarms and dashboard, and (optionally) the AppFlow connector. `OktaFlowStack` is this
 * construct in a stack of its own, for the standalone `cdk deploy`.
 *
 * Environment-agnostic (no lookups): `cdk synth` works offline without credentials. cdk-nag acknowledgements are
 * attached to the resources they concern, so they come along wherever the construct goes.
 */
import { Duration, Tags } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as glue from 'aws-cdk-lib/aws-glue';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { type Config, type ConfigInput, loadConfig, parseConfig } from '../lambdas/flow/config/index.js';
import { FIRST_PARTITION_DAY, hasGlueTables } from '../lambdas/lake/glue-definitions.js';
import { AppFlowConnector } from './appflow-connector.js';
import { ApplyPlanStateMachine } from './apply-plan-state-machine.js';
import { CredentialsSecret } from './credentials-secret.js';
import { EncryptionKeys } from './encryption-keys.js';
import { FlowSchedules } from './flow-schedules.js';
import { databaseNameOf, GlueTables } from './glue-tables.js';
import { type GrantReadLakeOptions, LakeReadGrants } from './lake-read-grants.js';
import { flowMetric, Monitoring } from './monitoring.js';
import { LAMBDA_BUNDLES_CONTEXT } from './okta-flow-function.js';
import { OutputBucket } from './output-bucket.js';
import { HANDLERS_DIR } from './paths.js';
import { type OnRunEventOptions, runEventRule } from './run-event-rule.js';
import { RunFlowStateMachine } from './run-flow-state-machine.js';
import { RunnerFunctions } from './runner-functions.js';
import { runtimeConfigJson } from './runtime-config.js';

/** First day Athena's partition projection enumerates (shared with CommitRun's Glue updates). */
export { FIRST_PARTITION_DAY };
/** The state machine stops a run after this long (the duration alarm fires much earlier). */
export const RUN_TIMEOUT = Duration.hours(24);

export interface OktaFlowProps {
  /**
   * The okta-flow config: the object itself (typed as `okta-flow.config.json` is; validated here exactly as
   * `okta-flow validate` does, a bad one fails synth with the ConfigError message), or the path of a JSON or YAML
   * config file (relative to the directory `cdk` runs in).
   */
  readonly config: ConfigInput | Config | string;
  /**
   * Where the Lambda code comes from. Inside the okta-flow project (handler sources present) each function is
   * bundled from its source at synth with esbuild; from the installed package, the bundles prebuilt into it are the
   * assets (no sources, no esbuild needed). Override only to test or to ship patched bundles.
   */
  readonly lambdaCode?: LambdaCodeLocation;
}

/** The directories the Lambda code is looked for in: handler sources first, then prebuilt bundles. */
export interface LambdaCodeLocation {
  /** Handler entry files (`<name>.ts`), bundled at synth when present. */
  readonly handlersDir?: string;
  /**
   * Prebuilt bundles (`<name>/index.mjs`), used when the handler source is not there. Also settable as context
   * `okta-flow:lambdaBundlesDir`.
   */
  readonly bundlesDir?: string;
}

export class OktaFlow extends Construct {
  /** The validated config, every default applied. */
  readonly config: Config;

  // --- what a user's app wires to -----------------------------------------------------------------------------
  /** RunFlow: start an execution with `{"flow": "<name>"}` (what the schedules send). */
  readonly stateMachine: sfn.StateMachine;
  /** The output bucket: data under `<prefix>/<object>/`, commit records under `<prefix>/_commits/`. */
  readonly bucket: s3.IBucket;
  /** The data key: SSE-KMS of the data, the run state and the credentials secret. */
  readonly key: kms.IKey;
  /** The Okta credentials secret (created empty, or the one the config names). */
  readonly credentialsSecret: secretsmanager.ISecret;
  /** The Glue database of the lake's tables and views. */
  readonly database: glue.CfnDatabase;
  readonly databaseName: string;
  /** Every alarm publishes here: subscribe your on-call. */
  readonly alarmTopic: sns.Topic;
  readonly alarms: readonly cloudwatch.Alarm[];
  readonly dashboard: cloudwatch.Dashboard;

  // --- the parts ------------------------------------------------------------------------------------------------
  readonly keys: EncryptionKeys;
  readonly output: OutputBucket;
  readonly credentials: CredentialsSecret;
  readonly functions: RunnerFunctions;
  readonly runFlow: RunFlowStateMachine;
  /** `<stack>-ApplyPlan` (write-back plans), when okta.writeCredentialsSecret is configured. */
  readonly applyPlan: ApplyPlanStateMachine | undefined;
  readonly schedules: FlowSchedules;
  readonly glue: GlueTables;
  readonly monitoring: Monitoring;
  readonly appflow?: AppFlowConnector;

  private readonly readGrants: LakeReadGrants;

  constructor(scope: Construct, id: string, props: OktaFlowProps) {
    super(scope, id);
    const config = resolveOktaFlowConfig(props.config, this.node.path);
    this.config = config;
    const handlersDir = props.lambdaCode?.handlersDir ?? HANDLERS_DIR;
    // Grant S3 log delivery through the bucket policy, not ACLs (object ownership stays BucketOwnerEnforced).
    // Context set here applies to this construct's subtree only, and must precede its children.
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    // Read by every OktaFlowFunction below (context reaches them without threading a prop through each part).
    if (props.lambdaCode?.bundlesDir !== undefined)
      this.node.setContext(LAMBDA_BUNDLES_CONTEXT, props.lambdaCode.bundlesDir);
    for (const [key, value] of Object.entries(config.stack.tags ?? {})) Tags.of(this).add(key, value);

    this.keys = new EncryptionKeys(this, 'Keys', { config });
    const key = this.keys.dataKey;
    this.output = new OutputBucket(this, 'Output', { config, key });
    this.credentials = new CredentialsSecret(this, 'Credentials', { config, key });

    this.functions = new RunnerFunctions(this, 'Runner', {
      handlersDir,
      configJson: runtimeConfigJson(this, config, this.credentials.secretId),
      bucket: this.output.bucket,
      prefix: config.output.prefix,
      key,
      secret: this.credentials.secret,
      secretId: this.credentials.secretId,
      ...(hasGlueTables(config.output) ? { glueDatabaseName: databaseNameOf(config.stack.name) } : {}),
    });

    this.runFlow = new RunFlowStateMachine(this, 'RunFlow', {
      plan: this.functions.plan,
      extract: this.functions.extract,
      commit: this.functions.commit,
      fail: this.functions.fail,
      timeout: RUN_TIMEOUT,
      name: config.stack.name,
    });

    const writeSecret = config.okta.writeCredentialsSecret;
    this.applyPlan =
      writeSecret === undefined
        ? undefined
        : new ApplyPlanStateMachine(this, 'ApplyPlan', {
            handlersDir,
            configJson: runtimeConfigJson(this, config, this.credentials.secretId),
            bucket: this.output.bucket,
            prefix: config.output.prefix,
            key,
            writeSecret,
            name: config.stack.name,
          });

    this.schedules = new FlowSchedules(this, 'Schedules', {
      flows: config.flows,
      stateMachine: this.runFlow.stateMachine,
      key: this.keys.opsKey,
    });
    this.glue = new GlueTables(this, 'Glue', { config, bucket: this.output.bucket, firstDay: FIRST_PARTITION_DAY });
    this.monitoring = new Monitoring(this, 'Monitoring', {
      config,
      stateMachine: this.runFlow.stateMachine,
      applyPlan: this.applyPlan?.stateMachine,
      deadLetterQueue: this.schedules.deadLetterQueue,
      key: this.keys.opsKey,
    });

    if (config.appflow.enabled) {
      this.appflow = new AppFlowConnector(this, 'AppFlow', {
        config,
        credentialsSecretId: this.credentials.secretId,
        handlersDir,
        key,
        keyCreated: this.keys.dataKeyCreated,
        credentialsSecretCreated: this.credentials.created,
        bucket: this.output.bucket,
        bucketCreated: this.output.created,
      });
    }

    this.stateMachine = this.runFlow.stateMachine;
    this.bucket = this.output.bucket;
    this.key = key;
    this.credentialsSecret = this.credentials.secret;
    this.database = this.glue.database;
    this.databaseName = this.glue.databaseName;
    this.alarmTopic = this.monitoring.topic;
    this.alarms = this.monitoring.alarms;
    this.dashboard = this.monitoring.dashboard;
    this.readGrants = new LakeReadGrants({ config, bucket: this.bucket, key, glue: this.glue });
  }

  // --- grants ---------------------------------------------------------------------------------------------------

  /**
   * Everything an analyst's role needs on okta-flow's side to query the lake with Athena: read the data, tombstone
   * and commit-record files (never the run state under `<prefix>/_state/`), decrypt them, and read the Glue
   * database, tables and views. With `workGroup`, also run queries in that Athena workgroup (its query-result
   * location is yours to grant). Returns one Grant per part.
   */
  grantReadLake(grantee: iam.IGrantable, options: GrantReadLakeOptions = {}): iam.Grant[] {
    return this.readGrants.lake(grantee, options);
  }

  /** Read the lake's files (data, tombstones, commit records) and decrypt them: S3 + KMS, no Glue. */
  grantReadData(grantee: iam.IGrantable): iam.Grant[] {
    return this.readGrants.data(grantee);
  }

  /** Read the Glue database and every table and view of the lake (nothing when the output has no Glue tables). */
  grantReadCatalog(grantee: iam.IGrantable): iam.Grant | undefined {
    return this.readGrants.catalog(grantee);
  }

  /** Start RunFlow executions (e.g. a role of your own that triggers runs). */
  grantStartRun(grantee: iam.IGrantable): iam.Grant {
    return this.stateMachine.grantStartExecution(grantee);
  }

  // --- metrics --------------------------------------------------------------------------------------------------

  /** RunFlow executions that failed (Step Functions ExecutionsFailed). */
  metricRunsFailed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stateMachine.metricFailed({ statistic: 'Sum', ...props });
  }

  /** RunFlow executions that succeeded. */
  metricRunsSucceeded(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stateMachine.metricSucceeded({ statistic: 'Sum', ...props });
  }

  /** RunFlow executions started. */
  metricRunsStarted(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stateMachine.metricStarted({ statistic: 'Sum', ...props });
  }

  /** RunFlow execution time (ms). */
  metricRunTime(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stateMachine.metricTime({ statistic: 'Maximum', ...props });
  }

  /**
   * One of the runner's per-flow metrics (namespace OktaFlow, dimensions service + flow, as Powertools emits them):
   * `records`, `durationMs`, `rateLimitWaitMs`, `RateLimited429`. The flow must be one of the config's.
   */
  metricFlow(flow: string, metricName: FlowMetricName, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    if (!this.config.flows.some((f) => f.name === flow)) {
      throw new UnknownFlowMetricError(
        `No flow "${flow}" in this okta-flow config (flows: ${this.config.flows.map((f) => f.name).join(', ')}).`,
      );
    }
    return flowMetric(flow, metricName, props?.statistic ?? 'Sum', false).with(props ?? {});
  }

  /** Records a flow copied (per run). */
  metricRecords(flow: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metricFlow(flow, 'records', props);
  }

  /** Okta 429 answers a flow received. */
  metricRateLimited(flow: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metricFlow(flow, 'RateLimited429', props);
  }

  // --- run events -----------------------------------------------------------------------------------------------

  /**
   * An EventBridge rule on this deployment's run events (source `okta-flow`, detail types "Run Started",
   * "Run Completed", "Run Failed", detail.flow one of the config's flows), optionally narrowed to some kinds or
   * flows, with an optional target. Created on demand, so a deployment nobody subscribes to has no idle rule.
   */
  onRunEvent(id: string, options: OnRunEventOptions = {}): events.Rule {
    return runEventRule(this, id, this.config, options);
  }

  /** A rule on Run Completed events (see onRunEvent). */
  onRunCompleted(id: string, options: Omit<OnRunEventOptions, 'kinds'> = {}): events.Rule {
    return this.onRunEvent(id, { ...options, kinds: ['completed'] });
  }

  /** A rule on Run Failed events (see onRunEvent). */
  onRunFailed(id: string, options: Omit<OnRunEventOptions, 'kinds'> = {}): events.Rule {
    return this.onRunEvent(id, { ...options, kinds: ['failed'] });
  }
}

/** The per-flow metrics the runner emits. */
export type FlowMetricName = 'records' | 'durationMs' | 'rateLimitWaitMs' | 'RateLimited429';

/** A metric asked for a flow the config does not have. */
export class UnknownFlowMetricError extends Error {
  override readonly name = 'UnknownFlowMetricError';
}

/** A config object or file path → the validated config (ConfigError with every problem otherwise). */
export function resolveOktaFlowConfig(config: ConfigInput | Config | string, where: string): Config {
  return typeof config === 'string' ? loadConfig(config) : parseConfig(config, `the config of ${where}`);
}
