/**
 * The stack synthesized from examples/okta-flow.config.json (once, shared by every assertion): each resource, its
 * encryption settings, each IAM statement, and the cdk-nag gate.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseRunInput } from '../../lambdas/flow/events.js';
import { laneEventSchema } from '../../lambdas/flow/runner/step-events.js';
import { decodePrestoView } from '../../lambdas/lake/glue-definitions.js';
import { getObjectDef } from '../../lambdas/okta/catalog/index.js';
import {
  asArray,
  exampleConfigJson,
  type Json,
  logicalId,
  resource,
  resourcesOf,
  roleStatements,
  type Synthesized,
  synthesize,
} from './synthesize.js';

let s: Synthesized;
let keyId: string;
let bucketId: string;
let secretId: string;

beforeAll(() => {
  s = synthesize(exampleConfigJson());
  keyId = logicalId(s.json, 'AWS::KMS::Key', 'KeysDataKey');
  bucketId = logicalId(s.json, 'AWS::S3::Bucket', 'OutputBucket');
  secretId = logicalId(s.json, 'AWS::SecretsManager::Secret', 'CredentialsSecret');
});

const keyArn = () => ({ 'Fn::GetAtt': [keyId, 'Arn'] });
const bucketObjects = (path: string) => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, `/${path}`]] });

describe('cdk-nag AwsSolutions', () => {
  it('has no unacknowledged finding', () => {
    expect(s.nagErrors).toEqual([]);
  });

  it('gives every acknowledgement a reason', () => {
    expect(s.acknowledgements.size).toBeGreaterThan(0);
    for (const [id, reason] of s.acknowledgements) {
      expect(reason.length, id).toBeGreaterThan(40);
    }
    const rules = [...s.acknowledgements.keys()].map((id) => id.replace(/^[A-Za-z]+::/, ''));
    expect(rules).toEqual(
      expect.arrayContaining(['AwsSolutions-SMG4', 'AwsSolutions-L1', 'AwsSolutions-SQS3', 'AwsSolutions-S1']),
    );
  });
});

describe('KMS key', () => {
  it('rotates, has the configured alias and is kept when the stack goes', () => {
    const key = resource(s.json, 'AWS::KMS::Key');
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(key.DeletionPolicy).toBe('Retain');
    s.template.hasResourceProperties('AWS::KMS::Alias', {
      AliasName: 'alias/okta-flow',
      TargetKeyId: keyArn(),
    });
  });

  it('key policy: account delegation to IAM, and CloudWatch (this account only) for the alarm topic', () => {
    const statements = resource(s.json, 'AWS::KMS::Key').Properties.KeyPolicy.Statement as Json[];
    expect(statements).toHaveLength(2);
    const [account, cloudwatch] = statements;
    expect(account.Principal.AWS['Fn::Join'][1]).toContain(':root');
    expect(cloudwatch).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
    });
  });
});

describe('output bucket', () => {
  it('SSE-KMS with the key and bucket keys, Block Public Access, versioning, access logs', () => {
    const bucket = resource(s.json, 'AWS::S3::Bucket', 'OutputBucket').Properties;
    expect(bucket.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
      { BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn() } },
    ]);
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logicalId(s.json, 'AWS::S3::Bucket', 'OutputAccessLogs') },
      LogFilePrefix: 'output-bucket/',
    });
  });

  it('lifecycle: abort uploads after 1 day, expire data per object prefix, never the state', () => {
    const rules = resource(s.json, 'AWS::S3::Bucket', 'OutputBucket').Properties.LifecycleConfiguration.Rules as Json[];
    expect(rules).toContainEqual(
      expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' }),
    );
    const expiring = rules.filter((r) => r.ExpirationInDays !== undefined);
    expect(expiring.map((r) => [r.Prefix, r.ExpirationInDays])).toEqual([
      ['okta/User/', 365],
      ['okta/Group/', 365],
      ['okta/Application/', 365],
      ['okta/Device/', 365],
      ['okta/UserType/', 365],
    ]);
    expect(rules.some((r) => r.Prefix === undefined && r.ExpirationInDays !== undefined)).toBe(false);
  });

  it('bucket policy denies requests without TLS', () => {
    const policy = resourcesOf(s.json, 'AWS::S3::BucketPolicy').find(([, p]) => p.Properties.Bucket.Ref === bucketId);
    expect(policy?.[1].Properties.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 's3:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
  });

  it('the access-log bucket: SSE-S3 (log delivery cannot use KMS), BPA, TLS-only, log delivery by bucket policy', () => {
    const logsId = logicalId(s.json, 'AWS::S3::Bucket', 'OutputAccessLogs');
    const logs = resource(s.json, 'AWS::S3::Bucket', 'OutputAccessLogs').Properties;
    expect(logs.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault).toEqual({
      SSEAlgorithm: 'AES256',
    });
    expect(logs.PublicAccessBlockConfiguration.BlockPublicAcls).toBe(true);
    const policy = resourcesOf(s.json, 'AWS::S3::BucketPolicy').find(([, p]) => p.Properties.Bucket.Ref === logsId);
    const statements = policy?.[1].Properties.PolicyDocument.Statement as Json[];
    expect(statements.map((st) => [st.Effect, st.Principal.Service ?? st.Principal.AWS])).toEqual([
      ['Deny', '*'],
      ['Allow', 'logging.s3.amazonaws.com'],
    ]);
  });
});

describe('credentials secret', () => {
  it('is created empty, encrypted with the key, and says how to fill it', () => {
    const secret = resource(s.json, 'AWS::SecretsManager::Secret').Properties;
    expect(secret.SecretString).toBeUndefined();
    expect(secret.GenerateSecretString).toBeUndefined();
    expect(secret.KmsKeyId).toEqual(keyArn());
    expect(secret.Description).toContain('okta-flow connect');
    expect(secret.Description).toContain('aws secretsmanager put-secret-value');
  });
});

const FUNCTIONS = ['RunnerPlanRun', 'RunnerExtractStep', 'RunnerCommitRun', 'RunnerFailRun'] as const;

function lambdaFunction(prefix: string): Json {
  const found = resourcesOf(s.json, 'AWS::Lambda::Function').find(
    ([id]) => id.startsWith(prefix) && !id.includes('Role'),
  );
  if (!found) throw new Error(`no function ${prefix}`);
  return found[1].Properties;
}

describe('Lambda functions', () => {
  it('share the OktaFlowFunction defaults', () => {
    expect(resourcesOf(s.json, 'AWS::Lambda::Function')).toHaveLength(4);
    for (const name of FUNCTIONS) {
      const fn = lambdaFunction(name);
      expect(fn.Runtime, name).toBe('nodejs22.x');
      expect(fn.Architectures, name).toEqual(['arm64']);
      expect(fn.TracingConfig, name).toEqual({ Mode: 'Active' });
      expect(fn.Handler, name).toBe('index.handler');
      expect(fn.Environment.Variables, name).toMatchObject({
        // V8's heap ceiling follows the function's memory (3/4 of it), not the host's.
        NODE_OPTIONS: `--enable-source-maps --max-old-space-size=${Math.floor((fn.MemorySize as number) * 0.75)}`,
        POWERTOOLS_SERVICE_NAME: 'okta-flow',
        POWERTOOLS_METRICS_NAMESPACE: 'OktaFlow',
        STATE_BUCKET: { Ref: bucketId },
        STATE_PREFIX: 'okta',
        CREDENTIALS_SECRET_ARN: { Ref: secretId },
        OUTPUT_BUCKET: { Ref: bucketId },
        KMS_KEY_ARN: keyArn(),
      });
      const logGroup = fn.LoggingConfig.LogGroup.Ref as string;
      expect(s.json.Resources[logGroup].Properties.RetentionInDays, name).toBe(90);
    }
    expect(lambdaFunction('RunnerExtractStep').Timeout).toBe(900);
  });

  it('roles carry no managed policy (no AWSLambdaBasicExecutionRole)', () => {
    for (const [id, role] of resourcesOf(s.json, 'AWS::IAM::Role')) {
      expect(role.Properties.ManagedPolicyArns, id).toBeUndefined();
    }
  });

  it('OKTA_FLOW_CONFIG is the validated config without comments, naming the secret by ARN only', () => {
    const joined = lambdaFunction('RunnerPlanRun').Environment.Variables.OKTA_FLOW_CONFIG as Json;
    // Stack.toJsonString renders the secret ARN token as a Ref inside a Fn::Join.
    const parts = joined['Fn::Join'][1] as Json[];
    const text = parts.map((p) => (typeof p === 'string' ? p : `<${p.Ref}>`)).join('');
    const runtime = JSON.parse(text);
    expect(text).not.toContain('$comment');
    expect(runtime.okta.credentialsSecret).toBe(`<${secretId}>`);
    expect(runtime.flows.map((f: Json) => f.name)).toEqual(s.config.flows.map((f) => f.name));
    expect(runtime.output.compression).toBe('snappy');
  });

  it('plan, commit and fail publish run events; extract does not', () => {
    const env = (name: string) => lambdaFunction(name).Environment.Variables;
    for (const fn of ['RunnerPlanRun', 'RunnerCommitRun', 'RunnerFailRun'])
      expect(env(fn).EVENT_BUS_NAME).toBe('default');
    expect(env('RunnerExtractStep').EVENT_BUS_NAME).toBeUndefined();
  });
});

/** Statements as [sid, actions, resources] with tokens rendered, for readable whole-policy comparisons. */
function summarize(statements: Json[]): [string, string[], Json[]][] {
  return statements.map((st) => [st.Sid ?? '', asArray(st.Action) as string[], asArray(st.Resource)]);
}

describe('IAM statements', () => {
  const xray = ['', ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], ['*']];
  const logWrite = (fn: string) => {
    const logs = lambdaFunction(fn).LoggingConfig.LogGroup.Ref as string;
    return ['', ['logs:CreateLogStream', 'logs:PutLogEvents'], [{ 'Fn::GetAtt': [logs, 'Arn'] }]];
  };
  const state = (deletes: boolean) => [
    'RunState',
    ['s3:GetObject', 's3:PutObject', ...(deletes ? ['s3:DeleteObject'] : [])],
    [bucketObjects('okta/_state/*')],
  ];
  const list = () => ['ListBucketSoMissingKeysAre404', ['s3:ListBucket'], [{ 'Fn::GetAtt': [bucketId, 'Arn'] }]];
  const read = () => ['ReadOutput', ['s3:GetObject'], [bucketObjects('okta/*')]];
  // No kms:Encrypt: SSE-KMS writes use GenerateDataKey.
  const key = () => ['DataKey', ['kms:Decrypt', 'kms:GenerateDataKey'], [keyArn()]];
  const write = () => ['WriteOutput', ['s3:PutObject', 's3:AbortMultipartUpload'], [bucketObjects('okta/*')]];
  const remove = () => ['DeleteOutput', ['s3:DeleteObject'], [bucketObjects('okta/*')]];
  const secretRead = () => ['ReadCredentials', ['secretsmanager:GetSecretValue'], [{ Ref: secretId }]];
  const secretWrite = () => [
    'PersistRotatedRefreshToken',
    ['secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage'],
    [{ Ref: secretId }],
  ];
  const events = [
    'RunEvents',
    ['events:PutEvents'],
    [
      {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':events:',
            { Ref: 'AWS::Region' },
            ':',
            { Ref: 'AWS::AccountId' },
            ':event-bus/default',
          ],
        ],
      },
    ],
  ];

  it("PlanRun: state, read data, delete a crashed run's files, key, credentials (it reads the user profile schemas), run events", () => {
    const statements = roleStatements(s.json, 'RunnerPlanRunRole');
    expect(summarize(statements)).toEqual([
      xray,
      logWrite('RunnerPlanRun'),
      state(false),
      list(),
      read(),
      key(),
      remove(),
      secretRead(),
      secretWrite(),
      events,
    ]);
  });

  it('every role that reads state may list the bucket without a prefix condition (a missing key is 404, not 403)', () => {
    for (const fn of FUNCTIONS) {
      const statements = roleStatements(s.json, `${fn}Role`);
      const readsState = statements.some(
        (st) => asArray(st.Action).includes('s3:GetObject') && JSON.stringify(st.Resource).includes('okta/_state/*'),
      );
      expect(readsState, fn).toBe(true);
      const lists = statements.filter(
        (st) =>
          asArray(st.Action).includes('s3:ListBucket') &&
          JSON.stringify(asArray(st.Resource)) === JSON.stringify([{ 'Fn::GetAtt': [bucketId, 'Arn'] }]),
      );
      expect(lists.length, fn).toBe(1);
      expect(lists[0].Condition, fn).toBeUndefined();
    }
  });

  it('ExtractStep: state, read + write data (no deletes: stale parts go at commit), key, credentials; no events', () => {
    expect(summarize(roleStatements(s.json, 'RunnerExtractStepRole'))).toEqual([
      xray,
      logWrite('RunnerExtractStep'),
      state(false),
      list(),
      read(),
      key(),
      write(),
      secretRead(),
      secretWrite(),
    ]);
  });

  it('CommitRun: state (with deletes), read + write data, key, the lake tables, events; never the credentials', () => {
    const glueArn = (resource: string) => ({
      'Fn::Join': [
        '',
        ['arn:', { Ref: 'AWS::Partition' }, ':glue:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, resource],
      ],
    });
    const lakeTables = [
      'LakeTables',
      ['glue:GetTable', 'glue:CreateTable', 'glue:UpdateTable'],
      [glueArn(':catalog'), glueArn(':database/oktaflow'), glueArn(':table/oktaflow/*')],
    ];
    expect(summarize(roleStatements(s.json, 'RunnerCommitRunRole'))).toEqual([
      xray,
      logWrite('RunnerCommitRun'),
      state(true),
      list(),
      read(),
      key(),
      write(),
      remove(),
      lakeTables,
      events,
    ]);
    expect(lambdaFunction('RunnerCommitRun').Environment.Variables.GLUE_DATABASE).toBe('oktaflow');
    expect(lambdaFunction('RunnerFailRun').Environment.Variables.GLUE_DATABASE).toBeUndefined();
  });

  it('FailRun: state (with deletes), read and delete data, key, events; no data writes, never the credentials', () => {
    expect(summarize(roleStatements(s.json, 'RunnerFailRunRole'))).toEqual([
      xray,
      logWrite('RunnerFailRun'),
      state(true),
      list(),
      read(),
      key(),
      remove(),
      events,
    ]);
  });

  it('state machine role: invoke the four functions, log delivery and X-Ray', () => {
    const statements = roleStatements(s.json, 'RunFlowRole');
    const invoked = statements
      .filter((st) => st.Action === 'lambda:InvokeFunction')
      .flatMap((st) => st.Resource as Json[])
      .filter((r) => r['Fn::GetAtt'])
      .map((r) => r['Fn::GetAtt'][0] as string)
      .sort();
    expect(invoked.map((id) => id.replace(/[0-9A-F]{8}$/, ''))).toEqual([
      'RunnerCommitRun',
      'RunnerExtractStep',
      'RunnerFailRun',
      'RunnerPlanRun',
    ]);
    expect(statements).toHaveLength(6);
  });

  it('schedule role: start RunFlow only, send to the DLQ with its key', () => {
    const stateMachine = logicalId(s.json, 'AWS::StepFunctions::StateMachine');
    const dlq = logicalId(s.json, 'AWS::SQS::Queue');
    expect(summarize(roleStatements(s.json, 'SchedulesRole'))).toEqual([
      ['EncryptDeadLetters', ['kms:GenerateDataKey', 'kms:Decrypt'], [keyArn()]],
      ['', ['states:StartExecution'], [{ Ref: stateMachine }]],
      ['', ['sqs:SendMessage'], [{ 'Fn::GetAtt': [dlq, 'Arn'] }]],
    ]);
    const trust = resource(s.json, 'AWS::IAM::Role', 'SchedulesRole').Properties.AssumeRolePolicyDocument.Statement;
    expect(trust).toEqual([
      expect.objectContaining({
        Principal: { Service: 'scheduler.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      }),
    ]);
  });

  it('no wildcard action anywhere; Resource "*" only for X-Ray and log delivery, which AWS requires', () => {
    const resourceStarAllowed = new Set([
      'xray:PutTraceSegments',
      'xray:PutTelemetryRecords',
      'xray:GetSamplingRules',
      'xray:GetSamplingTargets',
      'logs:CreateLogDelivery',
      'logs:GetLogDelivery',
      'logs:UpdateLogDelivery',
      'logs:DeleteLogDelivery',
      'logs:ListLogDeliveries',
      'logs:PutResourcePolicy',
      'logs:DescribeResourcePolicies',
      'logs:DescribeLogGroups',
    ]);
    for (const [id, policy] of resourcesOf(s.json, 'AWS::IAM::Policy')) {
      for (const st of policy.Properties.PolicyDocument.Statement as Json[]) {
        for (const action of asArray(st.Action) as string[]) expect(action, id).not.toContain('*');
        if (asArray(st.Resource).includes('*')) {
          for (const action of asArray(st.Action) as string[])
            expect(resourceStarAllowed, `${id} ${action}`).toContain(action);
        }
      }
    }
  });
});

/** The state machine definition with tokens rendered as <LogicalId>. */
function definition(): Json {
  const body = resource(s.json, 'AWS::StepFunctions::StateMachine').Properties.DefinitionString;
  const parts = body['Fn::Join'][1] as Json[];
  return JSON.parse(parts.map((p) => (typeof p === 'string' ? p : `<${p['Fn::GetAtt']?.[0] ?? p.Ref}>`)).join(''));
}

describe('RunFlow state machine', () => {
  it('plan (with the execution ARN) → Map over lanes (one per concurrent task, results discarded) → commit {run}', () => {
    const def = definition();
    expect(def.StartAt).toBe('PlanRun');
    expect(def.States.PlanRun.Parameters).toEqual({ 'input.$': '$', 'executionArn.$': '$$.Execution.Id' });
    expect(def.States.PlanRun.Next).toBe('ExtractLanes');
    const map = def.States.ExtractLanes;
    expect(map).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.lanes',
      MaxConcurrencyPath: '$.run.concurrency',
      ItemSelector: { 'run.$': '$.run', 'lane.$': '$$.Map.Item.Value' },
      ResultPath: null,
      Next: 'CommitRun',
    });
    expect(map.MaxConcurrency).toBeUndefined();
    expect(def.States.CommitRun.Parameters).toEqual({ 'run.$': '$.run' });
    expect(def.States.CommitRun.End).toBe(true);
  });

  it('the first ExtractStep input has no continuation, which the handler reads as null ("start the lane")', () => {
    expect(laneEventSchema.shape.continuation.parse(undefined)).toBeNull();
  });

  it('extract loops until done, through a Wait of $.waitSeconds when asked; a lane outputs only its number', () => {
    const inner = definition().States.ExtractLanes.ItemProcessor;
    expect(inner.StartAt).toBe('ExtractStep');
    expect(inner.States.ExtractStep.Next).toBe('MoreToExtract?');
    expect(inner.States['MoreToExtract?'].Choices).toEqual([
      {
        And: [
          { Variable: '$.waitSeconds', IsPresent: true },
          { Variable: '$.done', BooleanEquals: false },
        ],
        Next: 'WaitForRateLimit',
      },
      { Variable: '$.done', BooleanEquals: false, Next: 'ExtractStep' },
    ]);
    expect(inner.States.WaitForRateLimit).toEqual({ Type: 'Wait', SecondsPath: '$.waitSeconds', Next: 'ExtractStep' });
    expect(inner.States['MoreToExtract?'].Default).toBe('LaneDone');
    expect(inner.States.LaneDone).toEqual({ Type: 'Succeed', OutputPath: '$.lane' });
    // No Parameters: the function gets the previous state's output as is.
    expect(inner.States.ExtractStep.Parameters).toBeUndefined();
  });

  it('retries transient errors with backoff and jitter on every Lambda step', () => {
    const def = definition();
    for (const step of [
      def.States.PlanRun,
      def.States.CommitRun,
      def.States.ExtractLanes.ItemProcessor.States.ExtractStep,
    ]) {
      const retry = step.Retry as Json[];
      expect(retry.flatMap((r) => r.ErrorEquals)).toEqual(
        expect.arrayContaining([
          'Lambda.ServiceException',
          'Lambda.TooManyRequestsException',
          'OktaRateLimitError',
          'TransientError',
        ]),
      );
      for (const r of retry) {
        expect(r.BackoffRate).toBe(2);
        expect(r.JitterStrategy).toBe('FULL');
      }
    }
  });

  it('every failure, States.DataLimitExceeded (which States.ALL does not match) included, goes through FailRun', () => {
    const def = definition();
    const caught = (next: string) => [
      { ErrorEquals: ['States.DataLimitExceeded'], ResultPath: '$.error', Next: next },
      { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: next },
    ];
    expect(def.States.PlanRun.Catch).toEqual(caught('FailedBeforePlan'));
    expect(def.States.ExtractLanes.Catch).toEqual(caught('FailedWithRun'));
    expect(def.States.CommitRun.Catch).toEqual(caught('FailedWithRun'));
    expect(def.States.FailRun.Catch.map((c: Json) => c.ErrorEquals)).toEqual([
      ['States.DataLimitExceeded'],
      ['States.ALL'],
    ]);
    expect(def.States.FailedBeforePlan.Parameters).toEqual({ 'input.$': '$$.Execution.Input', 'error.$': '$.error' });
    expect(def.States.FailedWithRun.Parameters).toEqual({
      'run.$': '$.run',
      'input.$': '$$.Execution.Input',
      'error.$': '$.error',
    });
    expect(def.States.FailRun).toMatchObject({ ResultPath: null, Next: 'RunFailed' });
    expect(def.States.RunFailed).toEqual({ Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' });
  });

  it('is named <stack>-RunFlow, the name `okta-flow invoke` looks for', () => {
    expect(resource(s.json, 'AWS::StepFunctions::StateMachine').Properties.StateMachineName).toBe('OktaFlow-RunFlow');
  });

  it('logs without execution data (PII), traces, and times out', () => {
    const props = resource(s.json, 'AWS::StepFunctions::StateMachine').Properties;
    expect(props.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });
    expect(props.TracingConfiguration).toEqual({ Enabled: true });
    expect(definition().TimeoutSeconds).toBe(24 * 3600);
  });
});

describe('schedules', () => {
  it('one per flow with its expression, time zone and input; a disabled flow gets a disabled schedule', () => {
    const schedules = resourcesOf(s.json, 'AWS::Scheduler::Schedule').map(([, r]) => r.Properties);
    expect(
      schedules.map((p) => [
        JSON.parse(p.Target.Input).flow,
        p.ScheduleExpression,
        p.ScheduleExpressionTimezone,
        p.State,
      ]),
    ).toEqual([
      ['users-hourly', 'rate(1 hour)', 'UTC', 'ENABLED'],
      ['groups-daily', 'cron(0 2 * * ? *)', 'Europe/Paris', 'ENABLED'],
      ['apps-daily', 'cron(30 2 * * ? *)', 'Europe/Paris', 'ENABLED'],
      ['devices-6h', 'rate(6 hours)', 'UTC', 'ENABLED'],
      ['user-types-weekly', 'cron(0 6 ? * MON *)', 'America/New_York', 'DISABLED'],
    ]);
    const dlq = logicalId(s.json, 'AWS::SQS::Queue');
    for (const p of schedules) {
      expect(JSON.parse(p.Target.Input)).toMatchObject({
        trigger: 'schedule',
        scheduledTime: '<aws.scheduler.scheduled-time>',
      });
      // What PlanRun receives once Scheduler fills in the tick's time is a valid run input.
      const delivered = p.Target.Input.replace('<aws.scheduler.scheduled-time>', '2026-01-01T02:00:00Z');
      expect(parseRunInput(JSON.parse(delivered))).toMatchObject({ trigger: 'schedule' });
      expect(p.Target.RetryPolicy).toEqual({ MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 });
      expect(p.Target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [dlq, 'Arn'] } });
    }
  });

  it('the dead-letter queue is KMS-encrypted and TLS-only', () => {
    expect(resource(s.json, 'AWS::SQS::Queue').Properties.KmsMasterKeyId).toEqual(keyArn());
    const statements = resource(s.json, 'AWS::SQS::QueuePolicy').Properties.PolicyDocument.Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });
});

describe('Glue', () => {
  const tables = () => resourcesOf(s.json, 'AWS::Glue::Table').map(([, t]) => t.Properties.TableInput);
  const named = (name: string) => tables().find((t) => t.Name === name);

  it('a database; per object the parts, tombstone and commit tables and the three views', () => {
    s.template.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: { Name: 'oktaflow' } });
    const perObject = (p: string, s1: string) => [
      `_${p}_parts`,
      `_${s1}_deletes_parts`,
      `_${p}_commits`,
      p,
      `${s1}_deletes`,
      `${p}_current`,
    ];
    expect(tables().map((t) => t.Name)).toEqual([
      ...perObject('users', 'user'),
      ...perObject('groups', 'group'),
      ...perObject('applications', 'application'),
      ...perObject('devices', 'device'),
      ...perObject('user_types', 'user_type'),
    ]);
    const parts = named('_users_parts');
    expect(parts.PartitionKeys).toEqual([expect.objectContaining({ Name: 'dt', Type: 'string' })]);
    expect(parts.Parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.dt.type': 'date',
      'projection.dt.format': 'yyyy-MM-dd',
      'projection.dt.range': '2020-01-01,NOW',
      'storage.location.template': { 'Fn::Join': ['', ['s3://', { Ref: bucketId }, `/okta/User/dt=\${dt}/`]] },
    });
    expect(parts.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe(
      'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
    );
    expect(named('_user_deletes_parts').StorageDescriptor.Location).toEqual({
      'Fn::Join': ['', ['s3://', { Ref: bucketId }, '/okta/User_deletes/']],
    });
    const commits = named('_users_commits');
    expect(commits.StorageDescriptor.Location).toEqual({
      'Fn::Join': ['', ['s3://', { Ref: bucketId }, '/okta/_commits/User/']],
    });
    expect(commits.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe('org.openx.data.jsonserde.JsonSerDe');
    expect(commits.StorageDescriptor.Columns.map((c: Json) => c.Name)).toContain('run_id');
  });

  it('views are Athena views whose SQL is the lake’s, with the columns Glue lists', () => {
    for (const name of ['users', 'user_deletes', 'users_current']) {
      const view = named(name);
      expect(view.TableType).toBe('VIRTUAL_VIEW');
      expect(view.Parameters).toEqual({ presto_view: 'true', comment: 'Presto View' });
      const decoded = decodePrestoView(view.ViewOriginalText);
      expect(decoded.schema).toBe('oktaflow');
      expect(decoded.columns.map((c) => c.name)).toEqual(view.StorageDescriptor.Columns.map((c: Json) => c.Name));
    }
    const history = decodePrestoView(named('users').ViewOriginalText);
    expect(history.originalSql).toContain('FROM "_users_parts" AS p');
    expect(history.originalSql).toContain('JOIN "_users_commits" AS c');
    expect(history.columns.slice(-4).map((c) => c.name)).toEqual(['dt', 'run_id', 'flow', 'committed_at']);
    expect(decodePrestoView(named('users_current').ViewOriginalText).originalSql).toContain('FROM "user_deletes" AS d');
  });

  it('columns come from the catalog with Athena types; a flow field list narrows the table', () => {
    const app = named('_applications_parts');
    expect(app.StorageDescriptor.Columns.map((c: Json) => `${c.Name}:${c.Type}`)).toEqual([
      'id:string',
      'name:string',
      'label:string',
      'status:string',
      'sign_on_mode:string',
      'created:timestamp',
      'last_updated:timestamp',
    ]);
    const user = named('_users_parts');
    const userDef = getObjectDef('User');
    expect(user.StorageDescriptor.Columns.length).toBeGreaterThan(20);
    expect(user.StorageDescriptor.Columns.every((c: Json) => userDef.fields.some((f) => f.column === c.Name))).toBe(
      true,
    );
    expect(user.StorageDescriptor.Columns.some((c: Json) => c.Name === 'password')).toBe(false);
  });
});

describe('monitoring', () => {
  it('the alarm topic is KMS-encrypted, TLS-only, publishable by CloudWatch of this account, e-mails the config address', () => {
    const topic = logicalId(s.json, 'AWS::SNS::Topic');
    expect(resource(s.json, 'AWS::SNS::Topic').Properties.KmsMasterKeyId).toEqual(keyArn());
    const statements = resource(s.json, 'AWS::SNS::TopicPolicy').Properties.PolicyDocument.Statement as Json[];
    expect(statements.map((st) => [st.Effect, st.Action])).toEqual([
      ['Deny', 'sns:Publish'],
      ['Allow', 'sns:Publish'],
    ]);
    expect(statements[0].Condition).toEqual({ Bool: { 'aws:SecureTransport': 'false' } });
    expect(statements[1].Condition).toEqual({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } });
    s.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'okta-flow-alerts@acme.com',
      TopicArn: { Ref: topic },
    });
  });

  it('alarms: run failed, dead letters, run duration, sustained 429s per flow; all notify the topic', () => {
    const topic = logicalId(s.json, 'AWS::SNS::Topic');
    const alarms = resourcesOf(s.json, 'AWS::CloudWatch::Alarm').map(([id, a]) => [id, a.Properties] as const);
    expect(alarms).toHaveLength(3 + 5);
    for (const [id, a] of alarms) expect(a.AlarmActions, id).toEqual([{ Ref: topic }]);
    const byId = (prefix: string) => alarms.filter(([id]) => id.startsWith(prefix)).map(([, a]) => a);
    const [failed] = byId('MonitoringRunFailed');
    expect(failed.Metrics.map((m: Json) => m.MetricStat?.Metric.MetricName).filter(Boolean)).toEqual([
      'ExecutionsFailed',
      'ExecutionsTimedOut',
      'ExecutionsAborted',
    ]);
    const [dlq] = byId('MonitoringScheduleDeadLetters');
    expect(dlq).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 0 });
    const [duration] = byId('MonitoringRunDuration');
    expect(duration).toMatchObject({
      MetricName: 'ExecutionTime',
      Namespace: 'AWS/States',
      Threshold: 2 * 3600 * 1000,
    });
    const rateLimited = byId('MonitoringRateLimited');
    expect(rateLimited.map((a) => a.Dimensions)).toEqual(
      s.config.flows.map((f) => [
        { Name: 'flow', Value: f.name },
        { Name: 'service', Value: 'okta-flow' },
      ]),
    );
    for (const a of rateLimited) {
      expect(a).toMatchObject({
        Namespace: 'OktaFlow',
        MetricName: 'RateLimited429',
        EvaluationPeriods: 3,
        DatapointsToAlarm: 3,
      });
    }
  });

  it('one dashboard with runs, records, duration, rate-limit waits and 429s per flow', () => {
    const body = JSON.stringify(resource(s.json, 'AWS::CloudWatch::Dashboard').Properties.DashboardBody);
    for (const metric of ['ExecutionsStarted', 'records', 'durationMs', 'rateLimitWaitMs', 'RateLimited429']) {
      expect(body).toContain(metric);
    }
    expect(body).toContain('users-hourly');
  });
});

describe('AppFlow', () => {
  it('is absent unless the config enables it', () => {
    s.template.resourceCountIs('AWS::AppFlow::Connector', 0);
    s.template.resourceCountIs('AWS::Lambda::Permission', 0);
  });
});

describe('outputs', () => {
  it('name what the README tells users to use', () => {
    expect(Object.keys(s.json.Outputs).sort()).toEqual([
      'AlarmTopicArn',
      'CredentialsSecretArn',
      'DashboardName',
      'GlueDatabaseName',
      'KmsKeyArn',
      'OutputBucketName',
      'StateMachineArn',
    ]);
    expect(s.json.Outputs.CredentialsSecretArn.Value).toEqual({ Ref: secretId });
  });
});
