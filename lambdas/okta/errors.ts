/**
 * Typed errors for everything that talks to Okta. Messages say what went wrong and how to fix it; none of them ever
 * carries a credential (tokens, client secrets, refresh tokens, private keys, assertions). Paths are recorded with
 * sensitive query values redacted (see `redactUrlPath`).
 */

/** One entry of Okta's `errorCauses`. */
export interface OktaErrorCause {
  readonly errorSummary: string;
}

/** Fields shared by errors that come from an HTTP response of the Okta org. */
export interface OktaResponseInfo {
  readonly status: number;
  readonly method: string;
  /** Path plus query, with sensitive query values redacted. */
  readonly path: string;
  readonly errorCode?: string | undefined;
  readonly errorSummary?: string | undefined;
  readonly errorId?: string | undefined;
  readonly errorCauses?: readonly OktaErrorCause[] | undefined;
  /** `X-Okta-Request-Id`: quote it to Okta support. */
  readonly requestId?: string | undefined;
}

function describeResponse(info: OktaResponseInfo): string {
  const code = info.errorCode ? ` ${info.errorCode}` : '';
  const summary = info.errorSummary ? `: ${info.errorSummary}` : '';
  const causes = info.errorCauses?.length ? ` (${info.errorCauses.map((c) => c.errorSummary).join('; ')})` : '';
  const ids = [info.errorId ? `errorId ${info.errorId}` : '', info.requestId ? `request id ${info.requestId}` : '']
    .filter(Boolean)
    .join(', ');
  return `Okta answered ${info.status}${code} to ${info.method} ${info.path}${summary}${causes}${ids ? ` [${ids}]` : ''}`;
}

/** Okta answered with an error status (after retries, where retries apply). Branch on `errorCode`, not text. */
export class OktaApiError extends Error {
  override readonly name: string = 'OktaApiError';
  readonly status: number;
  readonly method: string;
  readonly path: string;
  readonly errorCode: string | undefined;
  readonly errorSummary: string | undefined;
  readonly errorId: string | undefined;
  readonly errorCauses: readonly OktaErrorCause[];
  readonly requestId: string | undefined;

  constructor(info: OktaResponseInfo, options: { message?: string; cause?: unknown } = {}) {
    super(
      options.message ?? describeResponse(info),
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.status = info.status;
    this.method = info.method;
    this.path = info.path;
    this.errorCode = info.errorCode;
    this.errorSummary = info.errorSummary;
    this.errorId = info.errorId;
    this.errorCauses = info.errorCauses ?? [];
    this.requestId = info.requestId;
  }
}

/** The credential was rejected (401 on the API, or the token endpoint refused the client / grant). */
export class OktaAuthError extends OktaApiError {
  override readonly name: string = 'OktaAuthError';
}

/** Okta throttled us and waiting more is not affordable (too many 429s, or a reset beyond the run's wait budget). */
export class OktaRateLimitError extends OktaApiError {
  override readonly name: string = 'OktaRateLimitError';
  readonly bucket: string;
  /** Time really spent waiting for this request before giving up (measured, not planned). */
  readonly waitedMs: number;
  /** When the bucket reopens (Okta's X-Rate-Limit-Reset, ISO-8601), when known. */
  readonly resetAt: string | undefined;
  constructor(
    info: OktaResponseInfo & {
      bucket: string;
      waitedMs: number;
      attempts: number;
      /** The reset that could not be waited for, with how long that wait was and the budget it exceeded. */
      resetAt?: string | undefined;
      neededMs?: number | undefined;
      budgetMs?: number | undefined;
    },
    cause?: unknown,
  ) {
    const waited = `${Math.round(info.waitedMs / 1000)} s`;
    const ref = info.requestId ? ` [request id ${info.requestId}]` : '';
    const message =
      info.neededMs !== undefined && info.budgetMs !== undefined
        ? `Okta's rate limit on bucket ${info.bucket} resets at ${info.resetAt ?? 'an unknown time'}, ` +
          `${formatDuration(info.neededMs)} from now: more than this run may still wait for ${info.method} ` +
          `${info.path} (okta.maxRateLimitWaitSeconds = ${Math.round(info.budgetMs / 1000)}; ${waited} waited ` +
          'already). Raise okta.maxRateLimitWaitSeconds, run when the bucket has reset, or ask the Okta admin ' +
          `which integration drains it${ref}.`
        : `Okta kept rate-limiting ${info.method} ${info.path} (bucket ${info.bucket}): gave up after ${info.attempts} ` +
          `429 answers and ${waited} of waiting. Lower the flow's concurrency or rateLimitShare, raise ` +
          `okta.maxRateLimitWaitSeconds, or ask the Okta admin to raise the bucket's limit${ref}.`;
    super(info, { message, cause });
    this.bucket = info.bucket;
    this.waitedMs = info.waitedMs;
    this.resetAt = info.resetAt;
  }
}

/**
 * Not a failure: the wait for a rate-limit reset fits the run's budget but not what is left of this invocation.
 * The caller checkpoints and resumes at `resumeAt` (Step Functions: a Wait state; in-process: a sleep).
 */
export class OktaRateLimitDeferral extends Error {
  override readonly name = 'OktaRateLimitDeferral';
  readonly bucket: string;
  /** Local ms at which to try again. */
  readonly resumeAt: number;
  readonly waitMs: number;
  readonly resetAt: string;
  constructor(info: {
    bucket: string;
    resumeAt: number;
    waitMs: number;
    resetAt: string;
    method: string;
    path: string;
  }) {
    super(
      `${info.method} ${info.path} must wait ${formatDuration(info.waitMs)} for bucket ${info.bucket} to reset ` +
        `(${info.resetAt}), longer than this invocation has left: checkpoint and resume then.`,
    );
    this.bucket = info.bucket;
    this.resumeAt = info.resumeAt;
    this.waitMs = info.waitMs;
    this.resetAt = info.resetAt;
  }
}

/** `90 s`, `12 min`, `23 h 59 min`. */
export function formatDuration(ms: number): string {
  const s = Math.ceil(ms / 1000);
  if (s < 120) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 120) return `${min} min`;
  return `${Math.floor(min / 60)} h ${min % 60} min`;
}

/** A 403 because the OAuth access token lacks a scope, or a token response that did not grant a needed scope. */
export class OktaScopeError extends Error {
  override readonly name = 'OktaScopeError';
  /** Scopes the request needed that the token does not carry (best knowledge: route map or WWW-Authenticate). */
  readonly missingScopes: readonly string[];
  /** Scopes the token endpoint granted, when known. */
  readonly grantedScopes: readonly string[] | undefined;
  readonly status: number | undefined;
  readonly method: string | undefined;
  readonly path: string | undefined;
  readonly requestId: string | undefined;
  constructor(
    info: {
      missingScopes: readonly string[];
      grantedScopes?: readonly string[] | undefined;
      status?: number;
      method?: string;
      path?: string;
      requestId?: string | undefined;
    },
    cause?: unknown,
  ) {
    const missing = info.missingScopes.length ? info.missingScopes.join(', ') : 'an unknown scope';
    const where = info.method && info.path ? ` for ${info.method} ${info.path}` : '';
    const granted = info.grantedScopes ? ` Granted: ${info.grantedScopes.join(' ') || '(none)'}.` : '';
    super(
      `The Okta OAuth token is missing scope ${missing}${where}.${granted} Grant the scope to the app in the Okta ` +
        `admin console (Applications → Okta API Scopes), make sure the flow requests it, then re-run \`okta-flow connect\` ` +
        `for authorization-code apps${info.requestId ? ` [request id ${info.requestId}]` : ''}.`,
      cause === undefined ? undefined : { cause },
    );
    this.missingScopes = info.missingScopes;
    this.grantedScopes = info.grantedScopes;
    this.status = info.status;
    this.method = info.method;
    this.path = info.path;
    this.requestId = info.requestId;
  }
}

export type NetworkFailureReason = 'timeout' | 'network' | 'invalid-body' | 'invalid-encoding';

/** The request never got a usable answer: connection refused/reset, timeout, or a truncated/unparseable body. */
export class OktaNetworkError extends Error {
  override readonly name = 'OktaNetworkError';
  readonly method: string;
  readonly path: string;
  readonly reason: NetworkFailureReason;
  readonly attempts: number;
  constructor(info: { method: string; path: string; reason: NetworkFailureReason; attempts: number }, cause?: unknown) {
    const what =
      info.reason === 'timeout'
        ? 'timed out'
        : info.reason === 'invalid-body'
          ? 'returned a truncated or unparseable JSON body'
          : info.reason === 'invalid-encoding'
            ? 'returned a body that is not valid UTF-8 (okta-flow never replaces bytes it cannot read)'
            : 'failed at the network level';
    super(
      `${info.method} ${info.path} ${what} (${info.attempts} attempt${info.attempts === 1 ? '' : 's'}). Check network ` +
        'access to the Okta org (VPC egress, DNS, proxy) and retry the run.',
      cause === undefined ? undefined : { cause },
    );
    this.method = info.method;
    this.path = info.path;
    this.reason = info.reason;
    this.attempts = info.attempts;
  }
}

/**
 * A Link-paginated listing misbehaved (loop, cross-origin next link, unexpected body, a page of records already
 * read, a full page whose continuation cannot be verified): never a silent partial.
 */
export class OktaPaginationError extends Error {
  override readonly name = 'OktaPaginationError';
  readonly reason:
    | 'next-is-self'
    | 'repeated-url'
    | 'repeated-cursor'
    | 'cross-origin'
    | 'not-an-array'
    | 'bad-link'
    | 'content-loop'
    | 'unverifiable-end';
  readonly url: string;
  constructor(info: { reason: OktaPaginationError['reason']; url: string; detail: string }, cause?: unknown) {
    super(`Pagination stopped at ${info.url}: ${info.detail}`, cause === undefined ? undefined : { cause });
    this.reason = info.reason;
    this.url = info.url;
  }
}

/**
 * A record Okta returned cannot be committed as it is: it has no primary key, or the field an incremental window or
 * a slice is cut on does not read as an instant. The run fails (nothing is committed) instead of dropping it.
 */
export class OktaRecordError extends Error {
  override readonly name = 'OktaRecordError';
  readonly object: string;
  readonly recordId: string | undefined;
  readonly field: string;
  constructor(info: { object: string; recordId: string | undefined; field: string; value: unknown; problem: string }) {
    super(
      `A ${info.object} record from Okta${info.recordId === undefined ? ' (no id)' : ` (id ${info.recordId})`} ` +
        `${info.problem}: ${info.field} = ${describeValue(info.value)}. The run stops without committing anything ` +
        'rather than drop or invent the record; re-run it, and ask Okta support if the record stays malformed.',
    );
    this.object = info.object;
    this.recordId = info.recordId;
    this.field = info.field;
  }
}

/** A value for a message: JSON, at most 80 characters. */
function describeValue(value: unknown): string {
  if (value === undefined) return '(absent)';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

/** The credentials secret is missing a key or has an invalid one. Names the key, never the value. */
export class OktaCredentialsError extends Error {
  override readonly name = 'OktaCredentialsError';
  /** Offending keys (dotted paths into the secret JSON). */
  readonly keys: readonly string[];
  constructor(message: string, keys: readonly string[] = [], cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.keys = keys;
  }
}

/** The OAuth refresh token is no longer usable (expired, revoked, or rotated away): a human must consent again. */
export class OktaReconsentRequiredError extends Error {
  override readonly name = 'OktaReconsentRequiredError';
  constructor(detail: string, cause?: unknown) {
    super(
      `Okta rejected the stored refresh token (${detail}). Re-run \`okta-flow connect\` to consent again and store a ` +
        'new refresh token in the secret.',
      cause === undefined ? undefined : { cause },
    );
  }
}

/** The configured Okta domain is not an Okta domain we are willing to send credentials to. */
export class InvalidOktaDomainError extends Error {
  override readonly name = 'InvalidOktaDomainError';
  constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
  }
}
