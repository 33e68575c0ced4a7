import type { OktaErrorSpec, RouteResult } from './contract.js';

/** Okta's error codes and the summaries it sends with them (okta-api.md §6). */
export const ErrorCode = {
  validation: 'E0000001',
  notFound: 'E0000007',
  badSearch: 'E0000031',
  searchAndFilter: 'E0000033',
  badFilter: 'E0000053',
  deleteForbidden: 'E0000056',
  unsupportedFilter: 'E0000094',
} as const;

export function oktaError(
  status: number,
  errorCode: string,
  errorSummary: string,
  causes: readonly string[] = [],
): OktaErrorSpec {
  return { status, errorCode, errorSummary, errorCauses: causes.map((errorSummary) => ({ errorSummary })) };
}

export const errors = {
  notFound: (what: string): OktaErrorSpec =>
    oktaError(404, ErrorCode.notFound, `Not found: Resource not found: ${what}`),
  validation: (cause: string): OktaErrorSpec =>
    oktaError(400, ErrorCode.validation, 'Api validation failed: request', [cause]),
  badSearch: (cause: string): OktaErrorSpec => oktaError(400, ErrorCode.badSearch, 'Invalid search criteria.', [cause]),
  searchAndFilter: (): OktaErrorSpec =>
    oktaError(400, ErrorCode.searchAndFilter, 'Search and filter are not supported at the same time.'),
  badFilter: (cause: string): OktaErrorSpec =>
    oktaError(400, ErrorCode.badFilter, 'Invalid filter expression.', [cause]),
  unsupportedFilter: (cause: string): OktaErrorSpec =>
    oktaError(400, ErrorCode.unsupportedFilter, 'The filter criteria is not supported.', [cause]),
  deleteForbidden: (cause: string): OktaErrorSpec =>
    oktaError(403, ErrorCode.deleteForbidden, 'Delete application forbidden.', [cause]),
};

export function errorResult(error: OktaErrorSpec): RouteResult {
  return { kind: 'error', error };
}

/** Thrown by admin mutations and route internals; routes turn it into an error RouteResult. */
export class OrgRequestError extends Error {
  constructor(
    readonly spec: OktaErrorSpec,
    options?: { cause?: unknown },
  ) {
    super(
      `${spec.errorCode} ${spec.errorSummary}${spec.errorCauses?.length ? `: ${spec.errorCauses.map((c) => c.errorSummary).join('; ')}` : ''}`,
      options,
    );
    this.name = 'OrgRequestError';
  }
}
