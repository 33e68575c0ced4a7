/**
 * `*_current` orders runs by commit, not by run-id text. Run ids are the plan time to the second plus a random
 * suffix (or given by hand): two runs of one second can sort backwards as text. Here the clock stands still, so both
 * runs of a flow have the same second and committed_at of the clock; the second run's suffix (`000000`) sorts
 * before the first's (`ffffff`). The second run's tombstone (a deleted user) and its newer version of a pair whose
 * cursor did not move (a group member suspended: the group's lastMembershipUpdated stays) must win, through
 * `okta-flow query`. Also: a hand-given run id that sorts first as text (`a-…` after `z-…`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryCommand } from '../../../bin/commands/query.js';
import { runFlow } from '../../../lambdas/flow/runner/run-flow.js';
import { listCommits } from '../../../lambdas/lake/commit-log.js';
import type { Sandbox } from '../../../sandbox/index.js';
import { frozenSandbox, type Harness, harness, testConfig } from '../flow/runner/harness.js';

const USERS = {
  name: 'users-full',
  object: 'User',
  mode: 'full',
  deleteDetection: 'snapshot-diff',
  fields: ['id', 'status', 'last_updated'],
};
const MEMBERS = { name: 'members-full', object: 'GroupMember', mode: 'full', deleteDetection: 'snapshot-diff' };

async function rows(h: Harness, sql: string): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  await queryCommand({ sql, out: h.dir, prefix: 'okta', json: true, print: (line) => lines.push(line) });
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe.each(['parquet', 'csv'] as const)('run order in *_current (%s)', (format) => {
  let sandbox: Sandbox;
  let h: Harness;
  beforeAll(async () => {
    sandbox = await frozenSandbox({ users: 60, groups: 6 });
    h = harness(
      sandbox,
      testConfig([USERS, MEMBERS], { format, compression: format === 'parquet' ? 'snappy' : 'none' }),
    );
  });
  afterAll(async () => {
    await sandbox.close();
    h.cleanup();
  });

  it('a later run of the same second wins although its run id sorts first as text', async () => {
    await runFlow('users-full', { kind: 'manual' }, h.deps({ randomId: () => 'ffffff' }));
    await runFlow('members-full', { kind: 'manual' }, h.deps({ randomId: () => 'ffffff' }));
    const [member] = await rows(
      h,
      "SELECT group_id, user_id FROM group_members_current WHERE status = 'ACTIVE' ORDER BY group_id, user_id LIMIT 1",
    );
    expect(member).toBeDefined();
    const suspended = String(member?.user_id);
    const users = (await rows(h, 'SELECT id FROM users_current ORDER BY id')).map((r) => String(r.id));
    const deleted = users.find((id) => id !== suspended) as string;
    if (sandbox.admin.deleteUser(deleted) === 'deactivated') sandbox.admin.deleteUser(deleted);
    sandbox.admin.userLifecycle(suspended, 'suspend');

    await runFlow('users-full', { kind: 'manual' }, h.deps({ randomId: () => '000000' }));
    await runFlow('members-full', { kind: 'manual' }, h.deps({ randomId: () => '000000' }));
    const commits = await listCommits({ kind: 'local', rootDir: h.dir }, 'okta', 'User');
    expect(commits.map((c) => c.run_id.slice(-6))).toEqual(['ffffff', '000000']);
    // Same second: as text the second run sorts first.
    expect((commits[1]?.run_id ?? '') < (commits[0]?.run_id ?? '')).toBe(true);

    const now = (await rows(h, 'SELECT id FROM users_current ORDER BY id')).map((r) => String(r.id));
    expect(now).toEqual(users.filter((id) => id !== deleted));
    const pair = await rows(
      h,
      `SELECT status FROM group_members_current WHERE group_id = '${String(member?.group_id)}' AND user_id = '${suspended}'`,
    );
    expect(pair).toEqual([{ status: 'SUSPENDED' }]);
  });

  it('a hand-given run id that sorts first as text still comes after the runs committed before it', async () => {
    const before = (await rows(h, 'SELECT id FROM users_current ORDER BY id')).map((r) => String(r.id));
    const gone = before[0] as string;
    if (sandbox.admin.deleteUser(gone) === 'deactivated') sandbox.admin.deleteUser(gone);
    await runFlow('users-full', { kind: 'manual', runId: `0-by-hand-${format}` }, h.deps());
    const now = (await rows(h, 'SELECT id FROM users_current ORDER BY id')).map((r) => String(r.id));
    expect(now).toEqual(before.slice(1));
  });
});
