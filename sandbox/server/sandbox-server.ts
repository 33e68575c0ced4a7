import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SandboxClock } from '../clock.js';
import type { MutationContext, OktaErrorSpec, RouteMatcher, RouteRequest, RouteResult } from '../org/contract.js';
import { handleReservedRequest } from './admin-api.js';
import { authenticate, checkScope } from './auth.js';
import { type Fault, FaultController, type FaultRule } from './faults.js';
import { type LinkMode, listLinkHeaders } from './links.js';
import { type OAuthResponse, OrgAuthorizationServer } from './oauth/authorization-server.js';
import {
  consentingAdmin,
  defaultClients,
  type SandboxOAuthClients,
  type SandboxOAuthOptions,
} from './oauth/default-clients.js';
import { sandboxKeys } from './oauth/keys.js';
import type { AccessTokenRecord } from './oauth/token-store.js';
import {
  errorForStatus,
  MALFORMED_BODY,
  METHOD_NOT_ALLOWED,
  oktaErrorBody,
  PATH_NOT_FOUND,
  RATE_LIMITED,
} from './okta-errors.js';
import { randomToken } from './random.js';
import { type RateLimitDecision, RateLimiter, type RateLimitSettings } from './rate-limits.js';
import { emptyStats, increment, type SandboxStats } from './stats.js';

/** What the server needs from the org: route resolution and the admin mutations. */
export interface ServedOrg {
  readonly match: RouteMatcher;
  handleAdmin(method: string, pathname: string, body: unknown): RouteResult;
  /** Stores a late System Log event (published in the past, persisted now); see `/__sandbox/logs/late`. */
  injectLateLogEvent?(input: { eventType: string; publishedMs: number; displayMessage?: string }): unknown;
}

export interface SandboxServerOptions {
  /** Loopback only. */
  readonly host?: '127.0.0.1' | 'localhost';
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Seeds the fault RNG. */
  readonly seed?: number;
  /** The SSWS token (random when absent). */
  readonly apiToken?: string;
  /** `false` turns rate limiting off (headers are still sent, at the configured limit). */
  readonly rateLimits?: RateLimitSettings | false;
  /** Requests in flight before 429 `0/0/estimate` (default 75, Okta's Enterprise cap). */
  readonly concurrencyLimit?: number;
  readonly faults?: readonly FaultRule[];
  readonly oauth?: SandboxOAuthOptions;
}

export interface SandboxOAuthInfo {
  readonly issuer: string;
  readonly authorizeUrl: string;
  readonly tokenUrl: string;
  readonly jwksUrl: string;
  /** The admin user the authorize endpoint consents as (the sandbox has no login page). */
  readonly admin: { readonly id: string; readonly login: string };
  readonly clients: SandboxOAuthClients;
}

export interface SandboxServer {
  readonly baseUrl: string;
  readonly apiToken: string;
  readonly oauth: SandboxOAuthInfo;
  readonly faults: FaultController;
  readonly rateLimits: RateLimiter;
  readonly authorizationServer: OrgAuthorizationServer;
  stats(): SandboxStats;
  close(): Promise<void>;
}

interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly requestId: string;
  rate: RateLimitDecision | null;
}

const NO_FAULTS: readonly Fault[] = [];
/** Methods a Management API path may be served with (for 405 vs 404). */
const ROUTE_METHODS = ['GET', 'POST', 'PUT', 'DELETE'] as const;

/** The System Log actor of a Bearer write: the consenting user, or the service app itself (client credentials). */
function actorOf(token: AccessTokenRecord): NonNullable<MutationContext['actor']> {
  return token.subject === token.clientId
    ? { kind: 'client', clientId: token.clientId }
    : { kind: 'user', id: token.subject };
}
const REQUEST_ID_PREFIX = randomToken(14);

/** Starts the HTTP front of the sandbox: Okta's transport, auth, OAuth, rate limits and faults around an org. */
export async function startSandboxServer(
  org: ServedOrg,
  clock: SandboxClock,
  options: SandboxServerOptions = {},
): Promise<SandboxServer> {
  const keys = await sandboxKeys();
  const oauthOptions = options.oauth ?? {};
  const clients = defaultClients(oauthOptions, keys.service);
  const admin = consentingAdmin(oauthOptions);
  let origin = '';
  const authorizationServer = new OrgAuthorizationServer(
    clock,
    () => origin,
    [clients.web, clients.static, clients.service, ...(oauthOptions.extraClients ?? [])],
    admin,
    keys.signing,
    oauthOptions.lifetimes,
  );
  const apiToken = options.apiToken ?? `00${randomToken(40)}`;
  const credentials = { apiToken, accessToken: (token: string) => authorizationServer.accessToken(token) };
  const faults = new FaultController(options.seed ?? 42, options.faults ?? []);
  const rateLimits = new RateLimiter(clock, options.rateLimits ?? {});
  const concurrencyLimit = options.concurrencyLimit ?? 75;
  const stats = emptyStats();
  let inFlight = 0;
  let requestCounter = 0;

  const send = (exchange: Exchange, status: number, body: string, extra: OutgoingHttpHeaders = {}): void => {
    const { res, requestId, rate } = exchange;
    if (res.headersSent || res.destroyed) return;
    increment(stats.byStatus, String(status));
    const headers: OutgoingHttpHeaders = {
      'Content-Type': 'application/json',
      'X-Okta-Request-Id': requestId,
      // Date follows the sandbox clock, so Reset − Date (how Okta's SDKs compute waits) stays consistent.
      Date: new Date(clock.now()).toUTCString(),
      ...extra,
    };
    if (rate) {
      headers['X-Rate-Limit-Limit'] = String(rate.limit);
      headers['X-Rate-Limit-Remaining'] = String(rate.remaining);
      headers['X-Rate-Limit-Reset'] = String(rate.resetSeconds);
    }
    headers['Content-Length'] = Buffer.byteLength(body);
    res.writeHead(status, headers);
    res.end(body);
  };

  const sendError = (exchange: Exchange, error: OktaErrorSpec): void => {
    send(exchange, error.status, oktaErrorBody(error, `oae${randomToken(19)}`), { ...error.headers });
  };

  const sendOAuth = (exchange: Exchange, response: OAuthResponse): void => {
    if ('location' in response) {
      send(exchange, 302, '', { Location: response.location, 'Content-Type': 'text/plain' });
      return;
    }
    send(exchange, response.status, JSON.stringify(response.json), response.headers);
  };

  const sendRouteResult = (
    exchange: Exchange,
    result: RouteResult,
    pathname: string,
    search: string,
    linkMode: LinkMode,
    truncate: boolean,
  ): void => {
    if (result.kind === 'error') {
      sendError(exchange, result.error);
      return;
    }
    if (result.kind === 'empty') {
      send(exchange, result.status, '');
      return;
    }
    let body = JSON.stringify(result.kind === 'list' ? result.items : result.body) ?? 'null';
    if (body.includes('{{origin}}')) body = body.replaceAll('{{origin}}', origin);
    if (truncate) body = body.slice(0, Math.floor(body.length / 2));
    const extra: OutgoingHttpHeaders = {};
    if (result.kind === 'list') {
      const next = result.paginated ? result.next : null;
      const links = listLinkHeaders(origin, pathname, search, next, linkMode);
      if (links.length > 0) extra.Link = links;
    }
    send(exchange, result.kind === 'item' ? (result.status ?? 200) : 200, body, extra);
  };

  const handleOkta = async (exchange: Exchange, method: string, pathname: string, search: string): Promise<void> => {
    const { req } = exchange;
    const isApi = pathname.startsWith('/api/');
    const matched = isApi ? org.match(method, pathname) : null;
    const template = matched?.route.template ?? pathname;
    stats.requests += 1;
    increment(stats.byRoute, template);

    if (inFlight > concurrencyLimit) {
      stats.concurrencyRejected += 1;
      const reset = Math.ceil(clock.now() / 1000) + 1;
      exchange.rate = { allowed: false, bucket: 'concurrency', limit: 0, remaining: 0, resetSeconds: reset };
      sendError(exchange, RATE_LIMITED);
      return;
    }

    const fired = faults.active ? faults.decide({ method, pathname, template }) : NO_FAULTS;
    let linkMode: LinkMode = 'normal';
    let truncate = false;
    let statusFault: number | null = null;
    for (const fault of fired) {
      stats.faultsFired += 1;
      switch (fault.kind) {
        case 'latency':
          await sleep(fault.ms);
          break;
        case 'reset':
          req.socket.destroy();
          return;
        case 'expireTokens':
          authorizationServer.store.revokeAllAccessTokens();
          break;
        case 'status':
          statusFault = fault.status;
          break;
        case 'truncate':
          truncate = true;
          break;
        case 'linkLoop':
          linkMode = 'loop';
          break;
        case 'joinedLink':
          linkMode = 'joined';
          break;
        case 'missingLink':
          linkMode = 'missing';
          break;
      }
    }

    const auth = isApi ? authenticate(req.headers.authorization, credentials, origin) : null;
    const principal = auth === null ? 'oauth' : 'principal' in auth ? auth.principal.key : auth.key;
    exchange.rate = rateLimits.take(method, pathname, principal);
    if (!exchange.rate.allowed) {
      stats.rateLimited += 1;
      sendError(exchange, RATE_LIMITED);
      return;
    }
    if (statusFault !== null) {
      sendError(exchange, errorForStatus(statusFault));
      return;
    }

    if (!isApi) {
      await handleOAuthPath(exchange, method, pathname, search, truncate);
      return;
    }
    if (auth && 'error' in auth) {
      sendError(exchange, auth.error);
      return;
    }
    if (!matched) {
      // A path the org serves with other methods: refused like Okta refuses unsupported methods.
      const known = ROUTE_METHODS.some((other) => other !== method && org.match(other, pathname) !== null);
      sendError(exchange, known ? METHOD_NOT_ALLOWED : PATH_NOT_FOUND);
      return;
    }
    if (auth && 'principal' in auth) {
      const denied = checkScope(auth.principal, matched.route.scope, origin, pathname);
      if (denied) {
        sendError(exchange, denied);
        return;
      }
    }
    const params = new URLSearchParams(search);
    let request: RouteRequest | undefined;
    if (matched.route.method !== 'GET') {
      const text = await readBody(req);
      let body: unknown;
      if (text.trim() !== '') {
        try {
          body = JSON.parse(text);
        } catch {
          sendError(exchange, MALFORMED_BODY);
          return;
        }
      }
      const principal = auth && 'principal' in auth ? auth.principal : undefined;
      request = {
        body,
        ...(typeof req.headers.prefer === 'string' ? { prefer: req.headers.prefer } : {}),
        context: {
          ...(principal?.kind === 'bearer' ? { actor: actorOf(principal.token) } : {}),
          requestId: exchange.requestId,
          requestUri: pathname,
          ipAddress: req.socket.remoteAddress ?? '127.0.0.1',
          userAgent: req.headers['user-agent'] ?? '',
        },
      };
    }
    const result = matched.route.handle(params, matched.pathParams, request);
    sendRouteResult(exchange, result, pathname, search, linkMode, truncate);
  };

  const handleOAuthPath = async (
    exchange: Exchange,
    method: string,
    pathname: string,
    search: string,
    truncate: boolean,
  ): Promise<void> => {
    const sendJson = (json: unknown) => {
      const body = JSON.stringify(json);
      send(exchange, 200, truncate ? body.slice(0, Math.floor(body.length / 2)) : body);
    };
    if (pathname === '/.well-known/openid-configuration' || pathname === '/.well-known/oauth-authorization-server') {
      if (method !== 'GET') return sendError(exchange, METHOD_NOT_ALLOWED);
      return sendJson(authorizationServer.discovery());
    }
    if (pathname === '/oauth2/v1/keys') {
      if (method !== 'GET') return sendError(exchange, METHOD_NOT_ALLOWED);
      return sendJson(authorizationServer.jwks());
    }
    if (pathname === '/oauth2/v1/authorize') {
      if (method !== 'GET') return sendError(exchange, METHOD_NOT_ALLOWED);
      return sendOAuth(exchange, authorizationServer.authorize(new URLSearchParams(search)));
    }
    if (pathname === '/oauth2/v1/token') {
      if (method !== 'POST') return sendError(exchange, METHOD_NOT_ALLOWED);
      const body = await readBody(exchange.req);
      const response = await authorizationServer.token(
        exchange.req.headers.authorization,
        exchange.req.headers['content-type'],
        body,
      );
      if (truncate && !('location' in response)) {
        const text = JSON.stringify(response.json);
        return send(exchange, response.status, text.slice(0, Math.floor(text.length / 2)), response.headers);
      }
      return sendOAuth(exchange, response);
    }
    return sendError(exchange, PATH_NOT_FOUND);
  };

  const server = createServer((req, res) => {
    const rawUrl = req.url ?? '/';
    const queryAt = rawUrl.indexOf('?');
    const pathname = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);
    const search = queryAt < 0 ? '' : rawUrl.slice(queryAt);
    const method = (req.method ?? 'GET').toUpperCase();
    requestCounter += 1;
    const exchange: Exchange = {
      req,
      res,
      requestId: `${REQUEST_ID_PREFIX}${requestCounter.toString(36)}`,
      rate: null,
    };
    const fail = (error: unknown) => {
      // A bug in the sandbox must surface in the test that hit it, as a 500 rather than a hung request.
      const message = error instanceof Error ? error.message : String(error);
      send(exchange, 500, JSON.stringify({ errorCode: 'E0000009', errorSummary: `Sandbox error: ${message}` }));
    };
    if (pathname === '/__sandbox' || pathname.startsWith('/__sandbox/')) {
      handleReservedRequest(
        {
          req,
          method,
          pathname: pathname.slice('/__sandbox'.length),
          clock,
          org,
          faults,
          rateLimits,
          stats: () => ({ ...stats }),
          authorizationServer,
          origin: () => origin,
          readBody,
        },
        (status, json) => send(exchange, status, JSON.stringify(json)?.replaceAll('{{origin}}', origin) ?? 'null'),
      ).catch(fail);
      return;
    }
    inFlight += 1;
    if (inFlight > stats.maxInFlight) stats.maxInFlight = inFlight;
    res.once('close', () => {
      inFlight -= 1;
    });
    handleOkta(exchange, method, pathname, search).catch(fail);
  });
  server.keepAliveTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  origin = `http://${options.host ?? '127.0.0.1'}:${address.port}`;

  return {
    baseUrl: origin,
    apiToken,
    oauth: {
      issuer: origin,
      authorizeUrl: `${origin}/oauth2/v1/authorize`,
      tokenUrl: `${origin}/oauth2/v1/token`,
      jwksUrl: `${origin}/oauth2/v1/keys`,
      admin,
      clients,
    },
    faults,
    rateLimits,
    authorizationServer,
    stats: () => structuredClone(stats),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
