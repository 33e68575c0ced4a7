import type { OktaErrorSpec } from '../org/contract.js';

/** Okta's error body: `{errorCode, errorSummary, errorLink, errorId, errorCauses[]}`. */
export function oktaErrorBody(error: OktaErrorSpec, errorId: string): string {
  return JSON.stringify({
    errorCode: error.errorCode,
    errorSummary: error.errorSummary,
    errorLink: error.errorCode,
    errorId,
    errorCauses: error.errorCauses ?? [],
  });
}

export const PATH_NOT_FOUND: OktaErrorSpec = {
  status: 404,
  errorCode: 'E0000008',
  errorSummary: 'The requested path was not found',
};

export const INVALID_TOKEN: OktaErrorSpec = {
  status: 401,
  errorCode: 'E0000011',
  errorSummary: 'Invalid token provided',
};

export const INVALID_SESSION: OktaErrorSpec = {
  status: 403,
  errorCode: 'E0000005',
  errorSummary: 'Invalid session',
};

export const NO_PERMISSION: OktaErrorSpec = {
  status: 403,
  errorCode: 'E0000006',
  errorSummary: 'You do not have permission to perform the requested action',
};

export const RATE_LIMITED: OktaErrorSpec = {
  status: 429,
  errorCode: 'E0000047',
  errorSummary: 'API call exceeded rate limit due to too many requests.',
};

export const METHOD_NOT_ALLOWED: OktaErrorSpec = {
  status: 405,
  errorCode: 'E0000022',
  errorSummary: 'The endpoint does not support the provided HTTP method',
};

export const MALFORMED_BODY: OktaErrorSpec = {
  status: 400,
  errorCode: 'E0000003',
  errorSummary: 'The request body was not well-formed.',
};

export const INTERNAL_ERROR: OktaErrorSpec = {
  status: 500,
  errorCode: 'E0000009',
  errorSummary: 'Internal Server Error',
};

export const SERVICE_UNAVAILABLE: OktaErrorSpec = {
  status: 503,
  errorCode: 'E0000010',
  errorSummary: 'Service is in read only mode',
};

/** The Okta error a fault of the given HTTP status answers with. */
export function errorForStatus(status: number): OktaErrorSpec {
  if (status === 503) return SERVICE_UNAVAILABLE;
  if (status === 500) return INTERNAL_ERROR;
  if (status === 429) return RATE_LIMITED;
  return { status, errorCode: 'E0000009', errorSummary: `Injected fault (HTTP ${status})` };
}
