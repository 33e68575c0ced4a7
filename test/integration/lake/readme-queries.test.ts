/**
 * The example queries of the README (between its lake-queries markers) run as written through `okta-flow query`
 * on a lake with users, deletes and groups, and answer what the README says they answer.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryCommand } from '../../../bin/commands/query.js';
import { runFlow } from '../../../lambdas/flow/runner/run-flow.js';
import type { Sandbox } from '../../../sandbox/index.js';
import { DEFAULT_EPOCH_MS } from '../../../sandbox/org/index.js';
import { DAY, frozenSandbox, type Harness, harness, testConfig } from '../flow/runner/harness.js';

function readmeQueries(): string[] {
  const readme = readFileSync('README.md', 'utf8');
  const start = readme.indexOf('<!-- lake-queries');
  const end = readme.indexOf('<!-- /lake-queries -->');
  expect(start).toBeGreaterThan(0);
  return [...readme.slice(start, end).matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => (m[1] ?? '').trim());
}

const USERS = {
  name: 'users-inc',
  object: 'User',
  mode: 'incremental',
  firstExecutionFrom: new Date(DEFAULT_EPOCH_MS - 10 * 365 * DAY).toISOString(),
  deleteDetection: 'system-log',
};
const GROUPS = { name: 'groups-full', object: 'Group', mode: 'full' };

let sandbox: Sandbox;
let h: Harness;
let someone: string;
let deleted: string;
beforeAll(async () => {
  // The org's clock is now, so "this week" is this week.
  sandbox = await frozenSandbox({ users: 80, groups: 20, clock: { startMs: Date.now(), running: false } });
  h = harness(sandbox, testConfig([USERS, GROUPS], { format: 'parquet', compression: 'snappy' }));
  await runFlow('users-inc', { kind: 'manual' }, h.deps());
  await runFlow('groups-full', { kind: 'manual' }, h.deps());
  const users = [...sandbox.org.all('users')].map((u) => String(u.id));
  someone = users[5] ?? '';
  deleted = users[9] ?? '';
  sandbox.clock.advance(60_000);
  sandbox.admin.updateUser(someone, { title: 'Promoted' });
  sandbox.admin.deleteUser(deleted);
  sandbox.admin.deleteUser(deleted);
  sandbox.clock.advance(60_000);
  await runFlow('users-inc', { kind: 'manual' }, h.deps());
});
afterAll(async () => {
  await sandbox.close();
  h.cleanup();
});

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  await queryCommand({ sql, out: h.dir, prefix: 'okta', json: true, print: (l) => lines.push(l) });
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('README lake queries', () => {
  it('are the four documented ones', () => {
    expect(readmeQueries()).toHaveLength(4);
  });

  it('current state: one count per status, summing to the org', async () => {
    const rows = await query(readmeQueries()[0] ?? '');
    expect(rows.reduce((n, r) => n + Number(r.users), 0)).toBe([...sandbox.org.all('users')].length);
  });

  it('history of a user: each committed version, oldest first', async () => {
    const sql = (readmeQueries()[1] ?? '').replace('00u1a2b3c4d5e6f7g8h9', someone);
    const rows = await query(sql);
    expect(rows).toHaveLength(2);
    expect(String(rows[0]?.run_id) < String(rows[1]?.run_id)).toBe(true);
  });

  it('who was deleted this week', async () => {
    expect((await query(readmeQueries()[2] ?? '')).map((r) => r.id)).toEqual([deleted]);
  });

  it('typed lists: a group’s object classes are an array', async () => {
    const rows = await query(readmeQueries()[3] ?? '');
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(Array.isArray(r.object_class)).toBe(true);
  });
});
