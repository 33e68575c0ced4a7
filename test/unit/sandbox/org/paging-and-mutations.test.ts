import { describe, expect, it } from 'vitest';
import { OrgRequestError } from '../../../../sandbox/org/index.js';
import { DAY } from '../../../../sandbox/org/time.js';
import { testOrg } from './helpers.js';

describe('pagination', () => {
  const t = testOrg(333, 9, { groups: 25, devices: 61 });
  const allUsers = [...t.org.all('users')].filter((u) => u.status !== 'DEPROVISIONED').map((u) => u.id);

  it.each([1, 7, 200, 500])('lists every user exactly once with limit=%i', (limit) => {
    const ids = t.drain('/api/v1/users', { limit: String(limit) }).map((u) => u.id);
    expect(ids).toEqual(allUsers);
  });

  it('next echoes the query with after and an explicit limit, caps limit at the max, and ends without next', () => {
    const first = t.list('/api/v1/users', { search: 'status pr', limit: '5000' });
    expect(first.items).toHaveLength(200);
    expect(first.next?.get('search')).toBe('status pr');
    expect(first.next?.get('limit')).toBe('200');
    expect(first.next?.get('after')).toBe(first.items.at(-1)?.id);
    const second = t.list('/api/v1/users', Object.fromEntries(first.next ?? []));
    expect(second.items).toHaveLength(133);
    expect(second.next).toBeNull();
    expect(t.error('/api/v1/users', { limit: '0' }).errorCode).toBe('E0000001');
  });

  it.each([
    ['/api/v1/groups', 'groups', 4],
    ['/api/v1/devices', 'devices', 9],
    ['/api/v1/apps', 'apps', 3],
  ] as const)('%s pages cover every record once', (path, object, limit) => {
    const ids = t.drain(path, { limit: String(limit) }).map((r) => r.id);
    expect(ids).toEqual([...t.org.all(object)].map((r) => r.id));
  });

  it('group members and user groups agree, and Everyone holds every user', () => {
    const groups = [...t.org.all('groups')];
    const everyone = t.drain(`/api/v1/groups/${String(groups[0]?.id)}/users`, { limit: '50' });
    expect(everyone).toHaveLength(333);
    const user = [...t.org.all('users')][17];
    const mine = t.drain(`/api/v1/users/${String(user?.id)}/groups`).map((g) => g.id);
    for (const g of groups) {
      const members = t.drain(`/api/v1/groups/${String(g.id)}/users`, { limit: '100' }).map((u) => u.id);
      expect(members.includes(user?.id)).toBe(mine.includes(g.id));
    }
  });

  it('user types are unpaginated and resolve the default alias; schemas list the custom attributes', () => {
    const types = t.get('/api/v1/meta/types/user');
    expect(types.kind === 'list' && types.paginated).toBe(false);
    const def = t.get('/api/v1/meta/types/user/default');
    expect(def.kind === 'item' && (def.body as { default: boolean }).default).toBe(true);
    const schema = t.get('/api/v1/meta/schemas/user/default');
    const custom =
      schema.kind === 'item'
        ? (schema.body as { definitions: { custom: { properties: Record<string, { type: string }> } } })
        : undefined;
    expect(custom?.definitions.custom.properties.clearanceLevel?.type).toBe('integer');
    expect(custom?.definitions.custom.properties.skills?.type).toBe('array');
  });

  it('unknown ids are 404 E0000007 and routes carry scopes', () => {
    expect(t.error('/api/v1/users/00uNOPE').errorCode).toBe('E0000007');
    expect(t.error('/api/v1/groups/00gNOPE/users').status).toBe(404);
    expect(t.org.match('GET', '/api/v1/devices')?.route.scope).toBe('okta.devices.read');
    expect(t.org.match('GET', '/api/v1/meta/schemas/user/default')?.route.scope).toBe('okta.schemas.read');
    expect(t.org.match('POST', '/api/v1/users')?.route.scope).toBe('okta.users.manage');
    expect(t.org.match('PUT', '/api/v1/groups/00g1/users/00u1')?.route.scope).toBe('okta.groups.manage');
    expect(t.org.match('PATCH', '/api/v1/users')).toBeNull();
    expect(t.org.match('HEAD', '/api/v1/users')?.route.method).toBe('GET');
  });
});

describe('admin mutations', () => {
  it('update bumps lastUpdated, keeps the id and order, and writes a log event', () => {
    const t = testOrg(50);
    const before = [...t.org.all('users')];
    const target = before[10];
    t.clock.advance(5 * 60_000);
    const updated = t.org.admin.updateUser(String(target?.id), { title: 'Chief Tester', clearanceLevel: 4 });
    expect(updated.lastUpdated).toBe(new Date(t.clock.now()).toISOString());
    expect((updated.profile as Record<string, unknown>).title).toBe('Chief Tester');
    expect([...t.org.all('users')].map((u) => u.id)).toEqual(before.map((u) => u.id));
    const found = t.drain('/api/v1/users', {
      filter: `lastUpdated gt "${String(target?.lastUpdated)}" and id eq "${String(target?.id)}"`,
    });
    expect(found).toHaveLength(1);
    const events = t.list('/api/v1/logs', { filter: 'eventType eq "user.account.update_profile"' }).items;
    expect(events.map((e) => (e.target as { id: string }[])[0]?.id)).toEqual([target?.id]);
    expect(() => t.org.admin.updateUser(String(target?.id), { unknownAttr: 1 })).toThrow(OrgRequestError);
  });

  it('delete deactivates first, then removes the user (404 by id) and logs both', () => {
    const t = testOrg(50);
    const id = String([...t.org.all('users')].find((u) => u.status === 'ACTIVE')?.id);
    expect(t.org.admin.deleteUser(id)).toBe('deactivated');
    expect(t.get(`/api/v1/users/${id}`).kind).toBe('item');
    expect(t.org.admin.deleteUser(id)).toBe('deleted');
    expect(t.error(`/api/v1/users/${id}`).errorCode).toBe('E0000007');
    expect(t.drain('/api/v1/users', { search: 'status pr' }).map((u) => u.id)).not.toContain(id);
    const types = t.list('/api/v1/logs', { q: id }).items.map((e) => e.eventType);
    expect(types).toEqual([
      'user.lifecycle.deactivate',
      'user.lifecycle.delete.initiated',
      'user.lifecycle.delete.completed',
    ]);
    expect(t.org.counts.users).toBe(49);
  });

  it('membership changes bump the group lastMembershipUpdated but not the user, and log add/remove', () => {
    const t = testOrg(60, 5, { groups: 20 });
    const group = [...t.org.all('groups')].find((g) => g.type === 'OKTA_GROUP');
    const gid = String(group?.id);
    const members = new Set(t.drain(`/api/v1/groups/${gid}/users`).map((u) => u.id));
    const user = [...t.org.all('users')].find((u) => !members.has(u.id));
    const uid = String(user?.id);
    t.clock.advance(60_000);
    const res = t.org.handleAdmin('PUT', `/groups/${gid}/users/${uid}`, undefined);
    expect(res).toEqual({ kind: 'item', body: null });
    expect(t.drain(`/api/v1/groups/${gid}/users`).map((u) => u.id)).toContain(uid);
    const after = t.get(`/api/v1/groups/${gid}`);
    expect(after.kind === 'item' && (after.body as { lastMembershipUpdated: string }).lastMembershipUpdated).toBe(
      new Date(t.clock.now()).toISOString(),
    );
    const sameUser = t.get(`/api/v1/users/${uid}`);
    expect(sameUser.kind === 'item' && (sameUser.body as { lastUpdated: string }).lastUpdated).toBe(user?.lastUpdated);
    t.org.admin.removeGroupMember(gid, uid);
    const events = t.list('/api/v1/logs', { filter: `target.id eq "${gid}"` }).items.map((e) => e.eventType);
    expect(events).toEqual(['group.user_membership.add', 'group.user_membership.remove']);
  });

  it('deleting a group mid-run turns its member list into 404, and apps/devices obey their delete rules', () => {
    const t = testOrg(40, 5, { groups: 15 });
    const group = [...t.org.all('groups')].find((g) => g.type === 'OKTA_GROUP');
    expect(t.org.handleAdmin('DELETE', `/groups/${String(group?.id)}`, null).kind).toBe('item');
    expect(t.error(`/api/v1/groups/${String(group?.id)}/users`).errorCode).toBe('E0000007');
    const active = [...t.org.all('apps')].find((a) => a.status === 'ACTIVE');
    const refused = t.org.handleAdmin('DELETE', `/apps/${String(active?.id)}`, null);
    expect(refused.kind === 'error' && refused.error.errorCode).toBe('E0000056');
    t.org.handleAdmin('POST', `/apps/${String(active?.id)}/lifecycle/deactivate`, null);
    expect(t.org.handleAdmin('DELETE', `/apps/${String(active?.id)}`, null).kind).toBe('item');
    expect(t.error(`/api/v1/apps/${String(active?.id)}`).errorCode).toBe('E0000007');
    const device = [...t.org.all('devices')].find((d) => d.status === 'ACTIVE');
    expect(() => t.org.admin.deleteDevice(String(device?.id))).toThrow(OrgRequestError);
    t.org.admin.deviceLifecycle(String(device?.id), 'deactivate');
    t.org.admin.deleteDevice(String(device?.id));
    const kinds = t.list('/api/v1/logs', { filter: 'eventType ew ".delete"' }).items.map((e) => e.eventType);
    expect(kinds).toEqual(['group.lifecycle.delete', 'application.lifecycle.delete', 'device.lifecycle.delete']);
  });

  it('created users sort after existing ones and appear in Everyone', () => {
    const t = testOrg(30);
    const created = t.org.handleAdmin('POST', '/users', {
      profile: {
        login: 'new.person@example.com',
        email: 'new.person@example.com',
        firstName: 'Néw',
        lastName: 'Pérson',
      },
    });
    expect(created.kind).toBe('item');
    const id = created.kind === 'item' ? String((created.body as { id: string }).id) : '';
    const ids = t.drain('/api/v1/users').map((u) => u.id);
    expect(ids.at(-1)).toBe(id);
    const dup = t.org.handleAdmin('POST', '/users', {
      profile: { login: 'NEW.person@example.com', email: 'x@example.com', firstName: 'a', lastName: 'b' },
    });
    expect(dup.kind === 'error' && dup.error.errorCode).toBe('E0000001');
    expect(t.get('/api/v1/users/new.person@example.com').kind).toBe('item');
  });
});

describe('System Log polling', () => {
  it('always returns next without until, even on an empty page, and resumes after new events', () => {
    const t = testOrg(20);
    const since = new Date(t.clock.now() - DAY).toISOString();
    const empty = t.list('/api/v1/logs', { since });
    expect(empty.items).toEqual([]);
    expect(empty.next).not.toBeNull();
    t.clock.advance(1000);
    t.org.admin.userLifecycle(String([...t.org.all('users')][0]?.id), 'suspend');
    const next = t.list('/api/v1/logs', Object.fromEntries(empty.next ?? []));
    expect(next.items.map((e) => e.eventType)).toEqual(['user.lifecycle.suspend']);
    expect(next.next).not.toBeNull();
    const again = t.list('/api/v1/logs', Object.fromEntries(next.next ?? []));
    expect(again.items).toEqual([]);
  });

  it('bounded queries end without next; since older than 180 days is E0000053', () => {
    const t = testOrg(2000);
    const now = t.clock.now();
    const since = new Date(now - 90 * DAY).toISOString();
    const until = new Date(now).toISOString();
    const events = t.drain('/api/v1/logs', { since, until, limit: '50' });
    expect(events.length).toBeGreaterThan(0);
    const published = events.map((e) => String(e.published));
    expect([...published].sort()).toEqual(published);
    expect(t.error('/api/v1/logs', { since: new Date(now - 181 * DAY).toISOString() }).errorCode).toBe('E0000053');
  });
});
