/**
 * The CLI's AWS- and OAuth-facing commands: `connect` end to end against the sandbox's auto-consenting authorize
 * endpoint (the stored secret then really authenticates), `invoke` against a mocked Step Functions, and the
 * EventBridge run-event sink against a mocked EventBridge.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  DescribeExecutionCommand,
  ListStateMachinesCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { type ConnectedSecret, connectOAuth } from '../../../bin/commands/connect.js';
import { FileSecretStore } from '../../../bin/commands/file-secret-store.js';
import { invokeFlow } from '../../../bin/commands/invoke.js';
import { EventBridgeEventSink, EventPublishError } from '../../../lambdas/flow/observability/event-sink.js';
import { credentialsFromSecret, credentialsFromStore } from '../../../lambdas/okta/auth/from-secret.js';
import { parseOktaSecret } from '../../../lambdas/okta/auth/secret.js';
import { createOktaClient } from '../../../lambdas/okta/client.js';
import { type Sandbox, startSandbox } from '../../../sandbox/index.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Runs `connect` against the sandbox's web app (ROTATE refresh tokens), its browser step played by fetch. */
async function connectToSandbox(sandbox: Sandbox, port: number): Promise<{ secret: ConnectedSecret; shown: string }> {
  const web = sandbox.oauth.clients.web;
  let shown = '';
  const secret = await connectOAuth({
    domain: sandbox.baseUrl,
    allowLoopback: true,
    clientId: web.clientId,
    clientSecret: web.clientSecret ?? '',
    port,
    timeoutMs: 20_000,
    // The "browser": follow the authorize redirect to our loopback callback.
    presentUrl: async (url) => {
      shown = url;
      const consent = await fetch(url, { redirect: 'manual' });
      const location = consent.headers.get('location');
      expect(location).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/callback\\?`));
      const back = await fetch(location ?? '');
      expect(await back.text()).toContain('okta-flow is connected');
    },
  });
  return { secret, shown };
}

describe('okta-flow connect', () => {
  it('authorization code + PKCE through the loopback redirect yields a secret that authenticates', async () => {
    const port = await freePort();
    const orgNow = Date.parse('2031-03-01T10:00:00.000Z');
    const sandbox = await startSandbox({
      users: 20,
      rateLimits: false,
      oauth: { redirectUris: [`http://127.0.0.1:${port}/callback`] },
      // The org's clock is far from this machine's: consentedAt must come from the org (the token response's Date).
      clock: { startMs: orgNow, running: true },
    });
    try {
      const { secret, shown } = await connectToSandbox(sandbox, port);
      const authorize = new URL(shown);
      expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
      expect(authorize.searchParams.get('redirect_uri')).toBe(`http://127.0.0.1:${port}/callback`);
      expect(authorize.searchParams.get('scope')?.split(' ')).toEqual(
        expect.arrayContaining([
          'offline_access',
          'okta.userTypes.read',
          'okta.schemas.read',
          'okta.logs.read',
          'okta.roles.read',
        ]),
      );
      expect(Math.abs(Date.parse(secret.consentedAt) - orgNow)).toBeLessThan(60_000);
      expect(secret.type).toBe('oauth2');
      expect(secret.refreshToken.length).toBeGreaterThan(10);
      const parsed = parseOktaSecret(JSON.stringify(secret));
      const client = createOktaClient({
        domain: sandbox.baseUrl,
        allowLoopback: true,
        credentials: credentialsFromSecret(parsed, { origin: sandbox.baseUrl }),
      });
      const users = await client.getJson<unknown[]>('/api/v1/users?limit=2');
      expect(users).toHaveLength(2);
    } finally {
      await sandbox.close();
    }
  });

  it('a --secret-file run writes rotated refresh tokens back, so the next run does not trip reuse detection', async () => {
    const port = await freePort();
    const sandbox = await startSandbox({
      users: 20,
      rateLimits: false,
      oauth: { redirectUris: [`http://127.0.0.1:${port}/callback`] },
    });
    const dir = mkdtempSync(join(tmpdir(), 'okta-flow-secret-'));
    try {
      const { secret } = await connectToSandbox(sandbox, port);
      const file = join(dir, 'okta-secret.json');
      writeFileSync(file, JSON.stringify(secret));
      const runOnce = async () => {
        const client = createOktaClient({
          domain: sandbox.baseUrl,
          allowLoopback: true,
          credentials: await credentialsFromStore(new FileSecretStore(file), { origin: sandbox.baseUrl }),
        });
        return client.getJson<unknown[]>('/api/v1/users?limit=1');
      };
      expect(await runOnce()).toHaveLength(1);
      const stored = JSON.parse(readFileSync(file, 'utf8')) as { refreshToken: string };
      expect(stored.refreshToken).not.toBe(secret.refreshToken);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      // The next CLI run, past the rotation leeway: with the original token it would revoke the chain.
      sandbox.clock.advance(120_000);
      expect(await runOnce()).toHaveLength(1);
    } finally {
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the file secret store swaps only from the version it read, so two CLI runs cannot lose a rotation', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'okta-flow-secret-'));
    try {
      const file = join(dir, 'secret.json');
      writeFileSync(file, '{"v":1}');
      const a = new FileSecretStore(file);
      const b = new FileSecretStore(file);
      const read = await a.readVersioned();
      expect(await b.writeIfVersion('{"v":2}', (await b.readVersioned()).version)).toBe(true);
      // A's version is stale now: its write is refused and the file keeps B's.
      expect(await a.writeIfVersion('{"v":"a"}', read.version)).toBe(false);
      expect(readFileSync(file, 'utf8')).toBe('{"v":2}');
      expect(statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('two CLI runs refreshing through one --secret-file at once: both work, the chain survives', async () => {
    const port = await freePort();
    const sandbox = await startSandbox({
      users: 20,
      rateLimits: false,
      oauth: { redirectUris: [`http://127.0.0.1:${port}/callback`] },
    });
    const dir = mkdtempSync(join(tmpdir(), 'okta-flow-secret-'));
    try {
      const { secret } = await connectToSandbox(sandbox, port);
      const file = join(dir, 'okta-secret.json');
      writeFileSync(file, JSON.stringify(secret));
      // Two processes: their own store objects and no shared in-process single-flight.
      const run = async () => {
        const client = createOktaClient({
          domain: sandbox.baseUrl,
          allowLoopback: true,
          credentials: credentialsFromSecret(readFileSync(file, 'utf8'), {
            origin: sandbox.baseUrl,
            store: new FileSecretStore(file),
            clock: { now: () => sandbox.clock.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
          }),
        });
        return client.getJson<unknown[]>('/api/v1/users?limit=1');
      };
      const [a, b] = await Promise.all([run(), run()]);
      expect(a).toHaveLength(1);
      expect(b).toHaveLength(1);
      expect(JSON.parse(readFileSync(file, 'utf8'))).not.toHaveProperty('refreshLease');
      sandbox.clock.advance(2 * 3600_000);
      expect(await run()).toHaveLength(1);
    } finally {
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a port already in use gets a message saying what to do', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const { port } = busy.address() as AddressInfo;
    try {
      await expect(
        connectOAuth({ domain: 'acme.okta.com', clientId: 'x', clientSecret: 'y', port, presentUrl: () => undefined }),
      ).rejects.toThrow(`Port ${port} on 127.0.0.1 is in use: pass --port <n>`);
    } finally {
      await new Promise<void>((resolve) => busy.close(() => resolve()));
    }
  });
});

describe('okta-flow invoke', () => {
  const sfn = mockClient(SFNClient);
  afterEach(() => sfn.reset());
  const arn = 'arn:aws:states:eu-west-1:123456789012:stateMachine:OktaFlow-RunFlowA1B2';
  const execution = 'arn:aws:states:eu-west-1:123456789012:execution:OktaFlow-RunFlowA1B2:run-1';

  it('finds <stack>-RunFlow, starts it with the console input and follows it to SUCCEEDED', async () => {
    sfn.on(ListStateMachinesCommand).resolves({
      stateMachines: [
        { name: 'Other', stateMachineArn: 'arn:x', type: 'STANDARD', creationDate: new Date() },
        { name: 'OktaFlow-RunFlowA1B2', stateMachineArn: arn, type: 'STANDARD', creationDate: new Date() },
      ],
    });
    sfn.on(StartExecutionCommand).resolves({ executionArn: execution, startDate: new Date() });
    sfn
      .on(DescribeExecutionCommand)
      .resolvesOnce({ status: 'RUNNING', executionArn: execution, stateMachineArn: arn, startDate: new Date() })
      .resolves({
        status: 'SUCCEEDED',
        output: '{"runId":"r1","counts":{"records":5}}',
        executionArn: execution,
        stateMachineArn: arn,
        startDate: new Date(),
      });
    const statuses: string[] = [];
    const result = await invokeFlow({
      sfn: new SFNClient({ region: 'eu-west-1' }),
      input: { flow: 'users-hourly', from: '2026-01-01T00:00:00.000Z' },
      stackName: 'OktaFlow',
      sleep: async () => undefined,
      onStatus: (s) => statuses.push(s),
    });
    expect(result).toMatchObject({ status: 'SUCCEEDED', executionArn: execution, output: { runId: 'r1' } });
    expect(statuses).toEqual(['RUNNING', 'SUCCEEDED']);
    const start = sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input;
    expect(start?.stateMachineArn).toBe(arn);
    expect(JSON.parse(start?.input ?? '{}')).toEqual({
      trigger: 'manual',
      flow: 'users-hourly',
      from: '2026-01-01T00:00:00.000Z',
    });
  });

  it('reports a FAILED execution with its error and cause', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: execution, startDate: new Date() });
    sfn.on(DescribeExecutionCommand).resolves({
      status: 'FAILED',
      error: 'LeaseHeldError',
      cause: 'already running',
      executionArn: execution,
      stateMachineArn: arn,
      startDate: new Date(),
    });
    const result = await invokeFlow({
      sfn: new SFNClient({ region: 'eu-west-1' }),
      input: { flow: 'users-hourly' },
      stateMachineArn: arn,
      stackName: 'OktaFlow',
      sleep: async () => undefined,
    });
    expect(result).toMatchObject({ status: 'FAILED', error: 'LeaseHeldError', cause: 'already running' });
    expect(sfn.commandCalls(ListStateMachinesCommand)).toHaveLength(0);
  });

  it('no deployed state machine: says to deploy or pass --state-machine-arn', async () => {
    sfn.on(ListStateMachinesCommand).resolves({ stateMachines: [] });
    await expect(
      invokeFlow({
        sfn: new SFNClient({ region: 'eu-west-1' }),
        input: { flow: 'users-hourly' },
        stackName: 'OktaFlow',
      }),
    ).rejects.toThrow('No state machine named OktaFlow-RunFlow… in this account and region: deploy the stack');
  });
});

describe('EventBridge run events', () => {
  const eb = mockClient(EventBridgeClient);
  afterEach(() => eb.reset());
  const detail = {
    version: '1' as const,
    flow: 'users-hourly',
    runId: 'r1',
    objects: ['User' as const],
    mode: 'incremental' as const,
    trigger: 'manual' as const,
    window: { from: '2026-01-01T00:00:00.000Z', to: '2026-01-01T01:00:00.000Z' },
    startedAt: '2026-01-01T01:00:00.000Z',
    reason: 'test',
  };

  it('publishes source okta-flow, detail-type Run Started, on the configured bus', async () => {
    eb.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: '1' }] });
    await new EventBridgeEventSink(new EventBridgeClient({ region: 'eu-west-1' }), 'okta-bus').publish(
      'started',
      detail,
    );
    const entry = eb.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0];
    expect(entry).toMatchObject({ Source: 'okta-flow', DetailType: 'Run Started', EventBusName: 'okta-bus' });
    expect(JSON.parse(entry?.Detail ?? '{}')).toMatchObject({ flow: 'users-hourly', runId: 'r1' });
  });

  it('a refused entry is an error, not silence', async () => {
    eb.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: 'AccessDenied', ErrorMessage: 'no' }],
    });
    await expect(
      new EventBridgeEventSink(new EventBridgeClient({ region: 'eu-west-1' })).publish('started', detail),
    ).rejects.toThrow(EventPublishError);
  });
});
