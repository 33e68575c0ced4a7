/**
 * The lake as readers see it, through `okta-flow query` (the views' SQL is the one Athena runs): a full run, then
 * users changed, created and deleted, then an incremental run with System Log deletes, then a third run killed after
 * writing files. `users_current` equals the org as of the last committed run, `users` holds exactly the committed
 * rows, `user_deletes` the tombstones, and the killed run's files, though on disk under the table's location, are
 * not readable: also when every part file under the location is read, as Athena lists them. In every format.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalLake } from '../../../bin/commands/local-lake.js';
import { queryCommand } from '../../../bin/commands/query.js';
import { runFlow, SimulatedCrash } from '../../../lambdas/flow/runner/run-flow.js';
import { listCommits } from '../../../lambdas/lake/commit-log.js';
import type { Sandbox } from '../../../sandbox/index.js';
import { DEFAULT_EPOCH_MS } from '../../../sandbox/org/index.js';
import { DAY, frozenSandbox, type Harness, harness, testConfig } from '../flow/runner/harness.js';

const FULL = { name: 'users-full', object: 'User', mode: 'full', fields: ['id', 'status', 'login', 'last_updated'] };
const INCREMENTAL = {
  name: 'users-inc',
  object: 'User',
  mode: 'incremental',
  fields: ['id', 'status', 'login', 'last_updated'],
  firstExecutionFrom: new Date(DEFAULT_EPOCH_MS - 10 * 365 * DAY).toISOString(),
  overlapSeconds: 0,
  deleteDetection: 'system-log',
};

async function rows(h: Harness, sql: string): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  await queryCommand({ sql, out: h.dir, prefix: 'okta', json: true, print: (line) => lines.push(line) });
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe.each(['parquet', 'jsonl', 'csv'] as const)('committed views (%s)', (format) => {
  let sandbox: Sandbox;
  let h: Harness;
  let truth: Map<string, string>;
  let deleted: string[];
  let killedRunId: string;
  beforeAll(async () => {
    sandbox = await frozenSandbox({ users: 120 });
    h = harness(
      sandbox,
      testConfig([FULL, INCREMENTAL], { format, compression: format === 'parquet' ? 'snappy' : 'none' }),
    );
    await runFlow('users-full', { kind: 'manual' }, h.deps({ pageLimit: 30 }));
    sandbox.clock.advance(60_000);
    const changedFrom = new Date(sandbox.clock.now()).toISOString();
    const users = [...sandbox.org.all('users')].map((u) => String(u.id));
    for (const id of users.slice(20, 25)) sandbox.admin.updateUser(id, { title: 'Changed' });
    deleted = users.slice(30, 33).sort();
    for (const id of deleted) {
      sandbox.admin.deleteUser(id);
      sandbox.admin.deleteUser(id);
    }
    for (let i = 0; i < 2; i++) {
      sandbox.admin.createUser({
        profile: {
          login: `new.user${i}@example.com`,
          email: `new.user${i}@example.com`,
          firstName: 'N',
          lastName: `${i}`,
        },
      });
    }
    sandbox.clock.advance(60_000);
    await runFlow('users-inc', { kind: 'manual', from: changedFrom }, h.deps({ pageLimit: 30 }));
    truth = new Map([...sandbox.org.all('users')].map((u) => [String(u.id), String(u.lastUpdated)]));

    // A third run that dies after writing files: nothing of it may become readable.
    sandbox.clock.advance(60_000);
    for (const id of users.slice(40, 42)) sandbox.admin.updateUser(id, { title: 'Not committed' });
    sandbox.clock.advance(60_000);
    let files = 0;
    const crash = (at: string) => {
      if (at === 'extract:after-file' && ++files === 1) throw new SimulatedCrash('killed');
    };
    const killed = runFlow('users-inc', { kind: 'manual' }, h.deps({ pageLimit: 30, maxRecordsPerFile: 1, crash }));
    await expect(killed).rejects.toThrow(SimulatedCrash);
    const commits = await listCommits({ kind: 'local', rootDir: h.dir }, 'okta', 'User');
    expect(commits).toHaveLength(2);
    killedRunId =
      readdirSync(join(h.dir, 'okta', 'User'), { recursive: true })
        .map(String)
        .map((p) => /run_id=([^/\\]+)/.exec(p)?.[1])
        .find((id) => id !== undefined && !commits.some((c) => c.run_id === id)) ?? '';
  });
  afterAll(async () => {
    await sandbox.close();
    h.cleanup();
  });

  it('the killed run left files under the table location, and no commit record', () => {
    expect(killedRunId).not.toBe('');
    const killedFiles = files(join(h.dir, 'okta', 'User')).filter((f) => f.includes(`run_id=${killedRunId}`));
    expect(killedFiles.length).toBeGreaterThan(0);
    expect(existsSync(join(h.dir, 'okta', '_commits', 'User', `${killedRunId}.json`))).toBe(false);
  });

  it('users_current equals the org as of the last committed run: latest version per id, deleted ids gone', async () => {
    // JSONL tables keep Okta's shape: the column is the record's key (lastUpdated, lower case as in Glue).
    const lastUpdated = format === 'jsonl' ? 'lastupdated' : 'last_updated';
    const current = await rows(h, `SELECT id, ${lastUpdated} AS last_updated FROM users_current ORDER BY id`);
    expect(current.map((r) => r.id)).toEqual([...truth.keys()].sort());
    for (const r of current) expect(r.last_updated).toBe(truth.get(String(r.id)));
    for (const id of deleted) expect(truth.has(id)).toBe(false);
  });

  it('users holds exactly the committed rows, each with its run; user_deletes the tombstones', async () => {
    const commits = await listCommits({ kind: 'local', rootDir: h.dir }, 'okta', 'User');
    const committedRecords = commits.reduce((n, c) => n + c.records.manifest.totals.records, 0);
    const history = await rows(h, 'SELECT id, run_id, flow, committed_at, dt FROM users ORDER BY run_id, id');
    expect(history).toHaveLength(committedRecords);
    expect(new Set(history.map((r) => r.run_id))).toEqual(new Set(commits.map((c) => c.run_id)));
    expect(history.some((r) => r.run_id === killedRunId)).toBe(false);
    for (const r of history) {
      const commit = commits.find((c) => c.run_id === r.run_id);
      expect(r).toMatchObject({ flow: commit?.flow, committed_at: commit?.committed_at, dt: commit?.dt });
    }
    const tombstones = await rows(h, 'SELECT id, source, deleted_at FROM user_deletes ORDER BY id');
    expect(tombstones.map((t) => t.id)).toEqual(deleted);
    expect(new Set(tombstones.map((t) => t.source))).toEqual(new Set(['system-log']));
  });

  it('the views, not the reader, keep uncommitted files out: reading every part file gives the same answers', async () => {
    const target = { kind: 'local' as const, rootDir: h.dir };
    const athenaLike = await openLocalLake({ target, prefix: 'okta', files: 'location' });
    try {
      const count = async (sql: string) =>
        Number((await athenaLike.connection.runAndReadAll(sql)).getRowObjectsJS()[0]?.n);
      const parts = await count('SELECT count(*) AS n FROM "_users_parts"');
      const history = await count('SELECT count(*) AS n FROM users');
      const current = await count('SELECT count(*) AS n FROM users_current');
      expect(parts).toBeGreaterThan(history);
      expect(history).toBe((await rows(h, 'SELECT count(*) AS n FROM users'))[0]?.n);
      expect(current).toBe(truth.size);
    } finally {
      athenaLike.close();
    }
  });
});
