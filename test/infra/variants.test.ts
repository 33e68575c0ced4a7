/**
 * Config variants, one synth each (cdk-nag on): the AppFlow section with a connection and a sample flow on created
 * resources, and the same with an imported bucket, key and secret. Plus the gate itself: an unacknowledged finding
 * fails synth.
 */
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { APPFLOW_INCREMENTAL_OBJECTS } from '../../lambdas/flow/config/schema.js';
import { listObjectDefs } from '../../lambdas/okta/catalog/index.js';
import { AppFlowConfigError } from '../../lib/appflow-connector.js';
import {
  exampleConfigJson,
  type Json,
  logicalId,
  resource,
  resourcesOf,
  roleStatements,
  type Synthesized,
  synthesize,
} from './synthesize.js';

const appflowSection = {
  enabled: true,
  connectorLabel: 'okta-flow',
  connection: { name: 'okta-flow-conn' },
  sampleFlow: { name: 'okta-users-sample', object: 'User', scheduleExpression: 'rate(1hours)' },
};

/** The created credentials secret is empty at deploy time: the connection's token comes from a filled secret. */
const appflowWithTokenSecret = {
  ...appflowSection,
  connection: { name: 'okta-flow-conn', apiTokenSecret: 'okta-flow/appflow-api-token' },
};

describe('appflow section on created bucket, key and secret', () => {
  let s: Synthesized;
  let keyId: string;
  beforeAll(() => {
    s = synthesize({ ...exampleConfigJson(), appflow: appflowWithTokenSecret });
    keyId = logicalId(s.json, 'AWS::KMS::Key');
  });

  it('stays cdk-nag clean', () => {
    expect(s.nagErrors).toEqual([]);
  });

  it('lets only AppFlow of this account invoke the connector, and registers after that permission exists', () => {
    const permissionId = logicalId(s.json, 'AWS::Lambda::Permission');
    const permission = resource(s.json, 'AWS::Lambda::Permission').Properties;
    const fnId = logicalId(s.json, 'AWS::Lambda::Function', 'AppFlowConnectorFunction');
    expect(permission).toMatchObject({
      Action: 'lambda:InvokeFunction',
      Principal: 'appflow.amazonaws.com',
      SourceAccount: { Ref: 'AWS::AccountId' },
      FunctionName: { 'Fn::GetAtt': [fnId, 'Arn'] },
    });
    expect(JSON.stringify(permission.SourceArn)).toContain(':appflow:');
    const connector = resource(s.json, 'AWS::AppFlow::Connector');
    expect(connector.DependsOn).toContain(permissionId);
    expect(connector.Properties).toMatchObject({
      ConnectorLabel: 'okta-flow',
      ConnectorProvisioningType: 'LAMBDA',
      ConnectorProvisioningConfig: { Lambda: { LambdaArn: { 'Fn::GetAtt': [fnId, 'Arn'] } } },
    });
  });

  it('the connector function reads only appflow!<account>-<label>-* secrets and decrypts through Secrets Manager', () => {
    const statements = roleStatements(s.json, 'AppFlowConnectorFunctionRole');
    const read = statements.find((st) => st.Sid === 'ReadAppFlowConnectionSecrets');
    expect(read.Action).toBe('secretsmanager:GetSecretValue');
    const parts = read.Resource['Fn::Join'][1] as Json[];
    expect(parts.at(-2)).toEqual({ Ref: 'AWS::AccountId' });
    expect(parts.at(-1)).toBe('-okta-flow-*');
    expect(parts).toContain(':secret:appflow!');
    const decrypt = statements.find((st) => st.Sid === 'DecryptAppFlowConnectionSecrets');
    expect(decrypt.Resource).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    expect(Object.keys(decrypt.Condition.StringEquals)).toEqual(['kms:ViaService']);
    const fn = resource(s.json, 'AWS::Lambda::Function', 'AppFlowConnectorFunction').Properties;
    expect(fn).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], Timeout: 30 });
  });

  it('the connection takes the API token by dynamic reference, never a value', () => {
    const profile = resource(s.json, 'AWS::AppFlow::ConnectorProfile');
    expect(profile.DependsOn).toContain(logicalId(s.json, 'AWS::AppFlow::Connector'));
    const props = profile.Properties;
    expect(props).toMatchObject({
      ConnectorProfileName: 'okta-flow-conn',
      ConnectorType: 'CustomConnector',
      ConnectorLabel: 'okta-flow',
      ConnectionMode: 'Public',
      KMSArn: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
    expect(props.ConnectorProfileConfig.ConnectorProfileProperties.CustomConnector.ProfileProperties).toEqual({
      oktaDomain: 'acme.okta.com',
    });
    const credentials = props.ConnectorProfileConfig.ConnectorProfileCredentials.CustomConnector;
    expect(credentials.AuthenticationType).toBe('APIKEY');
    const apiKey = JSON.stringify(credentials.ApiKey.ApiKey);
    expect(apiKey).toContain('{{resolve:secretsmanager:');
    expect(apiKey).toContain(':SecretString:apiToken::}}');
    expect(apiKey).toContain('okta-flow/appflow-api-token');
    expect(apiKey).not.toContain(logicalId(s.json, 'AWS::SecretsManager::Secret'));
  });

  it('the sample flow: scheduled, incremental on last_updated, Parquet to the output bucket under the data key', () => {
    const flow = resource(s.json, 'AWS::AppFlow::Flow');
    expect(flow.DependsOn).toContain(logicalId(s.json, 'AWS::AppFlow::ConnectorProfile'));
    const p = flow.Properties;
    expect(p).toMatchObject({
      FlowName: 'okta-users-sample',
      FlowStatus: 'Suspended',
      KMSArn: { 'Fn::GetAtt': [keyId, 'Arn'] },
      SourceFlowConfig: {
        ConnectorType: 'CustomConnector',
        ConnectorProfileName: 'okta-flow-conn',
        SourceConnectorProperties: { CustomConnector: { EntityName: 'User' } },
        IncrementalPullConfig: { DatetimeTypeFieldName: 'last_updated' },
      },
      TriggerConfig: {
        TriggerType: 'Scheduled',
        TriggerProperties: { ScheduleExpression: 'rate(1hours)', DataPullMode: 'Incremental', TimeZone: 'UTC' },
      },
    });
    const s3 = p.DestinationFlowConfigList[0].DestinationConnectorProperties.S3;
    expect(s3.BucketName).toEqual({ Ref: logicalId(s.json, 'AWS::S3::Bucket', 'OutputBucket') });
    expect(s3.BucketPrefix).toBe('okta/appflow');
    expect(s3.S3OutputFormatConfig.FileType).toBe('PARQUET');
    const [projection, ...maps] = p.Tasks as Json[];
    expect(projection).toMatchObject({ TaskType: 'Filter', ConnectorOperator: { CustomConnector: 'PROJECTION' } });
    expect(projection.SourceFields).toContain('last_updated');
    expect(projection.SourceFields).not.toContain('password');
    expect(maps.map((m) => m.SourceFields[0])).toEqual(projection.SourceFields);
  });

  it('bucket and key policies let AppFlow of this account write the sample flow output', () => {
    const bucketId = logicalId(s.json, 'AWS::S3::Bucket', 'OutputBucket');
    const policy = resourcesOf(s.json, 'AWS::S3::BucketPolicy').find(([, p]) => p.Properties.Bucket.Ref === bucketId);
    const statements = ((policy?.[1].Properties.PolicyDocument.Statement ?? []) as Json[]).filter((st) =>
      st.Sid?.startsWith('AppFlow'),
    );
    expect(statements.map((st) => [st.Sid, st.Principal.Service, st.Condition])).toEqual([
      [
        'AppFlowWriteSampleFlow',
        'appflow.amazonaws.com',
        { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      ],
      [
        'AppFlowBucketAccess',
        'appflow.amazonaws.com',
        { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      ],
    ]);
    expect(JSON.stringify(statements[0].Resource)).toContain('/okta/appflow/*');
    const keyStatements = resource(s.json, 'AWS::KMS::Key').Properties.KeyPolicy.Statement as Json[];
    expect(keyStatements.find((st) => st.Sid === 'AppFlowUseDataKey')).toMatchObject({
      Principal: { Service: 'appflow.amazonaws.com' },
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'],
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
    });
  });
});

describe('AppFlow combinations that cannot deploy are refused at synth, saying what to do', () => {
  it('a connection whose token would come from the credentials secret this stack creates (still empty)', () => {
    expect(() => synthesize({ ...exampleConfigJson(), appflow: appflowSection })).toThrow(AppFlowConfigError);
    expect(() => synthesize({ ...exampleConfigJson(), appflow: appflowSection })).toThrow(
      /creates empty .*set appflow\.connection\.apiTokenSecret to an existing secret/s,
    );
  });

  it('a connection without a sample flow still gets the AppFlow key-policy statement for its credentials secret', () => {
    const { connection } = appflowWithTokenSecret;
    const s = synthesize({
      ...exampleConfigJson(),
      appflow: { enabled: true, connectorLabel: 'okta-flow', connection },
    });
    s.template.resourceCountIs('AWS::AppFlow::Flow', 0);
    const statements = resource(s.json, 'AWS::KMS::Key').Properties.KeyPolicy.Statement as Json[];
    expect(statements.find((st) => st.Sid === 'AppFlowUseDataKey')).toMatchObject({
      Principal: { Service: 'appflow.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
    });
    expect(s.nagErrors).toEqual([]);
  });
});

describe('imported bucket, key and secret (by name), client-side encryption, with the appflow section', () => {
  const keyArn = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  let s: Synthesized;
  beforeAll(() => {
    const example = exampleConfigJson() as Json;
    s = synthesize({
      ...example,
      okta: { ...example.okta, credentialsSecret: 'okta-flow/okta-credentials' },
      output: {
        ...example.output,
        bucket: { name: 'acme-okta-exports' },
        encryption: { kmsKey: { arn: keyArn }, clientSide: true },
      },
      appflow: appflowSection,
    });
  });

  it('creates no bucket, data key or secret; a small key of its own encrypts the alarm topic and DLQ', () => {
    expect(s.nagErrors).toEqual([]);
    s.template.resourceCountIs('AWS::S3::Bucket', 0);
    s.template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    s.template.resourceCountIs('AWS::KMS::Alias', 0);
    const opsKey = logicalId(s.json, 'AWS::KMS::Key', 'KeysOpsKey');
    expect(resource(s.json, 'AWS::KMS::Key').Properties.EnableKeyRotation).toBe(true);
    expect(resource(s.json, 'AWS::SNS::Topic').Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [opsKey, 'Arn'] });
    expect(resource(s.json, 'AWS::SQS::Queue').Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [opsKey, 'Arn'] });
  });

  it('grants name the imported resources exactly', () => {
    const statements = roleStatements(s.json, 'RunnerExtractStepRole');
    const bySid = (sid: string) => statements.find((st) => st.Sid === sid);
    expect(bySid('DataKey').Resource).toBe(keyArn);
    expect(JSON.stringify(bySid('RunState').Resource)).toContain(':s3:::acme-okta-exports/okta/_state/*');
    // A secret imported by name: its ARN ends in 6 random characters.
    expect(JSON.stringify(bySid('ReadCredentials').Resource)).toContain(':secret:okta-flow/okta-credentials-??????');
    const fn = resourcesOf(s.json, 'AWS::Lambda::Function').find(([id]) => id.startsWith('RunnerPlanRun'));
    expect(fn?.[1].Properties.Environment.Variables).toMatchObject({
      CREDENTIALS_SECRET_ARN: 'okta-flow/okta-credentials',
      OUTPUT_BUCKET: 'acme-okta-exports',
      KMS_KEY_ARN: keyArn,
    });
  });

  it('warns with the bucket and key policy statements AppFlow needs, since it cannot add them', () => {
    const warnings = s.stack.node
      .findAll()
      .flatMap((c) => c.node.metadata)
      .filter((m) => m.type === 'aws:cdk:warning')
      .map((m) => String(m.data));
    expect(warnings.some((w) => w.includes('bucket policy') && w.includes('appflow.amazonaws.com'))).toBe(true);
    expect(warnings.some((w) => w.includes('key policy') && w.includes('kms:GenerateDataKey'))).toBe(true);
    // Client-side encryption is on in this variant: Athena could not read the files, so no tables.
    expect(warnings.some((w) => w.includes('no Glue tables are created'))).toBe(true);
    s.template.resourceCountIs('AWS::Glue::Table', 0);
    s.template.resourceCountIs('AWS::Glue::Database', 1);
    s.template.resourceCountIs('AWS::S3::BucketPolicy', 0);
  });
});

describe('config rules the stack relies on', () => {
  it('APPFLOW_INCREMENTAL_OBJECTS are exactly the directory objects with a cursor field', () => {
    // The sample flow windows on last_updated; a relation's cursor is its parent's (GroupMember:
    // group_last_membership_updated), so relations are not offered there.
    const withCursor = listObjectDefs()
      .filter((d) => d.cursorField !== null && d.source?.kind !== 'children')
      .map((d) => d.name);
    expect([...APPFLOW_INCREMENTAL_OBJECTS].sort()).toEqual(withCursor.sort());
  });
});

describe('the cdk-nag gate', () => {
  it('fails synth on an unacknowledged finding', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'NagProbe');
    new sqs.Queue(stack, 'Unencrypted', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS/);
  });
});

describe('CSV output', () => {
  let s: Synthesized;
  beforeAll(() => {
    const config = exampleConfigJson() as { output: Record<string, unknown> };
    s = synthesize({ ...config, output: { ...config.output, format: 'csv', compression: 'none' } });
  });

  it('gets no Glue tables (Athena cannot read RFC 4180 CSV back exactly), says why, and CommitRun has no Glue grant', () => {
    const warnings = s.stack.node
      .findAll()
      .flatMap((c) => c.node.metadata)
      .filter((m) => m.type === 'aws:cdk:warning')
      .map((m) => String(m.data));
    expect(warnings.some((w) => w.includes('output.format is csv') && w.includes('okta-flow query'))).toBe(true);
    s.template.resourceCountIs('AWS::Glue::Table', 0);
    s.template.resourceCountIs('AWS::Glue::Database', 1);
    const sids = roleStatements(s.json, 'RunnerCommitRunRole').map((st) => st.Sid);
    expect(sids).toContain('WriteOutput');
    expect(sids).not.toContain('LakeTables');
    expect(s.nagErrors).toEqual([]);
  });
});
