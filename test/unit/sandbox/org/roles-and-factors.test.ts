import { describe, expect, it } from 'vitest';
import { testOrg } from './helpers.js';

type Rec = Record<string, unknown>;

/** Follows the assignees endpoint's body `_links.next` (it has no Link header) to the end. */
function allAssignees(t: ReturnType<typeof testOrg>, limit: string): string[] {
  const out: string[] = [];
  let query: Record<string, string> | null = { limit };
  for (let pages = 0; query !== null && pages < 1000; pages++) {
    const page = t.get('/api/v1/iam/assignees/users', query);
    if (page.kind !== 'item') throw new Error(JSON.stringify(page));
    const body = page.body as { value: Rec[]; _links: { next?: { href: string } } };
    out.push(...body.value.map((v) => String(v.id)));
    const next = body._links.next?.href;
    query = next ? Object.fromEntries(new URL(next.replace('{{origin}}', 'http://x')).searchParams) : null;
  }
  return out;
}

describe('admin roles', () => {
  const t = testOrg(50_000, 21, { groups: 300 });

  it('make user 0 the super admin and list a few dozen role holders in id order, paged by the body link', () => {
    const admin = String([...t.org.all('users')][0]?.id);
    const roles = t.list(`/api/v1/users/${admin}/roles`).items;
    expect(roles.map((r) => r.type)).toContain('SUPER_ADMIN');
    const assignees = allAssignees(t, '5');
    expect(assignees).toEqual(allAssignees(t, '100'));
    expect(assignees[0]).toBe(admin);
    expect([...assignees].sort()).toEqual(assignees);
    expect(assignees.length).toBeGreaterThanOrEqual(10);
    expect(assignees.length).toBeLessThanOrEqual(100);
    for (const id of assignees) expect(t.list(`/api/v1/users/${id}/roles`).items.length).toBeGreaterThan(0);
  });

  it('include group-held roles (assignmentType GROUP) and custom roles with a resource set', () => {
    const all: Rec[] = [];
    for (const id of allAssignees(t, '100')) all.push(...t.list(`/api/v1/users/${id}/roles`).items);
    expect(new Set(all.map((r) => r.assignmentType))).toEqual(new Set(['USER', 'GROUP']));
    const custom = all.filter((r) => r.type === 'CUSTOM');
    expect(custom.length).toBeGreaterThan(0);
    for (const r of custom)
      expect(r).toMatchObject({ role: expect.stringMatching(/^cr0/), 'resource-set': expect.any(String) });
    const groupHeld = all.find((r) => r.assignmentType === 'GROUP');
    const groupHref = String(((groupHeld?._links as Rec | undefined)?.assignee as Rec | undefined)?.href);
    const gid = groupHref.split('/').at(-1) ?? '';
    expect(t.list(`/api/v1/groups/${gid}/roles`).items.map((r) => r.id)).toContain(groupHeld?.id);
    expect(t.error('/api/v1/users/00unotauser000000000/roles').errorCode).toBe('E0000007');
  });
});

describe('factors', () => {
  it('enroll most ACTIVE users, none of the never-activated or deactivated, and reset_factors empties the list', () => {
    const t = testOrg(400, 4);
    const users = [...t.org.all('users')];
    const factorsOf = (id: unknown) => t.list(`/api/v1/users/${String(id)}/factors`).items;
    const active = users.filter((u) => u.status === 'ACTIVE');
    const enrolled = active.filter((u) => factorsOf(u.id).length > 0);
    expect(enrolled.length / active.length).toBeGreaterThan(0.75);
    for (const u of users.filter((x) => ['STAGED', 'PROVISIONED', 'DEPROVISIONED'].includes(String(x.status)))) {
      expect(factorsOf(u.id)).toEqual([]);
    }
    const types = new Set(enrolled.flatMap((u) => factorsOf(u.id).map((f) => `${f.factorType}/${f.provider}`)));
    for (const kind of ['push/OKTA', 'token:software:totp/GOOGLE', 'sms/OKTA', 'webauthn/FIDO'])
      expect(types).toContain(kind);
    const target = enrolled[0];
    const result = t.org.handleAdmin('POST', `/users/${String(target?.id)}/lifecycle/reset_factors`, null);
    expect(result.kind).not.toBe('error');
    expect(factorsOf(target?.id)).toEqual([]);
  });
});
