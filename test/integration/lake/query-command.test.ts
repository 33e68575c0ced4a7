/**
 * `okta-flow query`: through the CLI process (a table by default, `--json` one object per line and nothing else on
 * stdout, clear messages and exit 1 for bad SQL, a missing folder and no committed data), and over s3://bucket/prefix
 * (a run into a real S3 server on loopback, read back with the same views).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryCommand } from '../../../bin/commands/query.js';
import { localRunnerDeps } from '../../../bin/commands/runner-deps.js';
import { memoryRunLogger } from '../../../lambdas/flow/observability/logger.js';
import { runFlow } from '../../../lambdas/flow/runner/run-flow.js';
import { S3StateStore } from '../../../lambdas/flow/state/s3-state-store.js';
import type { Sandbox } from '../../../sandbox/index.js';
import { frozenSandbox, type Harness, harness, testConfig } from '../flow/runner/harness.js';
import { type S3Harness, startS3 } from '../output/s3-harness.js';

const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const CLI = join(process.cwd(), 'bin', 'okta-flow.ts');
const FLOW = { name: 'groups-full', object: 'Group', mode: 'full', fields: ['id', 'name', 'type', 'last_updated'] };

function cli(args: string[]) {
  const r = spawnSync(TSX, [CLI, ...args], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let sandbox: Sandbox;
let h: Harness;
let empty: string;
beforeAll(async () => {
  sandbox = await frozenSandbox({ users: 50, groups: 14 });
  h = harness(sandbox, testConfig([FLOW], { format: 'parquet', compression: 'snappy' }));
  await runFlow('groups-full', { kind: 'manual' }, h.deps());
  empty = mkdtempSync(join(tmpdir(), 'okta-flow-query-empty-'));
  mkdirSync(join(empty, 'okta', 'Group'), { recursive: true });
});
afterAll(async () => {
  await sandbox.close();
  h.cleanup();
  rmSync(empty, { recursive: true, force: true });
});

describe('okta-flow query (CLI)', () => {
  it('prints a table of the result', () => {
    const r = cli([
      'query',
      'SELECT type, count(*) AS n FROM groups_current GROUP BY type ORDER BY type',
      '--out',
      h.dir,
      '--prefix',
      'okta',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^type\s+n$/);
    expect(lines[1]).toMatch(/^-+\s+-+$/);
    expect(lines.at(-1)).toMatch(/^\(\d+ rows?\)$/);
    const total = lines.slice(2, -1).reduce((n, l) => n + Number(l.trim().split(/\s+/).at(-1)), 0);
    expect(total).toBe([...sandbox.org.all('groups')].length);
  });

  it('--json: one JSON object per row on stdout, nothing else', () => {
    const r = cli([
      'query',
      'SELECT id, name, last_updated FROM groups ORDER BY id',
      '--out',
      h.dir,
      '--prefix',
      'okta',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength([...sandbox.org.all('groups')].length);
    const rows = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const truth = new Map([...sandbox.org.all('groups')].map((g) => [String(g.id), g]));
    for (const row of rows) {
      expect(Object.keys(row)).toEqual(['id', 'name', 'last_updated']);
      const group = truth.get(String(row.id));
      expect(row.name).toBe((group?.profile as { name?: string } | undefined)?.name);
      expect(row.last_updated).toBe(group?.lastUpdated);
    }
  });

  it.each([
    [['SELEC nonsense'], 'SQL error: Parser Error'],
    [['SELECT nosuch FROM groups'], 'SQL error: Binder Error'],
  ])('%s: a clear SQL error naming the tables, exit 1, nothing on stdout', (args, message) => {
    const r = cli(['query', ...args, '--out', h.dir, '--prefix', 'okta']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain('Tables and views: groups, group_deletes, groups_current');
  });

  it('a missing output folder, and a folder without committed runs, say so', () => {
    const missing = cli(['query', 'SELECT 1', '--out', join(empty, 'nope')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`No output folder at ${join(empty, 'nope')}`);
    const none = cli(['query', 'SELECT 1', '--out', empty, '--prefix', 'okta']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(`No committed runs under ${join(empty, 'okta')}`);
  });
});

describe('okta-flow query over s3://bucket/prefix', () => {
  let s3: S3Harness;
  beforeAll(async () => {
    s3 = await startS3();
  });
  afterAll(async () => {
    await s3?.close();
  });

  it('reads the committed runs of a bucket with the same views', async () => {
    const target = {
      kind: 's3' as const,
      client: s3.client,
      bucket: s3.bucket,
      sseKms: { kmsKeyId: 'arn:aws:kms:eu-west-1:1:key/k' },
    };
    const deps = localRunnerDeps({
      config: testConfig([FLOW], { format: 'jsonl', compression: 'gzip', prefix: 'exports' }),
      okta: { kind: 'sandbox', baseUrl: sandbox.baseUrl, apiToken: sandbox.apiToken },
      out: {
        target,
        state: new S3StateStore({ client: s3.client, bucket: s3.bucket, prefix: 'exports' }),
        where: `s3://${s3.bucket}/exports`,
        prefix: 'exports',
        locate: (key) => `s3://${s3.bucket}/${key}`,
      },
      clock: () => sandbox.clock.now(),
      logger: memoryRunLogger(),
    });
    await runFlow('groups-full', { kind: 'manual' }, deps);
    const lines: string[] = [];
    const result = await queryCommand({
      sql: 'SELECT id FROM groups_current ORDER BY id',
      out: `s3://${s3.bucket}/exports`,
      json: true,
      s3: s3.client,
      print: (l) => lines.push(l),
    });
    expect(result.columns).toEqual(['id']);
    expect(lines.map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(
      [...sandbox.org.all('groups')].map((g) => String(g.id)).sort(),
    );
  });
});
