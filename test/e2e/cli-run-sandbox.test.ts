/**
 * End to end through the real CLI process: `okta-flow run <flow> --sandbox --out <tmp>` writes one commit record and
 * the files it lists (Parquet by the example config), state beside them; a second run of the same --out is incremental;
 * `validate` of a bad config exits 1 with the path and what is wrong; `describe --json` prints the catalog.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commitKey, listCommits } from '../../lambdas/lake/commit-log.js';

const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const CLI = join(process.cwd(), 'bin', 'okta-flow.ts');
const dir = mkdtempSync(join(tmpdir(), 'okta-flow-e2e-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[]) {
  const out = spawnSync(TSX, [CLI, ...args], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: out.status, stdout: out.stdout, stderr: out.stderr };
}

describe('okta-flow CLI', () => {
  it('run --sandbox writes a committed run: commit record last, listed files present with their checksums', async () => {
    const out = join(dir, 'out');
    const first = cli([
      'run',
      'groups-daily',
      'users-hourly',
      '--sandbox',
      '--sandbox-users',
      '300',
      '--out',
      out,
      '--no-progress',
    ]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/users-hourly\s+User\s+committed\s+incremental/);
    expect(first.stdout).toMatch(/groups-daily\s+Group\s+committed\s+full/);
    const target = { kind: 'local' as const, rootDir: out };
    for (const object of ['User', 'Group']) {
      const runs = await listCommits(target, 'okta', object);
      expect(runs).toHaveLength(1);
      const manifest = runs[0]?.records.manifest;
      expect(manifest?.format).toBe('parquet');
      expect(manifest?.totals.records).toBeGreaterThan(0);
      expect(first.stdout).toContain(join(out, commitKey('okta', object, runs[0]?.run_id ?? '')));
      for (const file of manifest?.files ?? []) {
        const bytes = readFileSync(join(out, file.key));
        expect(bytes.subarray(0, 4).toString()).toBe('PAR1');
        expect(createHash('sha256').update(bytes).digest('hex')).toBe(file.sha256);
      }
    }
    // Everything okta-flow keeps for itself is under <prefix>/_state/, as in the bucket: flows and snapshots.
    const stateDir = join(out, 'okta', '_state');
    const state = JSON.parse(readFileSync(join(stateDir, 'flows', 'users-hourly', 'state.json'), 'utf8'));
    expect(state.watermark).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(readdirSync(join(stateDir, 'snapshots', 'groups-daily')).some((f) => f.endsWith('.ids'))).toBe(true);
    expect(existsSync(join(out, '_state'))).toBe(false);

    // A new sandbox process is a new org with the same seed; the state says where the last run stopped.
    const second = cli(['run', 'users-hourly', '--sandbox', '--sandbox-users', '300', '--out', out, '--no-progress']);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/users-hourly\s+User\s+committed\s+incremental\s+\S+ → \S+\s+\d+/);
    expect(await listCommits(target, 'okta', 'User')).toHaveLength(2);
  });

  it('run with a window override that is not a date fails with the run-input message, exit 1', () => {
    const r = cli([
      'run',
      'users-hourly',
      '--sandbox',
      '--sandbox-users',
      '10',
      '--out',
      join(dir, 'bad'),
      '--from',
      'yesterday',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('"yesterday" is not an ISO-8601 date-time');
  });

  it('validate: a bad config exits 1 naming the path and the problem', () => {
    const path = join(dir, 'bad.json');
    writeFileSync(
      path,
      JSON.stringify({
        okta: { domain: 'evil.example.com', credentialsSecret: 'x' },
        output: { bucket: { create: true } },
        flows: [],
      }),
    );
    const r = cli(['validate', '--config', path]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('okta.domain');
    expect(r.stderr).toContain('is not an Okta domain');
    expect(r.stderr).toContain('flows');
  });

  it('validate: the example config is valid', () => {
    const r = cli(['validate', '--config', 'examples/okta-flow.config.json']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('valid — 5 flow(s)');
  });

  it('describe --json prints the object catalog', () => {
    const r = cli(['describe', 'User', '--json']);
    expect(r.code).toBe(0);
    const described = JSON.parse(r.stdout) as { object: string; cursorField: string; fields: { column: string }[] };
    expect(described.object).toBe('User');
    expect(described.cursorField).toBe('last_updated');
    expect(described.fields.map((f) => f.column)).toContain('last_updated');
  });

  it('describe User with org access lists the org’s custom attributes, typed, with their user types', () => {
    const r = cli(['describe', 'User', '--sandbox', '--sandbox-users', '50', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const described = JSON.parse(r.stdout) as {
      customAttributes: {
        name: string;
        column: string;
        type: string;
        fieldType: string;
        userTypes: string[];
        conflict?: unknown[];
      }[];
      fields: { column: string; type: string }[];
    };
    const byName = Object.fromEntries(described.customAttributes.map((a) => [a.name, a]));
    expect(byName['profile.clearanceLevel']).toMatchObject({
      column: 'profile_clearance_level',
      type: 'integer',
      fieldType: 'Long',
      userTypes: ['user', 'contractor', 'serviceAccount'],
    });
    expect(byName['profile.accessTiers']).toMatchObject({
      type: 'array<integer>',
      fieldType: 'List<Long>',
      userTypes: ['contractor'],
    });
    expect(byName['profile.fteRatio']?.fieldType).toBe('Double');
    expect(byName['profile.isContractor']?.fieldType).toBe('Boolean');
    expect(byName['profile.badgeNumber']?.conflict).toHaveLength(2);
    expect(described.fields.find((f) => f.column === 'profile_rotation_days')?.type).toBe('Long');
    const text = cli(['describe', 'User', '--sandbox', '--sandbox-users', '50']);
    expect(text.stdout).toContain('Custom attributes of this org (10):');
  });
});
