import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClock } from '../../../../sandbox/clock.js';
import { type SandboxServer, startSandboxServer } from '../../../../sandbox/server/sandbox-server.js';
import { fakeOrg } from './fake-org.js';
import { rawRequest } from './http-helpers.js';

describe('sandbox fault injection', () => {
  let sandbox: SandboxServer;
  const clock = createClock(Date.UTC(2026, 0, 15, 12), { running: false });
  const auth = () => ({ Authorization: `SSWS ${sandbox.apiToken}` });
  const users = (query = '?limit=10') => rawRequest(`${sandbox.baseUrl}/api/v1/users${query}`, auth());

  beforeAll(async () => {
    sandbox = await startSandboxServer(fakeOrg(), clock, { rateLimits: false });
  });
  afterEach(() => sandbox.faults.clear());
  afterAll(() => sandbox.close());

  it('answers 500 E0000009 and 503 E0000010 with Okta bodies', async () => {
    sandbox.faults.add({ route: '/api/v1/users', nth: 1, fault: { kind: 'status', status: 500 } });
    sandbox.faults.add({ route: '/api/v1/users', nth: 2, fault: { kind: 'status', status: 503 } });
    const first = await users();
    expect(first.status).toBe(500);
    expect(JSON.parse(first.body)).toMatchObject({ errorCode: 'E0000009' });
    expect(first.header('x-rate-limit-limit')).toHaveLength(1);
    const second = await users();
    expect(second.status).toBe(503);
    expect(JSON.parse(second.body)).toMatchObject({ errorCode: 'E0000010' });
    expect((await users()).status).toBe(200);
  });

  it('fires on exactly the Nth matching request only', async () => {
    sandbox.faults.add({ route: '/api/v1/users/{id}', nth: 3, fault: { kind: 'status', status: 500 } });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      statuses.push((await rawRequest(`${sandbox.baseUrl}/api/v1/users/00ufake000000000001`, auth())).status);
      // Requests on other routes do not advance the rule's counter.
      await users();
    }
    expect(statuses).toEqual([200, 200, 500, 200, 200]);
  });

  it('fires by probability with a seeded, reproducible sequence', async () => {
    const run = async () => {
      const s = await startSandboxServer(fakeOrg(), clock, {
        rateLimits: false,
        seed: 7,
        faults: [{ pathPrefix: '/api/v1/users', probability: 0.5, fault: { kind: 'status', status: 503 } }],
      });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i += 1) {
        statuses.push((await rawRequest(`${s.baseUrl}/api/v1/users`, { Authorization: `SSWS ${s.apiToken}` })).status);
      }
      await s.close();
      return statuses;
    };
    const a = await run();
    expect(a).toEqual(await run());
    expect(a).toContain(503);
    expect(a).toContain(200);
  });

  it('resets the connection', async () => {
    sandbox.faults.add({ pathPrefix: '/api/v1/users', times: 1, fault: { kind: 'reset' } });
    await expect(users()).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect((await users()).status).toBe(200);
  });

  it('truncates the JSON body', async () => {
    sandbox.faults.add({ route: '/api/v1/users', times: 1, fault: { kind: 'truncate' } });
    const res = await users();
    expect(res.status).toBe(200);
    expect(() => JSON.parse(res.body)).toThrow(SyntaxError);
    expect(Number(res.header('content-length')[0])).toBe(Buffer.byteLength(res.body));
  });

  it('delays a response by the configured latency', async () => {
    sandbox.faults.add({ route: '/api/v1/users', times: 1, fault: { kind: 'latency', ms: 200 } });
    const finished: string[] = [];
    const slow = users().then((res) => finished.push(`slow ${res.status}`));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const fast = rawRequest(`${sandbox.baseUrl}/api/v1/groups`, auth()).then((res) =>
      finished.push(`fast ${res.status}`),
    );
    await Promise.all([slow, fast]);
    // Ordering, not timing: the delayed request finishes after one sent later.
    expect(finished).toEqual(['fast 200', 'slow 200']);
    expect(sandbox.faults.list()[0]?.fired).toBe(1);
  });

  it('produces next == self Link loops', async () => {
    sandbox.faults.add({ route: '/api/v1/users', fault: { kind: 'linkLoop' } });
    const res = await users('?limit=5&after=5');
    const self = `<${sandbox.baseUrl}/api/v1/users?limit=5&after=5>`;
    expect(res.header('link')).toEqual([`${self}; rel="self"`, `${self}; rel="next"`]);
  });

  it('joins both links into one header, or drops the Link header', async () => {
    sandbox.faults.add({ route: '/api/v1/users', nth: 1, fault: { kind: 'joinedLink' } });
    sandbox.faults.add({ route: '/api/v1/users', nth: 2, fault: { kind: 'missingLink' } });
    const joined = await users('?limit=5');
    expect(joined.header('link')).toEqual([
      `<${sandbox.baseUrl}/api/v1/users?limit=5>; rel="self", <${sandbox.baseUrl}/api/v1/users?limit=5&after=5>; rel="next"`,
    ]);
    const missing = await users('?limit=5');
    expect(missing.status).toBe(200);
    expect(missing.header('link')).toEqual([]);
    expect(JSON.parse(missing.body)).toHaveLength(5);
  });

  it('expires access tokens mid-run: the Nth request and later ones get 401 until a new token is used', async () => {
    const service = sandbox.oauth.clients.service;
    const { importJWK, SignJWT } = await import('jose');
    const newToken = async () => {
      const now = Math.floor(clock.now() / 1000);
      const jwt = await new SignJWT({})
        .setProtectedHeader({ alg: 'RS256', kid: String(service.privateJwk.kid) })
        .setIssuer(service.clientId)
        .setSubject(service.clientId)
        .setAudience(sandbox.oauth.tokenUrl)
        .setExpirationTime(now + 60)
        .setJti(crypto.randomUUID())
        .sign(await importJWK(service.privateJwk, 'RS256'));
      const res = await fetch(sandbox.oauth.tokenUrl, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          scope: 'okta.users.read',
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: jwt,
        }),
      });
      return ((await res.json()) as { access_token: string }).access_token;
    };
    const token = await newToken();
    sandbox.faults.add({ pathPrefix: '/api/v1/users', nth: 3, fault: { kind: 'expireTokens' } });
    const bearer = (value: string) =>
      rawRequest(`${sandbox.baseUrl}/api/v1/users`, { Authorization: `Bearer ${value}` });
    expect((await bearer(token)).status).toBe(200);
    expect((await bearer(token)).status).toBe(200);
    const expired = await bearer(token);
    expect(expired.status).toBe(401);
    expect(JSON.parse(expired.body)).toMatchObject({ errorCode: 'E0000011' });
    expect((await bearer(token)).status).toBe(401);
    expect((await bearer(await newToken())).status).toBe(200);
  });

  it('is controllable over HTTP under /__sandbox/faults', async () => {
    const add = await fetch(`${sandbox.baseUrl}/__sandbox/faults`, {
      method: 'POST',
      body: JSON.stringify({ route: '/api/v1/groups', fault: { kind: 'status', status: 503 } }),
    });
    expect(add.status).toBe(201);
    const groups = () => rawRequest(`${sandbox.baseUrl}/api/v1/groups`, auth());
    expect((await groups()).status).toBe(503);
    const listed = (await (await fetch(`${sandbox.baseUrl}/__sandbox/faults`)).json()) as { fired: number }[];
    expect(listed).toHaveLength(1);
    expect(listed[0]?.fired).toBe(1);
    const bad = await fetch(`${sandbox.baseUrl}/__sandbox/faults`, {
      method: 'POST',
      body: JSON.stringify({ fault: { kind: 'meteor' } }),
    });
    expect(bad.status).toBe(400);
    expect((await fetch(`${sandbox.baseUrl}/__sandbox/faults`, { method: 'DELETE' })).status).toBe(200);
    expect((await groups()).status).toBe(200);
  });
});
