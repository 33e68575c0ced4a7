import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { InMemorySecretStore, SecretsManagerSecretStore } from '../../../../lambdas/okta/auth/index.js';

const sm = mockClient(SecretsManagerClient);
afterEach(() => sm.reset());

describe('SecretsManagerSecretStore', () => {
  it('reads and writes the SecretString', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: '{"a":1}', VersionId: 'v1' });
    sm.on(PutSecretValueCommand).resolves({ VersionId: 'v2' });
    const store = new SecretsManagerSecretStore(new SecretsManagerClient({ region: 'eu-west-1' }), 'okta/creds');
    expect(await store.read()).toBe('{"a":1}');
    expect(await store.readVersioned()).toEqual({ value: '{"a":1}', version: 'v1' });
    await store.write('{"a":2}');
    expect(sm.commandCalls(PutSecretValueCommand)[0]?.args[0].input).toEqual({
      SecretId: 'okta/creds',
      SecretString: '{"a":2}',
    });
  });

  it('compare-and-swap: stages the value, then moves AWSCURRENT from the version read', async () => {
    sm.on(PutSecretValueCommand).resolves({ VersionId: 'v9' });
    sm.on(UpdateSecretVersionStageCommand).resolves({});
    const store = new SecretsManagerSecretStore(new SecretsManagerClient({ region: 'eu-west-1' }), 'okta/creds');
    expect(await store.writeIfVersion('{"b":1}', 'v1')).toBe(true);
    expect(sm.commandCalls(PutSecretValueCommand)[0]?.args[0].input.VersionStages).toEqual(['OKTAFLOW_PENDING']);
    expect(sm.commandCalls(UpdateSecretVersionStageCommand)[0]?.args[0].input).toEqual({
      SecretId: 'okta/creds',
      VersionStage: 'AWSCURRENT',
      MoveToVersionId: 'v9',
      RemoveFromVersionId: 'v1',
    });
  });

  it('compare-and-swap: reports a conflict when AWSCURRENT moved meanwhile', async () => {
    sm.on(PutSecretValueCommand).resolves({ VersionId: 'v9' });
    sm.on(UpdateSecretVersionStageCommand).rejects(
      Object.assign(new Error('AWSCURRENT is not attached to v1'), { name: 'InvalidParameterException' }),
    );
    const store = new SecretsManagerSecretStore(new SecretsManagerClient({ region: 'eu-west-1' }), 'okta/creds');
    expect(await store.writeIfVersion('{"b":1}', 'v1')).toBe(false);
  });
});

describe('InMemorySecretStore', () => {
  it('refuses a write against a stale version', async () => {
    const store = new InMemorySecretStore('a');
    const { version } = await store.readVersioned();
    await store.write('b');
    expect(await store.writeIfVersion('c', version)).toBe(false);
    expect(await store.read()).toBe('b');
  });
});
