/**
 * AppFlow as a destination: WriteData through the connector handler against the sandbox — User INSERT (create) and
 * UPDATE, GroupMember INSERT and DELETE — through the same write core as `okta-flow apply`: already-so records
 * succeed without a call, invalid ones fail naming why, allOrNone writes nothing when one is invalid, and every
 * call is audited in the connector's log without secrets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../sandbox/index.js';
import { type Connection, connect, startOrg } from './harness.js';

let sandbox: Sandbox;
let c: Connection;
type Rec = Record<string, unknown>;

beforeAll(async () => {
  sandbox = await startOrg();
  c = connect(sandbox);
});
afterAll(() => sandbox?.close());

const write = async (entityIdentifier: string, operation: string, records: Rec[], allOrNone = false) =>
  (await c.call({
    type: 'WriteDataRequest',
    entityIdentifier,
    connectorContext: c.context(),
    operation,
    idFieldNames: ['id'],
    records: records.map((r) => JSON.stringify(r)),
    allOrNone,
  })) as unknown as { isSuccess: boolean; writeRecordResults: Rec[] };

const users = () => [...sandbox.org.all('users')] as Rec[];
const active = () =>
  users()
    .filter((u) => u.status === 'ACTIVE')
    .slice(1);
const okta = () => ([...sandbox.org.all('groups')] as Rec[]).filter((g) => g.type === 'OKTA_GROUP');
function memberIds(gid: string): Set<string> {
  const m = sandbox.org.match('GET', `/api/v1/groups/${gid}/users`);
  const r = m?.route.handle(new URLSearchParams({ limit: '1000' }), m.pathParams);
  return new Set(r?.kind === 'list' ? (r.items as Rec[]).map((u) => String(u.id)) : []);
}

describe('AppFlow WriteData', () => {
  it('User INSERT creates users (recordId = the new id); the same record again is already so', async () => {
    const profile = { login: 'af.new@example.com', email: 'af.new@example.com', firstName: 'Af', lastName: 'New' };
    const first = await write('User', 'INSERT', [{ profile }]);
    expect(first.isSuccess).toBe(true);
    expect(first.writeRecordResults).toEqual([
      { isSuccess: true, recordId: expect.stringMatching(/^00u/), errorMessage: null },
    ]);
    expect(users().find((u) => (u.profile as Rec).login === 'af.new@example.com')?.id).toBe(
      first.writeRecordResults[0]?.recordId,
    );
    const again = await write('User', 'INSERT', [{ profile: JSON.stringify(profile) }]);
    expect(again.writeRecordResults[0]?.isSuccess).toBe(true);
    expect(users().filter((u) => (u.profile as Rec).login === 'af.new@example.com')).toHaveLength(1);
  });

  it('User UPDATE changes the profile; a bad record fails alone, naming why', async () => {
    const target = String(active()[0]?.id);
    const res = await write('User', 'UPDATE', [
      { id: target, profile: { title: 'Written by AppFlow' } },
      { id: 'nobody@example.com', profile: { title: 'x' } },
      { id: target, profile: { password: 'hunter2' } },
    ]);
    expect(res.writeRecordResults.map((r) => r.isSuccess)).toEqual([true, false, false]);
    expect(res.writeRecordResults[1]?.errorMessage).toContain('no user with id or login "nobody@example.com"');
    expect(res.writeRecordResults[2]?.errorMessage).toContain('credentials are never accepted');
    const updated = users().find((u) => u.id === target);
    expect((updated?.profile as Rec | undefined)?.title).toBe('Written by AppFlow');
    expect(c.logs.join('\n')).not.toContain('hunter2');
    expect(c.logs.join('\n')).not.toContain(sandbox.apiToken);
    expect(c.logs.filter((l) => l.includes('okta-flow write audit')).length).toBeGreaterThanOrEqual(4);
  });

  it('GroupMember INSERT and DELETE; allOrNone with one invalid record writes nothing', async () => {
    const group = String(okta()[0]?.id);
    const [a, b] = active()
      .filter((u) => !memberIds(group).has(String(u.id)))
      .slice(2, 4)
      .map((u) => String(u.id));
    const added = await write('GroupMember', 'INSERT', [
      { group_id: group, user_id: a },
      { group_id: group, user_id: b },
    ]);
    expect(added.writeRecordResults).toEqual([
      { isSuccess: true, recordId: `${group}:${a}`, errorMessage: null },
      { isSuccess: true, recordId: `${group}:${b}`, errorMessage: null },
    ]);
    expect([memberIds(group).has(String(a)), memberIds(group).has(String(b))]).toEqual([true, true]);
    const blocked = await write(
      'GroupMember',
      'DELETE',
      [
        { group_id: group, user_id: a },
        { group_id: 'No Such Group', user_id: b },
      ],
      true,
    );
    expect(blocked.writeRecordResults.map((r) => r.isSuccess)).toEqual([false, false]);
    expect(blocked.writeRecordResults[0]?.errorMessage).toContain('another record of this allOrNone batch is invalid');
    expect(memberIds(group).has(String(a))).toBe(true);
    const removed = await write('GroupMember', 'DELETE', [{ group_id: group, user_id: a }]);
    expect(removed.writeRecordResults[0]?.isSuccess).toBe(true);
    expect(memberIds(group).has(String(a))).toBe(false);
  });
});
