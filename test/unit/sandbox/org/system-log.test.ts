import { describe, expect, it } from 'vitest';
import { createClock } from '../../../../sandbox/clock.js';
import type { RouteResult } from '../../../../sandbox/org/contract.js';
import { createOrg, DEFAULT_EPOCH_MS, type SandboxOrg } from '../../../../sandbox/org/index.js';
import { DAY } from '../../../../sandbox/org/time.js';

type Rec = Record<string, unknown>;

function logOrg(options: { users?: number; logEvents: number; nowMs?: number; groups?: number }) {
  const clock = createClock(options.nowMs ?? DEFAULT_EPOCH_MS + 60_000, { running: false });
  const org = createOrg(
    { seed: 17, users: options.users ?? 2000, logEvents: options.logEvents, groups: options.groups },
    clock,
  );
  const get = (query: Record<string, string>): RouteResult => {
    const match = org.match('GET', '/api/v1/logs');
    if (!match) throw new Error('no logs route');
    return match.route.handle(new URLSearchParams(query), {});
  };
  const page = (query: Record<string, string>) => {
    const result = get(query);
    if (result.kind !== 'list') throw new Error(`expected a list, got ${JSON.stringify(result)}`);
    return { items: result.items as Rec[], next: result.next ? Object.fromEntries(result.next) : null };
  };
  const drain = (query: Record<string, string>, maxPages = 10_000): Rec[] => {
    const out: Rec[] = [];
    let q: Record<string, string> | null = query;
    for (let n = 0; q !== null && n < maxPages; n++) {
      const p = page(q);
      out.push(...p.items);
      q = p.next && p.items.length > 0 ? p.next : null;
    }
    return out;
  };
  const error = (query: Record<string, string>) => {
    const result = get(query);
    if (result.kind !== 'error') throw new Error(`expected an error for ${JSON.stringify(query)}`);
    return result.error.errorCode;
  };
  return { org, clock, page, drain, error };
}

const iso = (ms: number) => new Date(ms).toISOString();
const uuids = (events: readonly Rec[]) => events.map((e) => String(e.uuid));

describe('generated System Log history', () => {
  const t = logOrg({ logEvents: 5000 });
  const since = iso(DEFAULT_EPOCH_MS - 89.9 * DAY);
  const until = iso(t.clock.now());
  const bounded = t.drain({ since, until, limit: '1000' });

  it('serves every event of the window once, in published order, with every LogEvent field', () => {
    expect(bounded.length).toBeGreaterThan(4900);
    expect(new Set(uuids(bounded)).size).toBe(bounded.length);
    const published = bounded.map((e) => String(e.published));
    expect([...published].sort()).toEqual(published);
    const signIn = bounded.find((e) => e.eventType === 'user.session.start') as Rec;
    for (const field of [
      'actor',
      'client',
      'authenticationContext',
      'displayMessage',
      'eventType',
      'outcome',
      'published',
      'securityContext',
      'severity',
      'debugContext',
      'legacyEventType',
      'transaction',
      'uuid',
      'version',
      'request',
      'target',
    ]) {
      expect(signIn, field).toHaveProperty(field);
    }
    expect(signIn.client).toMatchObject({
      userAgent: { rawUserAgent: expect.any(String) },
      ipAddress: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/),
      geographicalContext: { country: expect.any(String), geolocation: { lat: expect.any(Number) } },
    });
    expect((signIn.request as { ipChain: unknown[] }).ipChain).toHaveLength(1);
    expect((signIn.debugContext as { debugData: Rec }).debugData.requestId).toEqual(expect.any(String));
  });

  it('has a realistic mix: failed sign-ins, MFA, SSO, membership, privilege grants, several countries', () => {
    const types = new Set(bounded.map((e) => e.eventType));
    for (const type of [
      'user.session.start',
      'user.authentication.auth_via_mfa',
      'user.authentication.sso',
      'policy.evaluate_sign_on',
      'group.user_membership.add',
      'application.user_membership.add',
      'user.account.privilege.grant',
    ]) {
      expect(types, type).toContain(type);
    }
    const outcomes = new Set(
      bounded.filter((e) => e.eventType === 'user.session.start').map((e) => (e.outcome as Rec).result),
    );
    expect(outcomes).toEqual(new Set(['SUCCESS', 'FAILURE']));
    const countries = new Set(bounded.map((e) => ((e.client as Rec).geographicalContext as Rec).country));
    expect(countries.size).toBeGreaterThan(5);
  });

  it('agrees with the org: membership adds name members, removes non-members, deletes name records that are gone', () => {
    const groupUsers = (gid: string) => {
      const match = t.org.match('GET', `/api/v1/groups/${gid}/users`);
      const ids: string[] = [];
      let query: URLSearchParams | null = new URLSearchParams({ limit: '1000' });
      while (match && query) {
        const r = match.route.handle(query, match.pathParams);
        if (r.kind !== 'list') break;
        ids.push(...(r.items as Rec[]).map((u) => String(u.id)));
        query = r.next;
      }
      return ids;
    };
    const membership = bounded.filter((e) => String(e.eventType).startsWith('group.user_membership')).slice(0, 30);
    expect(membership.length).toBeGreaterThan(5);
    for (const event of membership) {
      const [user, group] = event.target as Rec[];
      const members = groupUsers(String(group?.id));
      expect(members.includes(String(user?.id))).toBe(event.eventType === 'group.user_membership.add');
    }
    const deletes = bounded.filter(
      (e) => String(e.eventType).endsWith('.delete') || e.eventType === 'user.lifecycle.delete.completed',
    );
    expect(deletes.length).toBeGreaterThan(0);
    for (const event of deletes) {
      const target = (event.target as Rec[])[0];
      const kind = String(target?.type);
      const path =
        kind === 'User' ? 'users' : kind === 'UserGroup' ? 'groups' : kind === 'AppInstance' ? 'apps' : 'devices';
      const match = t.org.match('GET', `/api/v1/${path}/${String(target?.id)}`);
      expect(match?.route.handle(new URLSearchParams(), match.pathParams).kind).toBe('error');
    }
  });

  it('pushes filters down exactly: the filtered answer equals filtering every event locally', () => {
    const failedSignIns = t.drain({
      since,
      until,
      limit: '1000',
      filter: 'eventType eq "user.session.start" and outcome.result eq "FAILURE"',
    });
    expect(uuids(failedSignIns)).toEqual(
      uuids(bounded.filter((e) => e.eventType === 'user.session.start' && (e.outcome as Rec).result === 'FAILURE')),
    );
    const actor = String((bounded[10]?.actor as Rec | undefined)?.id);
    const byActor = t.drain({ since, until, filter: `actor.id eq "${actor}" or target.id eq "${actor}"` });
    expect(uuids(byActor)).toEqual(
      uuids(bounded.filter((e) => (e.actor as Rec).id === actor || (e.target as Rec[]).some((x) => x.id === actor))),
    );
    const sw = t.drain({ since, until, filter: 'eventType sw "group." and severity eq "INFO"' });
    expect(uuids(sw)).toEqual(
      uuids(bounded.filter((e) => String(e.eventType).startsWith('group.') && e.severity === 'INFO')),
    );
    const city =
      String(((bounded[3]?.client as Rec | undefined)?.geographicalContext as Rec | undefined)?.city).split(' ')[0] ??
      '';
    const byQ = t.drain({ since, until, q: city });
    expect(byQ.length).toBeGreaterThan(0);
    expect(byQ.every((e) => JSON.stringify(e).toLowerCase().includes(city.toLowerCase()))).toBe(true);
  });

  it('answers Okta errors for published filters, unsupported co, unknown fields, old since, too many keywords', () => {
    expect(t.error({ filter: `published gt "${since}"` })).toBe('E0000053');
    expect(t.error({ filter: 'debugContext.debugData.url co "/api"' })).toBe('E0000031');
    expect(t.error({ filter: 'nosuchfield eq "x"' })).toBe('E0000053');
    expect(t.error({ filter: 'eventType eqq "x"' })).toBe('E0000053');
    expect(t.error({ since: iso(t.clock.now() - 181 * DAY) })).toBe('E0000053');
    expect(t.error({ since: 'yesterday' })).toBe('E0000001');
    expect(t.error({ q: Array.from({ length: 11 }, (_, k) => `w${k}`).join(' ') })).toBe('E0000001');
    expect(t.error({ limit: '-1' })).toBe('E0000001');
    const empty = t.page({ since, limit: '0' });
    expect(empty.items).toEqual([]);
    expect(empty.next).not.toBeNull();
  });

  it('serves descending pages by published, ending without next', () => {
    const down = t.drain({ since, until, sortOrder: 'DESCENDING', limit: '700' });
    expect(uuids(down)).toEqual(uuids(bounded).reverse());
  });
});

describe('System Log history is immutable', () => {
  it('creating groups later changes no event of the history and puts no new group in it', () => {
    const t = logOrg({ logEvents: 3000, users: 300, groups: 40 });
    const window = { since: iso(DEFAULT_EPOCH_MS - 89 * DAY), until: iso(t.clock.now()), limit: '1000' };
    const before = t.drain(window);
    const created: string[] = [];
    for (let i = 0; i < 5; i++) created.push(String(t.org.admin.createGroup({ profile: { name: `Later ${i}` } }).id));
    const after = t.drain(window);
    expect(after).toEqual(before);
    const targets = after.flatMap((e) => (e.target as { id: string }[]).map((x) => x.id));
    expect(before.some((e) => String(e.eventType).startsWith('group.user_membership'))).toBe(true);
    for (const id of created) expect(targets).not.toContain(id);
  });
});

describe('System Log polling', () => {
  it('returns a late event after the events persisted before it, with published going backwards', () => {
    const t = logOrg({ logEvents: 300, users: 200 });
    const since = iso(DEFAULT_EPOCH_MS - 89 * DAY);
    let cursor: Record<string, string> = { since, limit: '1000' };
    const seen: Rec[] = [];
    for (let n = 0; n < 5; n++) {
      const p = t.page(cursor);
      seen.push(...p.items);
      expect(p.next).not.toBeNull();
      cursor = p.next ?? cursor;
      if (p.items.length === 0) break;
    }
    const beforeLate = seen.length;
    t.clock.advance(60_000);
    const late = t.org.injectLateLogEvent({
      eventType: 'user.session.start',
      publishedMs: DEFAULT_EPOCH_MS - 10 * DAY,
    });
    t.clock.advance(1000);
    t.org.admin.userLifecycle(String([...t.org.all('users')][0]?.id), 'suspend');
    const afterLate = t.page(cursor);
    expect(afterLate.items.map((e) => e.uuid)).toEqual([late.uuid, expect.any(String)]);
    expect(afterLate.items[1]?.eventType).toBe('user.lifecycle.suspend');
    expect(afterLate.next).not.toBeNull();
    // Polling order is persistence order: published goes backwards here, as Okta says it may.
    expect(Date.parse(String(afterLate.items[0]?.published))).toBeLessThan(Date.parse(String(seen.at(-1)?.published)));
    const again = t.page(afterLate.next ?? {});
    expect(again.items).toEqual([]);
    // A bounded window over the late event's published time does include it when asked afterwards.
    const window = t.drain({ since: iso(DEFAULT_EPOCH_MS - 11 * DAY), until: iso(DEFAULT_EPOCH_MS - 9 * DAY) });
    expect(uuids(window)).toContain(late.uuid);
    expect(beforeLate).toBeGreaterThan(0);
  });

  it('moves the cursor past scanned events when a filter matches nothing, so an idle poll costs nothing new', () => {
    const t = logOrg({ logEvents: 2000, users: 300 });
    const first = t.page({ since: iso(DEFAULT_EPOCH_MS - 89 * DAY), filter: 'eventType eq "nothing.matches"' });
    expect(first.items).toEqual([]);
    t.clock.advance(1000);
    t.org.admin.createGroup({ profile: { name: 'Polled' } });
    const next = t.page({ ...first.next, filter: 'eventType eq "group.lifecycle.create"' });
    expect(next.items.map((e) => e.eventType)).toEqual(['group.lifecycle.create']);
  });

  it('keeps 90 days: events older than that are gone even when since reaches further back', () => {
    const t = logOrg({ logEvents: 3000, users: 300, nowMs: DEFAULT_EPOCH_MS + 30 * DAY });
    const events = t.drain({ since: iso(DEFAULT_EPOCH_MS - 100 * DAY), until: iso(t.clock.now()), limit: '1000' });
    expect(events.length).toBeGreaterThan(0);
    const oldest = Math.min(...events.map((e) => Date.parse(String(e.published))));
    expect(oldest).toBeGreaterThanOrEqual(t.clock.now() - 90 * DAY);
  });

  it('costs no memory per generated event: a million-event history materializes nothing', () => {
    const t = logOrg({ logEvents: 1_000_000, users: 100_000, groups: 500 });
    const page = t.page({ since: iso(DEFAULT_EPOCH_MS - 2 * DAY), until: iso(DEFAULT_EPOCH_MS), limit: '1000' });
    expect(page.items).toHaveLength(1000);
    expect(page.next).not.toBeNull();
    expect(t.org.logStats()).toEqual({ generated: 1_000_000, materialized: 0 });
  });
});

describe('default history (no logEvents)', () => {
  it('stays the small lifecycle history and has no delete events', () => {
    const clock = createClock(DEFAULT_EPOCH_MS + 60_000, { running: false });
    const org: SandboxOrg = createOrg({ seed: 3, users: 2000 }, clock);
    const match = org.match('GET', '/api/v1/logs');
    const r = match?.route.handle(new URLSearchParams({ since: iso(DEFAULT_EPOCH_MS - 89 * DAY), limit: '1000' }), {});
    const items = r?.kind === 'list' ? (r.items as Rec[]) : [];
    expect(items.length).toBeGreaterThan(0);
    expect(items.some((e) => String(e.eventType).includes('delete'))).toBe(false);
    expect(org.logStats().generated).toBe(0);
  });
});
