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
  /** A JSON body, 200 unless `status` says otherwise. */
  | { readonly kind: 'item'; readonly body: unknown; readonly status?: number }
  /** No body at all (Okta's 204s, and the 200s whose spec declares no content). */
  | { readonly kind: 'empty'; readonly status: number }
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

/**
 * Who made a write and from where: the System Log events of the change carry it (actor, client, request id), so an
 * audit can tie an Okta request id to its event.
 */
export interface MutationContext {
  /** The SSWS token's admin or an OAuth token's user (`user`), or an OAuth service app (`client`). */
  readonly actor?:
    | { readonly kind: 'user'; readonly id: string }
    | { readonly kind: 'client'; readonly clientId: string };
  /** The response's `X-Okta-Request-Id`. */
  readonly requestId?: string;
  readonly requestUri?: string;
  readonly ipAddress?: string;
  readonly userAgent?: string;
}

/** A write's request: its parsed JSON body (undefined when empty), the headers that matter, and its context. */
export interface RouteRequest {
  readonly body: unknown;
  /** `Prefer: respond-async` (accepted; the sandbox completes lifecycle changes synchronously). */
  readonly prefer?: string;
  readonly context: MutationContext;
}

export interface ManagementRoute {
  /** Route template for logs and fault targeting, e.g. `/api/v1/users/{id}/groups`. */
  readonly template: string;
  /** HTTP method the route answers (GET routes also answer HEAD). */
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** OAuth scope a Bearer token must carry (SSWS tokens carry every scope: they act as the super admin). */
  readonly scope: string;
  handle(params: URLSearchParams, pathParams: Readonly<Record<string, string>>, request?: RouteRequest): RouteResult;
}

/** Resolves a method and path to a route, or null (the server answers 404 E0000008, or 405 for another method). */
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
  /**
   * Generate a System Log history of this many events over the 90 days before `epochMs` (sign-ins, MFA, lifecycle,
   * membership, app assignment, admin and policy events), served from (seed, index) without materializing it.
   * Unset: a small history of the newest users' lifecycle and first membership (the sandbox's original history).
   */
  readonly logEvents?: number;
}
export type { SandboxClock };
