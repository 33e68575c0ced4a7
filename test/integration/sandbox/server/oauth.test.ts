import { importJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClock } from '../../../../sandbox/clock.js';
import { type SandboxServer, startSandboxServer } from '../../../../sandbox/server/sandbox-server.js';
import { fakeOrg } from './fake-org.js';
import { basic, form, pkcePair } from './http-helpers.js';

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

describe('sandbox org authorization server', () => {
  let sandbox: SandboxServer;
  const clock = createClock(Date.UTC(2026, 0, 15, 12), { running: false });

  beforeAll(async () => {
    sandbox = await startSandboxServer(fakeOrg(), clock, {
      rateLimits: false,
      oauth: { clients: { static: { scopes: ['okta.users.read', 'offline_access'] } } },
    });
  });
  afterAll(() => sandbox.close());

  const web = () => sandbox.oauth.clients.web;
  const webAuth = () => basic(web().clientId, web().clientSecret ?? '');

  async function authorize(overrides: Record<string, string | null> = {}, clientId = web().clientId) {
    const { verifier, challenge } = pkcePair();
    const params: Record<string, string | null> = {
      client_id: clientId,
      response_type: 'code',
      scope: 'okta.users.read okta.groups.read offline_access',
      redirect_uri: web().redirectUris[0] ?? '',
      state: 'state-123',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...overrides,
    };
    const url = new URL(sandbox.oauth.authorizeUrl);
    for (const [key, value] of Object.entries(params)) if (value !== null) url.searchParams.set(key, value);
    const res = await fetch(url, { redirect: 'manual' });
    const location = res.headers.get('location');
    return { res, verifier, location: location ? new URL(location) : null };
  }

  async function token(body: Record<string, string>, authorization?: string) {
    const headers: Record<string, string> = { ...FORM };
    if (authorization) headers.Authorization = authorization;
    const res = await fetch(sandbox.oauth.tokenUrl, { method: 'POST', headers, body: form(body) });
    return { status: res.status, json: (await res.json()) as Record<string, string> };
  }

  async function codeGrant(scope?: string) {
    const { verifier, location } = await authorize(scope ? { scope } : {});
    const code = location?.searchParams.get('code') ?? '';
    return token(
      { grant_type: 'authorization_code', code, redirect_uri: web().redirectUris[0] ?? '', code_verifier: verifier },
      webAuth(),
    );
  }

  const usersWith = (accessToken: string) =>
    fetch(`${sandbox.baseUrl}/api/v1/users`, { headers: { Authorization: `Bearer ${accessToken}` } });

  it('publishes discovery and JWKS for the org authorization server', async () => {
    for (const path of ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']) {
      const discovery = (await (await fetch(`${sandbox.baseUrl}${path}`)).json()) as Record<string, unknown>;
      expect(discovery.issuer).toBe(sandbox.baseUrl);
      expect(discovery.token_endpoint).toBe(sandbox.oauth.tokenUrl);
      expect(discovery.code_challenge_methods_supported).toEqual(['S256']);
    }
    const jwks = (await (await fetch(sandbox.oauth.jwksUrl)).json()) as { keys: { kty: string; d?: string }[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]?.kty).toBe('RSA');
    expect(jwks.keys[0]?.d).toBeUndefined();
  });

  it('authorize redirects back with a code and the state, consenting as the admin', async () => {
    const { res, location } = await authorize();
    expect(res.status).toBe(302);
    expect(location?.origin + (location?.pathname ?? '')).toBe(web().redirectUris[0]);
    expect(location?.searchParams.get('state')).toBe('state-123');
    expect(location?.searchParams.get('code')).toMatch(/^[A-Za-z0-9]{43}$/);
  });

  it('authorize rejects unknown clients and inexact redirect URIs without redirecting', async () => {
    const badClient = await authorize({}, '0oanotaclient0000000');
    expect(badClient.res.status).toBe(400);
    expect(((await badClient.res.json()) as { error: string }).error).toBe('invalid_client');
    const badRedirect = await authorize({ redirect_uri: `${web().redirectUris[0]}/` });
    expect(badRedirect.res.status).toBe(400);
    expect(badRedirect.location).toBeNull();
  });

  it('authorize redirects errors for a missing PKCE challenge, plain PKCE, bad response_type and unknown scopes', async () => {
    const cases: [Record<string, string | null>, string][] = [
      [{ code_challenge: null }, 'invalid_request'],
      [{ code_challenge_method: 'plain' }, 'invalid_request'],
      [{ response_type: 'token' }, 'unsupported_response_type'],
      [{ scope: 'okta.users.read okta.unicorns.read' }, 'invalid_scope'],
    ];
    for (const [overrides, error] of cases) {
      const { res, location } = await authorize(overrides);
      expect(res.status).toBe(302);
      expect(location?.searchParams.get('error')).toBe(error);
      expect(location?.searchParams.get('state')).toBe('state-123');
    }
  });

  it('exchanges a code with PKCE for tokens that work on the Management API', async () => {
    const { status, json } = await codeGrant();
    expect(status).toBe(200);
    expect(json).toMatchObject({
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'okta.users.read okta.groups.read offline_access',
    });
    expect(json.refresh_token).toBeTruthy();
    expect((await usersWith(json.access_token ?? '')).status).toBe(200);
  });

  it('rejects a wrong code_verifier (PKCE failure) with invalid_grant', async () => {
    const { location } = await authorize();
    const { status, json } = await token(
      {
        grant_type: 'authorization_code',
        code: location?.searchParams.get('code') ?? '',
        redirect_uri: web().redirectUris[0] ?? '',
        code_verifier: pkcePair().verifier,
      },
      webAuth(),
    );
    expect(status).toBe(400);
    expect(json.error).toBe('invalid_grant');
    expect(json.error_description).toMatch(/PKCE/);
  });

  it('codes are single-use: a replay fails and revokes the tokens the code minted', async () => {
    const { verifier, location } = await authorize();
    const body = {
      grant_type: 'authorization_code',
      code: location?.searchParams.get('code') ?? '',
      redirect_uri: web().redirectUris[0] ?? '',
      code_verifier: verifier,
    };
    const first = await token(body, webAuth());
    expect(first.status).toBe(200);
    const replay = await token(body, webAuth());
    expect(replay).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
    expect((await usersWith(first.json.access_token ?? '')).status).toBe(401);
    const refresh = await token(
      { grant_type: 'refresh_token', refresh_token: first.json.refresh_token ?? '' },
      webAuth(),
    );
    expect(refresh.json.error).toBe('invalid_grant');
  });

  it('codes expire after 300 s of sandbox time', async () => {
    const { verifier, location } = await authorize();
    clock.advance(301_000);
    const { status, json } = await token(
      {
        grant_type: 'authorization_code',
        code: location?.searchParams.get('code') ?? '',
        redirect_uri: web().redirectUris[0] ?? '',
        code_verifier: verifier,
      },
      webAuth(),
    );
    expect(status).toBe(400);
    expect(json.error).toBe('invalid_grant');
  });

  it('access tokens expire after 3600 s and then get 401 E0000011', async () => {
    const { json } = await codeGrant();
    clock.advance(3_599_000);
    expect((await usersWith(json.access_token ?? '')).status).toBe(200);
    clock.advance(2_000);
    const res = await usersWith(json.access_token ?? '');
    expect(res.status).toBe(401);
    expect(((await res.json()) as { errorCode: string }).errorCode).toBe('E0000011');
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('ROTATE: each refresh returns a new token; the old one works within the leeway only', async () => {
    const first = (await codeGrant()).json;
    const r1 = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token ?? '' }, webAuth());
    expect(r1.status).toBe(200);
    expect(r1.json.refresh_token).not.toBe(first.refresh_token);
    clock.advance(10_000);
    // Within the 30 s leeway the previous token still works (a retry after a lost response).
    const retry = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token ?? '' }, webAuth());
    expect(retry.status).toBe(200);
    const latest = retry.json.refresh_token ?? '';
    clock.advance(31_000);
    const reuse = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token ?? '' }, webAuth());
    expect(reuse).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
    // Reuse detection revoked the whole chain: the newest refresh token and its access tokens are dead too.
    const afterRevoke = await token({ grant_type: 'refresh_token', refresh_token: latest }, webAuth());
    expect(afterRevoke.json.error).toBe('invalid_grant');
    expect((await usersWith(retry.json.access_token ?? '')).status).toBe(401);
  });

  it('ROTATE: concurrent refreshes of one token each get the refresh token their own request minted', async () => {
    const first = (await codeGrant()).json;
    const [a, b] = await Promise.all([
      token({ grant_type: 'refresh_token', refresh_token: first.refresh_token ?? '' }, webAuth()),
      token({ grant_type: 'refresh_token', refresh_token: first.refresh_token ?? '' }, webAuth()),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.json.refresh_token).toBeTruthy();
    expect(b.json.refresh_token).toBeTruthy();
    expect(a.json.refresh_token).not.toBe(b.json.refresh_token);
    expect(a.json.refresh_token).not.toBe(first.refresh_token);
  });

  it('refresh may narrow the scope but not widen it', async () => {
    const first = (await codeGrant('okta.users.read offline_access')).json;
    const narrow = await token(
      { grant_type: 'refresh_token', refresh_token: first.refresh_token ?? '', scope: 'okta.users.read' },
      webAuth(),
    );
    expect(narrow.json.scope).toBe('okta.users.read');
    const wide = await token(
      { grant_type: 'refresh_token', refresh_token: narrow.json.refresh_token ?? '', scope: 'okta.logs.read' },
      webAuth(),
    );
    expect(wide).toMatchObject({ status: 400, json: { error: 'invalid_scope' } });
  });

  it('STATIC: refresh keeps the same token; client_secret_post auth; unallowed scopes dropped silently', async () => {
    const client = sandbox.oauth.clients.static;
    const { verifier, location } = await authorize(
      { scope: 'okta.users.read okta.groups.read offline_access' },
      client.clientId,
    );
    const secret = { client_id: client.clientId, client_secret: client.clientSecret ?? '' };
    const first = await token({
      grant_type: 'authorization_code',
      code: location?.searchParams.get('code') ?? '',
      redirect_uri: client.redirectUris[0] ?? '',
      code_verifier: verifier,
      ...secret,
    });
    expect(first.json.scope).toBe('okta.users.read offline_access');
    const refreshed = await token({
      grant_type: 'refresh_token',
      refresh_token: first.json.refresh_token ?? '',
      ...secret,
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.json.refresh_token).toBe(first.json.refresh_token);
    const groups = await fetch(`${sandbox.baseUrl}/api/v1/groups`, {
      headers: { Authorization: `Bearer ${refreshed.json.access_token}` },
    });
    expect(groups.status).toBe(403);
    expect(groups.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
  });

  it('refresh tokens expire 90 days after consent, rotation or not', async () => {
    const first = (await codeGrant()).json;
    clock.advance(89 * 24 * 3600_000);
    const stillOk = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token ?? '' }, webAuth());
    expect(stillOk.status).toBe(200);
    clock.advance(24 * 3600_000 + 1000);
    const expired = await token(
      { grant_type: 'refresh_token', refresh_token: stillOk.json.refresh_token ?? '' },
      webAuth(),
    );
    expect(expired).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
  });

  it('client authentication: Basic and form post together is invalid_request; wrong method or secret is 401', async () => {
    const both = await token(
      {
        grant_type: 'refresh_token',
        refresh_token: 'x',
        client_id: web().clientId,
        client_secret: web().clientSecret ?? '',
      },
      webAuth(),
    );
    expect(both).toMatchObject({ status: 400, json: { error: 'invalid_request' } });
    const wrongMethod = await token({
      grant_type: 'refresh_token',
      refresh_token: 'x',
      client_id: web().clientId,
      client_secret: web().clientSecret ?? '',
    });
    expect(wrongMethod).toMatchObject({ status: 401, json: { error: 'invalid_client' } });
    const wrongSecret = await token({ grant_type: 'refresh_token', refresh_token: 'x' }, basic(web().clientId, 'nope'));
    expect(wrongSecret).toMatchObject({ status: 401, json: { error: 'invalid_client' } });
  });

  it('grant type errors: unsupported, missing, and not allowed for the client', async () => {
    expect((await token({ grant_type: 'password' }, webAuth())).json.error).toBe('unsupported_grant_type');
    expect((await token({}, webAuth())).json.error).toBe('invalid_request');
    expect((await token({ grant_type: 'client_credentials', scope: 'okta.users.read' }, webAuth())).json.error).toBe(
      'unauthorized_client',
    );
    const notForm = await fetch(sandbox.oauth.tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: webAuth() },
      body: '{}',
    });
    expect(notForm.status).toBe(400);
  });

  describe('client credentials with private_key_jwt', () => {
    const service = () => sandbox.oauth.clients.service;

    async function assertion(
      claims: { aud?: string; exp?: number; jti?: string; iss?: string; kid?: string | null } = {},
    ) {
      const jwk = service().privateJwk;
      const key = await importJWK(jwk, 'RS256');
      const now = Math.floor(clock.now() / 1000);
      const header: { alg: string; kid?: string } = { alg: 'RS256' };
      if (claims.kid !== null) header.kid = claims.kid ?? String(jwk.kid);
      return new SignJWT({})
        .setProtectedHeader(header)
        .setIssuer(claims.iss ?? service().clientId)
        .setSubject(service().clientId)
        .setAudience(claims.aud ?? sandbox.oauth.tokenUrl)
        .setIssuedAt(now)
        .setExpirationTime(claims.exp ?? now + 300)
        .setJti(claims.jti ?? crypto.randomUUID())
        .sign(key);
    }

    const grant = (jwt: string, scope = 'okta.users.read okta.logs.read') =>
      token({
        grant_type: 'client_credentials',
        scope,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: jwt,
      });

    it('issues an access token without a refresh token and rejects a replayed jti', async () => {
      const jwt = await assertion({ jti: 'once-only' });
      const first = await grant(jwt);
      expect(first.status).toBe(200);
      expect(first.json.scope).toBe('okta.users.read okta.logs.read');
      expect(first.json.refresh_token).toBeUndefined();
      expect((await usersWith(first.json.access_token ?? '')).status).toBe(200);
      const replay = await grant(jwt);
      expect(replay).toMatchObject({ status: 401, json: { error: 'invalid_client' } });
      expect(replay.json.error_description).toMatch(/jti/);
    });

    it('checks aud, exp (not expired, at most 1 h ahead), iss and kid', async () => {
      const now = Math.floor(clock.now() / 1000);
      const bad = [
        await assertion({ aud: `${sandbox.baseUrl}/oauth2/default/v1/token` }),
        await assertion({ exp: now - 10 }),
        await assertion({ exp: now + 7200 }),
        await assertion({ kid: null }),
        await assertion({ kid: 'unknown-kid' }),
      ];
      for (const jwt of bad) expect(await grant(jwt)).toMatchObject({ status: 401, json: { error: 'invalid_client' } });
    });

    it('requires a scope and drops scopes the app was not granted', async () => {
      expect((await grant(await assertion(), '')).json.error).toBe('invalid_scope');
      const dropped = await grant(await assertion(), 'okta.users.read okta.users.manage');
      expect(dropped.json.scope).toBe('okta.users.read');
    });

    it('rejects an assertion together with Basic credentials', async () => {
      const res = await token(
        {
          grant_type: 'client_credentials',
          scope: 'okta.users.read',
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: await assertion(),
        },
        webAuth(),
      );
      expect(res).toMatchObject({ status: 400, json: { error: 'invalid_request' } });
    });
  });
});
