/**
 * The Glue definitions against the files actually written: the example flows run against the sandbox into a folder
 * (Parquet, then JSONL), and every parts table of the synthesized stack must name the files' columns with types the
 * files have, read them with the right input format and SerDe, and point at the folders the files and commit records
 * are in. Custom attributes, unknown at synth, must be in the definitions CommitRun registers after the run.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localRunnerDeps, parseOut } from '../../bin/commands/runner-deps.js';
import { memoryRunLogger } from '../../lambdas/flow/observability/logger.js';
import { runFlow } from '../../lambdas/flow/runner/run-flow.js';
import { commitsPrefix, listCommits } from '../../lambdas/lake/commit-log.js';
import { configuredColumns, tableColumnsFor } from '../../lambdas/lake/configured-columns.js';
import { FIRST_PARTITION_DAY, glueDefinitions } from '../../lambdas/lake/glue-definitions.js';
import { type LakeColumn, mergeColumns } from '../../lambdas/lake/lake-columns.js';
import { lakeTableNames } from '../../lambdas/lake/table-names.js';
import { getObjectDef } from '../../lambdas/okta/catalog/index.js';
import type { OktaObjectName } from '../../lambdas/okta/catalog/types.js';
import { type Sandbox, startSandbox } from '../../sandbox/index.js';
import { exampleConfigJson, type Json, resourcesOf, type Synthesized, synthesize } from './synthesize.js';

/** What DuckDB may report for a Parquet column of a Glue (Hive) type okta-flow declares (lists element-wise). */
function parquetTypes(hive: string): string[] {
  const list = /^array<(.+)>$/.exec(hive);
  if (list?.[1]) return parquetTypes(list[1]).map((t) => `${t}[]`);
  const scalar: Record<string, string[]> = {
    string: ['VARCHAR'],
    bigint: ['BIGINT'],
    double: ['DOUBLE'],
    boolean: ['BOOLEAN'],
    timestamp: ['TIMESTAMP WITH TIME ZONE', 'TIMESTAMP'],
  };
  return scalar[hive] ?? [];
}

async function parquetSchema(path: string): Promise<Record<string, string>> {
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  try {
    const rows = (
      await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${path}', hive_partitioning = false)`)
    ).getRowObjectsJS();
    return Object.fromEntries(rows.map((r) => [String(r.column_name), String(r.column_type)]));
  } finally {
    connection.closeSync();
    db.closeSync();
  }
}

const columnsOf = (table: Json): Record<string, string> =>
  Object.fromEntries((table.StorageDescriptor.Columns as Json[]).map((c) => [c.Name, c.Type]));

describe.each(['parquet', 'jsonl'] as const)('Glue definitions and the files written (%s)', (format) => {
  let sandbox: Sandbox;
  let s: Synthesized;
  let out: string;
  const tables = (): Json[] => resourcesOf(s.json, 'AWS::Glue::Table').map(([, t]) => t.Properties.TableInput);
  const table = (name: string) => tables().find((t) => t.Name === name);
  const target = () => ({ kind: 'local' as const, rootDir: out });
  const objects: OktaObjectName[] = ['User', 'Group', 'Application', 'Device', 'UserType'];

  beforeAll(async () => {
    const raw = exampleConfigJson() as { output: Record<string, unknown> };
    s = synthesize({
      ...raw,
      output: { ...raw.output, format, compression: format === 'parquet' ? 'snappy' : 'none' },
    });
    sandbox = await startSandbox({ users: 300, rateLimits: false });
    out = mkdtempSync(join(tmpdir(), 'okta-flow-glue-files-'));
    const deps = localRunnerDeps({
      config: s.config,
      okta: { kind: 'sandbox', baseUrl: sandbox.baseUrl, apiToken: sandbox.apiToken },
      out: parseOut(out, undefined, s.config.output.prefix),
      clock: () => sandbox.clock.now(),
      logger: memoryRunLogger(),
    });
    for (const flow of s.config.flows) await runFlow(flow.name, { kind: 'manual' }, deps);
  });
  afterAll(async () => {
    await sandbox?.close();
    rmSync(out, { recursive: true, force: true });
  });

  it('every parts table reads its files with the right input format and SerDe, at the folders they are in', async () => {
    for (const object of objects) {
      const names = lakeTableNames(object);
      const parts = table(names.parts);
      const [commit] = await listCommits(target(), 'okta', object);
      const file = commit?.records.manifest.files[0];
      expect(file, object).toBeDefined();
      const location = JSON.stringify(parts.StorageDescriptor.Location);
      expect(location).toContain(`/okta/${object}/`);
      expect(file?.key.startsWith(`okta/${object}/dt=${commit?.dt}/run_id=${commit?.run_id}/`)).toBe(true);
      expect(JSON.stringify(parts.Parameters['storage.location.template'])).toContain(`/okta/${object}/dt=\${dt}/`);
      const bytes = readFileSync(join(out, file?.key ?? ''));
      if (format === 'parquet') {
        expect(bytes.subarray(0, 4).toString()).toBe('PAR1');
        expect(parts.StorageDescriptor.InputFormat).toBe(
          'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
        );
        expect(parts.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe(
          'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
        );
      } else {
        for (const line of bytes.toString('utf8').split('\n').filter(Boolean))
          expect(() => JSON.parse(line)).not.toThrow();
        expect(parts.StorageDescriptor.InputFormat).toBe('org.apache.hadoop.mapred.TextInputFormat');
        expect(parts.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe('org.openx.data.jsonserde.JsonSerDe');
      }
      const commits = table(names.commits);
      expect(JSON.stringify(commits.StorageDescriptor.Location)).toContain(`/${commitsPrefix('okta', object)}/`);
      expect(JSON.stringify(table(names.deletesParts).StorageDescriptor.Location)).toContain(
        `/okta/${object}_deletes/`,
      );
    }
    // Tombstones of the snapshot-diff groups flow exist (its first snapshot has none: the folder holds an empty set).
    const [groups] = await listCommits(target(), 'okta', 'Group');
    expect(groups?.deletes).not.toBeNull();
  });

  it('the files’ columns are the tables’ columns, with the types the files have', async () => {
    for (const object of objects) {
      const def = getObjectDef(object);
      const commits = await listCommits(target(), 'okta', object);
      let written: LakeColumn[] = [];
      for (const c of commits) written = mergeColumns(object, written, c.records.columns);
      // After the run: what CommitRun registers (the config's columns plus those the run brought, e.g. custom ones).
      const registered = glueDefinitions({
        databaseName: 'oktaflow',
        bucketName: 'b',
        prefix: 'okta',
        def,
        format,
        firstDay: FIRST_PARTITION_DAY,
        records: tableColumnsFor(
          configuredColumns(
            def,
            s.config.flows.filter((f) => f.object === object),
          ),
          written,
        ),
      }).find((d) => d.name === lakeTableNames(object).parts);
      const atDeploy = columnsOf(table(lakeTableNames(object).parts));
      const afterRun = Object.fromEntries((registered?.storageDescriptor.columns ?? []).map((c) => [c.name, c.type]));
      // Everything the stack registered is still there, with the same type (a JSONL struct may gain fields).
      for (const [name, type] of Object.entries(atDeploy)) {
        if (!type.startsWith('struct<')) expect(afterRun[name], `${object}.${name}`).toBe(type);
        else for (const field of type.slice(7, -1).split(',')) expect(afterRun[name]).toContain(field);
      }
      const file = commits[0]?.records.manifest.files[0]?.key ?? '';
      if (format === 'parquet') {
        const schema = await parquetSchema(join(out, file));
        expect(Object.keys(schema).sort(), object).toEqual(Object.keys(afterRun).sort());
        for (const [name, type] of Object.entries(afterRun)) {
          expect(parquetTypes(type), `${object}.${name}: ${type}`).toContain(schema[name]);
        }
        if (object === 'User') {
          const custom = Object.keys(afterRun).filter((n) => !(n in atDeploy));
          expect(custom).toEqual(expect.arrayContaining(['profile_github_handle', 'profile_clearance_level']));
          expect(schema.profile_clearance_level).toBe('BIGINT');
          // Array attributes are lists of their element type, in the file and in Glue.
          expect([schema.profile_access_tiers, afterRun.profile_access_tiers]).toEqual(['BIGINT[]', 'array<bigint>']);
          expect([schema.profile_skills, afterRun.profile_skills]).toEqual(['VARCHAR[]', 'array<string>']);
        } else {
          expect(afterRun).toEqual(atDeploy);
        }
      } else {
        const lines = readFileSync(join(out, file), 'utf8').split('\n').filter(Boolean);
        const keys = new Set(lines.flatMap((l) => Object.keys(JSON.parse(l) as object).map((k) => k.toLowerCase())));
        for (const key of keys) expect(Object.keys(afterRun), `${object} key ${key}`).toContain(key);
        if (object === 'User') {
          const profiles = lines.map((l) => (JSON.parse(l) as { profile?: object }).profile ?? {});
          const profileKeys = new Set(profiles.flatMap((p) => Object.keys(p).map((k) => k.toLowerCase())));
          const struct = String(afterRun.profile);
          for (const key of profileKeys) expect(struct).toContain(`${key}:`);
          expect(struct).toContain('clearancelevel:bigint');
          expect(struct).toContain('skills:array<string>');
          expect(struct).toContain('accesstiers:array<bigint>');
        }
      }
    }
  });
});
