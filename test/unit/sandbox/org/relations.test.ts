import { describe, expect, it } from 'vitest';
import { SparseSubset } from '../../../../sandbox/org/sparse-subset.js';
import { testOrg } from './helpers.js';

type Rec = Record<string, unknown>;
const ids = (records: readonly Rec[]): string[] => records.map((r) => String(r.id));

describe('SparseSubset', () => {
  it.each([
    [0.3, 5_000],
    [0.01, 20_000],
    [0.0005, 100_000],
    [1, 300],
    [0, 1_000],
  ])('with p=%f over %i indexes enumerates exactly the indexes it contains, in order', (p, size) => {
    const set = new SparseSubset(7, 99, 3, size, p);
    const byTest: number[] = [];
    for (let i = 0; i < size; i++) if (set.has(i)) byTest.push(i);
    expect([...set.from(0)]).toEqual(byTest);
    expect(set.count()).toBe(byTest.length);
    const mid = Math.floor(size / 3);
    expect([...set.from(mid)]).toEqual(byTest.filter((i) => i >= mid));
    // The draw is Bernoulli(p) per index: the count lands within 5 standard deviations of p·size.
    const sd = Math.sqrt(size * p * (1 - p));
    expect(Math.abs(byTest.length - p * size)).toBeLessThanOrEqual(5 * sd + 1);
  });

  it('is a pure function of (seed, stream, key) and differs across keys', () => {
    const a = [...new SparseSubset(1, 2, 3, 10_000, 0.05).from(0)];
    expect([...new SparseSubset(1, 2, 3, 10_000, 0.05).from(0)]).toEqual(a);
    expect([...new SparseSubset(1, 2, 4, 10_000, 0.05).from(0)]).not.toEqual(a);
  });
});

describe('group members', () => {
  const t = testOrg(900, 11, { groups: 40 });
  const users = [...t.org.all('users')];
  const groups = [...t.org.all('groups')];

  it('list each group exactly as the per-user membership test says, in id order, for any page size', () => {
    const groupsOf = new Map(users.map((u) => [String(u.id), ids(t.drain(`/api/v1/users/${String(u.id)}/groups`))]));
    for (const group of groups) {
      const gid = String(group.id);
      const listed = ids(t.drain(`/api/v1/groups/${gid}/users`, { limit: '37' }));
      expect(listed).toEqual([...listed].sort());
      expect(listed).toEqual(ids(users.filter((u) => groupsOf.get(String(u.id))?.includes(gid))));
    }
  });

  it('have heavy-tailed sizes, Everyone = every user, some empty groups in big orgs, and stats that match', () => {
    const sizes = groups.map((g) => t.drain(`/api/v1/groups/${String(g.id)}/users`).length);
    expect(sizes[0]).toBe(900);
    const stats = t
      .drain('/api/v1/groups', { expand: 'stats' })
      .map((g) => ((g._embedded as Rec).stats as { usersCount: number }).usersCount);
    expect(stats).toEqual(sizes);
    const big = testOrg(200_000, 3, { groups: 10_000 });
    const counts: number[] = [];
    for (const g of big.list('/api/v1/groups', { limit: '400', expand: 'stats' }).items) {
      counts.push(((g._embedded as Rec).stats as { usersCount: number }).usersCount);
    }
    const others = counts.slice(1).sort((a, b) => a - b);
    expect(others.filter((n) => n === 0).length).toBeGreaterThan(0);
    // Most groups are teams; a few are a sizable share of the org.
    expect(others[Math.floor(others.length / 2)]).toBeLessThan(200_000 / 100);
    expect(others.at(-1)).toBeGreaterThan(200_000 / 40);
  });

  it('reflect adds, removes and deletes in listings, counts and user groups', () => {
    const m = testOrg(300, 5, { groups: 20 });
    const group = [...m.org.all('groups')].find((g) => g.type === 'OKTA_GROUP' && g.id !== undefined);
    const gid = String(group?.id);
    const before = ids(m.drain(`/api/v1/groups/${gid}/users`));
    const all = ids([...m.org.all('users')]);
    const outsider = all.find((id) => !before.includes(id)) ?? '';
    const insider = before[1] ?? '';
    const deleted = before[2] ?? '';
    m.org.admin.addGroupMember(gid, outsider);
    m.org.admin.removeGroupMember(gid, insider);
    m.org.admin.deleteUser(deleted);
    m.org.admin.deleteUser(deleted);
    const created = String(
      m.org.admin.createUser({
        profile: { login: 'late.joiner@example.com', email: 'late.joiner@example.com', firstName: 'L', lastName: 'J' },
      }).id,
    );
    m.org.admin.addGroupMember(gid, created);
    const after = ids(m.drain(`/api/v1/groups/${gid}/users`, { limit: '7' }));
    const expected = [...before.filter((id) => id !== insider && id !== deleted), outsider, created].sort();
    expect(after).toEqual(expected);
    const stats = m.get(`/api/v1/groups/${gid}`, { expand: 'stats' });
    expect(stats.kind === 'item' && ((stats.body as Rec)._embedded as Rec).stats).toMatchObject({
      usersCount: expected.length,
    });
    expect(ids(m.drain(`/api/v1/users/${created}/groups`))).toContain(gid);
    const everyone = String([...m.org.all('groups')][0]?.id);
    expect(m.drain(`/api/v1/groups/${everyone}/users`)).toHaveLength(300);
  });
});

describe('incremental membership reads', () => {
  it('filter=lastMembershipUpdated gt finds exactly the groups whose membership changed since', () => {
    const t = testOrg(400, 8, { groups: 30 });
    const okta = [...t.org.all('groups')]
      .filter((g) => g.type === 'OKTA_GROUP' && t.list(`/api/v1/groups/${String(g.id)}/users`).items.length > 0)
      .slice(0, 3);
    expect(okta).toHaveLength(3);
    const users = [...t.org.all('users')];
    const mark = new Date(t.clock.now()).toISOString();
    t.clock.advance(60_000);
    t.org.admin.addGroupMember(String(okta[0]?.id), String(users[300]?.id));
    t.org.admin.removeGroupMember(
      String(okta[1]?.id),
      String(t.drain(`/api/v1/groups/${String(okta[1]?.id)}/users`)[0]?.id),
    );
    t.org.admin.updateGroup(String(okta[2]?.id), { description: 'profile only' });
    const changed = t.drain('/api/v1/groups', { filter: `lastMembershipUpdated gt "${mark}"` }).map((g) => g.id);
    expect(changed.sort()).toEqual([okta[0]?.id, okta[1]?.id].sort());
    const profileChanged = t.drain('/api/v1/groups', { filter: `lastUpdated gt "${mark}"` }).map((g) => g.id);
    expect(profileChanged).toEqual([okta[2]?.id]);
  });
});

describe('app assignments', () => {
  const t = testOrg(600, 13, { groups: 30 });
  const apps = [...t.org.all('apps')];

  it('list direct users (scope USER) and users reaching the app through its groups (scope GROUP), once each', () => {
    let groupScoped = 0;
    for (const app of apps) {
      const aid = String(app.id);
      const appUsers = t.drain(`/api/v1/apps/${aid}/users`, { limit: '50' });
      const listed = ids(appUsers);
      expect(listed).toEqual([...new Set(listed)].sort());
      const viaGroups = new Set<string>();
      for (const assignment of t.drain(`/api/v1/apps/${aid}/groups`, { limit: '20' })) {
        for (const u of t.drain(`/api/v1/groups/${String(assignment.id)}/users`)) viaGroups.add(String(u.id));
      }
      for (const appUser of appUsers) {
        if (appUser.scope === 'GROUP') {
          groupScoped++;
          expect(viaGroups.has(String(appUser.id))).toBe(true);
        }
      }
      for (const id of viaGroups) expect(listed).toContain(id);
      const byFilter = ids(t.drain('/api/v1/apps', { filter: `user.id eq "${listed[0] ?? 'none'}"` }));
      if (listed.length > 0) expect(byFilter).toContain(aid);
    }
    expect(groupScoped).toBeGreaterThan(0);
  });

  it('embed the user and group on expand and filter users by q', () => {
    const app = apps.find((a) => t.drain(`/api/v1/apps/${String(a.id)}/groups`).length > 0);
    const aid = String(app?.id);
    const first = t.list(`/api/v1/apps/${aid}/users`, { expand: 'user', limit: '5' }).items[0];
    expect((first?._embedded as Rec | undefined)?.user).toMatchObject({ id: first?.id });
    const group = t.list(`/api/v1/apps/${aid}/groups`, { expand: 'group' }).items[0];
    expect((group?._embedded as Rec | undefined)?.group).toMatchObject({ id: group?.id });
    const login = String((first?.credentials as Rec | undefined)?.userName);
    const byQ = t.drain(`/api/v1/apps/${aid}/users`, { q: login.slice(0, 6) });
    expect(ids(byQ)).toContain(first?.id);
    expect(byQ.every((u) => String((u.credentials as Rec).userName).startsWith(login.slice(0, 6)))).toBe(true);
  });
});
