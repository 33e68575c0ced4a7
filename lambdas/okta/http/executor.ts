/**
 * Executes one Okta GET: credentials, governor, timeout, retries, strict decoding, JSON parsing and typed errors.
 *
 * Retry policy (GETs are idempotent):
 * - 5xx (500/502/503/504, incl. 503 E0000100 search unavailable), network failures, our own timeout and
 *   truncated/unparseable/not-UTF-8 2xx bodies: capped exponential backoff with full jitter, at most `maxRetries`.
 * - 429: wait until `X-Rate-Limit-Reset` (+ jitter) and retry; not counted against `maxRetries` but bounded by
 *   `maxRateLimitRetries` and by the request's wait budget (see wait-budget.ts): a reset the run cannot afford is
 *   `OktaRateLimitError` at once, one the invocation cannot afford is `OktaRateLimitDeferral`.
 * - 401 with a Bearer credential: invalidate the cached token, authorize again, retry once.
 * - The caller's AbortSignal is never retried: its reason is rethrown as is.
 *
 * Decoding is strict: a 2xx body that is not valid UTF-8 is never "repaired" with U+FFFD (that would commit altered
 * data); it is retried like a truncated body and then fails with `OktaNetworkError` reason `invalid-encoding`.
 *
 * Everything that comes from Okta's side — error codes and summaries, causes, request ids, challenge headers, the
 * URLs of next links — is scrubbed of the credentials in use (`CredentialProvider.secrets()`) before it reaches an
 * error, a log line or an observer event: some error pages echo the request's Authorization header.
 */
import type { CredentialProvider } from '../auth/types.js';
import {
  OktaApiError,
  OktaAuthError,
  type OktaErrorCause,
  OktaNetworkError,
  OktaRateLimitError,
  OktaScopeError,
} from '../errors.js';
import type { OktaClientObserver } from '../types.js';
import { type BackoffPolicy, backoffDelay, DEFAULT_BACKOFF } from './backoff.js';
import { bucketFor, scopeForRequest } from './buckets.js';
import type { Clock } from './clock.js';
import { sleepWithSignal } from './clock.js';
import type { RateGovernor } from './governor.js';
import { redactUrlPath, safeCause, scrubSecrets, secretForms } from './redact.js';
import { RequestWaitBudget } from './wait-budget.js';

export interface ExecutorOptions {
  readonly credentials: CredentialProvider;
  readonly governor: RateGovernor;
  readonly fetch: typeof fetch;
  readonly clock: Clock;
  readonly random: () => number;
  readonly userAgent: string;
  readonly requestTimeoutMs: number;
  readonly maxRetries: number;
  readonly maxRateLimitRetries: number;
  /** The run's wait budget: the most one request may be blocked by rate limits in total. */
  readonly maxRateLimitWaitMs: number;
  /** The invocation's sleep budget: local ms by which every wait must be over (absent: none). */
  readonly sleepUntil?: number | undefined;
  readonly backoff?: BackoffPolicy;
  readonly observer?: OktaClientObserver | undefined;
}

export interface OktaResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
  /** The URL that was fetched. */
  readonly url: string;
}

type Failure =
  | { kind: 'retryable'; reason: string; error: () => Error }
  | { kind: 'rate-limited'; response: Response; info: ErrorInfo }
  | { kind: 'unauthorized'; info: ErrorInfo }
  | { kind: 'fatal'; error: Error };

interface ErrorInfo {
  status: number;
  method: string;
  path: string;
  errorCode?: string | undefined;
  errorSummary?: string | undefined;
  errorId?: string | undefined;
  errorCauses?: OktaErrorCause[] | undefined;
  requestId?: string | undefined;
}

const RETRYABLE_STATUS = new Set([500, 502, 503, 504]);

/** Text errors from fetch that mean "the connection broke", as opposed to a bad request we built. */
function isTimeout(err: unknown): boolean {
  return (
    err instanceof Error && (err.name === 'TimeoutError' || (err.cause as Error | undefined)?.name === 'TimeoutError')
  );
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });
const LENIENT_UTF8 = new TextDecoder('utf-8');

export class OktaHttpExecutor {
  constructor(private readonly o: ExecutorOptions) {}

  /** `text` without any credential in use (raw and URL-encoded forms). */
  scrub(text: string): string {
    return scrubSecrets(text, secretForms(this.o.credentials.secrets()));
  }

  /** GET `url` (already validated as same-origin by the caller) and return its parsed JSON body. */
  get(url: URL, signal?: AbortSignal): Promise<OktaResponse> {
    return this.request('GET', url, { signal });
  }

  /**
   * One request. GETs follow the retry policy above. Writes (POST/PUT/DELETE) are never repeated when Okta may have
   * acted on them (5xx, network failure, timeout, unreadable body: the error says the outcome is unknown); they are
   * retried only when Okta refused them before acting: 429 (after the reset) and 401 with a refreshed token.
   */
  async request(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: URL,
    init: { signal?: AbortSignal | undefined; body?: unknown } = {},
  ): Promise<OktaResponse> {
    const signal = init.signal;
    const write = method !== 'GET';
    const path = this.scrub(redactUrlPath(url));
    const bucket = bucketFor(method, url.pathname);
    const budget = new RequestWaitBudget(
      { maxWaitMs: this.o.maxRateLimitWaitMs, sleepUntil: this.o.sleepUntil },
      this.o.clock,
      method,
      path,
    );
    let retries = 0;
    let rateLimitRetries = 0;
    let reauthorized = false;
    let retryFor: string | undefined;
    for (;;) {
      signal?.throwIfAborted();
      const auth = await this.o.credentials.authorize(signal);
      const permit = await this.o.governor.acquire(bucket, signal, budget);
      const started = this.o.clock.now();
      const timeout = AbortSignal.timeout(this.o.requestTimeoutMs);
      const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
      const headers: Record<string, string> = {
        Authorization: auth.header,
        Accept: 'application/json',
        'User-Agent': this.o.userAgent,
      };
      if (init.body !== undefined) headers['Content-Type'] = 'application/json';
      if (retryFor) {
        headers['X-Okta-Retry-For'] = retryFor;
        headers['X-Okta-Retry-Count'] = String(rateLimitRetries);
      }
      let response: Response | undefined;
      let bytes: ArrayBuffer | undefined;
      let failure: Failure | undefined;
      try {
        response = await this.o.fetch(url, {
          method,
          headers,
          signal: combined,
          redirect: 'manual',
          ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
        });
        bytes = await response.arrayBuffer();
      } catch (err) {
        if (signal?.aborted) {
          permit.release(response);
          throw signal.reason;
        }
        const reason = isTimeout(err) || timeout.aborted ? 'timeout' : 'network';
        const attempts = retries + 1;
        failure = {
          kind: 'retryable',
          reason,
          error: () => new OktaNetworkError({ method, path, reason, attempts }, this.safe(err)),
        };
      }
      permit.release(response);
      const durationMs = this.o.clock.now() - started;
      this.o.observer?.onRequest?.({ method, path, status: response?.status ?? 0, durationMs, bucket });

      if (!failure && response && bytes !== undefined) {
        const result = this.classify(method, path, url, response, bytes, auth.kind, retries + 1);
        if (!('kind' in result)) return result;
        failure = result;
      }
      if (!failure) throw new Error('unreachable: no response and no failure');

      switch (failure.kind) {
        case 'fatal':
          throw failure.error;
        case 'unauthorized': {
          if (auth.kind === 'bearer' && this.o.credentials.invalidate && !reauthorized) {
            reauthorized = true;
            this.o.credentials.invalidate();
            this.o.observer?.onRetry?.({ path, attempt: 1, reason: '401 invalid token: refreshing', delayMs: 0 });
            continue;
          }
          throw new OktaAuthError(failure.info, {
            message:
              `Okta rejected the credential (${this.o.credentials.describe()}) with 401` +
              `${failure.info.errorCode ? ` ${failure.info.errorCode}` : ''} on ${method} ${path}. ` +
              (auth.kind === 'ssws'
                ? 'Check that the API token is valid and not expired (tokens expire after 30 days unused).'
                : 'The access token was refreshed and still rejected: check the app is active and granted.') +
              `${failure.info.requestId ? ` [request id ${failure.info.requestId}]` : ''}`,
          });
        }
        case 'rate-limited': {
          const { waitMs, reason, resetAtServerSec } = this.o.governor.onTooManyRequests(
            bucket,
            failure.response.headers,
            rateLimitRetries,
          );
          rateLimitRetries++;
          if (rateLimitRetries > this.o.maxRateLimitRetries) {
            throw new OktaRateLimitError({
              ...failure.info,
              bucket,
              waitedMs: budget.waitedMs,
              attempts: rateLimitRetries,
            });
          }
          retryFor = failure.info.requestId;
          // Throws OktaRateLimitError (beyond the run's budget) or OktaRateLimitDeferral (beyond the invocation's).
          await budget.block(
            {
              bucket,
              until: this.o.clock.now() + waitMs,
              resetAtServerSec: reason === '429' ? resetAtServerSec : undefined,
              reason: '429',
              status: 429,
              requestId: failure.info.requestId,
              attempts: rateLimitRetries,
            },
            signal,
            () => this.o.observer?.onRateLimitWait?.({ bucket, waitMs, reason }),
          );
          continue;
        }
        case 'retryable': {
          if (write || retries >= this.o.maxRetries) throw failure.error();
          const delayMs = backoffDelay(retries, this.o.random, this.o.backoff ?? DEFAULT_BACKOFF);
          retries++;
          this.o.observer?.onRetry?.({ path, attempt: retries, reason: failure.reason, delayMs });
          await sleepWithSignal(this.o.clock, delayMs, signal);
          continue;
        }
      }
    }
  }

  /** Turn a complete response into a result or a failure kind. */
  /** A cause safe to attach: name, scrubbed message and code only. */
  private safe(err: unknown): Error {
    return safeCause(err, secretForms(this.o.credentials.secrets()));
  }

  private classify(
    method: string,
    path: string,
    url: URL,
    response: Response,
    bytes: ArrayBuffer,
    authKind: 'ssws' | 'bearer',
    attempts: number,
  ): OktaResponse | Failure {
    const status = response.status;
    const rawRequestId = response.headers.get('x-okta-request-id');
    const requestId = rawRequestId === null ? undefined : this.scrub(rawRequestId);
    if (status >= 200 && status < 300) {
      let text: string;
      try {
        text = STRICT_UTF8.decode(bytes);
      } catch (err) {
        return {
          kind: 'retryable',
          reason: 'invalid-encoding',
          error: () => new OktaNetworkError({ method, path, reason: 'invalid-encoding', attempts }, this.safe(err)),
        };
      }
      if (status === 204 || text.trim() === '') return { status, headers: response.headers, body: null, url: url.href };
      try {
        return { status, headers: response.headers, body: JSON.parse(text), url: url.href };
      } catch (err) {
        return {
          kind: 'retryable',
          reason: 'invalid-body',
          error: () => new OktaNetworkError({ method, path, reason: 'invalid-body', attempts }, this.safe(err)),
        };
      }
    }
    // An error body is never data: read it leniently, keep only Okta's error fields, scrubbed.
    const parsed = parseErrorBody(LENIENT_UTF8.decode(bytes));
    const info: ErrorInfo = {
      status,
      method,
      path,
      requestId,
      errorCode: parsed.errorCode === undefined ? undefined : this.scrub(parsed.errorCode),
      errorSummary: parsed.errorSummary === undefined ? undefined : this.scrub(parsed.errorSummary),
      errorId: parsed.errorId === undefined ? undefined : this.scrub(parsed.errorId),
      errorCauses: parsed.errorCauses?.map((c) => ({ errorSummary: this.scrub(c.errorSummary) })),
    };
    if (status === 429) return { kind: 'rate-limited', response, info };
    if (status === 401) return { kind: 'unauthorized', info };
    if (status === 403) {
      const challenge = this.scrub(response.headers.get('www-authenticate') ?? '');
      if (/insufficient_scope/i.test(challenge)) {
        const fromHeader = /scope="([^"]*)"/i.exec(challenge)?.[1];
        const scope =
          fromHeader?.split(/\s+/).filter(Boolean) ?? [scopeForRequest(method, url.pathname)].filter(isString);
        return {
          kind: 'fatal',
          error: new OktaScopeError({ missingScopes: scope, status, method, path, requestId }),
        };
      }
      if (authKind === 'bearer' && info.errorCode === 'E0000006') {
        const scope = scopeForRequest(method, url.pathname);
        return {
          kind: 'fatal',
          error: new OktaApiError(info, {
            message:
              `Okta answered 403 E0000006 (no permission) to ${method} ${path}: the OAuth app needs ` +
              `${scope ? `scope ${scope} and ` : ''}an admin role that can ${method === 'GET' ? 'read' : 'change'} this resource` +
              `${requestId ? ` [request id ${requestId}]` : ''}.`,
          }),
        };
      }
    }
    if (RETRYABLE_STATUS.has(status)) {
      return { kind: 'retryable', reason: `status ${status}`, error: () => new OktaApiError(info) };
    }
    return { kind: 'fatal', error: new OktaApiError(info) };
  }
}

function isString(v: string | undefined): v is string {
  return typeof v === 'string';
}

/** Okta's error body; anything unparseable yields nothing (never echo raw bodies into errors). */
function parseErrorBody(text: string): Partial<ErrorInfo> {
  try {
    const body: unknown = JSON.parse(text);
    if (!body || typeof body !== 'object') return {};
    const b = body as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const causes = Array.isArray(b.errorCauses)
      ? b.errorCauses
          .map((c) => str((c as Record<string, unknown> | null)?.errorSummary))
          .filter(isString)
          .map((errorSummary) => ({ errorSummary }))
      : undefined;
    return {
      errorCode: str(b.errorCode),
      errorSummary: str(b.errorSummary),
      errorId: str(b.errorId),
      errorCauses: causes,
    };
  } catch {
    return {};
  }
}
