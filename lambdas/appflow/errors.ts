/**
 * Errors the AppFlow adapter raises itself, and the one mapping from any error to AppFlow's `errorDetails`.
 * Messages never carry secrets: Okta errors are already redacted by the client, secret contents never reach here.
 */
import { UnknownObjectError } from '../okta/catalog/index.js';
import {
  InvalidOktaDomainError,
  OktaApiError,
  OktaAuthError,
  OktaCredentialsError,
  OktaNetworkError,
  OktaPaginationError,
  OktaRateLimitError,
  OktaReconsentRequiredError,
  OktaScopeError,
} from '../okta/errors.js';
import { ContinuationMismatchError, ExtractRequestError } from '../okta/extract/errors.js';
import { FilterSyntaxError } from '../okta/query/filter-syntax-error.js';
import { FilterValidationError } from '../okta/query/filter-validation-error.js';
import type { ErrorCode, ErrorDetails } from './protocol.js';

/** A request AppFlow sent that this connector cannot serve as asked (bad field, bad token, unsupported operation). */
export class InvalidRequestError extends Error {
  override readonly name = 'InvalidRequestError';
}

/** The connection's secret could not be read or lacks the key its authentication type needs. */
export class ConnectorSecretError extends Error {
  override readonly name = 'ConnectorSecretError';
  constructor(
    message: string,
    readonly errorCode: 'ResourceNotFoundError' | 'AccessDenied' | 'InvalidCredentials' | 'ServerError',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Okta did not answer one page within the time AppFlow allows for a QueryData call. */
export class QueryTimeoutError extends Error {
  override readonly name = 'QueryTimeoutError';
}

/** One record alone is larger than AppFlow's 6 MB response limit. */
export class RecordTooLargeError extends Error {
  override readonly name = 'RecordTooLargeError';
}

export interface ErrorMappingContext {
  /** Seconds until the rate-limit bucket resets, when known (from the client's governor). */
  readonly retryAfterSeconds?: (bucket: string) => number | undefined;
}

/** Default wait AppFlow is told to observe after a 429 when the reset time is unknown (Okta windows are 60 s). */
export const DEFAULT_RETRY_AFTER_SECONDS = 60;

function statusCode(status: number): ErrorCode {
  if (status === 401) return 'InvalidCredentials';
  if (status === 403) return 'AccessDenied';
  if (status === 408) return 'RequestTimeout';
  if (status === 429) return 'RateLimitExceeded';
  if (status >= 500) return 'ServerError';
  if (status >= 400) return 'ClientError';
  return 'UnknownError';
}

function details(errorCode: ErrorCode, errorMessage: string, retryAfterSeconds: number | null = null): ErrorDetails {
  return { errorCode, errorMessage, retryAfterSeconds };
}

/** AppFlow `errorDetails` for any error the adapter or the Okta client can raise. */
export function toErrorDetails(err: unknown, context: ErrorMappingContext = {}): ErrorDetails {
  if (!(err instanceof Error)) return details('UnknownError', 'The connector failed with a non-Error value.');
  const message = err.message;
  if (
    err instanceof FilterSyntaxError ||
    err instanceof FilterValidationError ||
    err instanceof InvalidRequestError ||
    err instanceof ExtractRequestError ||
    err instanceof ContinuationMismatchError ||
    err instanceof UnknownObjectError ||
    err instanceof InvalidOktaDomainError
  ) {
    return details('InvalidArgument', message);
  }
  if (err instanceof ConnectorSecretError) return details(err.errorCode, message);
  if (err instanceof OktaCredentialsError || err instanceof OktaReconsentRequiredError) {
    return details('InvalidCredentials', message);
  }
  if (err instanceof OktaScopeError) return details('AccessDenied', message);
  if (err instanceof OktaRateLimitError) {
    const after = context.retryAfterSeconds?.(err.bucket) ?? DEFAULT_RETRY_AFTER_SECONDS;
    return details('RateLimitExceeded', message, Math.max(1, Math.ceil(after)));
  }
  if (err instanceof OktaAuthError) return details('InvalidCredentials', message);
  if (err instanceof OktaApiError) {
    const code = statusCode(err.status);
    return details(code, message, code === 'RateLimitExceeded' ? DEFAULT_RETRY_AFTER_SECONDS : null);
  }
  if (err instanceof OktaNetworkError) {
    const code =
      err.reason === 'timeout' ? 'RequestTimeout' : err.reason === 'network' ? 'ServiceUnavailable' : 'ServerError';
    return details(code, message);
  }
  if (err instanceof QueryTimeoutError) return details('RequestTimeout', message);
  // A call's own time budget (AbortSignal.timeout) ran out while Okta was still answering.
  if (err.name === 'TimeoutError') {
    return details(
      'RequestTimeout',
      'Okta did not answer within the time AppFlow allows for this call; AppFlow will retry.',
    );
  }
  if (err instanceof OktaPaginationError || err instanceof RecordTooLargeError) return details('ServerError', message);
  return details('UnknownError', `${err.name}: ${message}`);
}
