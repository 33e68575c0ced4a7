import { describe, expect, it } from 'vitest';
import { createClock } from '../../../../sandbox/clock.js';
import { IdSpace } from '../../../../sandbox/org/ids.js';
import { createOrg, DEFAULT_EPOCH_MS } from '../../../../sandbox/org/index.js';
import { Stream, seed32 } from '../../../../sandbox/org/random.js';
import { testOrg } from './helpers.js';

const TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('sandbox org generator', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = [...testOrg(50, 7).org.all('users')];
    const b = [...testOrg(50, 7).org.all('users')];
    const c = [...testOrg(50, 8).org.all('users')];
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('has every user status, transitions, unicode names, null and absent attributes, custom types', () => {
    const users = [...testOrg(300).org.all('users')];
    const statuses = new Set(users.map((u) => u.status));
    expect([...statuses].sort()).toEqual([
      'ACTIVE',
      'DEPROVISIONED',
      'LOCKED_OUT',
      'PASSWORD_EXPIRED',
      'PROVISIONED',
      'RECOVERY',
      'STAGED',
      'SUSPENDED',
    ]);
    expect(users.some((u) => u.transitioningToStatus === 'ACTIVE')).toBe(true);
    const profiles = users.map((u) => u.profile as Record<string, unknown>);
    expect(profiles.some((p) => /[^\x20-\x7e]/.test(String(p.firstName) + String(p.lastName)))).toBe(true);
    expect(profiles.some((p) => p.middleName === null)).toBe(true);
    expect(profiles.some((p) => !('middleName' in p))).toBe(true);
    expect(profiles.some((p) => typeof p.fteRatio === 'number' && !Number.isInteger(p.fteRatio))).toBe(true);
    expect(profiles.some((p) => typeof p.isContractor === 'boolean')).toBe(true);
    expect(profiles.some((p) => Number.isInteger(p.clearanceLevel))).toBe(true);
    expect(profiles.some((p) => Array.isArray(p.skills))).toBe(true);
    expect(profiles.some((p) => p.githubHandle === null)).toBe(true);
    for (const u of users) {
      expect(u.id).toMatch(/^00u[0-9A-Za-z]{17}$/);
      expect(u.created).toMatch(TS);
      expect(u.lastUpdated).toMatch(TS);
    }
    // id order == created order, which is what makes time-sliced scans and `after=<id>` cheap
    const ids = users.map((u) => String(u.id));
    expect([...ids].sort()).toEqual(ids);
    const created = users.map((u) => Date.parse(String(u.created)));
    expect(created.every((t, k) => k === 0 || t >= (created[k - 1] ?? 0))).toBe(true);
  });

  it('keeps user timestamps causally ordered', () => {
    for (const u of testOrg(400, 5).org.all('users')) {
      const created = Date.parse(String(u.created));
      const updated = Date.parse(String(u.lastUpdated));
      expect(updated).toBeGreaterThanOrEqual(created);
      for (const key of ['activated', 'statusChanged', 'lastLogin', 'passwordChanged']) {
        const value = u[key];
        if (value === null) continue;
        const ms = Date.parse(String(value));
        expect(ms).toBeGreaterThanOrEqual(created);
        expect(ms).toBeLessThanOrEqual(updated);
      }
      if (u.activated !== null && u.statusChanged !== null) {
        expect(Date.parse(String(u.statusChanged))).toBeGreaterThanOrEqual(Date.parse(String(u.activated)));
      }
      if (u.status === 'STAGED' || u.status === 'PROVISIONED') expect(u.activated).toBeNull();
    }
  });

  it('has Everyone, OKTA_GROUP and AD-style APP_GROUPs with a source', () => {
    const groups = [...testOrg(100).org.all('groups')];
    const everyone = groups.filter((g) => g.type === 'BUILT_IN');
    expect(everyone).toHaveLength(1);
    expect(everyone[0]?.profile).toMatchObject({ name: 'Everyone' });
    expect(groups.some((g) => g.type === 'OKTA_GROUP')).toBe(true);
    const ad = groups.find((g) => g.type === 'APP_GROUP' && 'dn' in (g.profile as object));
    expect(ad?.profile).toMatchObject({
      samAccountName: expect.any(String),
      windowsDomainQualifiedName: expect.any(String),
    });
    expect(ad?.source).toMatchObject({ id: expect.stringMatching(/^0oa/) });
    expect(groups.every((g) => String(g.id).startsWith('00g'))).toBe(true);
  });

  it('has every signOnMode plus an unknown one, both statuses, and secrets in credentials', () => {
    const apps = [...testOrg(50).org.all('apps')];
    const modes = new Set(apps.map((a) => a.signOnMode));
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
      'MFA_AS_SERVICE',
    ]) {
      expect(modes.has(mode)).toBe(true);
    }
    expect(new Set(apps.map((a) => a.status))).toEqual(new Set(['ACTIVE', 'INACTIVE']));
    const oidc = apps.find((a) => a.signOnMode === 'OPENID_CONNECT');
    expect(
      (oidc?.credentials as { oauthClient: { client_secret: string } } | undefined)?.oauthClient.client_secret.length,
    ).toBeGreaterThan(13);
    const shared = apps.filter((a) => (a.credentials as { scheme?: string }).scheme === 'SHARED_USERNAME_AND_PASSWORD');
    expect(shared.length).toBeGreaterThan(0);
    // Okta never returns a stored password's value (writeOnly in its spec): the shape is there, the secret is not.
    for (const app of shared) expect((app.credentials as { password?: unknown }).password).toEqual({});
  });

  it('has devices on four platforms with CREATED among the statuses, and user types with one default', () => {
    const t = testOrg(100);
    const devices = [...t.org.all('devices')];
    expect(new Set(devices.map((d) => (d.profile as { platform: string }).platform))).toEqual(
      new Set(['ANDROID', 'IOS', 'MACOS', 'WINDOWS']),
    );
    expect(new Set(devices.map((d) => d.status))).toEqual(
      new Set(['ACTIVE', 'DEACTIVATED', 'SUSPENDED', 'CREATED', 'UNSUSPENDED']),
    );
    const types = [...t.org.all('userTypes')];
    expect(types.length).toBeLessThanOrEqual(10);
    expect(types.filter((x) => x.default === true)).toHaveLength(1);
  });

  it('builds a 1,000,000-user org lazily and serves its last user by id and by login', () => {
    const clock = createClock(DEFAULT_EPOCH_MS, { running: false });
    const org = createOrg({ seed: 1, users: 1_000_000 }, clock);
    expect(org.counts.users).toBe(1_000_000);
    const lastId = new IdSpace('00u', seed32(1), Stream.userId).idOf(999_999);
    const byId = org.match('GET', `/api/v1/users/${lastId}`);
    const user = byId?.route.handle(new URLSearchParams(), byId.pathParams);
    expect(user?.kind).toBe('item');
    const body = (user as { body: { id: string; profile: { login: string; employeeNumber: string } } }).body;
    expect(body.id).toBe(lastId);
    expect(body.profile.employeeNumber).toBe('1099999');
    const byLogin = org.match('GET', `/api/v1/users/${encodeURIComponent(body.profile.login)}`);
    const again = byLogin?.route.handle(new URLSearchParams(), byLogin.pathParams);
    expect((again as { body: { id: string } }).body.id).toBe(lastId);
    const page = org.match('GET', '/api/v1/users');
    const first = page?.route.handle(new URLSearchParams({ limit: '200' }), {});
    expect(first?.kind === 'list' && first.items.length).toBe(200);
  });
});
