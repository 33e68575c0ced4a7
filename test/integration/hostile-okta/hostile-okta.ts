/**
 * A hostile Okta org for tests: a small HTTP server on loopback that answers like Okta (users listing with Link
 * pagination on `after=<id>`, rate-limit headers, Okta error bodies, an org token endpoint with rotating refresh
 * tokens) but misbehaves on demand. Unlike the sandbox it is not a faithful emulator: each test scripts the one
 * misbehaviour it is about with `misbehave(fn)`; whatever `fn` leaves alone is answered normally.
 *
 * It also serves `GET /__sandbox/clock`, so the CLI can point at it with `--sandbox-url`.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type HostileRecord = Record<string, unknown>;

/** One request as the server saw it. */
export interface HostileRequest {
  readonly method: string;
  readonly url: URL;
  readonly authorization: string | null;
  /** The form of a POST (token endpoint). */
  readonly form: URLSearchParams | null;
  /** How many requests for this exact path + query came before this one (since `misbehave`). */
  readonly attempt: number;
  /** Index of this request among the requests to the listing since `misbehave` (0 = the first page request). */
  readonly listingIndex: number;
}

/** What to send instead of the normal answer. `stallMs`: send headers, then wait before the body. */
export interface HostileAnswer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string | Uint8Array;
  /** Send this many bytes of the body, then destroy the connection. */
  readonly truncateAt?: number;
  readonly stallMs?: number;
}

/** The normal page for a listing request: its records and the URL of the next page (null on the last). */
export interface NormalPage {
  readonly items: HostileRecord[];
  readonly next: string | null;
  readonly self: string;
}

export type Misbehaviour = (request: HostileRequest, normal: () => NormalPage) => HostileAnswer | undefined;

export interface HostileOkta {
  readonly baseUrl: string;
  readonly apiToken: string;
  readonly users: readonly HostileRecord[];
  readonly oauth: { readonly clientId: string; readonly clientSecret: string };
  readonly requests: HostileRequest[];
  misbehave(fn: Misbehaviour | null): void;
  /** A refresh token of the org's web app, as after a consent. */
  consent(): string;
  /** Every credential this org issued or accepts (API token, client secret, refresh and access tokens). */
  credentials(): string[];
  close(): Promise<void>;
}

const JSON_TYPE = { 'content-type': 'application/json' };

export function okJson(body: unknown, headers: Record<string, string> = {}): HostileAnswer {
  return { status: 200, headers: { ...JSON_TYPE, ...headers }, body: JSON.stringify(body) };
}

export function oktaError(status: number, errorCode: string, errorSummary: string, extra: object = {}): HostileAnswer {
  return {
    status,
    headers: JSON_TYPE,
    body: JSON.stringify({ errorCode, errorSummary, errorLink: errorCode, errorId: 'oae1', errorCauses: [], ...extra }),
  };
}

/** `<self>; rel="self"` plus `<next>; rel="next"` when there is a next page. */
export function linkHeader(self: string, next: string | null): string {
  return next === null ? `<${self}>; rel="self"` : `<${self}>; rel="self", <${next}>; rel="next"`;
}

/** 25 (or `count`) users, ids sorting in order, all updated in 2024. */
export function makeUsers(count: number): HostileRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(4, '0');
    const minute = String(i % 60).padStart(2, '0');
    return {
      id: `00uhostile${n}`,
      status: 'ACTIVE',
      created: '2024-01-01T00:00:00.000Z',
      activated: '2024-01-01T00:00:00.000Z',
      statusChanged: '2024-01-01T00:00:00.000Z',
      lastLogin: null,
      lastUpdated: `2024-02-01T00:${minute}:00.000Z`,
      passwordChanged: null,
      type: { id: 'otyhostile' },
      profile: {
        login: `user${n}@example.com`,
        email: `user${n}@example.com`,
        firstName: 'User',
        lastName: n,
      },
    };
  });
}

export async function startHostileOkta(options: { users?: number } = {}): Promise<HostileOkta> {
  const users = makeUsers(options.users ?? 25);
  const apiToken = `00${randomBytes(20).toString('base64url')}`;
  const oauth = { clientId: '0oahostileweb000001', clientSecret: randomBytes(24).toString('base64url') };
  const refreshTokens = new Set<string>();
  const accessTokens = new Set<string>();
  /** Every token ever issued, rotated-away refresh tokens included: all of them are secrets. */
  const issued = new Set<string>();
  const requests: HostileRequest[] = [];
  const seen = new Map<string, number>();
  let listingCount = 0;
  let misbehaviour: Misbehaviour | null = null;
  let baseUrl = '';

  const normalPage = (url: URL): NormalPage => {
    const limit = Math.min(200, Number(url.searchParams.get('limit') ?? '200') || 200);
    const after = url.searchParams.get('after');
    const start = after === null ? 0 : users.findIndex((u) => String(u.id) === after) + 1;
    const items = users.slice(start, start + limit);
    const last = items.at(-1);
    let next: string | null = null;
    if (last !== undefined && start + limit < users.length) {
      const nextUrl = new URL(url.pathname + url.search, baseUrl);
      nextUrl.searchParams.set('after', String(last.id));
      nextUrl.searchParams.set('limit', String(limit));
      next = nextUrl.href;
    }
    return { items, next, self: new URL(url.pathname + url.search, baseUrl).href };
  };

  const rateHeaders = () => ({
    date: new Date().toUTCString(),
    'x-rate-limit-limit': '600',
    'x-rate-limit-remaining': '599',
    'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + 60),
    'x-okta-request-id': `req${requests.length}`,
  });

  const answer = (request: HostileRequest): HostileAnswer => {
    const path = request.url.pathname;
    if (path === '/__sandbox/clock') return okJson({ nowMs: Date.now() });
    const custom = misbehaviour?.(request, () => normalPage(request.url));
    if (custom !== undefined) return custom;
    if (path === '/oauth2/v1/token' && request.method === 'POST') return tokenAnswer(request);
    if (!authorized(request.authorization)) {
      return oktaError(401, 'E0000011', 'Invalid token provided');
    }
    if (path === '/api/v1/users' && request.method === 'GET') {
      const page = normalPage(request.url);
      return okJson(page.items, { link: linkHeader(page.self, page.next), ...rateHeaders() });
    }
    // PlanRun reads the profile schemas of User flows (custom attributes): one default type, no custom attributes.
    if (path === '/api/v1/meta/types/user' && request.method === 'GET') {
      const schema = new URL('/api/v1/meta/schemas/user/default', baseUrl).href;
      return okJson(
        [{ id: 'otyhostile0000000001', name: 'user', default: true, _links: { schema: { href: schema } } }],
        rateHeaders(),
      );
    }
    if (path === '/api/v1/meta/schemas/user/default' && request.method === 'GET') {
      return okJson(
        { id: `${baseUrl}/meta/schemas/user/default`, definitions: { custom: { properties: {} } } },
        rateHeaders(),
      );
    }
    if (path === '/api/v1/logs' && request.method === 'GET') {
      // No deletes in this org: a bounded System Log query (`until`) with nothing in it.
      return okJson([], {
        link: linkHeader(new URL(request.url.pathname + request.url.search, baseUrl).href, null),
        ...rateHeaders(),
      });
    }
    return oktaError(404, 'E0000007', `Not found: Resource not found: ${path} (GET)`);
  };

  const authorized = (header: string | null): boolean => {
    if (header === `SSWS ${apiToken}`) return true;
    return header?.startsWith('Bearer ') === true && accessTokens.has(header.slice('Bearer '.length));
  };

  const tokenAnswer = (request: HostileRequest): HostileAnswer => {
    const basic = request.authorization?.startsWith('Basic ')
      ? Buffer.from(request.authorization.slice(6), 'base64').toString('utf8')
      : '';
    const [id, secret] = basic.split(':').map((s) => decodeURIComponent(s));
    if (id !== oauth.clientId || secret !== oauth.clientSecret) {
      return { status: 401, headers: JSON_TYPE, body: JSON.stringify({ error: 'invalid_client' }) };
    }
    const form = request.form ?? new URLSearchParams();
    const used = form.get('refresh_token') ?? '';
    if (form.get('grant_type') !== 'refresh_token' || !refreshTokens.has(used)) {
      return {
        status: 400,
        headers: JSON_TYPE,
        body: JSON.stringify({ error: 'invalid_grant', error_description: 'The refresh token is invalid or expired.' }),
      };
    }
    refreshTokens.delete(used);
    const refresh = randomBytes(32).toString('base64url');
    const access = randomBytes(32).toString('base64url');
    refreshTokens.add(refresh);
    accessTokens.add(access);
    issued.add(refresh);
    issued.add(access);
    return okJson(
      {
        token_type: 'Bearer',
        expires_in: 3600,
        access_token: access,
        refresh_token: refresh,
        scope: 'okta.users.read offline_access',
      },
      { date: new Date().toUTCString(), 'cache-control': 'no-store' },
    );
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', baseUrl);
      const key = `${req.method} ${url.pathname}${url.search}`;
      const attempt = seen.get(key) ?? 0;
      seen.set(key, attempt + 1);
      const isListing = url.pathname === '/api/v1/users';
      const request: HostileRequest = {
        method: req.method ?? 'GET',
        url,
        authorization: req.headers.authorization ?? null,
        form: req.method === 'POST' ? new URLSearchParams(Buffer.concat(chunks).toString('utf8')) : null,
        attempt,
        listingIndex: isListing ? listingCount++ : -1,
      };
      requests.push(request);
      void send(res, answer(request));
    });
  });

  const send = async (res: ServerResponse, a: HostileAnswer) => {
    const body = a.body === undefined ? Buffer.alloc(0) : Buffer.from(a.body);
    res.writeHead(a.status, { ...a.headers, 'content-length': String(body.byteLength) });
    if (a.stallMs !== undefined) {
      res.flushHeaders();
      await new Promise((r) => setTimeout(r, a.stallMs));
      if (res.destroyed) return;
    }
    if (a.truncateAt !== undefined) {
      res.write(body.subarray(0, a.truncateAt));
      res.destroy();
      return;
    }
    res.end(body);
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    apiToken,
    users,
    oauth,
    requests,
    misbehave: (fn) => {
      // A new scenario: request counters start again.
      misbehaviour = fn;
      listingCount = 0;
      seen.clear();
      requests.length = 0;
    },
    consent: () => {
      const token = randomBytes(32).toString('base64url');
      refreshTokens.add(token);
      issued.add(token);
      return token;
    },
    credentials: () => [apiToken, oauth.clientSecret, ...issued],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
