/**
 * Every action of a plan against the sandbox: a dry run is inert (the org, its System Log included, is unchanged),
 * execute applies each row (read back from the org), and executing the same plan again changes nothing and says so.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_NAMES } from '../../../lambdas/write/actions.js';
import { MemoryApplyEvents } from '../../../lambdas/write/apply-events.js';
import { applyPlan } from '../../../lambdas/write/apply-plan.js';
import { type AuditRecord, parseAudit } from '../../../lambdas/write/audit.js';
import { type Rec, startWriteHarness, type WriteHarness } from './harness.js';

let h: WriteHarness;
const rows: Rec[] = [];
/** Per row: a check that the org shows the action's effect. */
const effects: ((h: WriteHarness) => Promise<void>)[] = [];

const status = async (id: string) => (await h.get<Rec>(`/api/v1/users/${id}`)).status;

beforeAll(async () => {
  h = await startWriteHarness();
  const users = [...h.sandbox.org.all('users')] as Rec[];
  const superAdmins = new Set<string>();
  for (const u of users.slice(0, 80)) {
    const roles = await h.get<Rec[]>(`/api/v1/users/${String(u.id)}/roles`);
    if (roles.some((r) => r.type === 'SUPER_ADMIN')) superAdmins.add(String(u.id));
  }
  const taken = new Set<string>();
  const pick = (s: string, extra: (u: Rec) => boolean = () => true): Rec => {
    const u = users.find(
      (x) => x.status === s && !superAdmins.has(String(x.id)) && !taken.has(String(x.id)) && extra(x),
    );
    if (!u) throw new Error(`no free ${s} user`);
    taken.add(String(u.id));
    return u;
  };
  const id = (u: Rec) => String(u.id);
  const login = (u: Rec) => String((u.profile as Rec).login);
  const groups = [...h.sandbox.org.all('groups')] as Rec[];
  const okta = groups.filter((g) => g.type === 'OKTA_GROUP');
  const apps = [...h.sandbox.org.all('apps')] as Rec[];
  const [g1, g2, g3, g4] = okta;
  const activeApps = apps.filter((a) => a.status === 'ACTIVE');
  const [a1, a2, a3] = activeApps;
  const inactive = apps.find((a) => a.status === 'INACTIVE');
  if (!g1 || !g2 || !g3 || !g4 || !a1 || !a2 || !a3 || !inactive) throw new Error('org too small');
  const gname = (g: Rec) => String((g.profile as Rec).name);

  const add = (row: Rec, effect: (h: WriteHarness) => Promise<void>) => {
    rows.push(row);
    effects.push(effect);
  };
  const profile = { login: 'new.hire@example.com', email: 'new.hire@example.com', firstName: 'New', lastName: 'Hire' };
  add({ action: 'create-user', profile }, async () => {
    expect((await h.get<Rec>('/api/v1/users/new.hire@example.com')).profile).toMatchObject(profile);
  });
  const upd = pick('ACTIVE');
  add({ action: 'update-user', user: login(upd), profile: { title: 'Staff Engineer' } }, async () => {
    expect(((await h.get<Rec>(`/api/v1/users/${id(upd)}`)).profile as Rec).title).toBe('Staff Engineer');
  });
  const staged = pick('STAGED');
  add({ action: 'activate-user', user: id(staged) }, async () => {
    expect(['ACTIVE', 'PROVISIONED']).toContain(await status(id(staged)));
  });
  const provisioned = pick('PROVISIONED');
  add({ action: 'reactivate-user', user: id(provisioned) }, async () => {
    expect(await status(id(provisioned))).toBe('PROVISIONED');
  });
  const leaver = pick('ACTIVE');
  add({ action: 'deactivate-user', user: login(leaver) }, async () => {
    expect(await status(id(leaver))).toBe('DEPROVISIONED');
  });
  const suspendMe = pick('ACTIVE');
  add({ action: 'suspend-user', user: id(suspendMe) }, async () => {
    expect(await status(id(suspendMe))).toBe('SUSPENDED');
  });
  const suspended = pick('SUSPENDED');
  add({ action: 'unsuspend-user', user: id(suspended) }, async () => {
    expect(await status(id(suspended))).toBe('ACTIVE');
  });
  const locked = pick('LOCKED_OUT');
  add({ action: 'unlock-user', user: id(locked) }, async () => {
    expect(await status(id(locked))).toBe('ACTIVE');
  });
  const gone = pick('DEPROVISIONED');
  add({ action: 'delete-user', user: id(gone) }, async () => {
    expect(await h.maybe(`/api/v1/users/${id(gone)}`)).toBeUndefined();
  });
  const expire = pick('ACTIVE');
  add({ action: 'expire-password', user: id(expire) }, async () => {
    expect(await status(id(expire))).toBe('PASSWORD_EXPIRED');
  });
  let withFactors: Rec | undefined;
  for (const u of users.filter((x) => x.status === 'ACTIVE' && !taken.has(id(x)) && !superAdmins.has(id(x)))) {
    if ((await h.get<Rec[]>(`/api/v1/users/${id(u)}/factors`)).length > 0) {
      withFactors = u;
      break;
    }
  }
  if (!withFactors) throw new Error('no user with factors');
  taken.add(id(withFactors));
  const wf = withFactors;
  add({ action: 'reset-factors', user: id(wf) }, async () => {
    expect(await h.get<Rec[]>(`/api/v1/users/${id(wf)}/factors`)).toEqual([]);
  });
  const sessions = pick('ACTIVE');
  add({ action: 'clear-user-sessions', user: id(sessions) }, async () => {
    expect(h.events('eventType eq "user.session.clear"')).toHaveLength(1);
  });
  const joiner = pick('ACTIVE');
  add({ action: 'add-user-to-group', user: login(joiner), group: gname(g1) }, async () => {
    const ids = (await h.list(`/api/v1/users/${id(joiner)}/groups`)).map((g) => g.id);
    expect(ids).toContain(g1.id);
  });
  const member = (await h.list(`/api/v1/groups/${id(g2)}/users?limit=1000`)).find(
    (u) => !taken.has(id(u)) && !superAdmins.has(id(u)),
  );
  if (!member) throw new Error('group 2 has no free member');
  taken.add(id(member));
  add({ action: 'remove-user-from-group', user: id(member), group: id(g2) }, async () => {
    const ids = (await h.list(`/api/v1/users/${id(member)}/groups`)).map((g) => g.id);
    expect(ids).not.toContain(g2.id);
  });
  add({ action: 'create-group', profile: { name: 'Leavers 2026', description: 'to be reviewed' } }, async () => {
    const found = await h.list(`/api/v1/groups?search=${encodeURIComponent('profile.name eq "Leavers 2026"')}`);
    expect(found.map((g) => (g.profile as Rec).description)).toEqual(['to be reviewed']);
  });
  add({ action: 'update-group', group: gname(g3), profile: { description: 'owned by IT' } }, async () => {
    expect(((await h.get<Rec>(`/api/v1/groups/${id(g3)}`)).profile as Rec).description).toBe('owned by IT');
  });
  add({ action: 'delete-group', group: id(g4) }, async () => {
    expect(await h.maybe(`/api/v1/groups/${id(g4)}`)).toBeUndefined();
  });
  let assignee: Rec | undefined;
  for (const u of users.filter((x) => x.status === 'ACTIVE' && !taken.has(id(x)))) {
    if ((await h.maybe(`/api/v1/apps/${id(a1)}/users/${id(u)}`)) === undefined) {
      assignee = u;
      break;
    }
  }
  if (!assignee) throw new Error('no unassigned user');
  taken.add(id(assignee));
  const as = assignee;
  add({ action: 'assign-user-to-app', user: login(as), app: String(a1.label) }, async () => {
    expect(await h.get<Rec>(`/api/v1/apps/${id(a1)}/users/${id(as)}`)).toMatchObject({ scope: 'USER' });
  });
  const a2Groups = new Set((await h.list(`/api/v1/apps/${id(a2)}/groups?limit=200`)).map((g) => g.id));
  let direct: Rec | undefined;
  for (const u of await h.list(`/api/v1/apps/${id(a2)}/users?limit=500`)) {
    if (u.scope !== 'USER' || taken.has(id(u))) continue;
    const viaGroup = (await h.list(`/api/v1/users/${id(u)}/groups`)).some((g) => a2Groups.has(g.id));
    if (!viaGroup) {
      direct = u;
      break;
    }
  }
  if (!direct) throw new Error('no direct app user');
  taken.add(id(direct));
  add({ action: 'remove-user-from-app', user: id(direct), app: id(a2) }, async () => {
    expect(await h.maybe(`/api/v1/apps/${id(a2)}/users/${id(direct)}`)).toBeUndefined();
  });
  const assignedGroups = new Set((await h.list(`/api/v1/apps/${id(a3)}/groups?limit=200`)).map((g) => g.id));
  const newGroup = okta.slice(4).find((g) => !assignedGroups.has(g.id));
  const oldGroup = okta.slice(4).find((g) => assignedGroups.has(g.id) && g.id !== newGroup?.id);
  if (!newGroup || !oldGroup) throw new Error('no groups for app assignments');
  add({ action: 'assign-group-to-app', group: gname(newGroup), app: id(a3) }, async () => {
    expect(await h.maybe(`/api/v1/apps/${id(a3)}/groups/${id(newGroup)}`)).toBeDefined();
  });
  add({ action: 'remove-group-from-app', group: id(oldGroup), app: id(a3) }, async () => {
    expect(await h.maybe(`/api/v1/apps/${id(a3)}/groups/${id(oldGroup)}`)).toBeUndefined();
  });
  add({ action: 'activate-app', app: String(inactive.label) }, async () => {
    expect((await h.get<Rec>(`/api/v1/apps/${id(inactive)}`)).status).toBe('ACTIVE');
  });
  const lastApp = activeApps.at(-1) as Rec;
  add({ action: 'deactivate-app', app: id(lastApp) }, async () => {
    expect((await h.get<Rec>(`/api/v1/apps/${id(lastApp)}`)).status).toBe('INACTIVE');
  });
});
afterAll(() => h?.close());

const run = (execute: boolean, runId: string, events = new MemoryApplyEvents()) =>
  applyPlan({
    plan: { text: rows.map((r) => JSON.stringify(r)).join('\n'), format: 'jsonl' },
    execute,
    api: h.api,
    store: h.store,
    events,
    runId,
    locate: (key) => join(h.dir, key),
    now: () => h.sandbox.clock.now(),
  });

describe('apply: every action', () => {
  it('the plan covers all 23 actions', () => {
    expect(new Set(rows.map((r) => r.action))).toEqual(new Set(ACTION_NAMES));
  });

  it('dry run: every row will change, and nothing in the org changes', async () => {
    const before = h.fingerprint();
    const result = await run(false, 'dry-1');
    expect(result.executed).toBe(false);
    expect(result.resolution.rows.map((r) => [r.action, r.outcome])).toEqual(
      rows.map((r) => [r.action, 'will-change']),
    );
    expect(h.fingerprint()).toBe(before);
    const stored = JSON.parse(readFileSync(result.resolutionLocation, 'utf8')) as { rows: unknown[]; execute: boolean };
    expect([stored.rows.length, stored.execute]).toEqual([23, false]);
  });

  it('execute: every row succeeds, the org shows each effect, the audit and events record each call', async () => {
    const events = new MemoryApplyEvents();
    const result = await run(true, 'exec-1', events);
    expect(result.execution?.results.map((r) => r.result)).toEqual(rows.map(() => 'succeeded'));
    for (const effect of effects) await effect(h);
    const audit = parseAudit(readFileSync(String(result.auditLocation), 'utf8'));
    expect(audit.map((r) => [r.row, r.phase, r.result])).toEqual(
      rows.flatMap((_, i) => [
        [i + 1, 'intent', 'pending'],
        [i + 1, 'outcome', 'succeeded'],
      ]),
    );
    const outcomes = audit.filter((r) => r.phase === 'outcome');
    expect(outcomes.every((r) => typeof r.requestId === 'string' && r.requestId.length > 0)).toBe(true);
    expect(new Set(outcomes.map((r) => r.planHash))).toEqual(new Set([result.resolution.planHash]));
    expect(events.records).toEqual(outcomes);
    const created = outcomes.find((r) => r.action === 'create-user') as AuditRecord;
    expect(created.target.user?.id).toMatch(/^00u/);
    // The request id in the audit is the one the System Log event carries.
    const deactivated = outcomes.find((r) => r.action === 'deactivate-user') as AuditRecord;
    const items = h.events(`target.id eq "${deactivated.target.user?.id}"`);
    expect(items.map((e) => ((e.debugContext as Rec).debugData as Rec).requestId)).toContain(deactivated.requestId);
  });

  it('execute again: every row is already so, nothing is called or audited', async () => {
    const before = h.fingerprint();
    const result = await run(true, 'exec-2');
    expect(result.resolution.rows.filter((r) => r.outcome !== 'already-so')).toEqual([]);
    expect(result.execution?.results).toEqual([]);
    expect(result.auditLocation).toBeUndefined();
    expect(h.fingerprint()).toBe(before);
    const reasons = Object.fromEntries(result.resolution.rows.map((r) => [r.action, r.reason]));
    expect(reasons['clear-user-sessions']).toMatch(/earlier execution/);
    expect(reasons['deactivate-user']).toBe('the user is DEPROVISIONED');
  });

  it('the resolution and audit sit under apply/<plan hash>/<run id>/', async () => {
    const keys = await h.store.listKeys('apply/');
    const hash = keys[0]?.split('/')[1] ?? '';
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(keys.map((k) => k.replace(hash, 'H'))).toEqual([
      'apply/H/dry-1/resolution.json',
      'apply/H/exec-1/audit.jsonl',
      'apply/H/exec-1/resolution.json',
      'apply/H/exec-2/resolution.json',
    ]);
  });
});
