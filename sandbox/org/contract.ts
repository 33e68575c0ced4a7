/**
 * The seam between the sandbox's org (data, query grammars, mutations; `sandbox/org/`) and its HTTP server
 * (transport, auth, OAuth, rate limits, faults, Link headers; `sandbox/server/`).
 */
import type { SandboxClock } from '../clock.js';

/** An Okta error body plus its HTTP status, e.g. 400 E0000031. */
export interface OktaErrorSpec {
  readonly status: number;
  readonly errorCode: string;
  readonly errorSummary: string;
  readonly errorCauses?: readonly { readonly errorSummary: string }[];
  /** Extra response headers (e.g. WWW-Authenticate). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** What a Management API route produced. The server turns `list` into a JSON array + Link headers. */
export type RouteResult =
  | { readonly kind: 'item'; readonly body: unknown }
  /**
   * `next` holds the query parameters of the next page (the request's own parameters with `after`, and `limit`
   * made explicit); null on the last page. `paginated: false` for unpaginated lists (user types, `q` searches):
   * the server then sends only a self link.
   */
  | {
      readonly kind: 'list';
      readonly items: readonly unknown[];
      readonly next: URLSearchParams | null;
      readonly paginated: boolean;
    }
  | { readonly kind: 'error'; readonly error: OktaErrorSpec };

export interface ManagementRoute {
  /** Route template for logs and fault targeting, e.g. `/api/v1/users/{id}/groups`. */
  readonly template: string;
  /** OAuth scope a Bearer token must carry (SSWS tokens carry every read scope). */
  readonly scope: string;
  handle(params: URLSearchParams, pathParams: Readonly<Record<string, string>>): RouteResult;
}

/** Resolves a GET path to a route, or null (the server answers 404 E0000008). */
export type RouteMatcher = (
  method: string,
  pathname: string,
) => { readonly route: ManagementRoute; readonly pathParams: Record<string, string> } | null;

/** Sizes and seed: the same options always generate the same org. */
export interface OrgOptions {
  readonly seed: number;
  readonly users: number;
  readonly groups?: number;
  readonly apps?: number;
  readonly devices?: number;
  /** Org "now" at generation time (ms since epoch); records are created before it. */
  readonly epochMs?: number;
}
export type { SandboxClock };
