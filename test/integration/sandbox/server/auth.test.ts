import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClock } from '../../../../sandbox/clock.js';
import { type SandboxServer, startSandboxServer } from '../../../../sandbox/server/sandbox-server.js';
import { fakeOrg } from './fake-org.js';
import { basic, pkcePair } from './http-helpers.js';

describe('sandbox Management API auth', () => {
  let sandbox: SandboxServer;
  let usersOnlyToken = '';
  const clock = createClock(Date.UTC(2026, 0, 15, 12), { running: false });

  beforeAll(async () => {
    sandbox = await startSandboxServer(fakeOrg(), clock, { rateLimits: false });
    const web = sandbox.oauth.clients.web;
    const { verifier, challenge } = pkcePair();
    const url = new URL(sandbox.oauth.authorizeUrl);
    url.search = new URLSearchParams({
      client_id: web.clientId,
      response_type: 'code',
      scope: 'okta.users.read',
      redirect_uri: web.redirectUris[0] ?? '',
      state: 's',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }).toString();
    const redirect = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location') ?? '');
    const res = await fetch(sandbox.oauth.tokenUrl, {
      method: 'POST',
      headers: { Authorization: basic(web.clientId, web.clientSecret ?? '') },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: redirect.searchParams.get('code') ?? '',
        redirect_uri: web.redirectUris[0] ?? '',
        code_verifier: verifier,
      }),
    });
    usersOnlyToken = ((await res.json()) as { access_token: string }).access_token;
  });
  afterAll(() => sandbox.close());

  async function get(path: string, authorization?: string) {
    const res = await fetch(`${sandbox.baseUrl}${path}`, {
      headers: authorization ? { Authorization: authorization } : {},
    });
    const body = (await res.json()) as { errorCode?: string };
    return { status: res.status, errorCode: body.errorCode, wwwAuthenticate: res.headers.get('www-authenticate') };
  }

  it('accepts the SSWS API token for every read route', async () => {
    for (const path of ['/api/v1/users', '/api/v1/groups', '/api/v1/meta/types/user']) {
      expect((await get(path, `SSWS ${sandbox.apiToken}`)).status).toBe(200);
    }
  });

  it('answers a missing or malformed Authorization header with 403 E0000005', async () => {
    expect(await get('/api/v1/users')).toMatchObject({ status: 403, errorCode: 'E0000005' });
    expect(await get('/api/v1/users', `Token ${sandbox.apiToken}`)).toMatchObject({
      status: 403,
      errorCode: 'E0000005',
    });
  });

  it('answers a wrong SSWS token, and an OAuth token sent as SSWS, with 401 E0000011', async () => {
    expect(await get('/api/v1/users', 'SSWS 00wrongtoken')).toMatchObject({ status: 401, errorCode: 'E0000011' });
    expect(await get('/api/v1/users', `SSWS ${usersOnlyToken}`)).toMatchObject({ status: 401, errorCode: 'E0000011' });
    expect(await get('/api/v1/users', 'SSWS')).toMatchObject({ status: 401, errorCode: 'E0000011' });
  });

  it('answers an unknown Bearer token with 401 E0000011 and an invalid_token challenge', async () => {
    const res = await get('/api/v1/users', 'Bearer not-a-token');
    expect(res).toMatchObject({ status: 401, errorCode: 'E0000011' });
    expect(res.wwwAuthenticate).toContain('error="invalid_token"');
  });

  it('checks the route scope of Bearer tokens: 403 E0000006 with insufficient_scope', async () => {
    expect((await get('/api/v1/users', `Bearer ${usersOnlyToken}`)).status).toBe(200);
    const denied = await get('/api/v1/groups', `Bearer ${usersOnlyToken}`);
    expect(denied).toMatchObject({ status: 403, errorCode: 'E0000006' });
    expect(denied.wwwAuthenticate).toMatch(/^Bearer /);
    expect(denied.wwwAuthenticate).toContain('error="insufficient_scope"');
    expect(denied.wwwAuthenticate).toContain('scope="okta.groups.read"');
  });

  it('authenticates before routing: an unknown path needs a valid token first', async () => {
    expect(await get('/api/v1/nope')).toMatchObject({ status: 403, errorCode: 'E0000005' });
    expect(await get('/api/v1/nope', `SSWS ${sandbox.apiToken}`)).toMatchObject({ status: 404, errorCode: 'E0000008' });
  });
});
