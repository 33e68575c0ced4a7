/**
 * The sandbox's relation, role, factor, System Log history and write endpoints against Okta's own OpenAPI schemas:
 * every new operation's success answer and its typical refusals, and every event of a generated System Log
 * history. A failure names the request, the JSON path, what the spec expects and what the sandbox sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../sandbox/index.js';
import { ContractProbe } from './contract-probe.js';
import { unexplainedUndocumented } from './known-undocumented.js';

type Rec = Record<string, unknown>;

const EPOCH_MS = Date.parse('2026-01-01T00:00:00.000Z');
let sandbox: Sandbox;
let probe: ContractProbe;

beforeAll(async () => {
  sandbox = await startSandbox({
    users: 2500,
    groups: 40,
    seed: 11,
    port: 0,
    rateLimits: false,
    epochMs: EPOCH_MS,
    logEvents: 4000,
    clock: { startMs: EPOCH_MS + 3_600_000, running: false },
  });
  probe = new ContractProbe(sandbox.baseUrl, sandbox.apiToken);
});
afterAll(async () => {
  await sandbox?.close();
});

const str = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));
const enc = encodeURIComponent;
const truth = (object: 'users' | 'groups' | 'apps' | 'devices'): Rec[] => [...sandbox.org.all(object)];

describe('roles and factors', () => {
  it('serve role assignees (paged by the body link), user and group roles, and enrolled factors', async () => {
    const assignees: string[] = [];
    let next: string | null = '/api/v1/iam/assignees/users?limit=7';
    for (let pages = 0; next !== null && pages < 100; pages++) {
      const page = await probe.request(next);
      expect(page.status).toBe(200);
      const body = page.body as { value: Rec[]; _links: { next?: { href: string } } };
      assignees.push(...body.value.map((v) => str(v.id)));
      const href = body._links.next?.href;
      next = href ? href.slice(sandbox.baseUrl.length) : null;
    }
    expect(assignees.length).toBeGreaterThan(2);
    const groupIds = new Set<string>();
    for (const id of assignees) {
      const roles = await probe.request(`/api/v1/users/${id}/roles`);
      for (const role of roles.body as Rec[]) {
        if (role.assignmentType === 'GROUP')
          groupIds.add(
            str(((role._links as Rec).assignee as Rec).href)
              .split('/')
              .at(-1) ?? '',
          );
      }
    }
    expect(groupIds.size).toBeGreaterThan(0);
    for (const gid of groupIds) await probe.request(`/api/v1/groups/${gid}/roles`);
    await probe.request(`/api/v1/groups/${str(truth('groups')[1]?.id)}/roles`);
    const kinds = new Set<string>();
    for (const user of truth('users').slice(0, 120)) {
      const factors = await probe.request(`/api/v1/users/${str(user.id)}/factors`);
      for (const factor of factors.body as Rec[]) kinds.add(str(factor.factorType));
    }
    expect(kinds.size).toBeGreaterThan(5);
    expect(probe.take()).toEqual([]);
  });
});

describe('relations', () => {
  it('serve group members, app users and groups with expand, single assignments, stats and lastMembershipUpdated filters', async () => {
    await probe.request(
      `/api/v1/groups?filter=${enc('lastMembershipUpdated gt "2024-01-01T00:00:00.000Z"')}&expand=stats&limit=200`,
    );
    for (const app of truth('apps').slice(0, 6)) {
      const aid = str(app.id);
      const users = await probe.request(`/api/v1/apps/${aid}/users?limit=500&expand=user`);
      const groups = await probe.request(`/api/v1/apps/${aid}/groups?limit=200&expand=group`);
      const first = (users.body as Rec[])[0];
      if (first) await probe.request(`/api/v1/apps/${aid}/users/${str(first.id)}`);
      const group = (groups.body as Rec[])[0];
      if (group) await probe.request(`/api/v1/apps/${aid}/groups/${str(group.id)}`);
    }
    const device = truth('devices')[0];
    await probe.request(`/api/v1/devices/${str(device?.id)}/users`);
    expect(probe.take()).toEqual([]);
  });
});

describe('System Log history', () => {
  it('serves every generated event as a LogEvent, in polling and bounded modes', async () => {
    const since = new Date(EPOCH_MS - 89 * 86_400_000).toISOString();
    const until = new Date(sandbox.clock.now()).toISOString();
    const bounded = await probe.all(`/api/v1/logs?since=${enc(since)}&until=${enc(until)}&limit=1000`);
    expect(bounded.items.length).toBeGreaterThan(3500);
    const polling = await probe.request(`/api/v1/logs?since=${enc(since)}&limit=1000`);
    expect(polling.headers.get('link')).toContain('rel="next"');
    await probe.request(
      `/api/v1/logs?since=${enc(since)}&filter=${enc('eventType eq "user.session.start" and outcome.result eq "FAILURE"')}`,
    );
    await probe.request(`/api/v1/logs?since=${enc(since)}&filter=${enc('published gt "2025-12-01T00:00:00.000Z"')}`);
    expect(probe.take()).toEqual([]);
  });
});

describe('writes', () => {
  const req = (method: 'POST' | 'PUT' | 'DELETE', path: string, json?: unknown) =>
    probe.request(path, { method, ...(json === undefined ? {} : { json }) });

  it('answer users writes (create, update, replace, lifecycle, delete, sessions) as the spec declares', async () => {
    const login = 'contract.writer@example.com';
    const created = await req('POST', '/api/v1/users?activate=true', {
      profile: { login, email: login, firstName: 'Con', lastName: 'Tract' },
      credentials: { password: { value: 'Pa55word!x' } },
    });
    expect(created.status).toBe(200);
    const id = str((created.body as Rec).id);
    expect((await req('POST', '/api/v1/users', { profile: { login } })).status).toBe(400);
    expect((await req('POST', `/api/v1/users/${id}`, { profile: { title: 'Tester' } })).status).toBe(200);
    expect(
      (await req('PUT', `/api/v1/users/${id}`, { profile: { login, email: login, firstName: 'C', lastName: 'T' } }))
        .status,
    ).toBe(200);
    for (const [action, status] of [
      ['suspend', 200],
      ['suspend', 400],
      ['unsuspend', 200],
      ['activate', 403],
      ['reactivate', 403],
      ['expire_password', 200],
      ['unlock', 403],
      ['reset_factors', 200],
      ['deactivate', 200],
      ['activate?sendEmail=false', 200],
    ] as const) {
      const answer = await req('POST', `/api/v1/users/${id}/lifecycle/${action}`);
      expect({ action, status: answer.status }).toEqual({ action, status });
    }
    expect((await req('POST', `/api/v1/users/${id}/lifecycle/reset_password?sendEmail=false`)).status).toBe(200);
    expect((await req('POST', `/api/v1/users/${id}/lifecycle/deactivate`)).status).toBe(200);
    expect((await req('POST', '/api/v1/users/00unotauser000000000/lifecycle/suspend')).status).toBe(404);
    expect((await req('DELETE', `/api/v1/users/${id}/sessions?oauthTokens=true`)).status).toBe(204);
    expect((await req('DELETE', `/api/v1/users/${id}`)).status).toBe(204);
    expect((await req('DELETE', `/api/v1/users/${id}`)).status).toBe(404);
    expect(probe.take()).toEqual([]);
  });

  it('answer group and app writes as the spec declares', async () => {
    const group = await req('POST', '/api/v1/groups', { profile: { name: 'Contract writers' } });
    const gid = str((group.body as Rec).id);
    expect((await req('PUT', `/api/v1/groups/${gid}`, { profile: { name: 'Contract editors' } })).status).toBe(200);
    const uid = str(truth('users').find((u) => u.status === 'ACTIVE' && u.id !== truth('users')[0]?.id)?.id);
    expect((await req('PUT', `/api/v1/groups/${gid}/users/${uid}`)).status).toBe(204);
    const appGroup = str(truth('groups').find((g) => g.type === 'APP_GROUP')?.id);
    expect((await req('PUT', `/api/v1/groups/${appGroup}/users/${uid}`)).status).toBe(403);
    const app = str(truth('apps').find((a) => a.status === 'ACTIVE')?.id);
    expect(
      (await req('POST', `/api/v1/apps/${app}/users`, { id: uid, scope: 'USER', credentials: { userName: 'cw' } }))
        .status,
    ).toBe(200);
    expect((await req('DELETE', `/api/v1/apps/${app}/users/${uid}`)).status).toBe(204);
    expect((await req('DELETE', `/api/v1/apps/${app}/users/${uid}`)).status).toBe(404);
    expect((await req('PUT', `/api/v1/apps/${app}/groups/${gid}`, { priority: 1 })).status).toBe(200);
    expect((await req('DELETE', `/api/v1/apps/${app}/users/${uid}`)).status).toBe(403);
    expect((await req('DELETE', `/api/v1/apps/${app}/groups/${gid}`)).status).toBe(204);
    expect((await req('POST', `/api/v1/apps/${app}/lifecycle/deactivate`)).status).toBe(200);
    expect((await req('POST', `/api/v1/apps/${app}/lifecycle/activate`)).status).toBe(200);
    expect((await req('DELETE', `/api/v1/groups/${gid}/users/${uid}`)).status).toBe(204);
    expect((await req('DELETE', `/api/v1/groups/${gid}`)).status).toBe(204);
    expect((await req('DELETE', `/api/v1/groups/${gid}`)).status).toBe(404);
    const since = new Date(EPOCH_MS).toISOString();
    const events = await probe.request(`/api/v1/logs?since=${enc(since)}&limit=1000`);
    expect((events.body as Rec[]).length).toBeGreaterThan(10);
    expect(probe.take()).toEqual([]);
  });
});

describe('coverage', () => {
  it('validated a response of every new operation, with no undocumented property left unexplained', () => {
    const covered = new Set([...probe.covered].map((c) => c.split(' ').slice(0, 2).join(' ')));
    const lifecycle = [
      'activate',
      'reactivate',
      'deactivate',
      'suspend',
      'unsuspend',
      'unlock',
      'expire_password',
      'reset_password',
      'reset_factors',
    ];
    for (const operation of [
      'GET /api/v1/iam/assignees/users',
      'GET /api/v1/users/{userId}/roles',
      'GET /api/v1/groups/{groupId}/roles',
      'GET /api/v1/users/{userId}/factors',
      'GET /api/v1/apps/{appId}/users/{userId}',
      'GET /api/v1/apps/{appId}/groups/{groupId}',
      'POST /api/v1/users',
      'POST /api/v1/users/{id}',
      'PUT /api/v1/users/{id}',
      'DELETE /api/v1/users/{id}',
      ...lifecycle.map((action) => `POST /api/v1/users/{id}/lifecycle/${action}`),
      'DELETE /api/v1/users/{userId}/sessions',
      'POST /api/v1/groups',
      'PUT /api/v1/groups/{groupId}',
      'DELETE /api/v1/groups/{groupId}',
      'PUT /api/v1/groups/{groupId}/users/{userId}',
      'DELETE /api/v1/groups/{groupId}/users/{userId}',
      'POST /api/v1/apps/{appId}/users',
      'DELETE /api/v1/apps/{appId}/users/{userId}',
      'PUT /api/v1/apps/{appId}/groups/{groupId}',
      'DELETE /api/v1/apps/{appId}/groups/{groupId}',
      'POST /api/v1/apps/{appId}/lifecycle/activate',
      'POST /api/v1/apps/{appId}/lifecycle/deactivate',
    ]) {
      expect(covered.has(operation), operation).toBe(true);
    }
    const unexplained = [...probe.undocumented].flatMap(([operation, paths]) =>
      unexplainedUndocumented(operation, paths).map((path) => `${operation}: ${path}`),
    );
    expect(unexplained).toEqual([]);
  });
});
