/**
 * Relations end to end through the runner (the loop `okta-flow run` and the Step Functions handlers share) into the
 * lake: GroupMember, ApplicationUser and ApplicationGroup flows commit, read one page per invocation (continuations
 * round-trip through the step-event schema), a removed membership becomes a snapshot-diff tombstone in
 * `group_member_deletes`, and the README's "who can reach app X" query (between its relation-queries markers) answers
 * exactly the users the sandbox's API lists for the app.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryCommand } from '../../../bin/commands/query.js';
import { commitRun } from '../../../lambdas/flow/runner/commit-run.js';
import { planRun } from '../../../lambdas/flow/runner/plan-run.js';
import { runExtractTask } from '../../../lambdas/flow/runner/run-extract-task.js';
import { runFlow } from '../../../lambdas/flow/runner/run-flow.js';
import { taskContinuationSchema } from '../../../lambdas/flow/runner/step-events.js';
import type { TaskContinuation } from '../../../lambdas/flow/runner/types.js';
import type { OktaRecord } from '../../../lambdas/okta/types.js';
import type { Sandbox } from '../../../sandbox/index.js';
import { frozenSandbox, type Harness, harness, testConfig } from '../flow/runner/harness.js';

const FLOWS = [
  { name: 'members', object: 'GroupMember', mode: 'full', deleteDetection: 'snapshot-diff' },
  { name: 'app-users', object: 'ApplicationUser', mode: 'full' },
  { name: 'app-groups', object: 'ApplicationGroup', mode: 'full' },
];

function relationQueries(): string[] {
  const readme = readFileSync('README.md', 'utf8');
  const start = readme.indexOf('<!-- relation-queries');
  const end = readme.indexOf('<!-- /relation-queries -->');
  expect(start).toBeGreaterThan(0);
  return [...readme.slice(start, end).matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => (m[1] ?? '').trim());
}

let sandbox: Sandbox;
let h: Harness;
beforeAll(async () => {
  sandbox = await frozenSandbox({ users: 150, groups: 14, apps: 8 });
  h = harness(sandbox, testConfig(FLOWS, { format: 'parquet', compression: 'snappy' }));
});
afterAll(async () => {
  await sandbox.close();
  h.cleanup();
});

async function api(path: string): Promise<OktaRecord[]> {
  const out: OktaRecord[] = [];
  let url: string | null = `${sandbox.baseUrl}${path}`;
  while (url !== null) {
    const res: Response = await fetch(url, { headers: { authorization: `SSWS ${sandbox.apiToken}` } });
    out.push(...((await res.json()) as OktaRecord[]));
    url = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1] ?? null;
  }
  return out;
}

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  await queryCommand({ sql, out: h.dir, prefix: 'okta', json: true, print: (l) => lines.push(l) });
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('relations through the runner and the lake', () => {
  it('continuations of a relation task survive the step-event schema, one page per invocation', async () => {
    const deps = h.deps({ pageLimit: 5 });
    const { run, tasks } = await planRun('members', { kind: 'manual', runId: '20260101T000000Z-000001' }, deps);
    const task = tasks[0];
    if (task === undefined) throw new Error('no task');
    let continuation: TaskContinuation | null = null;
    let invocations = 0;
    let withCursor = 0;
    for (;;) {
      const result = await runExtractTask({ run, task, continuation, deadline: deps.clock() }, deps);
      invocations++;
      if (result.done) {
        await commitRun({ run, results: [result] }, deps);
        break;
      }
      // what the state machine stores between invocations, parsed back as the next ExtractStep sees it
      continuation = taskContinuationSchema.parse(JSON.parse(JSON.stringify(result.continuation)));
      if (continuation.okta?.children !== undefined) withCursor++;
    }
    expect(invocations).toBeGreaterThan(3);
    expect(withCursor).toBe(invocations - 1);
  });

  it('full runs commit; a removed membership is a tombstone; the README reach query matches the API', async () => {
    for (const f of FLOWS) await runFlow(f.name, { kind: 'manual' }, h.deps({ pageLimit: 7 }), { taskBudgetMs: 0 });
    const groups = await api('/api/v1/groups?limit=200');
    const members = new Map<string, OktaRecord[]>();
    for (const g of groups) members.set(String(g.id), await api(`/api/v1/groups/${String(g.id)}/users?limit=1000`));
    const current = await query('SELECT group_id, user_id FROM group_members_current');
    const pairs = [...members].flatMap(([g, us]) => us.map((u) => `${g}/${String(u.id)}`));
    expect(current.map((r) => `${String(r.group_id)}/${String(r.user_id)}`).sort()).toEqual(pairs.sort());

    const oktaGroups = new Set(groups.filter((g) => g.type === 'OKTA_GROUP').map((g) => String(g.id)));
    const [groupId, list] = [...members].find(([g, us]) => oktaGroups.has(g) && us.length > 1) ?? ['', []];
    const leaver = String(list[0]?.id);
    sandbox.admin.removeGroupMember(groupId, leaver);
    sandbox.clock.advance(60_000);
    await runFlow('members', { kind: 'manual' }, h.deps({ pageLimit: 7 }));
    const tombstones = await query('SELECT id, source FROM group_member_deletes');
    expect(tombstones).toEqual([{ id: JSON.stringify([groupId, leaver]), source: 'snapshot-diff' }]);
    const after = await query(`SELECT user_id FROM group_members_current WHERE group_id = '${groupId}'`);
    expect(after.map((r) => r.user_id)).not.toContain(leaver);
    expect(after).toHaveLength(list.length - 1);

    const apps = await api('/api/v1/apps?limit=200');
    let checked = 0;
    for (const app of apps) {
      const appId = String(app.id);
      const want = [...new Set((await api(`/api/v1/apps/${appId}/users?limit=500`)).map((u) => String(u.id)))].sort();
      const sql = (relationQueries()[0] ?? '').replaceAll('0oa1a2b3c4d5e6f7g8h9', appId);
      const got = (await query(sql)).map((r) => String(r.user_id));
      expect(got, appId).toEqual(want);
      if (want.length > 0) checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });
});
