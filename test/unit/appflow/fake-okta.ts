/**
 * A tiny in-memory Okta for unit tests, served through the client's injectable `fetch` (no sockets): list endpoints
 * page by `limit`/`after` with Link headers and ignore `search`/`filter` (push-down only narrows; the residual
 * decides), item endpoints answer by id, and a hook can hold or fail any request.
 */
import {
  type ConnectorDeps,
  type ConnectorLogger,
  DEFAULT_LIMITS,
  SecretCache,
  ttlDefinitionCache,
} from '../../../lambdas/appflow/index.js';
import type { OktaRecord } from '../../../lambdas/okta/types.js';

export const ORIGIN = 'https://acme.okta.com';
export const SECRET_ARN =
  'arn:aws:secretsmanager:us-east-1:123456789012:secret:appflow!123456789012-okta-flow-conn-AbCdEf';
export const API_KEY = 'fake-api-key-0123456789';

export interface FakeOkta {
  readonly fetch: typeof fetch;
  /** Paths (with query) requested, in order. */
  readonly requests: string[];
  /** Runs before each answer; return a Response to answer with it instead. */
  hook?: (url: URL, n: number) => Promise<Response | undefined> | Response | undefined;
}

function json(body: unknown, headers: Record<string, string> = {}, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

export function fakeOkta(
  collections: Readonly<Record<string, readonly OktaRecord[]>>,
  schema: unknown = {},
  /** Largest page served whatever `limit` asks (Okta caps limits too). */
  pageCap = Number.POSITIVE_INFINITY,
): FakeOkta {
  const state: FakeOkta = {
    requests: [],
    // Like real fetch, a request rejects as soon as its signal aborts (a held hook never answers otherwise).
    fetch: (input, init) =>
      new Promise<Response>((resolve, reject) => {
        const signal = init?.signal;
        if (signal?.aborted) return reject(signal.reason);
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
        answer(input, init).then(resolve, reject);
      }),
  };
  const answer = async (input: Parameters<typeof fetch>[0], init: Parameters<typeof fetch>[1]): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    state.requests.push(`${url.pathname}${url.search}`);
    const auth = new Headers(init?.headers).get('authorization');
    if (auth !== `SSWS ${API_KEY}`) {
      return json({ errorCode: 'E0000011', errorSummary: 'Invalid token provided', errorCauses: [] }, {}, 401);
    }
    const hooked = await state.hook?.(url, state.requests.length);
    if (hooked !== undefined) return hooked;
    if (url.pathname === '/api/v1/meta/schemas/user/default') return json(schema);
    for (const [path, records] of Object.entries(collections)) {
      if (url.pathname === path) {
        const limit = Math.min(pageCap, Number(url.searchParams.get('limit') ?? '200'));
        const after = url.searchParams.get('after');
        const start = after === null ? 0 : records.findIndex((r) => r.id === after) + 1;
        const page = records.slice(start, start + limit);
        const last = page[page.length - 1];
        const headers: Record<string, string> = {};
        if (start + limit < records.length && last !== undefined) {
          const next = new URL(url);
          next.searchParams.set('after', String(last.id));
          headers.link = `<${next.href}>; rel="next"`;
        }
        return json(page, headers);
      }
      if (url.pathname.startsWith(`${path}/`)) {
        const id = decodeURIComponent(url.pathname.slice(path.length + 1));
        const found = records.find((r) => r.id === id);
        return found === undefined
          ? json(
              { errorCode: 'E0000007', errorSummary: `Not found: Resource not found: ${id}`, errorCauses: [] },
              {},
              404,
            )
          : json(found);
      }
    }
    return json({ errorCode: 'E0000007', errorSummary: 'Not found', errorCauses: [] }, {}, 404);
  };
  return state;
}

export interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly keys: Record<string, unknown>;
}

export function memoryLogger(lines: LogLine[] = [], keys: Record<string, string> = {}): ConnectorLogger {
  const push = (level: string) => (message: string, extra?: Record<string, unknown>) =>
    lines.push({ level, message, keys: { ...keys, ...extra } });
  return {
    info: push('info'),
    warn: push('warn'),
    error: push('error'),
    child: (k) => memoryLogger(lines, { ...keys, ...k }),
  };
}

/** Connector deps over a fake Okta and an in-memory secret. */
export function fakeDeps(
  okta: FakeOkta,
  overrides: Partial<ConnectorDeps> = {},
  secret: string = JSON.stringify({ apiKey: API_KEY }),
): ConnectorDeps {
  return {
    secrets: new SecretCache(async () => secret),
    definitions: ttlDefinitionCache(),
    clientOptions: { fetch: okta.fetch, maxRetries: 0 },
    now: Date.now,
    logger: memoryLogger(),
    limits: DEFAULT_LIMITS,
    ...overrides,
  };
}

export function context(authenticationType: 'ApiKey' | 'OAuth2' = 'ApiKey', domain = 'acme.okta.com') {
  return {
    apiVersion: 'v1',
    connectorRuntimeSettings: { oktaDomain: domain },
    credentials: { secretArn: SECRET_ARN, authenticationType },
    entityDefinition: null,
    flowName: 'okta-users',
    executionId: 'exec-0001',
    connectorProfileLabel: 'okta-conn',
  };
}

/** `n` synthetic users, ids sorting in creation order. */
export function users(n: number, extra: (i: number) => Record<string, unknown> = () => ({})): OktaRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `00u${String(i).padStart(6, '0')}`,
    status: i % 3 === 0 ? 'STAGED' : 'ACTIVE',
    created: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
    lastUpdated: new Date(Date.UTC(2024, 0, 2) + i * 60_000).toISOString(),
    type: { id: 'oty000000default' },
    profile: {
      login: `user${i}@example.com`,
      email: `user${i}@example.com`,
      lastName: i === 7 ? "O'Brien" : `Last${i}`,
      ...extra(i),
    },
    credentials: { password: {}, provider: { type: 'OKTA', name: 'OKTA' } },
    _links: { self: { href: `${ORIGIN}/api/v1/users/00u${i}` } },
  }));
}
