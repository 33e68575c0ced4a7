/**
 * The `OktaFlow` construct inside a user's own stack, next to the user's resources: names, logical ids, the read
 * grants for an analysts' role, run-event rules, metrics, cdk-nag, and where the Lambda code comes from. Bundling is
 * skipped (context aws:cdk:bundling-stacks = []) as in the other template tests.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, type ConfigInput } from '../../lambdas/flow/config/index.js';
import { RUN_EVENT_DETAIL_TYPES, RUN_EVENT_SOURCE } from '../../lambdas/flow/events.js';
import { lakeReadFolders } from '../../lib/lake-read-grants.js';
import { OktaFlow, UnknownFlowMetricError } from '../../lib/okta-flow.js';
import { LambdaCodeNotFoundError } from '../../lib/okta-flow-function.js';
import { RunEventRuleError } from '../../lib/run-event-rule.js';
import {
  asArray,
  EXAMPLE_CONFIG_FILE,
  exampleConfigJson,
  type Json,
  nagErrorsIn,
  resourcesOf,
  roleStatements,
  synthesize,
} from './synthesize.js';

const SKIP_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

/** The example config (as read from JSON: validated by the construct), under another deployment name. */
function userConfig(): ConfigInput {
  const example = exampleConfigJson() as ConfigInput;
  return { ...example, stack: { name: 'OktaExports', tags: { team: 'security' } } };
}

interface UserApp {
  readonly okta: OktaFlow;
  readonly stack: Stack;
  readonly json: Json;
  readonly nagErrors: string[];
}

/** A user's stack "Analytics": their own role and queue, OktaFlow as `Okta`, grants and a rule wired between. */
function userApp(): UserApp {
  const outdir = mkdtempSync(join(tmpdir(), 'okta-flow-user-app-'));
  const app = new App({ outdir, context: SKIP_BUNDLING });
  const stack = new Stack(app, 'Analytics');
  const analysts = new iam.Role(stack, 'Analysts', { assumedBy: new iam.AccountRootPrincipal() });
  const deadLetters = new sqs.Queue(stack, 'RunEventsDlq', {
    enforceSSL: true,
    encryption: sqs.QueueEncryption.SQS_MANAGED,
  });
  Validations.of(deadLetters).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: 'This queue is the dead-letter queue of RunEvents.',
  });
  const queue = new sqs.Queue(stack, 'RunEvents', {
    enforceSSL: true,
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    deadLetterQueue: { queue: deadLetters, maxReceiveCount: 3 },
  });
  const okta = new OktaFlow(stack, 'Okta', { config: userConfig() });
  okta.grantReadLake(analysts, { workGroup: 'analysts' });
  okta.onRunFailed('FailedRuns', { target: new targets.SqsQueue(queue) });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const assembly = app.synth();
  return {
    okta,
    stack,
    json: assembly.getStackByName('Analytics').template as Json,
    nagErrors: nagErrorsIn(assembly.directory),
  };
}

let u: UserApp;
beforeAll(() => {
  u = userApp();
});

describe('OktaFlow in a user stack', () => {
  it('synthesizes next to the user’s own resources with no unacknowledged cdk-nag finding', () => {
    expect(u.nagErrors).toEqual([]);
    const ids = Object.keys(u.json.Resources as Json);
    expect(ids).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Analysts/), expect.stringMatching(/^RunEvents/)]),
    );
    // Everything okta-flow adds is under the construct's id; the user's resources keep theirs.
    const oktaIds = ids.filter((id) => !/^(Analysts|RunEvents)/.test(id));
    expect(oktaIds.length).toBeGreaterThan(40);
    for (const id of oktaIds) expect(id).toMatch(/^Okta/);
  });

  it('names account-wide things after the config’s stack.name (what okta-flow invoke looks for), not the user stack', () => {
    const [, machine] = resourcesOf(u.json, 'AWS::StepFunctions::StateMachine')[0] as [string, Json];
    expect(machine.Properties.StateMachineName).toBe('OktaExports-RunFlow');
    const groups = resourcesOf(u.json, 'AWS::Logs::LogGroup').map(([, g]) => g.Properties.LogGroupName);
    expect(groups).toContain('/aws/vendedlogs/states/OktaExports-RunFlow');
    const [, db] = resourcesOf(u.json, 'AWS::Glue::Database')[0] as [string, Json];
    expect(db.Properties.DatabaseInput.Name).toBe('oktaexports');
    const [, dashboard] = resourcesOf(u.json, 'AWS::CloudWatch::Dashboard')[0] as [string, Json];
    expect(dashboard.Properties.DashboardName).toBe('OktaExports-okta-flow');
  });

  it('tags its own resources with stack.tags, and not the user’s', () => {
    const tagsOf = (id: string) => (u.json.Resources[id].Properties.Tags ?? []) as { Key: string; Value: string }[];
    const [keyId] = resourcesOf(u.json, 'AWS::KMS::Key')[0] as [string, Json];
    expect(tagsOf(keyId)).toContainEqual({ Key: 'team', Value: 'security' });
    const [queueId] = resourcesOf(u.json, 'AWS::SQS::Queue').find(([id]) => id.startsWith('RunEvents')) as [
      string,
      Json,
    ];
    expect(tagsOf(queueId)).not.toContainEqual({ Key: 'team', Value: 'security' });
  });

  it('exposes what users wire to, as the resources in the template', () => {
    const ref = (construct: { node: { defaultChild?: unknown } }) =>
      u.stack.getLogicalId(construct.node.defaultChild as never);
    expect(u.json.Resources[ref(u.okta.stateMachine)].Type).toBe('AWS::StepFunctions::StateMachine');
    expect(u.json.Resources[ref(u.okta.alarmTopic)].Type).toBe('AWS::SNS::Topic');
    expect(u.json.Resources[u.stack.getLogicalId(u.okta.database)].Type).toBe('AWS::Glue::Database');
    expect(u.okta.databaseName).toBe('oktaexports');
    expect(u.okta.alarms.length).toBeGreaterThanOrEqual(3);
    expect(u.okta.config.flows.map((f) => f.name)).toContain('users-hourly');
  });
});

describe('grantReadLake (an analysts’ role)', () => {
  let statements: Json[];
  beforeAll(() => {
    statements = roleStatements(u.json, 'Analysts');
  });
  const stmt = (action: string) => statements.find((s) => asArray(s.Action).includes(action));
  const objectPaths = (s: Json) =>
    asArray(s.Resource).map((r: Json) => (r['Fn::Join'][1] as Json[]).filter((p) => typeof p === 'string').join(''));

  it('reads every lake folder (data, tombstones, commit records) and never the run state', () => {
    const read = stmt('s3:GetObject');
    expect(asArray(read.Action)).toEqual(['s3:GetObject']);
    const folders = lakeReadFolders(u.okta.config);
    expect(objectPaths(read).sort()).toEqual([...folders.objects, folders.commits].map((f) => `/${f}/*`).sort());
    expect(objectPaths(read).some((p) => p.includes('_state'))).toBe(false);
    const list = stmt('s3:ListBucket');
    expect(list.Condition.StringLike['s3:prefix']).toContain('okta/_commits/*');
    expect(list.Condition.StringLike['s3:prefix']).not.toContain('okta/_state/*');
  });

  it('the granted folders hold every Glue table’s files (derived, not a second list)', () => {
    const granted = [...lakeReadFolders(u.okta.config).objects, lakeReadFolders(u.okta.config).commits];
    const locations = resourcesOf(u.json, 'AWS::Glue::Table')
      .map(([, t]) => t.Properties.TableInput)
      .filter((t) => t.TableType === 'EXTERNAL_TABLE')
      .map((t) => (t.StorageDescriptor.Location['Fn::Join'][1] as Json[]).at(-1) as string);
    expect(locations.length).toBeGreaterThan(10);
    for (const location of locations) {
      // "/okta/User/" → "okta/User"
      const folder = location.replace(/^\//, '').replace(/\/$/, '');
      expect(
        granted.some((g) => folder === g || folder.startsWith(`${g}/`)),
        location,
      ).toBe(true);
    }
  });

  it('decrypts with the data key, reads Glue by table name (every table and view), queries in its workgroup', () => {
    const [keyId] = resourcesOf(u.json, 'AWS::KMS::Key')[0] as [string, Json];
    expect(stmt('kms:Decrypt').Resource).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    const glue = stmt('glue:GetTable');
    const tableNames = asArray(glue.Resource)
      .map((r: Json) => (r['Fn::Join'][1] as Json[]).at(-1) as string)
      .filter((s) => s.includes(':table/'))
      .map((s) => s.split('/').at(-1));
    const templateTables = resourcesOf(u.json, 'AWS::Glue::Table').map(([, t]) => t.Properties.TableInput.Name);
    expect(tableNames.sort()).toEqual(templateTables.sort());
    expect(JSON.stringify(stmt('athena:StartQueryExecution').Resource)).toContain(':workgroup/analysts');
    // Explicit actions only: nothing like s3:Get* or glue:*.
    for (const s of statements) for (const a of asArray(s.Action)) expect(a as string).not.toContain('*');
  });
});

describe('run-event rules and metrics', () => {
  it('onRunFailed: the deployment’s flows, Run Failed only, to the user’s queue', () => {
    const rules = resourcesOf(u.json, 'AWS::Events::Rule');
    expect(rules).toHaveLength(1);
    const [, rule] = rules[0] as [string, Json];
    expect(rule.Properties.EventPattern).toEqual({
      source: [RUN_EVENT_SOURCE],
      'detail-type': [RUN_EVENT_DETAIL_TYPES.failed],
      detail: { flow: u.okta.config.flows.map((f) => f.name) },
    });
    expect(JSON.stringify(rule.Properties.Targets)).toContain('RunEvents');
  });

  it('refuses a flow the config does not have, for rules and metrics alike', () => {
    expect(() => u.okta.onRunEvent('Nope', { flows: ['users-daily'] })).toThrow(RunEventRuleError);
    expect(() => u.okta.onRunEvent('Nope2', { flows: ['users-daily'] })).toThrow(/users-hourly/);
    expect(() => u.okta.metricRecords('users-daily')).toThrow(UnknownFlowMetricError);
  });

  it('per-flow metrics are the ones the runner emits (namespace, dimensions) and the alarms use', () => {
    const metric = u.okta.metricRateLimited('users-hourly');
    expect(metric.namespace).toBe('OktaFlow');
    expect(metric.metricName).toBe('RateLimited429');
    expect(metric.dimensions).toEqual({ service: 'okta-flow', flow: 'users-hourly' });
    const alarms = resourcesOf(u.json, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    expect(alarms).toContainEqual(
      expect.objectContaining({
        Namespace: 'OktaFlow',
        MetricName: 'RateLimited429',
        Dimensions: expect.arrayContaining([{ Name: 'flow', Value: 'users-hourly' }]),
      }),
    );
    expect(u.okta.metricRunsFailed().metricName).toBe('ExecutionsFailed');
  });
});

describe('config', () => {
  it('takes a file path as well as an object, to the same validated config', () => {
    const app = new App({ context: SKIP_BUNDLING });
    const fromFile = new OktaFlow(new Stack(app, 'A'), 'Okta', { config: EXAMPLE_CONFIG_FILE });
    const fromObject = new OktaFlow(new Stack(app, 'B'), 'Okta', { config: exampleConfigJson() as ConfigInput });
    expect(fromFile.config).toEqual(fromObject.config);
  });

  it('a validated config passed again validates to itself (OktaFlowStack hands the construct a parsed one)', () => {
    const app = new App({ context: SKIP_BUNDLING });
    const once = new OktaFlow(new Stack(app, 'A'), 'Okta', { config: userConfig() });
    const twice = new OktaFlow(new Stack(app, 'B'), 'Okta', { config: once.config });
    expect(twice.config).toEqual(once.config);
  });

  it('a bad config fails with the ConfigError listing every problem, naming the construct', () => {
    const app = new App({ context: SKIP_BUNDLING });
    // Untyped JSON, as a config read by the user's own code would be: the construct validates it at synth.
    const bad = {
      ...exampleConfigJson(),
      okta: { domain: 'example.com', credentialsSecret: { create: true } },
    } as ConfigInput;
    expect(() => new OktaFlow(new Stack(app, 'A'), 'Okta', { config: bad })).toThrow(ConfigError);
    expect(() => new OktaFlow(new Stack(app, 'B'), 'Okta', { config: bad })).toThrow(/B\/Okta.*okta\.domain/s);
  });
});

describe('OktaFlowStack (the standalone stack)', () => {
  it('adds no id of its own: every logical id starts with one of the construct’s parts, as before the construct', () => {
    const s = synthesize(exampleConfigJson());
    const parts = s.stack.oktaFlow.node.children.map((c) => c.node.id);
    expect(parts).toEqual(expect.arrayContaining(['Keys', 'Output', 'Runner', 'RunFlow', 'Glue', 'Monitoring']));
    for (const id of Object.keys(s.json.Resources as Json)) {
      expect(
        parts.some((part) => id.startsWith(part.replace(/[^A-Za-z0-9]/g, ''))),
        id,
      ).toBe(true);
    }
    expect(Object.keys(s.json.Outputs as Json)).toEqual(
      expect.arrayContaining(['StateMachineArn', 'OutputBucketName', 'KmsKeyArn', 'GlueDatabaseName']),
    );
  });
});

describe('Lambda code: handler sources, else prebuilt bundles', () => {
  function fakeBundles(names: readonly string[]): string {
    const dir = mkdtempSync(join(tmpdir(), 'okta-flow-fake-bundles-'));
    for (const name of names) {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'index.mjs'), `export const handler = async () => '${name}';\n`);
    }
    return dir;
  }
  const RUNNER = ['plan-run', 'extract-step', 'commit-run', 'fail-run'];

  it('without the sources, each function deploys its prebuilt bundle (handler index.handler)', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'okta-flow-prebuilt-'));
    const app = new App({ outdir, context: { ...SKIP_BUNDLING, 'aws:cdk:enable-asset-metadata': true } });
    const stack = new Stack(app, 'Prebuilt');
    const noSources = mkdtempSync(join(tmpdir(), 'okta-flow-no-sources-'));
    new OktaFlow(stack, 'Okta', {
      config: userConfig(),
      lambdaCode: { handlersDir: noSources, bundlesDir: fakeBundles(RUNNER) },
    });
    const json = app.synth().getStackByName('Prebuilt').template as Json;
    const functions = resourcesOf(json, 'AWS::Lambda::Function').filter(([id]) => id.startsWith('OktaRunner'));
    expect(functions).toHaveLength(4);
    const deployed = functions.map(([, f]) => {
      expect(f.Properties.Handler).toBe('index.handler');
      return readFileSync(join(outdir, f.Metadata['aws:asset:path'], 'index.mjs'), 'utf8');
    });
    expect(deployed.sort()).toEqual(RUNNER.map((n) => `export const handler = async () => '${n}';\n`).sort());
  });

  it('with neither a source nor a bundle, synth fails naming the function and both places looked in', () => {
    const app = new App({ context: SKIP_BUNDLING });
    const noSources = mkdtempSync(join(tmpdir(), 'okta-flow-no-sources-'));
    const bundles = fakeBundles(['plan-run']);
    const attempt = () =>
      new OktaFlow(new Stack(app, 'Missing'), 'Okta', {
        config: userConfig(),
        lambdaCode: { handlersDir: noSources, bundlesDir: bundles },
      });
    expect(attempt).toThrow(LambdaCodeNotFoundError);
    expect(
      () =>
        new OktaFlow(new Stack(app, 'Missing2'), 'Okta', {
          config: userConfig(),
          lambdaCode: { handlersDir: noSources, bundlesDir: bundles },
        }),
    ).toThrow(new RegExp(`extract-step.*${noSources}/extract-step.ts.*${bundles}/extract-step/index.mjs`));
  });
});
