/**
 * Optional (config `appflow.enabled`): the connector Lambda registered with Amazon AppFlow as a custom connector.
 *
 * - Lambda permission for appflow.amazonaws.com, scoped with AWS:SourceAccount and AWS:SourceArn (confused deputy).
 * - AWS::AppFlow::Connector, which DependsOn the permission: registration invokes DescribeConnectorConfiguration.
 * - The Lambda may read only the secrets AppFlow creates for this connector's connections, and decrypt them with
 *   the data key through Secrets Manager only. AppFlow names a custom connector's connection secret
 *   `appflow!<account>-<connectorLabel>-<profileName>-<random>`; the AppFlow Custom Connector SDK's deployment guide
 *   grants exactly `secret:appflow!<account>-<connectorLabel>-*`, which is what the function gets.
 * - WriteData stores its resolution and audit under <prefix>/apply/ (s3:PutObject there only, kms:GenerateDataKey
 *   via S3 only): the same layout and SSE-KMS as `okta-flow apply` and ApplyPlan.
 * - A connection whose token would come from a secret this same stack creates (empty at deploy time) is refused at
 *   synth (AppFlowConfigError): CloudFormation could not resolve its token.
 * - `appflow.connection`: an AWS::AppFlow::ConnectorProfile (API key auth; the token comes from a secret through a
 *   CloudFormation dynamic reference, never into the template; runtime setting oktaDomain).
 * - `appflow.sampleFlow`: a scheduled incremental AWS::AppFlow::Flow (on last_updated) writing Parquet to the output
 *   bucket under <prefix>/appflow/, encrypted with the data key; the bucket and key policies AppFlow needs, each
 *   scoped with aws:SourceAccount. An imported bucket or key cannot be changed from here: synth warns with what to add.
 */
import { Annotations, Duration, SecretValue, Stack } from 'aws-cdk-lib';
import * as appflow from 'aws-cdk-lib/aws-appflow';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { Config } from '../lambdas/flow/config/index.js';
import { defaultFields, getObjectDef } from '../lambdas/okta/catalog/index.js';
import { acknowledgeWildcardResource } from './nag.js';
import { OktaFlowFunction } from './okta-flow-function.js';
import { secretArnPattern } from './runner-functions.js';

/** An appflow section that cannot deploy, refused at synth with what to change. */
export class AppFlowConfigError extends Error {
  override readonly name = 'AppFlowConfigError';
}

export interface AppFlowConnectorProps {
  readonly config: Config;
  /** Secret id (ARN or name) of okta.credentialsSecret, the default source of the connection's API token. */
  readonly credentialsSecretId: string;
  readonly handlersDir: string;
  readonly key: kms.IKey;
  readonly keyCreated: boolean;
  /** True when the stack creates okta.credentialsSecret (empty until `okta-flow connect` fills it). */
  readonly credentialsSecretCreated: boolean;
  readonly bucket: s3.IBucket;
  readonly bucketCreated: boolean;
}

export class AppFlowConnector extends Construct {
  readonly function: OktaFlowFunction;
  readonly connector: appflow.CfnConnector;
  readonly permission: lambda.CfnPermission;
  readonly connection?: appflow.CfnConnectorProfile;
  readonly sampleFlow?: appflow.CfnFlow;

  constructor(scope: Construct, id: string, props: AppFlowConnectorProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const label = props.config.appflow.connectorLabel;

    this.function = new OktaFlowFunction(this, 'ConnectorFunction', {
      entry: `${props.handlersDir}/appflow-connector.ts`,
      description: 'okta-flow: Amazon AppFlow custom connector (Okta source)',
      // AppFlow waits at most 30 s per request; the handler answers within its own budget below that.
      timeout: Duration.seconds(30),
      memorySize: 1024,
      environment: {
        // Custom (non-Okta-suffix) domains a connection's oktaDomain may name, as in okta.customDomains.
        ...(props.config.okta.customDomains === undefined
          ? {}
          : { OKTA_CUSTOM_DOMAINS: props.config.okta.customDomains.join(',') }),
        // WriteData's resolution and audit: <prefix>/apply/<plan hash>/<run id>/, SSE-KMS with the data key.
        OUTPUT_BUCKET: props.bucket.bucketName,
        OUTPUT_PREFIX: props.config.output.prefix,
        KMS_KEY_ARN: props.key.keyArn,
        // One Apply Action event per WriteData outcome, as from ApplyPlan.
        EVENT_BUS_NAME: 'default',
      },
    });
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ApplyEvents',
        actions: ['events:PutEvents'],
        resources: [events.EventBus.fromEventBusName(this, 'Bus', 'default').eventBusArn],
      }),
    );
    // WriteData audit: new objects only (unique run ids), so no read, list or delete.
    const auditObjects = props.bucket.arnForObjects(`${props.config.output.prefix}/apply/*`);
    this.function.addToRolePolicy(
      new iam.PolicyStatement({ sid: 'WriteDataAudit', actions: ['s3:PutObject'], resources: [auditObjects] }),
    );
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'WriteDataAuditKey',
        actions: ['kms:GenerateDataKey'],
        resources: [props.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` } },
      }),
    );
    acknowledgeWildcardResource(
      this.function.role ?? this.function,
      auditObjects,
      'WriteData audits are keyed <prefix>/apply/<plan hash>/<run id>/, unknown until a batch arrives.',
    );
    // AppFlow stores each connection's credentials in a secret it names appflow!<account>-<label>-<profile>…
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadAppFlowConnectionSecrets',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [secretArnPattern(this, `appflow!${stack.account}-${label}-*`)],
      }),
    );
    acknowledgeWildcardResource(
      this.function.role ?? this.function,
      secretArnPattern(this, `appflow!${stack.account}-${label}-*`),
      'AppFlow creates one secret per connection, named appflow!<account>-<label>-<profile>-<random>: the names ' +
        'are unknown until a connection exists; the pattern is limited to this connector label.',
    );
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'DecryptAppFlowConnectionSecrets',
        actions: ['kms:Decrypt'],
        resources: [props.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${stack.region}.amazonaws.com` } },
      }),
    );

    this.permission = new lambda.CfnPermission(this, 'AppFlowInvoke', {
      action: 'lambda:InvokeFunction',
      functionName: this.function.functionArn,
      principal: 'appflow.amazonaws.com',
      sourceAccount: stack.account,
      sourceArn: `arn:${stack.partition}:appflow:${stack.region}:${stack.account}:*`,
    });

    this.connector = new appflow.CfnConnector(this, 'Connector', {
      connectorLabel: label,
      description: 'okta-flow: read Okta users, groups, applications, devices and user types',
      connectorProvisioningType: 'LAMBDA',
      connectorProvisioningConfig: { lambda: { lambdaArn: this.function.functionArn } },
    });
    this.connector.addResourceDependency(this.permission);

    const { connection, sampleFlow } = props.config.appflow;
    if (connection !== undefined && connection.apiTokenSecret === undefined && props.credentialsSecretCreated) {
      // CloudFormation resolves {{resolve:secretsmanager:…:apiToken}} while creating the connection, and AppFlow
      // validates the token: a secret this same deploy creates is still empty, so the deploy would fail.
      throw new AppFlowConfigError(
        'appflow.connection takes its API token from okta.credentialsSecret, which this stack creates empty ' +
          '({"create": true}): the deploy would fail resolving its "apiToken". Either deploy once without ' +
          'appflow.connection, fill the secret (okta-flow connect, or {"type":"apiToken","apiToken":"…"}) and add the ' +
          "connection in a second deploy with okta.credentialsSecret set to that secret's name or ARN, or set " +
          'appflow.connection.apiTokenSecret to an existing secret whose JSON holds "apiToken".',
      );
    }
    if (connection !== undefined) {
      const tokenSecret = connection.apiTokenSecret ?? props.credentialsSecretId;
      this.connection = new appflow.CfnConnectorProfile(this, 'Connection', {
        connectorProfileName: connection.name,
        connectorType: 'CustomConnector',
        connectorLabel: label,
        connectionMode: 'Public',
        kmsArn: props.key.keyArn,
        connectorProfileConfig: {
          connectorProfileProperties: {
            customConnector: { profileProperties: { oktaDomain: props.config.okta.domain } },
          },
          connectorProfileCredentials: {
            customConnector: {
              authenticationType: 'APIKEY',
              // {{resolve:secretsmanager:…:SecretString:apiToken}}: resolved by CloudFormation, not in the template.
              apiKey: { apiKey: SecretValue.secretsManager(tokenSecret, { jsonField: 'apiToken' }).unsafeUnwrap() },
            },
          },
        },
      });
      this.connection.addResourceDependency(this.connector);
      // AppFlow stores the connection's credentials in a secret of its own, encrypted with the connection's key.
      this.allowAppFlowKey(props);
    }

    if (sampleFlow !== undefined && this.connection !== undefined) {
      const { prefix } = props.config.output;
      const fields = defaultFields(getObjectDef(sampleFlow.object)).map((f) => f.column);
      this.sampleFlow = new appflow.CfnFlow(this, 'SampleFlow', {
        flowName: sampleFlow.name,
        description: `okta-flow sample: ${sampleFlow.object} records changed since the last run, as Parquet`,
        flowStatus: sampleFlow.active ? 'Active' : 'Suspended',
        kmsArn: props.key.keyArn,
        sourceFlowConfig: {
          connectorType: 'CustomConnector',
          connectorProfileName: this.connection.connectorProfileName,
          sourceConnectorProperties: { customConnector: { entityName: sampleFlow.object } },
          incrementalPullConfig: {
            datetimeTypeFieldName: getObjectDef(sampleFlow.object).cursorField ?? 'last_updated',
          },
        },
        destinationFlowConfigList: [
          {
            connectorType: 'S3',
            destinationConnectorProperties: {
              s3: {
                bucketName: props.bucket.bucketName,
                bucketPrefix: `${prefix}/appflow`,
                s3OutputFormatConfig: {
                  fileType: 'PARQUET',
                  preserveSourceDataTyping: true,
                  aggregationConfig: { aggregationType: 'None' },
                  prefixConfig: { prefixType: 'PATH', prefixFormat: 'DAY', pathPrefixHierarchy: ['EXECUTION_ID'] },
                },
              },
            },
          },
        ],
        tasks: [
          { taskType: 'Filter', sourceFields: fields, connectorOperator: { customConnector: 'PROJECTION' } },
          ...fields.map((field) => ({
            taskType: 'Map',
            sourceFields: [field],
            destinationField: field,
            connectorOperator: { customConnector: 'NO_OP' },
          })),
        ],
        triggerConfig: {
          triggerType: 'Scheduled',
          triggerProperties: {
            scheduleExpression: sampleFlow.scheduleExpression,
            dataPullMode: 'Incremental',
            timeZone: sampleFlow.timezone,
            flowErrorDeactivationThreshold: 5,
          },
        },
      });
      this.sampleFlow.addResourceDependency(this.connection);
      this.allowAppFlowWrites(props, `${prefix}/appflow`);
    }
  }

  /** Bucket and key policies for appflow.amazonaws.com (this account only), or a warning for imported ones. */
  private allowAppFlowWrites(props: AppFlowConnectorProps, keyPrefix: string): void {
    const account = Stack.of(this).account;
    const sourceAccount = { StringEquals: { 'aws:SourceAccount': account } };
    const principal = new iam.ServicePrincipal('appflow.amazonaws.com');
    const bucketStatements = [
      new iam.PolicyStatement({
        sid: 'AppFlowWriteSampleFlow',
        principals: [principal],
        actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts', 's3:PutObjectAcl'],
        resources: [props.bucket.arnForObjects(`${keyPrefix}/*`)],
        conditions: sourceAccount,
      }),
      new iam.PolicyStatement({
        sid: 'AppFlowBucketAccess',
        principals: [principal],
        actions: ['s3:ListBucketMultipartUploads', 's3:GetBucketAcl'],
        resources: [props.bucket.bucketArn],
        conditions: sourceAccount,
      }),
    ];
    if (props.bucketCreated && props.bucket instanceof s3.Bucket) {
      for (const statement of bucketStatements) props.bucket.addToResourcePolicy(statement);
    } else {
      Annotations.of(this).addWarningV2(
        'okta-flow:appflow-bucket-policy',
        `The output bucket is imported: add to its bucket policy ${JSON.stringify(Stack.of(this).resolve(bucketStatements.map((s) => s.toStatementJson())))} so the AppFlow sample flow can write.`,
      );
    }
  }

  /**
   * Key policy for appflow.amazonaws.com (this account only) whenever a connection or flow uses the data key: the
   * connection's credentials secret and the sample flow's output are encrypted with it. An imported key: a warning.
   */
  private allowAppFlowKey(props: AppFlowConnectorProps): void {
    const keyStatement = new iam.PolicyStatement({
      sid: 'AppFlowUseDataKey',
      principals: [new iam.ServicePrincipal('appflow.amazonaws.com')],
      actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'],
      // In a key policy, "*" means this key.
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
    });
    if (props.keyCreated && props.key instanceof kms.Key) {
      props.key.addToResourcePolicy(keyStatement);
    } else {
      Annotations.of(this).addWarningV2(
        'okta-flow:appflow-key-policy',
        `The KMS key is imported: add to its key policy ${JSON.stringify(Stack.of(this).resolve(keyStatement.toStatementJson()))} so AppFlow can encrypt the connection's credentials secret and the sample flow's output.`,
      );
    }
  }
}
