/**
 * Okta's write endpoints on the sandbox, over HTTP: status codes, bodies, lifecycle rules, error codes, scopes,
 * rate-limit buckets, and the effects later reads see (status, lastUpdated, lastMembershipUpdated, app users, the
 * System Log event with the request's id and actor).
 */
import { randomBytes } from 'node:crypto';
import { importJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../../sandbox/index.js';
import { DEFAULT_EPOCH_MS } from '../../../sandbox/org/index.js';
import { MANAGE_SCOPES, READ_SCOPES } from '../../../sandbox/server/oauth/clients.js';

type Rec = Record<string, unknown>;

let sandbox: Sandbox;
let managerToken = '';
let readerToken = '';

interface Answer {
  status: number;
  body: unknown;
  text: string;
  headers: Headers;
}

async function call(method: string, path: string, body?: unknown, auth?: string): Promise<Answer> {
  const response = await fetch(`${sandbox.baseUrl}${path}`, {
    method,
    headers: {
      Authorization: auth ?? `SSWS ${sandbox.apiToken}`,
      Accept: 'application/json',
      'Content-Type': 'application/json',
      'User-Agent': 'okta-flow-apply-test/1.0',
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, text, body: text === '' ? undefined : JSON.parse(text), headers: response.headers };
}

const code = (answer: Answer) => (answer.body as Rec | undefined)?.errorCode;
const users = () => [...sandbox.org.all('users')];
const byStatus = (status: string) => users().filter((u) => u.status === status && u.id !== users()[0]?.id);
const userOf = async (id: string) => (await call('GET', `/api/v1/users/${id}`)).body as Rec;

async function serviceToken(scope: string): Promise<string> {
  const { service } = sandbox.oauth.clients;
  const tokenUrl = `${sandbox.baseUrl}/oauth2/v1/token`;
  const key = await importJWK(service.privateJwk, 'RS256');
  const assertion = await new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', kid: String(service.privateJwk.kid) })
    .setIssuer(service.clientId)
    .setSubject(service.clientId)
    .setAudience(tokenUrl)
    .setIssuedAt(Math.floor(sandbox.clock.now() / 1000))
    .setExpirationTime(Math.floor(sandbox.clock.now() / 1000) + 300)
    .setJti(randomBytes(12).toString('hex'))
    .sign(key);
  const response = await fetch(tokenUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      scope,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

beforeAll(async () => {
  sandbox = await startSandbox({
    users: 300,
    groups: 20,
    seed: 5,
    epochMs: DEFAULT_EPOCH_MS,
    clock: { startMs: DEFAULT_EPOCH_MS + 3_600_000, running: false },
    oauth: { clients: { service: { scopes: [...READ_SCOPES, ...MANAGE_SCOPES] } } },
  });
  managerToken = await serviceToken('okta.users.manage okta.groups.manage okta.apps.manage');
  readerToken = await serviceToken('okta.users.read okta.groups.read');
});
afterAll(() => sandbox?.close());

/** The newest log event about `targetId`. */
function lastEventFor(targetId: string): Rec | undefined {
  const match = sandbox.org.match('GET', '/api/v1/logs');
  const since = new Date(sandbox.clock.now() - 86_400_000).toISOString();
  const result = match?.route.handle(
    new URLSearchParams({ since, filter: `target.id eq "${targetId}"`, limit: '1000' }),
    {},
  );
  return result?.kind === 'list' ? (result.items.at(-1) as Rec | undefined) : undefined;
}

describe('users', () => {
  it('create: ACTIVE with a password, PROVISIONED without, STAGED with activate=false; duplicates and bad bodies refused', async () => {
    const profile = (login: string) => ({ login, email: login, firstName: 'Wri', lastName: 'Ter' });
    const withPassword = await call('POST', '/api/v1/users', {
      profile: profile('with.password@example.com'),
      credentials: { password: { value: 'Sup3r-secret!' } },
    });
    expect(withPassword.status).toBe(200);
    expect(withPassword.body).toMatchObject({ status: 'ACTIVE', profile: { login: 'with.password@example.com' } });
    expect(withPassword.text).not.toContain('Sup3r-secret!');
    expect((await call('POST', '/api/v1/users', { profile: profile('no.password@example.com') })).body).toMatchObject({
      status: 'PROVISIONED',
    });
    expect(
      (await call('POST', '/api/v1/users?activate=false', { profile: profile('staged@example.com') })).body,
    ).toMatchObject({
      status: 'STAGED',
      activated: null,
    });
    const expired = await call('POST', '/api/v1/users?nextLogin=changePassword', {
      profile: profile('expired@example.com'),
      credentials: { password: { value: 'x' } },
    });
    expect(expired.body).toMatchObject({ status: 'PASSWORD_EXPIRED' });
    const duplicate = await call('POST', '/api/v1/users', { profile: profile('WITH.password@example.com') });
    expect([duplicate.status, code(duplicate)]).toEqual([400, 'E0000001']);
    const blank = await call('POST', '/api/v1/users', { profile: { login: 'x@example.com' } });
    expect([blank.status, code(blank)]).toEqual([400, 'E0000001']);
    const malformed = await call('POST', '/api/v1/users', '{"profile": ');
    expect([malformed.status, code(malformed)]).toEqual([400, 'E0000003']);
  });

  it('POST updates part of the profile, PUT replaces it; both bump lastUpdated and log with the request id', async () => {
    const target = String(byStatus('ACTIVE')[3]?.id);
    const before = await userOf(target);
    sandbox.clock.advance(60_000);
    const partial = await call('POST', `/api/v1/users/${target}`, { profile: { title: 'Chief Writer' } });
    expect(partial.status).toBe(200);
    const after = partial.body as Rec;
    expect((after.profile as Rec).title).toBe('Chief Writer');
    expect((after.profile as Rec).login).toBe((before.profile as Rec).login);
    expect(after.lastUpdated).toBe(new Date(sandbox.clock.now()).toISOString());
    const event = lastEventFor(target);
    expect(event?.eventType).toBe('user.account.update_profile');
    expect((event?.debugContext as { debugData: Rec } | undefined)?.debugData.requestId).toBe(
      partial.headers.get('x-okta-request-id'),
    );
    expect(((event?.client as Rec | undefined)?.userAgent as Rec | undefined)?.rawUserAgent).toBe(
      'okta-flow-apply-test/1.0',
    );
    const profile = before.profile as Rec;
    const replaced = await call('PUT', `/api/v1/users/${target}`, {
      profile: { login: profile.login, email: profile.email, firstName: 'Only', lastName: 'These' },
    });
    expect(Object.keys((replaced.body as { profile: Rec }).profile).sort()).toEqual([
      'email',
      'firstName',
      'lastName',
      'login',
    ]);
    const deprovisioned = String(byStatus('DEPROVISIONED')[0]?.id);
    const refused = await call('POST', `/api/v1/users/${deprovisioned}`, { profile: { title: 'x' } });
    expect([refused.status, code(refused)]).toEqual([403, 'E0000038']);
  });

  it('lifecycle follows Okta: allowed transitions answer 200, refused ones E0000001/E0000016/E0000038', async () => {
    const active = String(byStatus('ACTIVE')[5]?.id);
    const lifecycle = (id: string, action: string, query = '') =>
      call('POST', `/api/v1/users/${id}/lifecycle/${action}${query}`);
    const suspended = await lifecycle(active, 'suspend');
    expect([suspended.status, suspended.text]).toEqual([200, '']);
    expect((await userOf(active)).status).toBe('SUSPENDED');
    const again = await lifecycle(active, 'suspend');
    expect([again.status, code(again)]).toEqual([400, 'E0000001']);
    expect((await lifecycle(active, 'unsuspend')).status).toBe(200);
    const activateActive = await lifecycle(active, 'activate');
    expect([activateActive.status, code(activateActive)]).toEqual([403, 'E0000016']);
    const reactivateActive = await lifecycle(active, 'reactivate');
    expect([reactivateActive.status, code(reactivateActive)]).toEqual([403, 'E0000038']);
    const expired = await lifecycle(active, 'expire_password');
    expect(expired.body).toMatchObject({ id: active, status: 'PASSWORD_EXPIRED' });
    const locked = String(byStatus('LOCKED_OUT')[0]?.id);
    expect((await lifecycle(locked, 'unlock')).status).toBe(200);
    expect((await userOf(locked)).status).toBe('ACTIVE');
    const staged = String(byStatus('STAGED')[0]?.id);
    const token = await lifecycle(staged, 'activate', '?sendEmail=false');
    expect(token.body).toMatchObject({
      activationToken: expect.any(String),
      activationUrl: expect.stringContaining('/welcome/'),
    });
    expect((await userOf(staged)).status).toBe('PROVISIONED');
    expect((await lifecycle(staged, 'reactivate', '?sendEmail=false')).status).toBe(200);
    const deactivated = await lifecycle(active, 'deactivate');
    expect([deactivated.status, deactivated.text]).toEqual([200, '']);
    const twice = await lifecycle(active, 'deactivate');
    expect([twice.status, code(twice)]).toEqual([403, 'E0000038']);
    const unknown = await lifecycle(active, 'explode');
    expect([unknown.status, code(unknown)]).toEqual([404, 'E0000008']);
    const missing = await lifecycle('00unotauser000000000', 'suspend');
    expect([missing.status, code(missing)]).toEqual([404, 'E0000007']);
  });

  it('reset_factors empties the factor list; DELETE deactivates first, then deletes (204, then 404); sessions 204', async () => {
    const factorsOf = async (userId: string) => (await call('GET', `/api/v1/users/${userId}/factors`)).body as Rec[];
    let id = '';
    for (const u of byStatus('ACTIVE').slice(20)) {
      if ((await factorsOf(String(u.id))).length > 0) {
        id = String(u.id);
        break;
      }
    }
    expect(id).not.toBe('');
    expect((await call('POST', `/api/v1/users/${id}/lifecycle/reset_factors`)).status).toBe(200);
    expect(await factorsOf(id)).toEqual([]);
    expect(lastEventFor(id)?.eventType).toBe('user.mfa.factor.reset_all');
    expect((await call('DELETE', `/api/v1/users/${id}/sessions?oauthTokens=true`)).status).toBe(204);
    expect((await call('DELETE', `/api/v1/users/${id}`)).status).toBe(204);
    expect((await userOf(id)).status).toBe('DEPROVISIONED');
    expect((await call('DELETE', `/api/v1/users/${id}`)).status).toBe(204);
    const gone = await call('GET', `/api/v1/users/${id}`);
    expect([gone.status, code(gone)]).toEqual([404, 'E0000007']);
    expect(lastEventFor(id)?.eventType).toBe('user.lifecycle.delete.completed');
  });
});

describe('groups', () => {
  it('create, replace, membership (204, bumps lastMembershipUpdated), delete; APP_GROUP and BUILT_IN are read-only', async () => {
    const created = await call('POST', '/api/v1/groups', {
      profile: { name: 'Writers', description: 'made by a test' },
    });
    expect(created.status).toBe(200);
    const gid = String((created.body as Rec).id);
    expect(created.body).toMatchObject({ type: 'OKTA_GROUP', profile: { name: 'Writers' } });
    const replaced = await call('PUT', `/api/v1/groups/${gid}`, { profile: { name: 'Editors' } });
    expect((replaced.body as { profile: Rec }).profile).toEqual({ name: 'Editors' });
    const uid = String(byStatus('ACTIVE')[7]?.id);
    sandbox.clock.advance(60_000);
    const added = await call('PUT', `/api/v1/groups/${gid}/users/${uid}`);
    expect([added.status, added.text]).toEqual([204, '']);
    const group = (await call('GET', `/api/v1/groups/${gid}`)).body as Rec;
    expect(group.lastMembershipUpdated).toBe(new Date(sandbox.clock.now()).toISOString());
    expect(((await call('GET', `/api/v1/groups/${gid}/users`)).body as Rec[]).map((u) => u.id)).toEqual([uid]);
    expect((await call('PUT', `/api/v1/groups/${gid}/users/${uid}`)).status).toBe(204);
    expect((await call('DELETE', `/api/v1/groups/${gid}/users/${uid}`)).status).toBe(204);
    expect((await call('GET', `/api/v1/groups/${gid}/users`)).body).toEqual([]);
    const groups = [...sandbox.org.all('groups')];
    const appGroup = String(groups.find((g) => g.type === 'APP_GROUP')?.id);
    const everyone = String(groups.find((g) => g.type === 'BUILT_IN')?.id);
    for (const refused of [
      await call('PUT', `/api/v1/groups/${appGroup}/users/${uid}`),
      await call('PUT', `/api/v1/groups/${appGroup}`, { profile: { name: 'x' } }),
      await call('DELETE', `/api/v1/groups/${everyone}`),
      await call('DELETE', `/api/v1/groups/${everyone}/users/${uid}`),
    ]) {
      expect([refused.status, code(refused)]).toEqual([403, 'E0000006']);
    }
    const noName = await call('POST', '/api/v1/groups', { profile: {} });
    expect([noName.status, code(noName)]).toEqual([400, 'E0000001']);
    expect((await call('DELETE', `/api/v1/groups/${gid}`)).status).toBe(204);
    expect((await call('GET', `/api/v1/groups/${gid}`)).status).toBe(404);
  });
});

describe('apps', () => {
  it('assign and unassign users and groups; group members become app users (scope GROUP); lifecycle 200 without body', async () => {
    const app = [...sandbox.org.all('apps')].find((a) => a.status === 'ACTIVE');
    const aid = String(app?.id);
    const appUsers = async () => (await call('GET', `/api/v1/apps/${aid}/users?limit=500`)).body as Rec[];
    const listed = new Set((await appUsers()).map((u) => u.id));
    const uid = String(users().find((u) => !listed.has(u.id) && u.status === 'ACTIVE')?.id);
    const assigned = await call('POST', `/api/v1/apps/${aid}/users`, {
      id: uid,
      scope: 'USER',
      credentials: { userName: 'writer-1', password: { value: 'never-shown' } },
    });
    expect(assigned.status).toBe(200);
    expect(assigned.body).toMatchObject({ id: uid, scope: 'USER', credentials: { userName: 'writer-1' } });
    expect(assigned.text).not.toContain('never-shown');
    expect((await appUsers()).map((u) => u.id)).toContain(uid);
    expect(lastEventFor(uid)?.eventType).toBe('application.user_membership.add');
    expect((await call('DELETE', `/api/v1/apps/${aid}/users/${uid}`)).status).toBe(204);
    const notAssigned = await call('DELETE', `/api/v1/apps/${aid}/users/${uid}`);
    expect([notAssigned.status, code(notAssigned)]).toEqual([404, 'E0000007']);
    const noId = await call('POST', `/api/v1/apps/${aid}/users`, { scope: 'USER' });
    expect([noId.status, code(noId)]).toEqual([400, 'E0000001']);

    const group = await call('POST', '/api/v1/groups', { profile: { name: 'App reachers' } });
    const gid = String((group.body as Rec).id);
    await call('PUT', `/api/v1/groups/${gid}/users/${uid}`);
    const put = await call('PUT', `/api/v1/apps/${aid}/groups/${gid}`, { priority: 3, profile: { role: 'reader' } });
    expect(put.body).toMatchObject({ id: gid, priority: 3, profile: { role: 'reader' } });
    const viaGroup = (await appUsers()).find((u) => u.id === uid);
    expect(viaGroup?.scope).toBe('GROUP');
    const groupScoped = await call('DELETE', `/api/v1/apps/${aid}/users/${uid}`);
    expect([groupScoped.status, code(groupScoped)]).toEqual([403, 'E0000090']);
    expect((await call('GET', `/api/v1/apps/${aid}/groups/${gid}`)).body).toMatchObject({ id: gid, priority: 3 });
    expect((await call('DELETE', `/api/v1/apps/${aid}/groups/${gid}`)).status).toBe(204);
    expect((await appUsers()).map((u) => u.id)).not.toContain(uid);
    expect((await call('GET', `/api/v1/apps/${aid}/groups/${gid}`)).status).toBe(404);

    const deactivated = await call('POST', `/api/v1/apps/${aid}/lifecycle/deactivate`);
    expect([deactivated.status, deactivated.text]).toEqual([200, '']);
    expect(((await call('GET', `/api/v1/apps/${aid}`)).body as Rec).status).toBe('INACTIVE');
    expect((await call('POST', `/api/v1/apps/${aid}/lifecycle/deactivate`)).status).toBe(200);
    expect((await call('POST', `/api/v1/apps/${aid}/lifecycle/activate`)).status).toBe(200);
  });
});

describe('transport', () => {
  it('needs the manage scope (403 E0000006 naming it), attributes writes to the OAuth client, counts write buckets', async () => {
    const id = String(byStatus('ACTIVE')[9]?.id);
    const denied = await call('POST', `/api/v1/users/${id}/lifecycle/suspend`, undefined, `Bearer ${readerToken}`);
    expect([denied.status, code(denied)]).toEqual([403, 'E0000006']);
    expect(denied.headers.get('www-authenticate')).toContain('scope="okta.users.manage"');
    const allowed = await call('POST', `/api/v1/users/${id}/lifecycle/suspend`, undefined, `Bearer ${managerToken}`);
    expect(allowed.status).toBe(200);
    expect(lastEventFor(id)?.actor).toMatchObject({
      id: sandbox.oauth.clients.service.clientId,
      type: 'PublicClientApp',
    });
    expect(allowed.headers.get('x-rate-limit-limit')).toBe('600');
    const appWrite = await call(
      'POST',
      `/api/v1/apps/${String([...sandbox.org.all('apps')][0]?.id)}/lifecycle/activate`,
    );
    expect(appWrite.headers.get('x-rate-limit-limit')).toBe('100');
    const patch = await call('PATCH', `/api/v1/users/${id}`, {});
    expect([patch.status, code(patch)]).toEqual([405, 'E0000022']);
    // Reads still work with a manage-only token: manage implies read.
    expect((await call('GET', `/api/v1/users/${id}`, undefined, `Bearer ${managerToken}`)).status).toBe(200);
  });

  it('the admin control plane and the Okta endpoints share one implementation', async () => {
    const id = String(byStatus('ACTIVE')[11]?.id);
    const viaAdmin = await fetch(`${sandbox.baseUrl}/__sandbox/admin/users/${id}/lifecycle/suspend`, {
      method: 'POST',
    });
    expect(viaAdmin.status).toBe(200);
    const viaOkta = await call('POST', `/api/v1/users/${id}/lifecycle/suspend`);
    expect([viaOkta.status, code(viaOkta)]).toEqual([400, 'E0000001']);
  });
});
