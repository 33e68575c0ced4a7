import { afterEach, describe, expect, it } from 'vitest';
import { createClock } from '../../../../sandbox/clock.js';
import { UNLIMITED } from '../../../../sandbox/server/rate-limits.js';
import {
  type SandboxServer,
  type SandboxServerOptions,
  startSandboxServer,
} from '../../../../sandbox/server/sandbox-server.js';
import { fakeOrg } from './fake-org.js';
import { rawRequest } from './http-helpers.js';

describe('sandbox rate limits', () => {
  let sandbox: SandboxServer | undefined;
  const clock = createClock(Date.UTC(2026, 0, 15, 12), { running: false });
  afterEach(() => sandbox?.close());

  async function start(options: SandboxServerOptions) {
    sandbox = await startSandboxServer(fakeOrg(), clock, options);
    return sandbox;
  }

  it('counts down X-Rate-Limit-Remaining per bucket and answers 429 E0000047 past the limit', async () => {
    const s = await start({ rateLimits: { limits: { users: 3 } } });
    const auth = { Authorization: `SSWS ${s.apiToken}` };
    const remaining: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const res = await rawRequest(`${s.baseUrl}/api/v1/users/00ufake000000000001`, auth);
      expect(res.status).toBe(200);
      expect(res.header('x-rate-limit-limit')).toEqual(['3']);
      remaining.push(res.header('x-rate-limit-remaining')[0] ?? '');
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const limited = await rawRequest(`${s.baseUrl}/api/v1/users`, auth);
    expect(limited.status).toBe(429);
    expect(JSON.parse(limited.body)).toMatchObject({
      errorCode: 'E0000047',
      errorSummary: 'API call exceeded rate limit due to too many requests.',
    });
    const reset = Number(limited.header('x-rate-limit-reset')[0]);
    expect(reset).toBe(Math.ceil((clock.now() - 0) / 1000) + 60);
    // Other buckets are unaffected.
    expect((await rawRequest(`${s.baseUrl}/api/v1/groups`, auth)).status).toBe(200);
    expect(s.stats().rateLimited).toBe(1);
    // The window reopens at Reset on the sandbox clock.
    clock.set(reset * 1000);
    expect((await rawRequest(`${s.baseUrl}/api/v1/users`, auth)).status).toBe(200);
  });

  it('limits the token endpoint in its own bucket', async () => {
    const s = await start({ rateLimits: { limits: { token: 1 } } });
    const post = () => fetch(s.oauth.tokenUrl, { method: 'POST', body: new URLSearchParams({ grant_type: 'x' }) });
    expect((await post()).status).toBe(401);
    const limited = await post();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-rate-limit-limit')).toBe('1');
  });

  it('rateLimits: false never answers 429 but still sends the headers', async () => {
    const s = await start({ rateLimits: false });
    for (let i = 0; i < 60; i += 1) {
      const res = await rawRequest(`${s.baseUrl}/api/v1/logs`, {});
      expect(res.status).not.toBe(429);
      expect(res.header('x-rate-limit-limit')).toEqual([String(UNLIMITED)]);
    }
  });

  it('gives each principal only its share of a bucket when principalShare is set', async () => {
    const s = await start({ rateLimits: { limits: { users: 4 }, principalShare: 0.5 } });
    const ssws = { Authorization: `SSWS ${s.apiToken}` };
    const a = await rawRequest(`${s.baseUrl}/api/v1/users`, ssws);
    expect(a.header('x-rate-limit-limit')).toEqual(['2']);
    expect((await rawRequest(`${s.baseUrl}/api/v1/users`, ssws)).status).toBe(200);
    expect((await rawRequest(`${s.baseUrl}/api/v1/users`, ssws)).status).toBe(429);
    // Another principal (here: unauthenticated callers) still has its own half.
    expect((await rawRequest(`${s.baseUrl}/api/v1/users`, {})).status).toBe(403);
  });

  it('answers requests over the concurrency limit with 429 and 0/0/estimate headers', async () => {
    const s = await start({
      rateLimits: false,
      concurrencyLimit: 1,
      faults: [{ route: '/api/v1/groups', fault: { kind: 'latency', ms: 300 } }],
    });
    const auth = { Authorization: `SSWS ${s.apiToken}` };
    const slow = rawRequest(`${s.baseUrl}/api/v1/groups`, auth);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const rejected = await rawRequest(`${s.baseUrl}/api/v1/users`, auth);
    expect(rejected.status).toBe(429);
    expect(rejected.header('x-rate-limit-limit')).toEqual(['0']);
    expect(rejected.header('x-rate-limit-remaining')).toEqual(['0']);
    expect(Number(rejected.header('x-rate-limit-reset')[0])).toBeGreaterThan(clock.now() / 1000);
    expect(JSON.parse(rejected.body)).toMatchObject({ errorCode: 'E0000047' });
    expect((await slow).status).toBe(200);
    expect((await rawRequest(`${s.baseUrl}/api/v1/users`, auth)).status).toBe(200);
    expect(s.stats().concurrencyRejected).toBe(1);
  });
});
