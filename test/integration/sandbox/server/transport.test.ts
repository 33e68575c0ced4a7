import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClock } from '../../../../sandbox/clock.js';
import { UNLIMITED } from '../../../../sandbox/server/rate-limits.js';
import { type SandboxServer, startSandboxServer } from '../../../../sandbox/server/sandbox-server.js';
import { fakeOrg } from './fake-org.js';
import { rawRequest } from './http-helpers.js';

describe('sandbox server transport', () => {
  let sandbox: SandboxServer;
  const clock = createClock(Date.UTC(2026, 0, 15, 12), { running: false });
  const org = fakeOrg(25);
  const auth = () => ({ Authorization: `SSWS ${sandbox.apiToken}` });

  beforeAll(async () => {
    sandbox = await startSandboxServer(org, clock, { rateLimits: false });
  });
  afterAll(() => sandbox.close());

  it('serves lists as JSON arrays with two absolute Link lines that echo the query', async () => {
    const res = await rawRequest(`${sandbox.baseUrl}/api/v1/users?limit=10&filter=x`, auth());
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toHaveLength(10);
    expect(res.header('link')).toEqual([
      `<${sandbox.baseUrl}/api/v1/users?limit=10&filter=x>; rel="self"`,
      `<${sandbox.baseUrl}/api/v1/users?limit=10&filter=x&after=10>; rel="next"`,
    ]);
  });

  it('drops rel="next" on the last page and following next links visits every record once', async () => {
    const seen: string[] = [];
    let url: string | undefined = `${sandbox.baseUrl}/api/v1/users?limit=7`;
    let pages = 0;
    while (url) {
      const res = await rawRequest(url, auth());
      const items = JSON.parse(res.body) as { id: string }[];
      seen.push(...items.map((item) => item.id));
      const next = res.header('link').find((line) => line.endsWith('rel="next"'));
      url = next ? next.slice(1, next.indexOf('>')) : undefined;
      pages += 1;
    }
    expect(pages).toBe(4);
    expect(seen).toEqual(org.users.map((user) => user.id));
  });

  it('sends only a self link for unpaginated lists', async () => {
    const res = await rawRequest(`${sandbox.baseUrl}/api/v1/meta/types/user`, auth());
    expect(res.header('link')).toEqual([`<${sandbox.baseUrl}/api/v1/meta/types/user>; rel="self"`]);
  });

  it('puts Okta headers on every response and the sandbox origin into _links', async () => {
    const res = await rawRequest(`${sandbox.baseUrl}/api/v1/users/00ufake000000000003`, auth());
    expect(res.status).toBe(200);
    expect(res.header('content-type')[0]).toBe('application/json');
    expect(res.header('x-okta-request-id')[0]).toMatch(/^[A-Za-z0-9]{15,}$/);
    expect(res.header('date')[0]).toBe(new Date(clock.now()).toUTCString());
    // Limits are off in this suite: the headers are still sent, advertising an unlimited bucket.
    expect(res.header('x-rate-limit-limit')[0]).toBe(String(UNLIMITED));
    expect(res.header('x-rate-limit-remaining')).toHaveLength(1);
    expect(Number(res.header('x-rate-limit-reset')[0])).toBeGreaterThanOrEqual(Math.floor(clock.now() / 1000));
    const body = JSON.parse(res.body) as { _links: { self: { href: string } } };
    expect(body._links.self.href).toBe(`${sandbox.baseUrl}/api/v1/users/00ufake000000000003`);
  });

  it('gives each response its own request id', async () => {
    const a = await rawRequest(`${sandbox.baseUrl}/api/v1/groups`, auth());
    const b = await rawRequest(`${sandbox.baseUrl}/api/v1/groups`, auth());
    expect(a.header('x-okta-request-id')[0]).not.toBe(b.header('x-okta-request-id')[0]);
  });

  it('answers unknown paths with 404 E0000008 and the org errors as Okta bodies', async () => {
    const unknown = await rawRequest(`${sandbox.baseUrl}/api/v1/nope`, auth());
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toMatchObject({ errorCode: 'E0000008', errorLink: 'E0000008', errorCauses: [] });
    expect(unknown.header('x-rate-limit-limit')).toHaveLength(1);
    const missing = await rawRequest(`${sandbox.baseUrl}/api/v1/users/00unothere`, auth());
    expect(missing.status).toBe(404);
    const body = JSON.parse(missing.body) as { errorCode: string; errorId: string };
    expect(body.errorCode).toBe('E0000007');
    expect(body.errorId).toMatch(/^oae/);
  });

  it('refuses writes to readable Management API paths with 405', async () => {
    const res = await rawRequest(`${sandbox.baseUrl}/api/v1/users`, auth(), 'POST');
    expect(res.status).toBe(405);
    expect(JSON.parse(res.body)).toMatchObject({ errorCode: 'E0000022' });
  });

  it('counts requests per route template in stats', async () => {
    const before = sandbox.stats().byRoute['/api/v1/users/{id}'] ?? 0;
    await rawRequest(`${sandbox.baseUrl}/api/v1/users/00ufake000000000001`, auth());
    expect(sandbox.stats().byRoute['/api/v1/users/{id}']).toBe(before + 1);
  });
});
