/**
 * Error mapping against the sandbox's real failure modes (bad API key, expired OAuth token, missing scope, 429,
 * 5xx, slow pages) and Secrets Manager through aws-sdk-client-mock (missing secret, access denied).
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, SecretCache, secretsManagerReader } from '../../../lambdas/appflow/index.js';
import type { Sandbox } from '../../../sandbox/index.js';
import { accessToken, connect, queryAll, queryRequest, SECRET_ARN, startOrg, truth } from './harness.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startOrg({ users: 250 });
});
afterAll(async () => {
  await sandbox?.close();
});
afterEach(() => {
  sandbox.faults.clear();
});

const validate = (secretArn = SECRET_ARN, authenticationType = 'ApiKey') => ({
  type: 'ValidateCredentialsRequest',
  credentials: { secretArn, authenticationType },
  connectorRuntimeSettings: { oktaDomain: sandbox.baseUrl },
});

describe('credentials', () => {
  it('a valid API key validates; a wrong one is InvalidCredentials (401) and the key never shows', async () => {
    expect(await connect(sandbox).call(validate())).toEqual({ isSuccess: true, errorDetails: null });
    const bad = connect(sandbox, {}, JSON.stringify({ apiKey: 'not-the-token-123456' }));
    const res = await bad.call(validate());
    expect(res).toEqual({
      isSuccess: false,
      errorDetails: {
        errorCode: 'InvalidCredentials',
        errorMessage: expect.stringContaining('401'),
        retryAfterSeconds: null,
      },
    });
    expect(JSON.stringify(res)).not.toContain('not-the-token-123456');
    expect(bad.logs.some((l) => l.includes('InvalidCredentials'))).toBe(true);
    expect(bad.logs.join('\n')).not.toContain('not-the-token-123456');
  });

  it('an OAuth access token works as Bearer; once Okta rejects it the secret is read again (AppFlow refreshed it)', async () => {
    const token = await accessToken(sandbox, ['okta.users.read', 'okta.schemas.read']);
    const connection = connect(sandbox, {}, JSON.stringify({ accessToken: token, refreshToken: 'ignored' }));
    const request = {
      ...queryRequest(connection, 'User', { selectedFieldNames: ['id'], maxResults: 5 }),
      connectorContext: connection.context('OAuth2'),
    };
    expect((await connection.call(request)).isSuccess).toBe(true);
    expect((await connection.call(request)).isSuccess).toBe(true);
    expect(connection.secretReads()).toBe(1);
    sandbox.faults.add({ pathPrefix: '/api/v1/users', times: 1, fault: { kind: 'expireTokens' } });
    const rejected = await connection.call(request);
    expect(rejected.errorDetails).toMatchObject({ errorCode: 'InvalidCredentials' });
    expect(JSON.stringify(rejected)).not.toContain(token);
    expect(connection.logs.some((l) => l.includes('"executionId":"exec-1"'))).toBe(true);
    expect(connection.logs.join('\n')).not.toContain(token);
    // AppFlow refreshes the token into the secret and retries: the connector must not serve the cached dead one.
    connection.setSecret(
      JSON.stringify({ accessToken: await accessToken(sandbox, ['okta.users.read', 'okta.schemas.read']) }),
    );
    expect((await connection.call(request)).isSuccess).toBe(true);
    expect(connection.secretReads()).toBe(2);
  });

  it('a token without the object’s scope is AccessDenied (403), naming the scope', async () => {
    const token = await accessToken(sandbox, ['okta.groups.read']);
    const connection = connect(sandbox, {}, JSON.stringify({ accessToken: token }));
    const res = await connection.call(validate(SECRET_ARN, 'OAuth2'));
    expect(res.errorDetails).toMatchObject({
      errorCode: 'AccessDenied',
      errorMessage: expect.stringContaining('okta.users.read'),
    });
    // Groups are readable with that token.
    const groups = await connection.call({
      ...queryRequest(connection, 'Group', { maxResults: 3 }),
      connectorContext: connection.context('OAuth2'),
    });
    expect(groups.isSuccess).toBe(true);
  });

  it('DescribeEntity User without okta.schemas.read falls back to the built-in fields', async () => {
    const token = await accessToken(sandbox, ['okta.users.read']);
    const connection = connect(sandbox, {}, JSON.stringify({ accessToken: token }));
    const res = await connection.call({
      type: 'DescribeEntityRequest',
      entityIdentifier: 'User',
      connectorContext: connection.context('OAuth2'),
    });
    expect(res.isSuccess).toBe(true);
    const names = (res.entityDefinition as { fields: { fieldName: string }[] }).fields.map((f) => f.fieldName);
    expect(names).toContain('last_updated');
    expect(names.some((n) => n.startsWith('profile_') && n !== 'profile_url')).toBe(false);
    const full = await connect(sandbox).call({
      type: 'DescribeEntityRequest',
      entityIdentifier: 'User',
      connectorContext: connect(sandbox).context(),
    });
    expect((full.entityDefinition as { fields: { fieldName: string }[] }).fields.map((f) => f.fieldName)).toContain(
      'profile_clearance_level',
    );
  });
});

describe('Secrets Manager', () => {
  it.each([
    ['ResourceNotFoundException', 'ResourceNotFoundError'],
    ['AccessDeniedException', 'AccessDenied'],
    ['InternalServiceError', 'ServerError'],
  ])('%s → %s', async (awsError, errorCode) => {
    const sm = mockClient(SecretsManagerClient);
    try {
      sm.on(GetSecretValueCommand).rejects(Object.assign(new Error('from AWS'), { name: awsError }));
      const connection = connect(sandbox, {
        secrets: new SecretCache(secretsManagerReader(new SecretsManagerClient({ region: 'us-east-1' }))),
      });
      const res = await connection.call(validate());
      expect(res).toEqual({
        isSuccess: false,
        errorDetails: { errorCode, errorMessage: expect.stringContaining(SECRET_ARN), retryAfterSeconds: null },
      });
      expect(sm.commandCalls(GetSecretValueCommand)[0]?.args[0].input).toEqual({ SecretId: SECRET_ARN });
    } finally {
      sm.restore();
    }
  });

  it('reads the secret AppFlow names and uses its apiKey', async () => {
    const sm = mockClient(SecretsManagerClient);
    try {
      sm.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({
        SecretString: JSON.stringify({ apiKey: sandbox.apiToken }),
      });
      const connection = connect(sandbox, {
        secrets: new SecretCache(secretsManagerReader(new SecretsManagerClient({ region: 'us-east-1' }))),
      });
      expect(await connection.call(validate())).toEqual({ isSuccess: true, errorDetails: null });
    } finally {
      sm.restore();
    }
  });
});

describe('Okta failures', () => {
  it('429 is RateLimitExceeded with retryAfterSeconds', async () => {
    sandbox.faults.add({ pathPrefix: '/api/v1/users', fault: { kind: 'status', status: 429 } });
    const connection = connect(sandbox, { clientOptions: { allowLoopback: true, maxRateLimitRetries: 0 } });
    const res = await connection.call(queryRequest(connection, 'User'));
    expect(res.isSuccess).toBe(false);
    expect(res.errorDetails).toMatchObject({ errorCode: 'RateLimitExceeded' });
    const after = (res.errorDetails as { retryAfterSeconds: number }).retryAfterSeconds;
    expect(Number.isInteger(after) && after >= 1 && after <= 65).toBe(true);
  });

  it('429 from an exhausted bucket carries the seconds until its reset', async () => {
    const limited = await startOrg({ users: 20, rateLimits: { limits: { users: 2 } }, clock: { running: true } });
    try {
      const connection = connect(limited, {
        clientOptions: { allowLoopback: true, maxRateLimitRetries: 0, rateLimitShare: 1 },
      });
      let res = await connection.call(queryRequest(connection, 'Group'));
      for (let i = 0; i < 5 && res.isSuccess; i++)
        res = await connection.call(queryRequest(connection, 'User', { maxResults: 1000 }));
      expect(res.errorDetails).toMatchObject({ errorCode: 'RateLimitExceeded' });
      const after = (res.errorDetails as { retryAfterSeconds: number }).retryAfterSeconds;
      expect(after).toBeGreaterThanOrEqual(1);
      expect(after).toBeLessThanOrEqual(61);
    } finally {
      await limited.close();
    }
  });

  it.each([500, 503])('%i (after the client’s retries) is ServerError', async (status) => {
    sandbox.faults.add({ pathPrefix: '/api/v1/groups', fault: { kind: 'status', status } });
    const connection = connect(sandbox, {
      clientOptions: { allowLoopback: true, maxRetries: 1, backoff: { baseMs: 1, capMs: 2 } },
    });
    const res = await connection.call(queryRequest(connection, 'Group'));
    expect(res).toMatchObject({
      isSuccess: false,
      errorDetails: { errorCode: 'ServerError', retryAfterSeconds: null },
      records: null,
      nextToken: null,
    });
  });

  it.each([
    ['reset', 'ServiceUnavailable'],
    ['truncate', 'ServerError'],
  ] as const)('a %s connection (after retries) is %s', async (kind, errorCode) => {
    sandbox.faults.add({ pathPrefix: '/api/v1/groups', fault: { kind } });
    const connection = connect(sandbox, {
      clientOptions: { allowLoopback: true, maxRetries: 1, backoff: { baseMs: 1, capMs: 2 } },
    });
    const res = await connection.call(queryRequest(connection, 'Group'));
    expect(res).toMatchObject({ isSuccess: false, errorDetails: { errorCode }, records: null });
  });

  it('ValidateCredentials slower than the metadata budget is RequestTimeout', async () => {
    sandbox.faults.add({ pathPrefix: '/api/v1/users', fault: { kind: 'latency', ms: 1_000 } });
    const connection = connect(sandbox, { limits: { ...DEFAULT_LIMITS, metadataBudgetMs: 200 } });
    const res = await connection.call(validate());
    expect(res).toEqual({
      isSuccess: false,
      errorDetails: { errorCode: 'RequestTimeout', errorMessage: expect.any(String), retryAfterSeconds: null },
    });
  });

  it('a transient 5xx is retried by the client and the page still arrives', async () => {
    sandbox.faults.add({ pathPrefix: '/api/v1/groups', times: 1, fault: { kind: 'status', status: 503 } });
    const connection = connect(sandbox, { clientOptions: { allowLoopback: true, backoff: { baseMs: 1, capMs: 2 } } });
    const { records } = await queryAll(connection, 'Group', { selectedFieldNames: ['id'] });
    expect(records).toHaveLength(truth(sandbox, 'groups').length);
  });
});

describe('slow Okta pages (latency fault)', () => {
  it('each call stops after the page that spent the soft budget; tokens complete the scan', async () => {
    // Every users page takes ≥ 300 ms; the soft budget is 200 ms: one Okta page per call, whatever the machine.
    sandbox.faults.add({ pathPrefix: '/api/v1/users', fault: { kind: 'latency', ms: 300 } });
    const connection = connect(sandbox, { limits: { ...DEFAULT_LIMITS, softBudgetMs: 200 } });
    const pages: number[] = [];
    const ids: string[] = [];
    let nextToken: string | null = null;
    do {
      const res = await connection.call(queryRequest(connection, 'User', { selectedFieldNames: ['id'] }, nextToken));
      expect(res.errorDetails).toBeNull();
      const records = res.records as string[];
      pages.push(records.length);
      ids.push(...records.map((r) => String((JSON.parse(r) as { id: string }).id)));
      nextToken = res.nextToken as string | null;
    } while (nextToken !== null && pages.length < 20);
    // 250 users at Okta's 200 per page: two calls of one page each.
    expect(pages).toEqual([200, 50]);
    expect([...ids].sort()).toEqual(
      truth(sandbox, 'users')
        .map((u) => String(u.id))
        .sort(),
    );
  });

  it('a page slower than the hard budget is RequestTimeout; AppFlow’s retry succeeds once Okta is fast again', async () => {
    sandbox.faults.add({ pathPrefix: '/api/v1/groups', fault: { kind: 'latency', ms: 1_500 } });
    const connection = connect(sandbox, { limits: { ...DEFAULT_LIMITS, hardBudgetMs: 300 } });
    const res = await connection.call(queryRequest(connection, 'Group'));
    expect(res).toMatchObject({ isSuccess: false, errorDetails: { errorCode: 'RequestTimeout' }, records: null });
    sandbox.faults.clear();
    const retry = await connection.call(queryRequest(connection, 'Group'));
    expect(retry.isSuccess).toBe(true);
  });
});
