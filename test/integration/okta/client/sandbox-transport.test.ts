/**
 * The Okta client against the sandbox with an API token: pagination (both Link forms, loops, missing links), retries
 * under injected faults, 429 storms, concurrency 429s and steady-state pacing. Outcome: every record exactly once,
 * or a typed error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiTokenCredentials } from '../../../../lambdas/okta/auth/index.js';
import { createOktaClient, type OktaClientOptions } from '../../../../lambdas/okta/client.js';
import { OktaPaginationError } from '../../../../lambdas/okta/errors.js';
import type { OktaClientObserver } from '../../../../lambdas/okta/types.js';
import { type Sandbox, startSandbox } from '../../../../sandbox/index.js';

const ALL_USERS = `/api/v1/users?limit=40&search=${encodeURIComponent('status pr')}`;

interface Events {
  retries: string[];
  waits: { reason: string; waitMs: number }[];
  warnings: string[];
  statuses: number[];
}

function newClient(sandbox: Sandbox, extra: Partial<OktaClientOptions> = {}) {
  const events: Events = { retries: [], waits: [], warnings: [], statuses: [] };
  const observer: OktaClientObserver = {
    onRetry: (r) => events.retries.push(r.reason),
    onRateLimitWait: (w) => events.waits.push({ reason: w.reason, waitMs: w.waitMs }),
    onWarning: (w) => events.warnings.push(w.code),
    onRequest: (r) => events.statuses.push(r.status),
  };
  const client = createOktaClient({
    domain: sandbox.baseUrl,
    allowLoopback: true,
    credentials: new ApiTokenCredentials(sandbox.apiToken),
    backoff: { baseMs: 20, capMs: 200 },
    observer,
    ...extra,
  });
  return { client, events };
}

async function allIds(client: ReturnType<typeof newClient>['client'], path = ALL_USERS): Promise<string[]> {
  const ids: string[] = [];
  for await (const page of client.paginate<{ id: string }>(path)) for (const u of page.items) ids.push(u.id);
  return ids;
}

describe('Okta client on the sandbox (API token)', () => {
  let sandbox: Sandbox;
  let expected: string[];

  beforeAll(async () => {
    sandbox = await startSandbox({ users: 200, seed: 7, rateLimits: false });
    expected = [...sandbox.org.all('users')].map((u) => String(u.id)).sort();
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('reads every user exactly once, including DEPROVISIONED ones', async () => {
    const { client } = newClient(sandbox);
    const ids = await allIds(client);
    expect(ids.length).toBe(expected.length);
    expect([...ids].sort()).toEqual(expected);
  });

  it('handles the joined single-header Link form', async () => {
    sandbox.faults.add({ id: 'joined', pathPrefix: '/api/v1/users', fault: { kind: 'joinedLink' } });
    try {
      const { client } = newClient(sandbox);
      expect((await allIds(client)).sort()).toEqual(expected);
    } finally {
      sandbox.faults.clear('joined');
    }
  });

  it('stops with OktaPaginationError on a Link loop (next == self)', async () => {
    sandbox.faults.add({ id: 'loop', pathPrefix: '/api/v1/users', nth: 2, fault: { kind: 'linkLoop' } });
    try {
      const { client } = newClient(sandbox);
      const err = await allIds(client).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OktaPaginationError);
      expect((err as OktaPaginationError).reason).toBe('next-is-self');
    } finally {
      sandbox.faults.clear('loop');
    }
  });

  it('a full page without its Link header is verified, and the listing continues after it, with warnings', async () => {
    sandbox.faults.add({ id: 'missing', pathPrefix: '/api/v1/users', nth: 2, fault: { kind: 'missingLink' } });
    try {
      const { client, events } = newClient(sandbox);
      const ids = await allIds(client);
      expect([...ids].sort()).toEqual(expected);
      expect(new Set(ids).size).toBe(ids.length);
      expect(events.warnings).toEqual(['okta.pagination.link-missing', 'okta.pagination.link-missing-more']);
    } finally {
      sandbox.faults.clear('missing');
    }
  });

  it('retries 5xx, connection resets and truncated bodies and still returns every record once', async () => {
    const ids = [
      sandbox.faults.add({ pathPrefix: '/api/v1/users', nth: 1, fault: { kind: 'status', status: 503 } }),
      sandbox.faults.add({ pathPrefix: '/api/v1/users', nth: 3, fault: { kind: 'reset' } }),
      sandbox.faults.add({ pathPrefix: '/api/v1/users', nth: 5, fault: { kind: 'truncate' } }),
      sandbox.faults.add({ pathPrefix: '/api/v1/users', nth: 7, fault: { kind: 'status', status: 500 } }),
    ];
    try {
      const { client, events } = newClient(sandbox);
      const got = await allIds(client);
      expect(got.length).toBe(expected.length);
      expect([...got].sort()).toEqual(expected);
      expect(events.retries).toEqual(['status 503', 'network', 'invalid-body', 'status 500']);
    } finally {
      for (const id of ids) sandbox.faults.clear(id);
    }
  });

  it('times out a slow response and retries it', async () => {
    const id = sandbox.faults.add({ pathPrefix: '/api/v1/apps', nth: 1, fault: { kind: 'latency', ms: 1_500 } });
    try {
      const { client, events } = newClient(sandbox, { requestTimeoutMs: 300 });
      const apps = await client.getJson<unknown[]>('/api/v1/apps?limit=3');
      expect(apps).toHaveLength(3);
      expect(events.retries).toEqual(['timeout']);
    } finally {
      sandbox.faults.clear(id);
    }
  });

  it('retries a persistent 5xx only maxRetries times, then fails with the Okta error', async () => {
    const id = sandbox.faults.add({ pathPrefix: '/api/v1/groups', fault: { kind: 'status', status: 500 } });
    try {
      const { client, events } = newClient(sandbox, { maxRetries: 2 });
      await expect(client.getJson('/api/v1/groups')).rejects.toMatchObject({ name: 'OktaApiError', status: 500 });
      expect(events.statuses).toEqual([500, 500, 500]);
    } finally {
      sandbox.faults.clear(id);
    }
  });
});

describe('rate limits on the sandbox', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    // Small, fast windows on the sandbox clock so 429s are easy to reach.
    sandbox = await startSandbox({
      users: 120,
      seed: 9,
      rateLimits: { limits: { users: 20, groups: 40 }, windowMs: 2_000 },
      concurrencyLimit: 2,
    });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('recovers from a 429 storm caused by another integration, waiting until Reset', async () => {
    // The noisy neighbour drains the users bucket; our client then meets 429s and must wait, not fail.
    const drain = async () => {
      for (let i = 0; i < 25; i++) {
        await fetch(`${sandbox.baseUrl}/api/v1/users/me`, { headers: { Authorization: `SSWS ${sandbox.apiToken}` } });
      }
    };
    await drain();
    const { client, events } = newClient(sandbox, { rateLimitShare: 1, rateLimitWindowMs: 2_000 });
    const ids: string[] = [];
    for await (const page of client.paginate<{ id: string }>(
      `/api/v1/users?limit=30&search=${encodeURIComponent('status pr')}`,
    )) {
      for (const u of page.items) ids.push(u.id);
    }
    expect(new Set(ids).size).toBe(120);
    expect(ids).toHaveLength(120);
    expect(events.statuses).toContain(429);
    const waited = events.waits.filter((w) => w.reason === '429');
    expect(waited.length).toBeGreaterThan(0);
    // ≤ window + Reset rounded up to the second + Date truncation (skew) + jitter
    for (const w of waited) expect(w.waitMs).toBeLessThanOrEqual(2_000 + 1_000 + 1_000 + 250);
  });

  it('recovers from concurrency 429s (Limit 0) by lowering the in-flight cap', async () => {
    const id = sandbox.faults.add({ pathPrefix: '/api/v1/meta', fault: { kind: 'latency', ms: 80 } });
    try {
      const before = sandbox.stats().concurrencyRejected;
      const { client, events } = newClient(sandbox, { maxConcurrency: 8, rateLimitShare: 1, rateLimitWindowMs: 2_000 });
      const got = await Promise.all(
        Array.from({ length: 24 }, () => client.getJson<unknown[]>('/api/v1/meta/types/user')),
      );
      expect(got.every((types) => Array.isArray(types) && types.length > 0)).toBe(true);
      expect(sandbox.stats().concurrencyRejected).toBeGreaterThan(before);
      expect(events.waits.some((w) => w.reason === 'concurrency')).toBe(true);
      expect(client.rateLimitSnapshot().concurrencyCap).toBeLessThan(8);
    } finally {
      sandbox.faults.clear(id);
    }
  });

  it('paces to its share of the bucket in steady state: no 429s', async () => {
    const before = sandbox.stats().rateLimited;
    const { client, events } = newClient(sandbox, { rateLimitShare: 0.5, rateLimitWindowMs: 2_000, maxConcurrency: 2 });
    const groups = [...sandbox.org.all('groups')];
    const first = groups[0];
    // 40 requests against a 40/2 s bucket at a 50% share: ~20 per window → about 4 s.
    for (let i = 0; i < 40; i++) await client.getJson(`/api/v1/groups/${String(first?.id)}`);
    expect(events.statuses.filter((s) => s === 429)).toEqual([]);
    expect(sandbox.stats().rateLimited).toBe(before);
    expect(events.waits.some((w) => w.reason === 'pacing')).toBe(true);
  });
});
