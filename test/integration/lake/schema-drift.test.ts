/**
 * Schema drift between runs, in the files, in Glue (kept current by CommitRun, no manual step) and in the views:
 * an attribute added (a new column; older rows null), removed (the column stays; newer rows null; a flow naming it
 * fails at plan time), and changed type (its values move to `<column>__<type>`; the old column keeps the old ones).
 * Glue starts as the stack registers it (columns known from the config: no custom attributes) and is a stateful fake.
 */
import {
  CreateTableCommand,
  EntityNotFoundException,
  GetTableCommand,
  GlueClient,
  type TableInput,
  UpdateTableCommand,
} from '@aws-sdk/client-glue';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalLake } from '../../../bin/commands/local-lake.js';
import { FlowFieldError } from '../../../lambdas/flow/runner/errors.js';
import { runFlow } from '../../../lambdas/flow/runner/run-flow.js';
import type { RunnerDeps } from '../../../lambdas/flow/runner/types.js';
import { readCommit } from '../../../lambdas/lake/commit-log.js';
import { configuredColumns } from '../../../lambdas/lake/configured-columns.js';
import { GlueLakeCatalog, toTableInput } from '../../../lambdas/lake/glue-catalog.js';
import { decodePrestoView, FIRST_PARTITION_DAY, glueDefinitions } from '../../../lambdas/lake/glue-definitions.js';
import { readLakeColumns } from '../../../lambdas/lake/lake-columns.js';
import { getObjectDef } from '../../../lambdas/okta/catalog/index.js';
import type { Sandbox } from '../../../sandbox/index.js';
import { frozenSandbox, type Harness, harness, testConfig } from '../flow/runner/harness.js';

const ALL = { name: 'users-all', object: 'User', mode: 'full' };
const NAMED = { name: 'users-named', object: 'User', mode: 'full', fields: ['id', 'profile.costCode'] };
const config = testConfig([ALL, NAMED], { format: 'parquet', compression: 'snappy' });

const glue = mockClient(GlueClient);
const tables = new Map<string, TableInput>();
const writes: string[] = [];

function fakeGlue(): void {
  glue.reset();
  glue.on(GetTableCommand).callsFake((input: { Name: string }) => {
    const table = tables.get(input.Name);
    if (table === undefined) throw new EntityNotFoundException({ message: 'not found', $metadata: {} });
    return { Table: structuredClone(table) };
  });
  const store = (kind: string) => (input: { TableInput: TableInput }) => {
    writes.push(`${kind} ${input.TableInput.Name}`);
    tables.set(String(input.TableInput.Name), structuredClone(input.TableInput));
    return {};
  };
  glue.on(CreateTableCommand).callsFake(store('create'));
  glue.on(UpdateTableCommand).callsFake(store('update'));
}

let sandbox: Sandbox;
let h: Harness;
let deps: () => RunnerDeps;
const runIds: string[] = [];
const glueColumns = (name: string) =>
  Object.fromEntries((tables.get(name)?.StorageDescriptor?.Columns ?? []).map((c) => [c.Name, c.Type]));

async function run(flow = 'users-all'): Promise<string> {
  sandbox.clock.advance(60_000);
  const result = await runFlow(flow, { kind: 'manual' }, deps());
  runIds.push(result.planned.run.runId);
  return result.planned.run.runId;
}

async function rowsOf(sql: string): Promise<Record<string, unknown>[]> {
  const lake = await openLocalLake({ target: { kind: 'local', rootDir: h.dir }, prefix: 'okta' });
  try {
    return (await lake.connection.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    lake.close();
  }
}

beforeAll(async () => {
  sandbox = await frozenSandbox({ users: 60 });
  h = harness(sandbox, config);
  fakeGlue();
  const def = getObjectDef('User');
  // What the stack registers at deploy: the columns the config names, no custom attributes (synth cannot know them).
  for (const d of glueDefinitions({
    databaseName: 'oktaflow',
    bucketName: 'test-bucket',
    prefix: 'okta',
    def,
    format: 'parquet',
    firstDay: FIRST_PARTITION_DAY,
    records: configuredColumns(def, config.flows),
  })) {
    tables.set(d.name, toTableInput(d));
  }
  const lakeCatalog = new GlueLakeCatalog({
    client: new GlueClient({ region: 'eu-west-1' }),
    config,
    databaseName: 'oktaflow',
    bucketName: 'test-bucket',
    firstDay: FIRST_PARTITION_DAY,
  });
  deps = () => h.deps({ pageLimit: 50, lakeCatalog });
});
afterAll(async () => {
  glue.restore();
  await sandbox.close();
  h.cleanup();
});

describe('schema drift', () => {
  it('the first run brings the org’s custom attributes into Glue: parts table and views', async () => {
    expect(glueColumns('_users_parts').profile_github_handle).toBeUndefined();
    await run();
    expect(glueColumns('_users_parts')).toMatchObject({
      profile_github_handle: 'string',
      profile_fte_ratio: 'double',
      profile_is_contractor: 'boolean',
      profile_clearance_level: 'bigint',
      profile_rotation_days: 'bigint',
    });
    for (const view of ['users', 'users_current']) {
      const decoded = decodePrestoView(String(tables.get(view)?.ViewOriginalText));
      expect(decoded.columns.map((c) => c.name)).toContain('profile_github_handle');
      expect(decoded.columns.find((c) => c.name === 'profile_clearance_level')?.type).toBe('bigint');
      expect(decoded.columns.map((c) => c.name)).toEqual(Object.keys(glueColumns(view)));
    }
    // The local views have the very columns Glue lists for Athena's.
    const local = await rowsOf('DESCRIBE users');
    expect(local.map((r) => r.column_name)).toEqual(Object.keys(glueColumns('users')));
  });

  it('an unchanged org changes nothing in Glue', async () => {
    writes.length = 0;
    await run();
    expect(writes).toEqual([]);
  });

  it('added: a new column in the new files, Glue and the views; older rows read it as null', async () => {
    sandbox.org.userTypes.defineAttribute(
      { name: 'costCode', type: 'string', title: 'Cost code' },
      sandbox.clock.now(),
    );
    const someone = String([...sandbox.org.all('users')][3]?.id);
    sandbox.admin.updateUser(someone, { costCode: 'CC-42' });
    const added = await run();
    const commit = await readCommit({ kind: 'local', rootDir: h.dir }, 'okta', 'User', added);
    expect(commit?.records.columns.find((c) => c.name === 'profile_cost_code')?.type).toBe('string');
    expect(glueColumns('_users_parts').profile_cost_code).toBe('string');
    expect(glueColumns('users').profile_cost_code).toBe('string');
    const rows = await rowsOf(`SELECT run_id, id, profile_cost_code FROM users WHERE profile_cost_code IS NOT NULL`);
    expect(rows).toEqual([{ run_id: added, id: someone, profile_cost_code: 'CC-42' }]);
    const older = await rowsOf(
      `SELECT count(*) AS n FROM users WHERE run_id < '${added}' AND profile_cost_code IS NULL`,
    );
    expect(Number(older[0]?.n)).toBe(2 * 60);
    // A flow naming it works now.
    await expect(run('users-named')).resolves.toMatch(/^\d{8}T/);
  });

  it('removed: the column stays in Glue and the views, newer rows are null; a flow naming it fails at plan time', async () => {
    sandbox.org.userTypes.removeAttribute('costCode', sandbox.clock.now());
    const removed = await run();
    const commit = await readCommit({ kind: 'local', rootDir: h.dir }, 'okta', 'User', removed);
    expect(commit?.records.columns.some((c) => c.name === 'profile_cost_code')).toBe(false);
    expect(glueColumns('_users_parts').profile_cost_code).toBe('string');
    const kept = await rowsOf(`SELECT run_id, profile_cost_code FROM users WHERE profile_cost_code IS NOT NULL`);
    expect(kept.map((r) => r.profile_cost_code)).toEqual(['CC-42', 'CC-42']);
    expect(kept.every((r) => String(r.run_id) < removed)).toBe(true);
    const failure = await run('users-named').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(FlowFieldError);
    expect((failure as Error).message).toContain('"profile.costCode"');
  });

  it('type changed: values move to <column>__<type>; the old column keeps the old values; both in Glue', async () => {
    sandbox.org.userTypes.defineAttribute(
      { name: 'clearanceLevel', type: 'string', title: 'Clearance' },
      sandbox.clock.now(),
    );
    const changed = await run();
    const commit = await readCommit({ kind: 'local', rootDir: h.dir }, 'okta', 'User', changed);
    const names = commit?.records.columns.map((c) => c.name) ?? [];
    expect(names).toContain('profile_clearance_level__string');
    expect(names).not.toContain('profile_clearance_level');
    const lake = await readLakeColumns(h.state, 'User');
    const typeOf = (name: string) => lake?.records.find((c) => c.name === name)?.type;
    expect([typeOf('profile_clearance_level'), typeOf('profile_clearance_level__string')]).toEqual(['int64', 'string']);
    expect(glueColumns('_users_parts')).toMatchObject({
      profile_clearance_level: 'bigint',
      profile_clearance_level__string: 'string',
    });
    const truth = new Map(
      [...sandbox.org.all('users')].map((u) => [String(u.id), (u.profile as Record<string, unknown>).clearanceLevel]),
    );
    const rows = await rowsOf(
      `SELECT id, run_id, profile_clearance_level AS old, profile_clearance_level__string AS new FROM users WHERE run_id IN ('${runIds[0]}', '${changed}')`,
    );
    expect(rows.length).toBe(120);
    for (const r of rows) {
      const value = truth.get(String(r.id));
      if (r.run_id === changed) {
        expect(r.old).toBeNull();
        expect(r.new).toBe(value === null || value === undefined ? null : String(value));
      } else {
        expect(r.old).toBe(value === null || value === undefined ? null : BigInt(value as number));
        expect(r.new).toBeNull();
      }
    }
    const current = await rowsOf(
      'SELECT count(*) AS n FROM users_current WHERE profile_clearance_level__string IS NOT NULL',
    );
    expect(Number(current[0]?.n)).toBeGreaterThan(0);
  });
});
