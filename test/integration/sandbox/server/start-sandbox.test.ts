import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClock } from '../../../../sandbox/clock.js';
import { type Sandbox, startSandbox } from '../../../../sandbox/index.js';
import { rawRequest } from './http-helpers.js';

/** The public entry point with the real generated org behind the server. */
describe('startSandbox', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({
      users: 60,
      seed: 7,
      rateLimits: false,
      clock: { startMs: Date.UTC(2026, 2, 1), running: false },
    });
  });
  afterAll(() => sandbox.close());

  const auth = () => ({ Authorization: `SSWS ${sandbox.apiToken}` });

  it('serves the generated org: following next links visits every listed user exactly once', async () => {
    const ids: string[] = [];
    let url: string | undefined = `${sandbox.baseUrl}/api/v1/users?limit=7`;
    while (url) {
      const res = await rawRequest(url, auth());
      expect(res.status).toBe(200);
      const page = JSON.parse(res.body) as { id: string; _links?: { self?: { href?: string } } }[];
      for (const user of page) {
        ids.push(user.id);
        expect(user._links?.self?.href).toBe(`${sandbox.baseUrl}/api/v1/users/${user.id}`);
      }
      const next = res.header('link').find((line) => line.endsWith('rel="next"'));
      url = next ? next.slice(1, next.indexOf('>')) : undefined;
      if (url) expect(url.startsWith(`${sandbox.baseUrl}/api/v1/users?`)).toBe(true);
    }
    const expected = [...sandbox.org.all('users')]
      .filter((user) => user.status !== 'DEPROVISIONED')
      .map((user) => user.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(expected.sort());
  });

  it('exposes the org admin programmatically and over /__sandbox/admin, on the shared clock', async () => {
    const created = sandbox.admin.createUser({
      profile: { firstName: 'Ada', lastName: 'Lovelace', login: 'ada@example.com', email: 'ada@example.com' },
    });
    const res = await rawRequest(`${sandbox.baseUrl}/api/v1/users/${String(created.id)}`, auth());
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ id: created.id, lastUpdated: '2026-03-01T00:00:00.000Z' });
    sandbox.clock.advance(60_000);
    const update = await fetch(`${sandbox.baseUrl}/__sandbox/admin/users/${String(created.id)}`, {
      method: 'POST',
      body: JSON.stringify({ profile: { nickName: 'Countess' } }),
    });
    expect(update.status).toBe(200);
    expect(await update.json()).toMatchObject({
      lastUpdated: '2026-03-01T00:01:00.000Z',
      profile: { nickName: 'Countess' },
    });
  });

  it('consents OAuth as a real user of the org', () => {
    const first = sandbox.org.all('users')[Symbol.iterator]().next().value;
    expect(sandbox.oauth.admin.id).toBe(first?.id);
  });

  it('reports stats per route template', async () => {
    await rawRequest(`${sandbox.baseUrl}/api/v1/groups?limit=2`, auth());
    expect(sandbox.stats().byRoute['/api/v1/groups']).toBeGreaterThanOrEqual(1);
  });

  it('shares a given clock and applies the principalShare shortcut to the rate limits', async () => {
    const clock = createClock(Date.UTC(2026, 5, 1), { running: false });
    const small = await startSandbox({ users: 5, clock, rateLimits: { limits: { users: 4 } }, principalShare: 0.5 });
    try {
      expect(small.clock).toBe(clock);
      const res = await rawRequest(`${small.baseUrl}/api/v1/users`, { Authorization: `SSWS ${small.apiToken}` });
      expect(res.header('x-rate-limit-limit')).toEqual(['2']);
      expect(res.header('date')).toEqual([new Date(Date.UTC(2026, 5, 1)).toUTCString()]);
    } finally {
      await small.close();
    }
  });
});
