/**
 * What must never be written: a plan with one invalid row applies nothing (each row, field and reason named), an
 * unreadable plan and a plan over --max-actions reach no org, the credential's own user and super admins need
 * allowAdmin, a token without the manage scope fails naming the scope, and writes are paced in the write buckets.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaticBearerCredentials } from '../../../lambdas/okta/auth/static-bearer.js';
import { createOktaClient } from '../../../lambdas/okta/client.js';
import { OktaApiError } from '../../../lambdas/okta/errors.js';
import { MemoryApplyEvents } from '../../../lambdas/write/apply-events.js';
import { type ApplyPlanOptions, applyPlan } from '../../../lambdas/write/apply-plan.js';
import { PlanInvalidError, PlanParseError, PlanRefusedError } from '../../../lambdas/write/errors.js';
import type { OktaWriteApi } from '../../../lambdas/write/okta-write-api.js';
import { MANAGE_SCOPES, READ_SCOPES } from '../../../sandbox/server/oauth/clients.js';
import { jsonl, type Rec, serviceToken, startWriteHarness, type WriteHarness } from './harness.js';

let h: WriteHarness;
let users: Rec[];
const id = (u: Rec | undefined) => String(u?.id);

beforeAll(async () => {
  h = await startWriteHarness({
    oauth: { clients: { service: { scopes: [...READ_SCOPES, ...MANAGE_SCOPES] } } },
    rateLimits: { limits: { usersWrite: 6 } },
  });
  users = [...h.sandbox.org.all('users')] as Rec[];
});
afterAll(() => h?.close());

const active = (n: number) => users.filter((u) => u.status === 'ACTIVE').slice(1)[n];

function apply(rows: Rec[], extra: Partial<ApplyPlanOptions> = {}) {
  return applyPlan({
    plan: { text: jsonl(rows), format: 'jsonl' },
    execute: true,
    api: h.api,
    store: h.store,
    events: new MemoryApplyEvents(),
    runId: `run-${Math.random().toString(36).slice(2)}`,
    locate: (key) => join(h.dir, key),
    ...extra,
  });
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('apply guard rails', () => {
  it('a plan with invalid rows is rejected whole, naming each row, field and reason; nothing is written', async () => {
    const before = h.fingerprint();
    const error = await rejection(
      apply([
        { action: 'deactivate-user', user: id(active(0)) },
        { action: 'delete-user', user: id(active(1)) },
        { action: 'add-user-to-group', user: id(active(2)), group: 'No Such Group' },
        { action: 'assign-user-to-app', user: 'nobody@example.com', app: 'No Such App' },
        { action: 'update-group', group: 'Everyone', profile: { description: 'x' } },
      ]),
    );
    expect(error).toBeInstanceOf(PlanInvalidError);
    expect((error as PlanInvalidError).problems.map((p) => [p.row, p.field])).toEqual([
      [2, 'user'],
      [3, 'group'],
      [4, 'user'],
      [5, 'group'],
    ]);
    expect(error.message).toMatch(/row 2, user: .* is ACTIVE: Okta deletes only DEPROVISIONED users/);
    expect(error.message).toContain('row 3, group: no group with id or name "No Such Group"');
    expect(error.message).toContain('row 5, group: Everyone is a BUILT_IN group');
    expect(h.fingerprint()).toBe(before);
    expect((await h.get<Rec>(`/api/v1/users/${id(active(0))}`)).status).toBe('ACTIVE');
    // The resolution that rejected it is stored; no audit exists (nothing was attempted).
    const resolution = (error as PlanInvalidError).resolutionLocation ?? '';
    expect(existsSync(resolution)).toBe(true);
    expect(existsSync(resolution.replace('resolution.json', 'audit.jsonl'))).toBe(false);
  });

  it('an unreadable plan is rejected before the org is asked anything', async () => {
    const requests = h.sandbox.stats().requests;
    const error = await rejection(
      applyPlan({
        plan: {
          text: [
            'action,user,group,app,profile',
            'deactivate-user,a@example.com,,,',
            'disable-user,b@example.com,,,',
            'add-user-to-group,c@example.com,,,',
            'update-user,d@example.com,,,"{""title"":"',
            'update-user,e@example.com,,,"{""password"":""x""}"',
            'suspend-user,f@example.com,Admins,,',
          ].join('\n'),
          format: 'csv',
        },
        execute: true,
        api: h.api,
        store: h.store,
        events: new MemoryApplyEvents(),
        runId: 'unreadable',
      }),
    );
    expect(error).toBeInstanceOf(PlanParseError);
    expect((error as PlanParseError).problems.map((p) => `${p.row} ${p.field}`)).toEqual([
      '2 action',
      '3 group',
      '4 profile',
      '5 profile.password',
      '6 group',
    ]);
    expect(error.message).toContain('unknown action "disable-user"');
    expect(error.message).toContain('suspend-user does not use group');
    expect(h.sandbox.stats().requests).toBe(requests);
  });

  it('--max-actions refuses a larger plan before resolving it', async () => {
    const requests = h.sandbox.stats().requests;
    const rows = Array.from({ length: 101 }, (_, i) => ({ action: 'unlock-user', user: `u${i}@example.com` }));
    const error = await rejection(apply(rows));
    expect(error).toBeInstanceOf(PlanRefusedError);
    expect(error.message).toContain('101 actions, more than --max-actions 100');
    expect((await rejection(apply(rows.slice(0, 3), { maxActions: 2 }))).message).toContain(
      'more than --max-actions 2',
    );
    expect(h.sandbox.stats().requests).toBe(requests);
  });

  it("never deactivates, suspends or deletes the credential's own user or a super admin without allowAdmin", async () => {
    const self = users[0]; // the SSWS token's admin, a super admin
    for (const action of ['deactivate-user', 'suspend-user']) {
      const error = await rejection(apply([{ action, user: id(self) }], { execute: false }));
      expect(error.message).toContain(
        `is the user of the credential this plan runs with and a super administrator: ${action}`,
      );
    }
    // A service app (client credentials) acts as itself: Okta has no /users/me for it. User 0 is then "only" a
    // super admin.
    const asService: OktaWriteApi = {
      origin: h.api.origin,
      getJson: (p, i) =>
        p === '/api/v1/users/me'
          ? Promise.reject(new OktaApiError({ status: 404, method: 'GET', path: p, errorCode: 'E0000007' }))
          : h.api.getJson(p, i),
      paginate: (p, i) => h.api.paginate(p, i),
      send: (m, p, i) => h.api.send(m, p, i),
    };
    const error = await rejection(apply([{ action: 'deactivate-user', user: id(self) }], { api: asService }));
    expect(error.message).toMatch(/is a super administrator: deactivate-user could lock/);
    const allowed = await apply([{ action: 'suspend-user', user: id(self), allowAdmin: true }], {
      api: asService,
      execute: false,
    });
    expect(allowed.resolution.rows[0]?.outcome).toBe('will-change');
    expect((await h.get<Rec>(`/api/v1/users/${id(self)}`)).status).toBe('ACTIVE');
  });

  it('a token without the manage scope: the action fails naming the scope, the rest is not attempted (stop)', async () => {
    const token = await serviceToken(h.sandbox, 'okta.users.read okta.roles.read');
    const reader = createOktaClient({
      domain: h.sandbox.baseUrl,
      allowLoopback: true,
      credentials: new StaticBearerCredentials(token),
    });
    const result = await apply(
      [
        { action: 'suspend-user', user: id(active(5)) },
        { action: 'suspend-user', user: id(active(6)) },
      ],
      { api: reader },
    );
    expect(result.execution?.results).toMatchObject([{ row: 1, result: 'failed' }]);
    expect(result.execution?.results[0]?.error).toContain('missing scope okta.users.manage');
    expect(result.execution?.notAttempted).toEqual([2]);
    expect((await h.get<Rec>(`/api/v1/users/${id(active(5))}`)).status).toBe('ACTIVE');
  });

  it('writes go through the governor in one write bucket per family (limits learned from the answers)', async () => {
    const targets = [7, 8].map((n) => id(active(n)));
    const result = await apply(targets.map((user) => ({ action: 'expire-password', user })));
    expect(result.execution?.results.map((r) => r.result)).toEqual(['succeeded', 'succeeded']);
    // usersWrite allows 6 per minute here; the clock is stopped, so the window holds every write of this file.
    const bucket = h.api.rateLimitSnapshot().buckets['WRITE /api/v1/users'];
    expect(bucket?.limit).toBe(6);
    expect(bucket?.remaining).toBeLessThanOrEqual(4);
    expect(h.sandbox.stats().rateLimited).toBe(0);
  });
});
