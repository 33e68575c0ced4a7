/**
 * Every endpoint the sandbox serves, checked against Okta's own OpenAPI schemas (the committed subset): list pages
 * and by-id reads, with and without expand, every user status, app sign-on mode, group type and device status and
 * platform, the System Log, error bodies, and the org authorization server. A failure names the request, the JSON
 * path, what the spec expects and what the sandbox sent.
 */
import { createHash, randomBytes } from 'node:crypto';
import { importJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../sandbox/index.js';
import { ContractProbe } from './contract-probe.js';
import { unexplainedUndocumented } from './known-undocumented.js';

type Rec = Record<string, unknown>;

/** The org's generation time; its System Log history covers the 90 days before. */
const EPOCH_MS = Date.parse('2026-01-01T00:00:00.000Z');

let sandbox: Sandbox;
let probe: ContractProbe;

beforeAll(async () => {
  // Rate limits off: this suite is about shapes, and it makes a few hundred requests (429 bodies are checked below
  // on a second sandbox with a tiny limit).
  sandbox = await startSandbox({
    users: 400,
    seed: 7,
    port: 0,
    rateLimits: false,
    epochMs: EPOCH_MS,
    clock: { startMs: EPOCH_MS + 3_600_000 },
  });
  probe = new ContractProbe(sandbox.baseUrl, sandbox.apiToken);
});

afterAll(async () => {
  await sandbox?.close();
});

const truth = (object: 'users' | 'groups' | 'apps' | 'devices' | 'userTypes'): Rec[] => [...sandbox.org.all(object)];
const str = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));
const ids = (records: readonly Rec[]): string[] => records.map((r) => str(r.id));
const enc = encodeURIComponent;

/** One record per distinct value of `key(record)`: the set of shapes worth fetching by id. */
function onePer(records: readonly Rec[], key: (r: Rec) => string): Map<string, Rec> {
  const picked = new Map<string, Rec>();
  for (const record of records) if (!picked.has(key(record))) picked.set(key(record), record);
  return picked;
}

describe('users', () => {
  it('serves list pages, searches, filters and q that match the User schema', async () => {
    const all = await probe.all('/api/v1/users?search=status%20pr&limit=200');
    expect(all.pages).toBeGreaterThan(1);
    expect(ids(all.items).sort()).toEqual(ids(truth('users')).sort());
    await probe.all('/api/v1/users?limit=200');
    await probe.all(`/api/v1/users?filter=${enc('lastUpdated gt "2000-01-01T00:00:00.000Z"')}&limit=150`);
    await probe.request('/api/v1/users?q=a');
    await probe.request(`/api/v1/users?search=${enc('profile.lastName sw "a"')}&sortBy=id&sortOrder=desc`);
    expect(probe.take()).toEqual([]);
  });

  it('serves every user status, by id and in a status filter, matching the User schema', async () => {
    const byStatus = onePer(truth('users'), (u) => str(u.status));
    expect([...byStatus.keys()].sort()).toEqual([
      'ACTIVE',
      'DEPROVISIONED',
      'LOCKED_OUT',
      'PASSWORD_EXPIRED',
      'PROVISIONED',
      'RECOVERY',
      'STAGED',
      'SUSPENDED',
    ]);
    for (const [status, user] of byStatus) {
      const filtered = await probe.request(`/api/v1/users?filter=${enc(`status eq "${status}"`)}&limit=200`);
      expect(filtered.status).toBe(200);
      const one = await probe.request(`/api/v1/users/${str(user.id)}`);
      expect(one.status).toBe(200);
      await probe.request(`/api/v1/users/${str(user.id)}/groups`);
    }
    const login = (truth('users')[0]?.profile as Rec | undefined)?.login;
    await probe.request(`/api/v1/users/${enc(str(login))}`);
    expect(probe.take()).toEqual([]);
  });
});

describe('groups', () => {
  it('serves every group type, list and by id, with and without expand, and their members', async () => {
    const list = await probe.all('/api/v1/groups?limit=200');
    expect(ids(list.items).sort()).toEqual(ids(truth('groups')).sort());
    await probe.request('/api/v1/groups?limit=200&expand=stats');
    await probe.request('/api/v1/groups?limit=200&expand=app');
    await probe.request(`/api/v1/groups?search=${enc('type eq "APP_GROUP"')}`);
    await probe.request(`/api/v1/groups?filter=${enc('type eq "OKTA_GROUP"')}`);
    await probe.request('/api/v1/groups?q=E');
    const byType = onePer(truth('groups'), (g) => str(g.type));
    expect([...byType.keys()].sort()).toEqual(['APP_GROUP', 'BUILT_IN', 'OKTA_GROUP']);
    for (const group of byType.values()) {
      await probe.request(`/api/v1/groups/${str(group.id)}`);
      await probe.all(`/api/v1/groups/${str(group.id)}/users?limit=200`);
    }
    expect(probe.take()).toEqual([]);
  });
});

describe('applications', () => {
  it('serves every sign-on mode (and the unknown one) by id, its users and groups', async () => {
    const list = await probe.all('/api/v1/apps?limit=200');
    expect(ids(list.items).sort()).toEqual(ids(truth('apps')).sort());
    const modes = onePer(truth('apps'), (a) => str(a.signOnMode));
    for (const mode of [
      'AUTO_LOGIN',
      'BASIC_AUTH',
      'BOOKMARK',
      'BROWSER_PLUGIN',
      'OPENID_CONNECT',
      'SAML_1_1',
      'SAML_2_0',
      'SECURE_PASSWORD_STORE',
      'WS_FEDERATION',
    ]) {
      expect(modes.has(mode), `an app with signOnMode ${mode}`).toBe(true);
    }
    for (const app of truth('apps')) {
      const id = str(app.id);
      await probe.request(`/api/v1/apps/${id}`);
      await probe.all(`/api/v1/apps/${id}/users?limit=500`);
      await probe.all(`/api/v1/apps/${id}/groups?limit=200`);
    }
    const user = truth('users')[0];
    await probe.request(
      `/api/v1/apps?filter=${enc(`user.id eq "${str(user?.id)}"`)}&expand=${enc(`user/${str(user?.id)}`)}`,
    );
    await probe.request(`/api/v1/apps?filter=${enc('status eq "ACTIVE"')}&limit=200`);
    await probe.request('/api/v1/apps?q=a');
    expect(probe.take()).toEqual([]);
  });
});

describe('devices', () => {
  it('serves every platform and status, with embedded users on expand, and device users', async () => {
    const list = await probe.all('/api/v1/devices?limit=200');
    expect(ids(list.items).sort()).toEqual(ids(truth('devices')).sort());
    await probe.all('/api/v1/devices?limit=200&expand=user');
    await probe.all('/api/v1/devices?limit=200&expand=userSummary');
    await probe.request(`/api/v1/devices?search=${enc('profile.platform eq "WINDOWS"')}`);
    const platforms = onePer(truth('devices'), (d) => str((d.profile as Rec).platform));
    expect([...platforms.keys()].sort()).toEqual(['ANDROID', 'IOS', 'MACOS', 'WINDOWS']);
    const statuses = onePer(truth('devices'), (d) => str(d.status));
    expect(statuses.has('CREATED')).toBe(true);
    for (const device of [...platforms.values(), ...statuses.values()]) {
      await probe.request(`/api/v1/devices/${str(device.id)}`);
      await probe.request(`/api/v1/devices/${str(device.id)}/users`);
    }
    expect(probe.take()).toEqual([]);
  });
});

describe('user types and schemas', () => {
  it('serves user types, the default alias and each type schema', async () => {
    const list = await probe.request('/api/v1/meta/types/user');
    expect(Array.isArray(list.body)).toBe(true);
    expect(ids(list.body as Rec[]).sort()).toEqual(ids(truth('userTypes')).sort());
    await probe.request('/api/v1/meta/types/user/default');
    for (const type of truth('userTypes')) {
      await probe.request(`/api/v1/meta/types/user/${str(type.id)}`);
      const schemaHref = ((type._links as Rec | undefined)?.schema as Rec | undefined)?.href;
      expect(typeof schemaHref).toBe('string');
      await probe.request(new URL(str(schemaHref).replace('{{origin}}', sandbox.baseUrl)).pathname);
    }
    await probe.request('/api/v1/meta/schemas/user/default');
    expect(probe.take()).toEqual([]);
  });
});

describe('System Log', () => {
  it('serves log events in polling and bounded modes, filtered and sorted', async () => {
    const since = new Date(sandbox.clock.now() - 89 * 86_400_000).toISOString();
    const until = new Date(sandbox.clock.now()).toISOString();
    const bounded = await probe.all(`/api/v1/logs?since=${enc(since)}&until=${enc(until)}&limit=1000`);
    expect(bounded.items.length).toBeGreaterThan(0);
    const polling = await probe.request(`/api/v1/logs?since=${enc(since)}&limit=100`);
    expect(polling.status).toBe(200);
    await probe.request(`/api/v1/logs?filter=${enc('eventType eq "user.lifecycle.deactivate"')}&since=${enc(since)}`);
    await probe.request(`/api/v1/logs?since=${enc(since)}&sortOrder=DESCENDING&limit=50`);
    await probe.request(`/api/v1/logs?q=user&since=${enc(since)}`);
    expect(probe.take()).toEqual([]);
  });
});

describe('error bodies', () => {
  it('answers unknown ids, bad searches and bad auth with the Error schema', async () => {
    const expectError = async (path: string, status: number, code: string, authorization?: string | null) => {
      const response = await probe.request(path, authorization === undefined ? {} : { authorization });
      expect({ path, status: response.status, code: (response.body as Rec | undefined)?.errorCode }).toEqual({
        path,
        status,
        code,
      });
    };
    await expectError('/api/v1/users/00unotarealuser00000', 404, 'E0000007');
    await expectError('/api/v1/groups/00gnotarealgroup0000', 404, 'E0000007');
    await expectError('/api/v1/apps/0oanotarealapp000000', 404, 'E0000007');
    await expectError('/api/v1/devices/guonotarealdevice000', 404, 'E0000007');
    await expectError('/api/v1/meta/types/user/otynotarealtype00000', 404, 'E0000007');
    await expectError(`/api/v1/users?search=${enc('profile.login zz "x"')}`, 400, 'E0000031');
    await expectError(`/api/v1/users?search=${enc('status pr')}&filter=${enc('status eq "ACTIVE"')}`, 400, 'E0000033');
    await expectError(`/api/v1/groups?search=${enc('profile.name zz "x"')}`, 400, 'E0000031');
    await expectError(`/api/v1/groups?filter=${enc('profile.name eq "x"')}`, 400, 'E0000094');
    await expectError(`/api/v1/users?filter=${enc('status eq ACTIVE')}`, 400, 'E0000053');
    await expectError('/api/v1/users', 401, 'E0000011', 'SSWS not-the-token');
    await expectError('/api/v1/users', 403, 'E0000005', null);
    const results = probe.take();
    // Status/code mismatches are reported by expect above; here only schema violations remain.
    expect(results).toEqual([]);
  });

  it('answers rate-limited requests with the 429 Error body', async () => {
    const limited = await startSandbox({ users: 5, seed: 1, port: 0, rateLimits: { limits: { users: 1 } } });
    try {
      const limitedProbe = new ContractProbe(limited.baseUrl, limited.apiToken);
      await limitedProbe.request('/api/v1/users');
      const second = await limitedProbe.request('/api/v1/users');
      expect(second.status).toBe(429);
      expect((second.body as Rec).errorCode).toBe('E0000047');
      expect(limitedProbe.take()).toEqual([]);
    } finally {
      await limited.close();
    }
  });
});

describe('org authorization server', () => {
  it('serves discovery and keys that match the OAuth spec', async () => {
    const discovery = await probe.request('/.well-known/openid-configuration', { authorization: null });
    expect((discovery.body as Rec).issuer).toBe(sandbox.baseUrl);
    const keys = await probe.request('/oauth2/v1/keys', { authorization: null });
    expect(Array.isArray((keys.body as Rec).keys)).toBe(true);
    expect(probe.take()).toEqual([]);
  });

  it('runs authorization code + PKCE, refresh and client credentials with spec-shaped bodies', async () => {
    const { web, service } = sandbox.oauth.clients;
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const redirectUri = web.redirectUris[0] ?? '';
    const authorize = await probe.request(
      `/oauth2/v1/authorize?${new URLSearchParams({
        client_id: web.clientId,
        response_type: 'code',
        scope: 'okta.users.read offline_access',
        redirect_uri: redirectUri,
        state: 'state-123',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      })}`,
      { authorization: null },
    );
    expect(authorize.status).toBe(302);
    const code = new URL(authorize.headers.get('location') ?? 'http://x/').searchParams.get('code') ?? '';
    const basic = `Basic ${Buffer.from(`${web.clientId}:${web.clientSecret ?? ''}`).toString('base64')}`;
    const token = await probe.request('/oauth2/v1/token', {
      method: 'POST',
      authorization: basic,
      form: { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier },
    });
    expect(token.status).toBe(200);
    const refreshToken = str((token.body as Rec).refresh_token);
    const refreshed = await probe.request('/oauth2/v1/token', {
      method: 'POST',
      authorization: basic,
      form: { grant_type: 'refresh_token', refresh_token: refreshToken },
    });
    expect(refreshed.status).toBe(200);
    const reused = await probe.request('/oauth2/v1/token', {
      method: 'POST',
      authorization: basic,
      form: { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier },
    });
    expect(reused.status).toBe(400);

    const tokenUrl = `${sandbox.baseUrl}/oauth2/v1/token`;
    const key = await importJWK(service.privateJwk, 'RS256');
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: str(service.privateJwk.kid) })
      .setIssuer(service.clientId)
      .setSubject(service.clientId)
      .setAudience(tokenUrl)
      // The sandbox clock, not the wall clock, decides whether the assertion is current.
      .setIssuedAt(Math.floor(sandbox.clock.now() / 1000))
      .setExpirationTime(Math.floor(sandbox.clock.now() / 1000) + 300)
      .setJti(randomBytes(12).toString('hex'))
      .sign(key);
    const credentials = await probe.request('/oauth2/v1/token', {
      method: 'POST',
      authorization: null,
      form: {
        grant_type: 'client_credentials',
        scope: 'okta.users.read',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
      },
    });
    expect({ status: credentials.status, body: credentials.body }).toMatchObject({ status: 200 });
    const bearer = await probe.request('/api/v1/users?limit=1', {
      authorization: `Bearer ${str((credentials.body as Rec).access_token)}`,
    });
    expect(bearer.status).toBe(200);
    const wrongScope = await probe.request('/api/v1/groups?limit=1', {
      authorization: `Bearer ${str((credentials.body as Rec).access_token)}`,
    });
    expect(wrongScope.status).toBe(403);
    expect(probe.take()).toEqual([]);
  });
});

describe('records changed through the admin API', () => {
  it('still match the spec after create, update, lifecycle and membership changes, and so do their log events', async () => {
    const startedMs = sandbox.clock.now();
    const admin = sandbox.admin;
    const created = admin.createUser({
      profile: {
        login: 'new.person@example.com',
        email: 'new.person@example.com',
        firstName: 'Nová',
        lastName: 'Osoba',
      },
      activate: false,
    });
    const userId = str(created.id);
    admin.updateUser(userId, { mobilePhone: '+1 555 0100', title: null });
    admin.userLifecycle(userId, 'activate');
    admin.userLifecycle(userId, 'suspend');
    const group = admin.createGroup({
      profile: { name: 'Contract Testers', description: 'made by the contract suite' },
    });
    admin.updateGroup(str(group.id), { name: 'Contract Testers 2' });
    admin.addGroupMember(str(group.id), userId);
    const app = truth('apps').find((a) => a.status === 'ACTIVE');
    admin.assignUserToApp(str(app?.id), userId);
    admin.appLifecycle(str(app?.id), 'deactivate');
    const device = truth('devices').find((d) => d.status === 'ACTIVE');
    admin.deviceLifecycle(str(device?.id), 'suspend');
    admin.deleteUser(str(truth('users').find((u) => u.status === 'ACTIVE' && u.id !== userId)?.id));

    await probe.request(`/api/v1/users/${userId}`);
    await probe.request(`/api/v1/users/${userId}/groups`);
    await probe.request(`/api/v1/groups/${str(group.id)}`);
    await probe.all(`/api/v1/groups/${str(group.id)}/users?limit=200`);
    await probe.request(`/api/v1/apps/${str(app?.id)}`);
    await probe.all(`/api/v1/apps/${str(app?.id)}/users?limit=500`);
    await probe.request(`/api/v1/devices/${str(device?.id)}`);
    await probe.request(`/api/v1/users?search=${enc(`lastUpdated ge "${new Date(startedMs).toISOString()}"`)}`);
    // Polling mode (no until): one page, its next link always present.
    const events = await probe.request(`/api/v1/logs?since=${enc(new Date(startedMs).toISOString())}&limit=1000`);
    expect((events.body as Rec[]).length).toBeGreaterThan(0);
    expect(probe.take()).toEqual([]);
  });
});

describe('coverage', () => {
  it('validated a response of every operation in the fixture', () => {
    const covered = new Set([...probe.covered].map((c) => c.split(' ').slice(0, 2).join(' ')));
    for (const operation of [
      'GET /api/v1/users',
      'GET /api/v1/users/{id}',
      'GET /api/v1/users/{id}/groups',
      'GET /api/v1/groups',
      'GET /api/v1/groups/{groupId}',
      'GET /api/v1/groups/{groupId}/users',
      'GET /api/v1/apps',
      'GET /api/v1/apps/{appId}',
      'GET /api/v1/apps/{appId}/users',
      'GET /api/v1/apps/{appId}/groups',
      'GET /api/v1/devices',
      'GET /api/v1/devices/{deviceId}',
      'GET /api/v1/devices/{deviceId}/users',
      'GET /api/v1/meta/types/user',
      'GET /api/v1/meta/types/user/{typeId}',
      'GET /api/v1/meta/schemas/user/{schemaId}',
      'GET /api/v1/logs',
      'GET /.well-known/openid-configuration',
      'GET /oauth2/v1/authorize',
      'POST /oauth2/v1/token',
      'GET /oauth2/v1/keys',
    ]) {
      expect(covered.has(operation), operation).toBe(true);
    }
  });
});

describe('undocumented properties', () => {
  it('sends no property the spec leaves undeclared, except the ones real Okta is known to send', () => {
    const unexplained = [...probe.undocumented].flatMap(([operation, paths]) =>
      unexplainedUndocumented(operation, paths).map((path) => `${operation}: ${path}`),
    );
    expect(unexplained).toEqual([]);
  });
});
