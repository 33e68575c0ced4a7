import { describe, expect, it } from 'vitest';
import { QuerySyntaxError } from '../../../../sandbox/org/query/ast.js';
import { parseExpression } from '../../../../sandbox/org/query/parser.js';
import { testOrg } from './helpers.js';

describe('SCIM expression parser', () => {
  it('parses precedence, parentheses, not, escapes and literal kinds', () => {
    expect(parseExpression('a eq "x" or b eq 1 and c pr')).toEqual({
      type: 'or',
      left: { type: 'cmp', attr: 'a', op: 'eq', value: { kind: 'string', value: 'x' } },
      right: {
        type: 'and',
        left: { type: 'cmp', attr: 'b', op: 'eq', value: { kind: 'number', value: 1 } },
        right: { type: 'pr', attr: 'c' },
      },
    });
    expect(parseExpression('NOT (x.y EQ "a \\"q\\"")')).toEqual({
      type: 'not',
      expr: { type: 'cmp', attr: 'x.y', op: 'eq', value: { kind: 'string', value: 'a "q"' } },
    });
    expect(parseExpression('flag eq true')).toMatchObject({ value: { kind: 'boolean', value: true } });
  });

  it.each(['status eq', 'status eq ACTIVE', '(status eq "A"', 'status eq "A" and', 'status xx "A"', 'status eq "A'])(
    'rejects %s',
    (text) => {
      expect(() => parseExpression(text)).toThrow(QuerySyntaxError);
    },
  );
});

describe('users search and filter', () => {
  const t = testOrg(400);
  const all = [...t.org.all('users')];

  it('search status eq returns exactly the users with that status, values case-insensitive', () => {
    const got = t.drain('/api/v1/users', { search: 'status eq "deprovisioned"' });
    expect(got.map((u) => u.id)).toEqual(all.filter((u) => u.status === 'DEPROVISIONED').map((u) => u.id));
    expect(got.length).toBeGreaterThan(0);
  });

  it('search supports dates, custom attributes, co on names, or/not/parens', () => {
    const pivot = String(all[200]?.created);
    const after = t.drain('/api/v1/users', { search: `created gt "${pivot}"`, limit: '50' });
    expect(after.map((u) => u.id)).toEqual(all.filter((u) => String(u.created) > pivot).map((u) => u.id));
    const level = t.drain('/api/v1/users', { search: 'profile.clearanceLevel ge 3' });
    expect(level.length).toBe(
      all.filter((u) => Number((u.profile as { clearanceLevel?: number }).clearanceLevel) >= 3).length,
    );
    const first = String((all[5]?.profile as { firstName: string } | undefined)?.firstName);
    const co = t.drain('/api/v1/users', { search: `profile.firstName co "${first.slice(1).toUpperCase()}"` });
    expect(co.map((u) => u.id)).toContain(all[5]?.id);
    const mixed = t.drain('/api/v1/users', {
      search: '(status eq "ACTIVE" or status eq "SUSPENDED") and not type.id pr',
    });
    expect(mixed).toEqual([]);
  });

  it('search rejects ne, co on other attributes and unknown attributes with E0000031', () => {
    expect(t.error('/api/v1/users', { search: 'status ne "ACTIVE"' })).toEqual({ status: 400, errorCode: 'E0000031' });
    expect(t.error('/api/v1/users', { search: 'profile.city co "x"' }).errorCode).toBe('E0000031');
    expect(t.error('/api/v1/users', { search: 'profile.nope eq "x"' }).errorCode).toBe('E0000031');
    expect(t.error('/api/v1/users', { search: 'status eq ACTIVE' }).errorCode).toBe('E0000031');
  });

  it('filter is case-sensitive, eq only (plus ranges on lastUpdated), no not; errors E0000053/E0000094', () => {
    const active = t.drain('/api/v1/users', { filter: 'status eq "ACTIVE"' });
    expect(active.length).toBe(all.filter((u) => u.status === 'ACTIVE').length);
    expect(t.drain('/api/v1/users', { filter: 'status eq "active"' })).toEqual([]);
    const pivot = String(all[100]?.lastUpdated);
    const updated = t.drain('/api/v1/users', { filter: `lastUpdated gt "${pivot}" and status eq "DEPROVISIONED"` });
    expect(updated.length).toBe(
      all.filter((u) => String(u.lastUpdated) > pivot && u.status === 'DEPROVISIONED').length,
    );
    expect(t.error('/api/v1/users', { filter: 'status eq "A" and' }).errorCode).toBe('E0000053');
    expect(t.error('/api/v1/users', { filter: 'not status eq "ACTIVE"' }).errorCode).toBe('E0000094');
    expect(t.error('/api/v1/users', { filter: 'profile.city eq "x"' }).errorCode).toBe('E0000094');
    expect(t.error('/api/v1/users', { filter: 'status sw "A"' }).errorCode).toBe('E0000094');
  });

  it('search and filter together is E0000033', () => {
    expect(t.error('/api/v1/users', { search: 'status pr', filter: 'status eq "ACTIVE"' })).toEqual({
      status: 400,
      errorCode: 'E0000033',
    });
  });

  it('the default list hides DEPROVISIONED; search=status pr returns everyone', () => {
    const listed = t.drain('/api/v1/users');
    expect(listed.some((u) => u.status === 'DEPROVISIONED')).toBe(false);
    expect(listed.length).toBe(all.filter((u) => u.status !== 'DEPROVISIONED').length);
    expect(t.drain('/api/v1/users', { search: 'status pr' }).length).toBe(all.length);
  });

  it('q is an unpaginated prefix match (default 10) that omits DEPROVISIONED', () => {
    const result = t.get('/api/v1/users', { q: 'a' });
    expect(result.kind === 'list' && result.paginated).toBe(false);
    expect(result.kind === 'list' && result.next).toBeNull();
    const items = result.kind === 'list' ? (result.items as Record<string, unknown>[]) : [];
    expect(items.length).toBeLessThanOrEqual(10);
    expect(items.length).toBeGreaterThan(0);
    for (const u of items) {
      expect(u.status).not.toBe('DEPROVISIONED');
      const p = u.profile as Record<string, string>;
      expect([p.firstName, p.lastName, p.email].some((v) => v?.toLowerCase().startsWith('a'))).toBe(true);
    }
  });

  it('sortBy orders search results and pages through all of them', () => {
    const sorted = t.drain('/api/v1/users', { search: 'status pr', sortBy: 'created', sortOrder: 'desc', limit: '37' });
    expect(sorted.map((u) => u.id)).toEqual([...all].reverse().map((u) => u.id));
  });
});

describe('groups, apps, devices grammars', () => {
  const t = testOrg(200, 3, { groups: 30 });

  it('groups filter by type and search by name prefix', () => {
    const groups = [...t.org.all('groups')];
    expect(t.drain('/api/v1/groups', { filter: 'type eq "APP_GROUP"' }).length).toBe(
      groups.filter((g) => g.type === 'APP_GROUP').length,
    );
    expect(t.drain('/api/v1/groups', { search: 'profile.name sw "every"' }).map((g) => g.type)).toEqual(['BUILT_IN']);
    expect(t.error('/api/v1/groups', { filter: 'profile.name eq "x"' }).errorCode).toBe('E0000094');
    const q = t.get('/api/v1/groups', { q: 'Every' });
    expect(q.kind === 'list' && q.paginated).toBe(false);
  });

  it('apps take a single eq expression only', () => {
    const inactive = t.drain('/api/v1/apps', { filter: 'status eq "INACTIVE"' });
    expect(inactive.length).toBeGreaterThan(0);
    expect(inactive.every((a) => a.status === 'INACTIVE')).toBe(true);
    expect(t.error('/api/v1/apps', { filter: 'status eq "ACTIVE" and name eq "bookmark"' }).errorCode).toBe('E0000094');
    expect(t.error('/api/v1/apps', { filter: 'label eq "x"' }).errorCode).toBe('E0000094');
    expect(t.error('/api/v1/apps', { filter: 'status sw "A"' }).errorCode).toBe('E0000094');
    const user = [...t.org.all('users')][3];
    const assigned = t.drain('/api/v1/apps', { filter: `user.id eq "${String(user?.id)}"` });
    for (const app of assigned) {
      const members = t.drain(`/api/v1/apps/${String(app.id)}/users`).map((u) => u.id);
      expect(members).toContain(user?.id);
    }
  });

  it('devices accept search only', () => {
    const windows = t.drain('/api/v1/devices', { search: 'profile.platform eq "WINDOWS"' });
    expect(windows.length).toBeGreaterThan(0);
    expect(windows.every((d) => (d.profile as { platform: string }).platform === 'WINDOWS')).toBe(true);
    expect(t.error('/api/v1/devices', { filter: 'status eq "ACTIVE"' }).status).toBe(400);
    expect(t.error('/api/v1/devices', { q: 'x' }).status).toBe(400);
    expect(t.error('/api/v1/devices', { search: 'profile.model co "x"' }).errorCode).toBe('E0000031');
    const expanded = t.list('/api/v1/devices', { expand: 'user', limit: '20' }).items;
    expect(expanded.some((d) => ((d._embedded as { users: unknown[] }).users ?? []).length === 1)).toBe(true);
  });
});

describe('time-sliced users search', () => {
  it('created ranges return exactly the users in the slice, including admin-created ones', () => {
    const t = testOrg(500, 11);
    t.clock.advance(60_000);
    t.org.admin.createUser({
      profile: {
        login: 'late.joiner@example.com',
        email: 'late.joiner@example.com',
        firstName: 'Late',
        lastName: 'Joiner',
      },
    });
    const all = [...t.org.all('users')];
    const cuts = [0, 120, 121, 333, 499].map((k) => String(all[k]?.created));
    for (const [from, until] of [
      [cuts[0], cuts[1]],
      [cuts[1], cuts[2]],
      [cuts[2], cuts[4]],
      [cuts[3], new Date(t.clock.now() + 1).toISOString()],
    ]) {
      const got = t.drain('/api/v1/users', { search: `created ge "${from}" and created lt "${until}"`, limit: '33' });
      const want = all.filter((u) => String(u.created) >= String(from) && String(u.created) < String(until));
      expect(got.map((u) => u.id)).toEqual(want.map((u) => u.id));
    }
    const either = t.drain('/api/v1/users', { search: `created lt "${cuts[1]}" or status eq "STAGED"` });
    expect(either.length).toBe(all.filter((u) => String(u.created) < String(cuts[1]) || u.status === 'STAGED').length);
    const late = t
      .drain('/api/v1/users', { search: `created gt "${cuts[4]}"` })
      .map((u) => (u.profile as { login: string }).login);
    expect(late).toEqual(['late.joiner@example.com']);
  });
});
