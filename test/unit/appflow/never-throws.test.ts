/**
 * Property: whatever AppFlow (or anyone) sends, the connector answers a well-formed response — isSuccess boolean,
 * errorDetails null or a known errorCode — and never throws. Inputs: arbitrary JSON, and real requests with fields
 * replaced by arbitrary values.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { handleConnectorRequest } from '../../../lambdas/appflow/index.js';
import { context, fakeDeps, fakeOkta, users } from './fake-okta.js';

const CODES = new Set([
  'InvalidArgument',
  'InvalidCredentials',
  'AccessDenied',
  'RequestTimeout',
  'RateLimitExceeded',
  'ServiceUnavailable',
  'ClientError',
  'ServerError',
  'UnknownError',
  'ResourceNotFoundError',
]);

const okta = fakeOkta({ '/api/v1/users': users(12), '/api/v1/groups': [] });

function wellFormed(res: Record<string, unknown>): void {
  expect(typeof res.isSuccess).toBe('boolean');
  if (res.isSuccess) {
    expect(res.errorDetails).toBeNull();
  } else {
    const details = res.errorDetails as { errorCode: string; errorMessage: string; retryAfterSeconds: unknown };
    expect(CODES.has(details.errorCode)).toBe(true);
    expect(typeof details.errorMessage).toBe('string');
    expect(details.retryAfterSeconds === null || typeof details.retryAfterSeconds === 'number').toBe(true);
  }
  expect(() => JSON.stringify(res)).not.toThrow();
}

const BASE: Record<string, unknown>[] = [
  { type: 'DescribeConnectorConfigurationRequest', locale: 'en-US' },
  {
    type: 'ValidateConnectorRuntimeSettingsRequest',
    scope: 'CONNECTOR_PROFILE',
    connectorRuntimeSettings: { oktaDomain: 'acme.okta.com' },
  },
  { type: 'ListEntitiesRequest', connectorContext: context(), maxResult: 1000 },
  { type: 'DescribeEntityRequest', entityIdentifier: 'Group', connectorContext: context() },
  {
    type: 'QueryDataRequest',
    entityIdentifier: 'User',
    connectorContext: context(),
    selectedFieldNames: ['id'],
    filterExpression: 'status = "ACTIVE"',
    nextToken: null,
    maxResults: 5,
  },
  {
    type: 'RetrieveDataRequest',
    entityIdentifier: 'User',
    connectorContext: context(),
    selectedFieldNames: ['id'],
    idFieldName: 'id',
    ids: ['00u000001'],
  },
];

describe('the connector never throws', () => {
  it('on arbitrary JSON', async () => {
    const deps = fakeDeps(okta);
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (event) => {
        wellFormed(await handleConnectorRequest(event, deps));
      }),
      { numRuns: 150 },
    );
  });

  it('on real requests with one field replaced by anything', async () => {
    const deps = fakeDeps(okta);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...BASE),
        fc.constantFrom(
          'entityIdentifier',
          'connectorContext',
          'selectedFieldNames',
          'filterExpression',
          'nextToken',
          'maxResults',
          'ids',
          'scope',
          'connectorRuntimeSettings',
        ),
        fc.oneof(fc.jsonValue(), fc.string(), fc.base64String()),
        async (base, key, value) => {
          wellFormed(await handleConnectorRequest({ ...base, [key]: value }, deps));
        },
      ),
      { numRuns: 200 },
    );
  });
});
