/**
 * Shared plumbing for calls to the Okta org authorization server (`/oauth2/v1/*`) through oauth4webapi:
 * static metadata (the org AS endpoints are well known; no discovery round trip), our fetch + User-Agent + timeout,
 * http only for an allowed loopback sandbox, error mapping that never leaks a credential, and granted-scope checks.
 */
import * as oauth from 'oauth4webapi';
import { OktaApiError, OktaAuthError, OktaNetworkError, OktaScopeError } from '../errors.js';
import { safeCause, scrubSecrets, secretForms } from '../http/redact.js';
import type { OktaClientObserver } from '../types.js';

export interface TokenEndpointDeps {
  /** The validated org origin (`validateOktaDomain`). */
  readonly origin: string;
  readonly fetch?: typeof fetch;
  readonly userAgent?: string;
  readonly timeoutMs?: number;
  readonly observer?: OktaClientObserver | undefined;
}

export const TOKEN_PATH = '/oauth2/v1/token';
export const AUTHORIZE_PATH = '/oauth2/v1/authorize';

/** The org authorization server: the only one that mints `okta.*` scopes. */
export function orgAuthorizationServer(origin: string): oauth.AuthorizationServer {
  return {
    issuer: origin,
    token_endpoint: `${origin}${TOKEN_PATH}`,
    authorization_endpoint: `${origin}${AUTHORIZE_PATH}`,
  };
}

/** oauth4webapi request options: our fetch, User-Agent, timeout (+ caller signal), http only for loopback. */
export function requestOptions(
  deps: TokenEndpointDeps,
  signal?: AbortSignal,
): oauth.TokenEndpointRequestOptions & oauth.ClientCredentialsGrantRequestOptions {
  const timeout = AbortSignal.timeout(deps.timeoutMs ?? 15_000);
  const f = deps.fetch ?? globalThis.fetch.bind(globalThis);
  const options: oauth.TokenEndpointRequestOptions = {
    signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    headers: { 'User-Agent': deps.userAgent ?? 'okta-flow', Accept: 'application/json' },
    [oauth.customFetch]: (url, init) => f(url, init as RequestInit),
  };
  // validateOktaDomain only lets http through for an explicitly allowed loopback sandbox.
  if (deps.origin.startsWith('http://')) options[oauth.allowInsecureRequests] = true;
  return options;
}

/** How a token request failed, in terms the callers branch on. */
export type TokenFailure =
  | {
      kind: 'oauth-error';
      status: number;
      error: string;
      description: string | undefined;
      /** `X-Rate-Limit-Reset` (epoch seconds) of a 429. */
      resetAtSec?: number | undefined;
    }
  | { kind: 'network'; ambiguous: boolean; cause: Error }
  | { kind: 'invalid-response'; cause: Error };

/** Classify anything a token request threw. `secrets` are scrubbed from any text we keep. */
export function classifyTokenFailure(err: unknown, secrets: readonly string[]): TokenFailure {
  // `error` and `error_description` are Okta's text: an echo of the request (refresh token, client secret) is
  // scrubbed before it can reach a message.
  const forms = secretForms(secrets);
  const scrub = (text: string | undefined) => (text === undefined ? undefined : scrubSecrets(text, forms));
  if (err instanceof oauth.ResponseBodyError) {
    return {
      kind: 'oauth-error',
      status: err.status,
      error: scrub(err.error) ?? 'unknown_error',
      description: scrub(err.error_description),
    };
  }
  if (err instanceof oauth.WWWAuthenticateChallengeError) {
    const challenge = err.cause[0];
    return {
      kind: 'oauth-error',
      status: err.status,
      error: scrub(challenge?.parameters.error) ?? 'invalid_client',
      description: scrub(challenge?.parameters.error_description),
    };
  }
  if (err instanceof oauth.OperationProcessingError) {
    // Non-JSON error pages (e.g. a 429 or 5xx from a proxy) end up here with the HTTP status in `cause`.
    const response = err.cause instanceof Response ? err.cause : undefined;
    if (response && response.status >= 400) {
      const reset = Number(response.headers.get('x-rate-limit-reset') ?? Number.NaN);
      return {
        kind: 'oauth-error',
        status: response.status,
        error: `http_${response.status}`,
        description: undefined,
        resetAtSec: Number.isFinite(reset) ? reset : undefined,
      };
    }
    return { kind: 'invalid-response', cause: safeCause(err, forms) };
  }
  // fetch threw: connection refused before sending is the only unambiguous case.
  const code = ((err as { cause?: { code?: unknown } } | undefined)?.cause?.code ?? '') as string;
  const ambiguous = !['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'].includes(code);
  return { kind: 'network', ambiguous, cause: safeCause(err, forms) };
}

/** The error to throw for a failed token request that is not handled (retried / re-read) by the caller. */
export function tokenFailureError(failure: TokenFailure, what: string, origin: string, attempts = 1): Error {
  const path = TOKEN_PATH;
  if (failure.kind === 'network') {
    return new OktaNetworkError({ method: 'POST', path, reason: 'network', attempts }, failure.cause);
  }
  if (failure.kind === 'invalid-response') {
    return new OktaNetworkError({ method: 'POST', path, reason: 'invalid-body', attempts }, failure.cause);
  }
  if (failure.status >= 500 || failure.status === 429) {
    return new OktaApiError(
      { status: failure.status, method: 'POST', path, errorCode: failure.error, errorSummary: failure.description },
      {
        message: `${what} failed at ${origin}${path}: Okta answered ${failure.status}${
          failure.status === 429 ? ' (rate limited)' : ''
        } after ${attempts} attempt(s). Retry the run later.`,
      },
    );
  }
  const hint =
    failure.error === 'invalid_client'
      ? 'Check "clientId" and the client credentials in the secret (clientSecret / tokenEndpointAuthMethod, or ' +
        'privateKey / keyId registered with the app).'
      : failure.error === 'invalid_scope'
        ? 'Grant the requested scopes to the app (Okta API Scopes tab) or request fewer.'
        : failure.error === 'unauthorized_client'
          ? 'Enable this grant type for the app in Okta.'
          : 'See the Okta System Log for details.';
  return new OktaAuthError(
    {
      status: failure.status,
      method: 'POST',
      path,
      errorCode: failure.error,
      errorSummary: failure.description,
    },
    {
      message: `${what} failed at ${origin}${path}: ${failure.status} ${failure.error}${
        failure.description ? ` (${failure.description})` : ''
      }. ${hint}`,
    },
  );
}

/** Space-separated `scope` of a token response as a list. */
export function grantedScopes(scope: string | undefined): string[] {
  return (scope ?? '').split(/\s+/).filter(Boolean);
}

/**
 * Compare granted scopes to what the flows need. Missing required scopes → OktaScopeError; requested but dropped
 * (not required) → a warning. Okta silently drops requested scopes the app was not granted.
 */
export function checkGrantedScopes(
  granted: readonly string[] | undefined,
  needs: { required?: readonly string[] | undefined; requested?: readonly string[] | undefined },
  observer: OktaClientObserver | undefined,
): void {
  if (granted === undefined) return; // Okta always sends `scope`; without it there is nothing to check
  const missing = (needs.required ?? []).filter((s) => !granted.includes(s));
  if (missing.length) throw new OktaScopeError({ missingScopes: missing, grantedScopes: granted });
  const dropped = (needs.requested ?? []).filter((s) => s !== 'offline_access' && !granted.includes(s));
  if (dropped.length) {
    observer?.onWarning?.({
      code: 'okta.oauth.scope-not-granted',
      message: `Okta did not grant scope ${dropped.join(', ')} (granted: ${granted.join(' ') || 'none'}); requests that need it will fail with 403.`,
    });
  }
}
