/** Every error class the adapter or the Okta client raises maps to AppFlow's errorCode, with retryAfterSeconds on 429. */
import { describe, expect, it } from 'vitest';
import {
  ConnectorSecretError,
  InvalidRequestError,
  QueryTimeoutError,
  toErrorDetails,
} from '../../../lambdas/appflow/errors.js';
import { UnknownObjectError } from '../../../lambdas/okta/catalog/index.js';
import {
  InvalidOktaDomainError,
  OktaApiError,
  OktaAuthError,
  OktaCredentialsError,
  OktaNetworkError,
  OktaPaginationError,
  OktaRateLimitError,
  OktaScopeError,
} from '../../../lambdas/okta/errors.js';
import { ContinuationMismatchError } from '../../../lambdas/okta/extract/errors.js';
import { FilterSyntaxError } from '../../../lambdas/okta/query/filter-syntax-error.js';
import { FilterValidationError } from '../../../lambdas/okta/query/filter-validation-error.js';

const info = (status: number) => ({ status, method: 'GET', path: '/api/v1/users' });

describe('toErrorDetails', () => {
  it.each([
    [new FilterSyntaxError({ expected: 'a value', found: 'end of input', column: 9 }), 'InvalidArgument'],
    [new FilterValidationError('bad', { object: 'User', field: 'x' }), 'InvalidArgument'],
    [new InvalidRequestError('bad'), 'InvalidArgument'],
    [new ContinuationMismatchError('bad'), 'InvalidArgument'],
    [new UnknownObjectError('Widget'), 'InvalidArgument'],
    [new InvalidOktaDomainError('bad'), 'InvalidArgument'],
    [new OktaAuthError(info(401)), 'InvalidCredentials'],
    [new OktaCredentialsError('no key'), 'InvalidCredentials'],
    [new OktaScopeError({ missingScopes: ['okta.users.read'] }), 'AccessDenied'],
    [new OktaApiError({ ...info(403), errorCode: 'E0000006' }), 'AccessDenied'],
    [new OktaApiError(info(404)), 'ClientError'],
    [new OktaApiError(info(400)), 'ClientError'],
    [new OktaApiError(info(500)), 'ServerError'],
    [new OktaApiError(info(503)), 'ServerError'],
    [new OktaNetworkError({ method: 'GET', path: '/x', reason: 'timeout', attempts: 3 }), 'RequestTimeout'],
    [new OktaNetworkError({ method: 'GET', path: '/x', reason: 'network', attempts: 3 }), 'ServiceUnavailable'],
    [new OktaNetworkError({ method: 'GET', path: '/x', reason: 'invalid-body', attempts: 3 }), 'ServerError'],
    [new OktaPaginationError({ reason: 'repeated-url', url: '/x', detail: 'loop' }), 'ServerError'],
    [new QueryTimeoutError('slow'), 'RequestTimeout'],
    [new ConnectorSecretError('gone', 'ResourceNotFoundError'), 'ResourceNotFoundError'],
    [new ConnectorSecretError('denied', 'AccessDenied'), 'AccessDenied'],
    [new TypeError('boom'), 'UnknownError'],
  ])('%s → %s', (err, code) => {
    const details = toErrorDetails(err);
    expect(details.errorCode).toBe(code);
    expect(details.errorMessage).toContain(err.message);
    expect(details.retryAfterSeconds).toBeNull();
  });

  it('429 carries retryAfterSeconds from the bucket reset, else a 60 s default', () => {
    const err = new OktaRateLimitError({ ...info(429), bucket: 'users', waitedMs: 1000, attempts: 3 });
    expect(toErrorDetails(err, { retryAfterSeconds: (b) => (b === 'users' ? 17.2 : undefined) })).toEqual({
      errorCode: 'RateLimitExceeded',
      errorMessage: err.message,
      retryAfterSeconds: 18,
    });
    expect(toErrorDetails(err).retryAfterSeconds).toBe(60);
  });

  it('a call budget running out (AbortSignal.timeout) is RequestTimeout', async () => {
    const signal = AbortSignal.timeout(1);
    await new Promise((resolve) => signal.addEventListener('abort', resolve));
    expect(toErrorDetails(signal.reason).errorCode).toBe('RequestTimeout');
  });

  it('non-Error values are UnknownError', () => {
    expect(toErrorDetails('nope').errorCode).toBe('UnknownError');
  });
});
