/**
 * Optional (config `appflow.enabled`): the connector Lambda registered with Amazon AppFlow as a custom connector.
 *
 * - Lambda permission for appflow.amazonaws.com, scoped with AWS:SourceAccount and AWS:SourceArn (confused deputy).
 * - AWS::AppFlow::Connector, which DependsOn the permission: registration invokes DescribeConnectorConfiguration.
 * - The Lambda may read only the secrets AppFlow creates for this connector's profiles
 *   (`appflow!<account>-<label>-*`), and decrypt them with the data key.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as appflow from 'aws-cdk-lib/aws-appflow';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { Config } from '../lambdas/flow/config/index.js';
import { OktaFlowFunction } from './okta-flow-function.js';
import { secretArnPattern } from './runner-functions.js';

export interface AppFlowConnectorProps {
  readonly config: Config;
  readonly handlersDir: string;
  readonly key: kms.IKey;
  readonly keyCreated: boolean;
  readonly bucket: s3.IBucket;
  readonly bucketCreated: boolean;
}

export class AppFlowConnector extends Construct {
  readonly function: OktaFlowFunction;
  readonly connector: appflow.CfnConnector;
  readonly permission: lambda.CfnPermission;

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
    });
    // AppFlow stores each connection's credentials in a secret it names appflow!<account>-<label>-<profile>…
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadAppFlowConnectionSecrets',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [secretArnPattern(this, `appflow!${stack.account}-${label}-*`)],
      }),
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
  }
}
