/**
 * Runs the synthesized RunFlow state machine locally: the definition from the CloudFormation template (tokens
 * rendered), executed by aws-local-stepfunctions, every Task state wired to the real handler of the function its
 * Resource names, each built from that function's synthesized environment (its own clients, as a separate Lambda
 * container would have). S3 is s3rver; EventBridge and Secrets Manager are aws-sdk-client-mock (they have no local
 * server), Glue a stateful aws-sdk-client-mock holding the tables the stack registers; Okta is the sandbox. Every SDK command a function sends is recorded (for the IAM-per-handler check), and
 * every state's input and output is measured against Step Functions' 256 KiB payload limit.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  CreateTableCommand,
  EntityNotFoundException,
  GetTableCommand,
  GlueClient,
  type TableInput,
  UpdateTableCommand,
} from '@aws-sdk/client-glue';
import { S3Client } from '@aws-sdk/client-s3';
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { StateMachine } from 'aws-local-stepfunctions';
import { mockClient } from 'aws-sdk-client-mock';
import { createLambdaRuntime, type LambdaRuntime, runnerDepsFor } from '../../../lambdas/flow/runner/lambda-deps.js';
import type { RunnerDeps } from '../../../lambdas/flow/runner/types.js';
import { createCommitRunHandler } from '../../../lambdas/handlers/commit-run.js';
import { createExtractStepHandler } from '../../../lambdas/handlers/extract-step.js';
import { createFailRunHandler } from '../../../lambdas/handlers/fail-run.js';
import { createPlanRunHandler } from '../../../lambdas/handlers/plan-run.js';
import { configuredColumns } from '../../../lambdas/lake/configured-columns.js';
import { toTableInput } from '../../../lambdas/lake/glue-catalog.js';
import { FIRST_PARTITION_DAY, glueDefinitions, hasGlueTables } from '../../../lambdas/lake/glue-definitions.js';
import { getObjectDef } from '../../../lambdas/okta/catalog/index.js';
import type { Sandbox } from '../../../sandbox/index.js';
import { type Json, type Synthesized, synthesize } from '../../infra/synthesize.js';
import type { S3Harness } from '../output/s3-harness.js';

/** Step Functions' payload quota for a state's input or output (and a task's result). */
export const PAYLOAD_LIMIT_BYTES = 256 * 1024;
export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';

/** One SDK call a function made: the IAM action it needs is derived from `command` (iam-actions.ts). */
export interface RecordedCall {
  readonly service: 's3' | 'events' | 'secretsmanager' | 'glue';
  readonly command: string;
  readonly input: Readonly<Record<string, unknown>>;
}

export interface DeployedFunction {
  readonly logicalId: string;
  readonly roleLogicalId: string;
  /** PlanRun, ExtractStep, CommitRun or FailRun: the handler its entry file exports. */
  readonly step: StepName;
  readonly env: Record<string, string>;
  readonly calls: RecordedCall[];
  readonly runtime: LambdaRuntime;
  readonly deps: RunnerDeps;
}

export type StepName = 'PlanRun' | 'ExtractStep' | 'CommitRun' | 'FailRun';

/** What a synthesized stack becomes once its tokens are given local values. */
export interface LocalStack {
  readonly synth: Synthesized;
  readonly definition: Json;
  readonly functions: Map<StepName, DeployedFunction>;
  readonly secretArn: string;
  readonly keyArn: string;
  readonly stateMachineArn: string;
  /** CloudFormation tokens → the local values used everywhere here. */
  readonly render: (value: unknown) => unknown;
  readonly published: { step: StepName; detailType: string; detail: Json }[];
  /** The Glue tables (by name) as the stack registered them and CommitRun keeps them. */
  readonly glueTables: Map<string, TableInput>;
}

export interface LocalStackOptions {
  readonly config: unknown;
  readonly s3: S3Harness;
  readonly sandbox: Sandbox;
  /** The functions' clock (default: the sandbox's). */
  readonly clock?: () => number;
}

export async function localStack(options: LocalStackOptions): Promise<LocalStack> {
  const synth = synthesize(options.config);
  const { json, stack } = synth;
  const bucketId = stack.getLogicalId(stack.output.bucket.node.defaultChild as never);
  const secretArn = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:okta-flow-test-AbCdEf`;
  const keyArn = `arn:aws:kms:${REGION}:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`;
  const stateMachineArn = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${stack.stackName}-RunFlow`;
  const render = tokenRenderer(json, { [bucketId]: options.s3.bucket }, { secretArn, keyArn });
  const definitionJoin = Object.values(json.Resources as Record<string, Json>).find(
    (r) => r.Type === 'AWS::StepFunctions::StateMachine',
  )?.Properties.DefinitionString;
  const definition = JSON.parse(render(definitionJoin) as string) as Json;
  const endpoint = await options.s3.client.config.endpoint?.();
  if (endpoint === undefined) throw new Error('the s3rver client has no endpoint');
  const endpointUrl = `${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`;

  const published: LocalStack['published'] = [];
  const functions = new Map<StepName, DeployedFunction>();
  // What CloudFormation registers at deploy (lib/glue-tables.ts uses the same definitions).
  const glueTables = new Map<string, TableInput>();
  const config = synth.config;
  if (hasGlueTables(config.output) && config.output.format !== 'csv') {
    for (const object of new Set(config.flows.map((f) => f.object))) {
      const def = getObjectDef(object);
      const definitions = glueDefinitions({
        databaseName: stack.glue.databaseName,
        bucketName: options.s3.bucket,
        prefix: config.output.prefix,
        def,
        format: config.output.format,
        firstDay: FIRST_PARTITION_DAY,
        records: configuredColumns(
          def,
          config.flows.filter((f) => f.object === object),
        ),
      });
      for (const d of definitions) glueTables.set(d.name, toTableInput(d));
    }
  }
  for (const fn of stack.functions.all) {
    const logicalId = stack.getLogicalId(fn.node.defaultChild as never);
    const roleLogicalId = stack.getLogicalId(fn.role?.node.defaultChild as never);
    const step = stepOf(fn.node.id);
    const properties = json.Resources[logicalId].Properties;
    const env = render(properties.Environment.Variables) as Record<string, string>;
    const calls: RecordedCall[] = [];
    const s3 = new S3Client({
      endpoint: endpointUrl,
      region: REGION,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    s3.middlewareStack.add(
      (next, context) => async (args) => {
        calls.push({
          service: 's3',
          command: String(context.commandName).replace(/Command$/, ''),
          input: { ...(args.input as Record<string, unknown>) },
        });
        return next(args);
      },
      { step: 'initialize', name: 'record-calls' },
    );
    const eventBridge = new EventBridgeClient({ region: REGION });
    const events = mockClient(eventBridge);
    events.on(PutEventsCommand).callsFake((input: { Entries?: { DetailType?: string; Detail?: string }[] }) => {
      for (const e of input.Entries ?? []) {
        published.push({ step, detailType: e.DetailType ?? '', detail: JSON.parse(e.Detail ?? 'null') });
      }
      return { FailedEntryCount: 0, Entries: [{ EventId: `event-${published.length}` }] };
    });
    const secrets = new SecretsManagerClient({ region: REGION });
    const secretsMock = mockClient(secrets);
    secretsMock.on(GetSecretValueCommand).resolves({
      ARN: secretArn,
      VersionId: 'v1',
      SecretString: JSON.stringify({ type: 'apiToken', apiToken: options.sandbox.apiToken }),
    });
    // Refresh-token rotation (a compare-and-swap of AWSCURRENT): answered, so the calls can be recorded.
    secretsMock.on(PutSecretValueCommand).resolves({ ARN: secretArn, VersionId: 'v2' });
    secretsMock.on(UpdateSecretVersionStageCommand).resolves({ ARN: secretArn });
    const glue = new GlueClient({ region: REGION });
    const glueMock = mockClient(glue);
    glueMock.on(GetTableCommand).callsFake((input: { Name: string }) => {
      const table = glueTables.get(input.Name);
      if (table === undefined) throw new EntityNotFoundException({ message: `${input.Name} not found`, $metadata: {} });
      return { Table: structuredClone(table) };
    });
    const putTable = (input: { TableInput: TableInput }) => {
      glueTables.set(String(input.TableInput.Name), structuredClone(input.TableInput));
      return {};
    };
    glueMock.on(CreateTableCommand).callsFake(putTable);
    glueMock.on(UpdateTableCommand).callsFake(putTable);
    const runtime = createLambdaRuntime(env, {
      s3,
      eventBridge,
      secrets,
      glue,
      oktaOrigin: options.sandbox.baseUrl,
    });
    const base = runnerDepsFor(runtime);
    const deps: RunnerDeps = { ...base, clock: options.clock ?? (() => options.sandbox.clock.now()) };
    const fnRecord: DeployedFunction = { logicalId, roleLogicalId, step, env, calls, runtime, deps };
    Object.defineProperty(fnRecord, 'mockedCalls', {
      value: [
        ['events', events],
        ['secretsmanager', secretsMock],
        ['glue', glueMock],
      ],
    });
    functions.set(step, fnRecord);
  }
  return { synth, definition, functions, secretArn, keyArn, stateMachineArn, render, published, glueTables };
}

function stepOf(constructId: string): StepName {
  if (constructId === 'PlanRun' || constructId === 'ExtractStep' || constructId === 'CommitRun') return constructId;
  if (constructId === 'FailRun') return constructId;
  throw new Error(`no step for function ${constructId}`);
}

/** Every SDK call of a function, including those answered by aws-sdk-client-mock. */
export function callsOf(fn: DeployedFunction): RecordedCall[] {
  const mocks = (
    fn as DeployedFunction & { mockedCalls: [RecordedCall['service'], { calls(): { args: unknown[] }[] }][] }
  ).mockedCalls;
  const mocked: RecordedCall[] = [];
  for (const [service, mock] of mocks) {
    for (const call of mock.calls()) {
      const command = call.args[0] as { constructor: { name: string }; input: Record<string, unknown> };
      mocked.push({
        service,
        command: command.constructor.name.replace(/Command$/, ''),
        input: command.input,
      });
    }
  }
  return [...fn.calls, ...mocked];
}

/** CloudFormation tokens → local values: Ref/GetAtt of known resources, pseudo parameters, Fn::Join. */
function tokenRenderer(
  json: Json,
  refs: Record<string, string>,
  arns: { secretArn: string; keyArn: string },
): (value: unknown) => unknown {
  const resources = json.Resources as Record<string, Json>;
  const ref = (id: string): string => {
    if (id in refs) return refs[id] as string;
    if (id === 'AWS::Region') return REGION;
    if (id === 'AWS::AccountId') return ACCOUNT;
    if (id === 'AWS::Partition') return 'aws';
    if (id === 'AWS::URLSuffix') return 'amazonaws.com';
    const type = resources[id]?.Type;
    if (type === 'AWS::SecretsManager::Secret') return arns.secretArn;
    if (type === 'AWS::Lambda::Function') return id;
    if (type === 'AWS::S3::Bucket') return id.toLowerCase();
    throw new Error(`no local value for Ref ${id} (${type})`);
  };
  const getAtt = (id: string, attribute: string): string => {
    const type = resources[id]?.Type;
    if (type === 'AWS::KMS::Key' && attribute === 'Arn') return arns.keyArn;
    if (type === 'AWS::Lambda::Function' && attribute === 'Arn')
      return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${id}`;
    if (type === 'AWS::S3::Bucket' && attribute === 'Arn') return `arn:aws:s3:::${ref(id)}`;
    if (type === 'AWS::Logs::LogGroup' && attribute === 'Arn')
      return `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${id}:*`;
    throw new Error(`no local value for GetAtt ${id}.${attribute} (${type})`);
  };
  const render = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(render);
    if (value === null || typeof value !== 'object') return value;
    const v = value as Record<string, unknown>;
    if (typeof v.Ref === 'string') return ref(v.Ref);
    const att = v['Fn::GetAtt'];
    if (Array.isArray(att)) return getAtt(String(att[0]), String(att[1]));
    const join = v['Fn::Join'];
    if (Array.isArray(join)) return (render(join[1]) as unknown[]).map(String).join(String(join[0]));
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, render(x)]));
  };
  return render;
}

// --- executing -----------------------------------------------------------------------------------------------------

/** The event log entries of aws-local-stepfunctions (its type is not exported). */
export type EventLog = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

export interface StateSize {
  readonly state: string;
  readonly kind: 'input' | 'output';
  readonly bytes: number;
}

export interface Execution {
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly output: Json;
  readonly error?: { readonly name: string; readonly cause: string };
  readonly events: EventLog[];
  /** Every state's input and output, measured as Step Functions would (UTF-8 JSON). */
  readonly sizes: StateSize[];
  /** Task invocations per Task state (retries included). */
  readonly invocations: Record<string, number>;
  readonly executionArn: string;
}

export interface ExecuteOptions {
  /** What getRemainingTimeInMillis() answers inside ExtractStep (default 900,000: a full Lambda). */
  readonly extractRemainingMs?: number;
  /** Replace a step's result after the real handler ran (a test double for another helper's contract). */
  readonly afterStep?: (step: StepName, input: Json, output: Json) => Json;
  /** Applied to every function's deps for this execution (e.g. a small Okta page size). */
  readonly deps?: Partial<RunnerDeps>;
  /** Executions are named; the lease records this ARN. */
  readonly name?: string;
}

function bytesOf(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value ?? null), 'utf8');
}

/** A Lambda error as Step Functions reports it: Error = errorType, Cause = the JSON Lambda returns. */
class LambdaFunctionError extends Error {
  constructor(error: unknown) {
    const name = error instanceof Error ? error.name : 'Error';
    const message = error instanceof Error ? error.message : String(error);
    const trace = error instanceof Error ? (error.stack ?? '').split('\n').slice(1, 6) : [];
    super(JSON.stringify({ errorType: name, errorMessage: message, trace }));
    this.name = name;
  }
}

export async function execute(stack: LocalStack, input: Json, options: ExecuteOptions = {}): Promise<Execution> {
  const name = options.name ?? `exec-${Math.random().toString(36).slice(2, 10)}`;
  const executionArn = `arn:aws:states:${REGION}:${ACCOUNT}:execution:${stack.synth.stack.stackName}-RunFlow:${name}`;
  const invocations: Record<string, number> = {};
  const deps = (step: StepName): RunnerDeps => ({ ...depsOf(stack, step), ...options.deps });
  const handlers = {
    PlanRun: createPlanRunHandler(() => deps('PlanRun')),
    ExtractStep: createExtractStepHandler(() => deps('ExtractStep')),
    CommitRun: createCommitRunHandler(() => deps('CommitRun')),
    FailRun: createFailRunHandler(() => deps('FailRun')),
  };
  const remaining = options.extractRemainingMs ?? 900_000;
  const lambda = (step: StepName) => async (payload: unknown) => {
    invocations[step] = (invocations[step] ?? 0) + 1;
    // Lambda's wire: JSON in, JSON out.
    const event = JSON.parse(JSON.stringify(payload)) as Json;
    let result: unknown;
    try {
      result =
        step === 'ExtractStep'
          ? await handlers.ExtractStep(event, { getRemainingTimeInMillis: () => remaining })
          : await handlers[step](event);
    } catch (error) {
      throw new LambdaFunctionError(error);
    }
    const out = JSON.parse(JSON.stringify(result ?? null)) as Json;
    return options.afterStep ? options.afterStep(step, event, out) : out;
  };
  const machine = new StateMachine(withLambdaBoundTaskTimeouts(stack.definition), {
    validationOptions: { checkArn: true, checkPaths: true },
  });
  const retryNow = Object.fromEntries(
    ['PlanRun', 'ExtractStep', 'CommitRun', 'FailRun'].map((s) => [s, 0] as [string, number]),
  );
  const run = machine.run(input, {
    overrides: {
      taskResourceLocalHandlers: {
        PlanRun: lambda('PlanRun'),
        ExtractStep: lambda('ExtractStep'),
        CommitRun: lambda('CommitRun'),
        FailRun: lambda('FailRun'),
      },
      // Waits and retry pauses are skipped: the sandbox clock does not run, and the assertion is on the path taken.
      waitTimeOverrides: { WaitForRateLimit: 0 },
      retryIntervalOverrides: retryNow,
    },
    context: {
      Execution: { Id: executionArn, Name: name, Input: input, StartTime: new Date().toISOString() },
      StateMachine: { Id: stack.stateMachineArn, Name: `${stack.synth.stack.stackName}-RunFlow` },
    },
  });
  const events: EventLog[] = [];
  const collecting = (async () => {
    for await (const event of run.eventLogs) events.push(event);
  })();
  let status: Execution['status'] = 'SUCCEEDED';
  let output: Json = null;
  let error: Execution['error'];
  try {
    output = await run.result;
  } catch (failure) {
    status = 'FAILED';
    const f = failure as { name?: string; message?: string; cause?: unknown };
    error = { name: String(f.name ?? 'Error'), cause: String(f.message ?? '') };
  }
  await collecting;
  const sizes: StateSize[] = [];
  for (const event of events) {
    if (event.type === 'StateEntered')
      sizes.push({ state: event.state.name, kind: 'input', bytes: bytesOf(event.state.input) });
    if (event.type === 'StateExited')
      sizes.push({ state: event.state.name, kind: 'output', bytes: bytesOf(event.state.output) });
  }
  return { status, output, ...(error ? { error } : {}), events, sizes, invocations, executionArn };
}

function depsOf(stack: LocalStack, step: StepName): RunnerDeps {
  const fn = stack.functions.get(step);
  if (fn === undefined) throw new Error(`no function for ${step}`);
  return fn.deps;
}

/**
 * The execution history Step Functions would record, estimated from the local event log with AWS's event types:
 * a Task state is TaskStateEntered, TaskScheduled, TaskStarted, TaskSucceeded|Failed, TaskStateExited (5); other
 * states enter and exit (2); a Map adds MapStateStarted/Succeeded and two events per iteration; a retry adds its
 * scheduled/started/failed events. Standard workflows fail beyond 25,000 events.
 */
export function awsHistoryEvents(execution: Execution, definition: Json): number {
  const types = new Map<string, string>();
  const collect = (states: Record<string, Json>) => {
    for (const [name, state] of Object.entries(states)) {
      types.set(name, state.Type);
      if (state.ItemProcessor) collect(state.ItemProcessor.States);
    }
  };
  collect(definition.States);
  let count = 2; // ExecutionStarted, ExecutionSucceeded|Failed
  for (const event of execution.events) {
    if (event.type === 'StateEntered') {
      const type = types.get(event.state.name);
      count += type === 'Task' ? 5 : type === 'Map' ? 4 : 2;
    } else if (event.type === 'MapIterationStarted' || event.type === 'MapIterationSucceeded') {
      count += 1;
    } else if (event.type === 'StateRetried') {
      count += 3;
    }
  }
  return count;
}

/**
 * On AWS a Lambda Task without `TimeoutSeconds` runs until the function times out (at most 900 s); the local runner
 * gives such a Task 60 s of wall clock, which a slow step on a loaded machine exceeds. Tasks without a timeout get
 * the Lambda's maximum, so the local run times out where AWS would and not before.
 */
function withLambdaBoundTaskTimeouts(definition: Json): Json {
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (node === null || typeof node !== 'object') return node;
    const copy = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, visit(v)]));
    const isTimelessTask =
      copy.Type === 'Task' && copy.TimeoutSeconds === undefined && copy.TimeoutSecondsPath === undefined;
    return isTimelessTask ? { ...copy, TimeoutSeconds: 900 } : copy;
  };
  return visit(definition) as Json;
}
