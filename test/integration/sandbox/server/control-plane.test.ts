import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClock } from '../../../../sandbox/clock.js';
import { type SandboxServer, startSandboxServer } from '../../../../sandbox/server/sandbox-server.js';
import { fakeOrg } from './fake-org.js';

describe('sandbox control plane (/__sandbox)', () => {
  let sandbox: SandboxServer;
  const clock = createClock(Date.UTC(2026, 0, 15, 12), { running: false });
  const org = fakeOrg(3);

  beforeAll(async () => {
    sandbox = await startSandboxServer(org, clock, { rateLimits: { limits: { users: 1 } } });
  });
  afterAll(() => sandbox.close());

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${sandbox.baseUrl}/__sandbox${path}`, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };

  it('reads, sets and advances the sandbox clock', async () => {
    expect((await call('GET', '/clock')).json).toMatchObject({ nowMs: clock.now(), now: '2026-01-15T12:00:00.000Z' });
    expect((await call('POST', '/clock', { advanceMs: 1500 })).json.now).toBe('2026-01-15T12:00:01.500Z');
    expect((await call('POST', '/clock', { set: '2026-02-01T00:00:00.000Z' })).json.nowMs).toBe(Date.UTC(2026, 1, 1));
    expect(clock.now()).toBe(Date.UTC(2026, 1, 1));
    expect((await call('POST', '/clock', {})).status).toBe(400);
  });

  it('forwards /__sandbox/admin/* to the org and replaces {{origin}} in its answer', async () => {
    const created = await call('POST', '/admin/users', { status: 'STAGED' });
    expect(created.status).toBe(200);
    expect(created.json.status).toBe('STAGED');
    expect(JSON.stringify(created.json)).toContain(`${sandbox.baseUrl}/api/v1/users/`);
    expect(org.users).toHaveLength(4);
    const missing = await call('DELETE', '/admin/nothing');
    expect(missing.status).toBe(404);
    expect(missing.json.errorCode).toBe('E0000008');
  });

  it('needs no Okta auth, is not rate limited, and is not counted in stats', async () => {
    const before = sandbox.stats().requests;
    for (let i = 0; i < 3; i += 1) expect((await call('GET', '/stats')).status).toBe(200);
    expect(sandbox.stats().requests).toBe(before);
  });

  it('resets rate-limit windows and expires tokens on request', async () => {
    const auth = { Authorization: `SSWS ${sandbox.apiToken}` };
    const users = () => fetch(`${sandbox.baseUrl}/api/v1/users`, { headers: auth });
    await users();
    expect((await users()).status).toBe(429);
    expect((await call('POST', '/rate-limits/reset')).status).toBe(200);
    expect((await users()).status).toBe(200);
    expect((await call('POST', '/tokens/expire')).json).toEqual({ revoked: 0 });
  });

  it('answers unknown reserved paths with 404', async () => {
    expect((await call('GET', '/nope')).status).toBe(404);
  });
});
