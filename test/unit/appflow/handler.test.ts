/** The Lambda entry point: thin wiring over the connector (Secrets Manager mocked; no Okta call is reached). */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { context } from './fake-okta.js';

const sm = mockClient(SecretsManagerClient);
let handler: typeof import('../../../lambdas/handlers/appflow-connector.js').handler;
beforeAll(async () => {
  // Powertools reads its level when the module loads: keep test output clean.
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
  ({ handler } = await import('../../../lambdas/handlers/appflow-connector.js'));
});
afterAll(() => {
  sm.restore();
  vi.unstubAllEnvs();
});

describe('handler', () => {
  it('answers DescribeConnectorConfiguration without touching AWS or Okta', async () => {
    const res = await handler({ type: 'DescribeConnectorConfigurationRequest', locale: 'en-US' });
    expect(res).toMatchObject({ isSuccess: true, errorDetails: null, connectorModes: ['SOURCE', 'DESTINATION'] });
    expect(sm.calls()).toHaveLength(0);
  });

  it('never throws: unknown types and garbage get error responses', async () => {
    for (const event of [{ type: 'Nope' }, undefined, 42]) {
      await expect(handler(event)).resolves.toMatchObject({
        isSuccess: false,
        errorDetails: { errorCode: 'InvalidArgument' },
      });
    }
  });

  it('refuses an oktaDomain outside Okta before reading the secret', async () => {
    const res = await handler(
      {
        type: 'QueryDataRequest',
        entityIdentifier: 'User',
        connectorContext: context('ApiKey', 'okta.evil.example.com'),
        selectedFieldNames: null,
        maxResults: 10,
      },
      { getRemainingTimeInMillis: () => 29_000 },
    );
    expect(res).toMatchObject({
      isSuccess: false,
      errorDetails: { errorCode: 'InvalidArgument' },
      records: null,
      nextToken: null,
    });
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });

  it('a missing secret is ResourceNotFoundError (Secrets Manager is eventually consistent after profile creation)', async () => {
    sm.on(GetSecretValueCommand).rejects(
      Object.assign(new Error('Secrets Manager can’t find the specified secret.'), {
        name: 'ResourceNotFoundException',
      }),
    );
    const res = await handler({
      type: 'ValidateCredentialsRequest',
      credentials: {
        secretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:appflow!123456789012-x-y',
        authenticationType: 'ApiKey',
      },
      connectorRuntimeSettings: { oktaDomain: 'acme.okta.com' },
    });
    expect(res).toEqual({
      isSuccess: false,
      errorDetails: {
        errorCode: 'ResourceNotFoundError',
        errorMessage: expect.stringContaining('retry shortly'),
        retryAfterSeconds: null,
      },
    });
  });
});
