/**
 * Custom attributes in flows: resolved at plan time from every user type's schema, they select, filter (pushed down
 * to Okta's search like built-in fields) and land typed in every format, checked value by value against the org
 * through `okta-flow query`. A name the org does not have fails the run before any file is written, naming the
 * closest known ones; the type conflict between two user types is text and refuses filters.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryCommand } from '../../../bin/commands/query.js';
import { FlowFieldError } from '../../../lambdas/flow/runner/errors.js';
import { runFlow } from '../../../lambdas/flow/runner/run-flow.js';
import type { Sandbox } from '../../../sandbox/index.js';
import { frozenSandbox, type Harness, harness, testConfig } from '../flow/runner/harness.js';

const ATTRIBUTES = {
  githubHandle: 'profile_github_handle',
  fteRatio: 'profile_fte_ratio',
  isContractor: 'profile_is_contractor',
  clearanceLevel: 'profile_clearance_level',
  skills: 'profile_skills',
  contractorAgency: 'profile_contractor_agency',
  accessTiers: 'profile_access_tiers',
  rotationDays: 'profile_rotation_days',
  badgeNumber: 'profile_badge_number',
} as const;
type Attribute = keyof typeof ATTRIBUTES;
const LISTS: readonly Attribute[] = ['skills', 'accessTiers'];

const FLOW = {
  name: 'users-custom',
  object: 'User',
  mode: 'full',
  fields: ['id', ...Object.keys(ATTRIBUTES).map((a) => `profile.${a}`)],
  filters: [{ field: 'profile.clearanceLevel', op: '>=', value: 1 }],
};

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await frozenSandbox({ users: 400 });
});
afterAll(async () => {
  await sandbox.close();
});

async function query(h: Harness, sql: string): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  await queryCommand({ sql, out: h.dir, prefix: 'okta', json: true, print: (l) => lines.push(l) });
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
}

function expected(attribute: Attribute, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  // user types disagree on badgeNumber (string for contractors, integer for service accounts): text.
  if (attribute === 'badgeNumber') return String(value);
  return value;
}

describe.each(['parquet', 'csv', 'jsonl'] as const)('custom attributes (%s)', (format) => {
  let h: Harness;
  const requests: string[] = [];
  beforeAll(async () => {
    h = harness(sandbox, testConfig([FLOW], { format, compression: format === 'parquet' ? 'snappy' : 'none' }));
    const base = h.deps({ pageLimit: 50 });
    await runFlow(
      'users-custom',
      { kind: 'manual' },
      {
        ...base,
        createOktaApi: (observer, options) =>
          base.createOktaApi({ ...observer, onRequest: (info) => requests.push(info.path) }, options),
      },
    );
  });
  afterAll(() => h.cleanup());

  it('reads every user type’s schema at plan time and pushes the custom-attribute filter down to search', () => {
    expect(requests).toContain('/api/v1/meta/types/user');
    expect(requests).toContain('/api/v1/meta/schemas/user/default');
    expect(requests.filter((p) => p.startsWith('/api/v1/meta/schemas/user/')).length).toBe(3);
    const listing = requests.filter((p) => p.startsWith('/api/v1/users'));
    expect(listing.length).toBeGreaterThan(0);
    for (const path of listing) {
      expect(new URL(path, 'http://x').searchParams.get('search')).toContain('profile.clearanceLevel ge 1');
    }
  });

  it('lands every attribute typed, value by value as the org has it', async () => {
    const truth = [...sandbox.org.all('users')].filter((u) => {
      const level = (u.profile as Record<string, unknown>).clearanceLevel;
      return typeof level === 'number' && level >= 1;
    });
    expect(truth.length).toBeGreaterThan(20);
    const rows =
      format === 'jsonl'
        ? (await query(h, 'SELECT id, profile FROM users ORDER BY id')).map((r) => {
            const profile = (r.profile ?? {}) as Record<string, unknown>;
            const lower = new Map(Object.entries(profile).map(([k, v]) => [k.toLowerCase(), v]));
            return Object.fromEntries([
              ['id', r.id],
              ...Object.entries(ATTRIBUTES).map(([a, column]) => [column, lower.get(a.toLowerCase()) ?? null]),
            ]);
          })
        : await query(h, `SELECT id, ${Object.values(ATTRIBUTES).join(', ')} FROM users ORDER BY id`);
    expect(rows.map((r) => r.id)).toEqual(truth.map((u) => String(u.id)).sort());
    const byId = new Map(truth.map((u) => [String(u.id), u.profile as Record<string, unknown>]));
    const seen = new Set<string>();
    for (const row of rows) {
      const profile = byId.get(String(row.id)) ?? {};
      for (const [attribute, column] of Object.entries(ATTRIBUTES) as [Attribute, string][]) {
        const got = row[column];
        // Array attributes are lists of their element type (CSV holds JSON text; the query types it as the lake does).
        if (LISTS.includes(attribute) && got !== null) expect(Array.isArray(got), `${row.id} ${attribute}`).toBe(true);
        expect(got, `${row.id} ${attribute}`).toEqual(expected(attribute, profile[attribute]));
        if (got !== null) seen.add(`${attribute}:${Array.isArray(got) ? 'array' : typeof got}`);
      }
    }
    // Every type met at least once, with the type its schema gives it.
    expect([...seen].sort()).toEqual([
      'accessTiers:array',
      'badgeNumber:string',
      'clearanceLevel:number',
      'contractorAgency:string',
      'fteRatio:number',
      'githubHandle:string',
      'isContractor:boolean',
      'rotationDays:number',
      'skills:array',
    ]);
  });
});

describe('custom attributes the org does not have', () => {
  const outputFiles = (dir: string) =>
    existsSync(join(dir, 'okta')) ? readdirSync(join(dir, 'okta'), { recursive: true }).map(String) : [];

  it.each([
    [{ fields: ['id', 'profile.githubHandel'] }, 'field "profile.githubHandel"', 'profile.githubHandle'],
    [
      { filters: [{ field: 'profile.clearanceLvl', op: '=', value: 2 }] },
      'uses "profile.clearanceLvl"',
      'profile.clearanceLevel',
    ],
  ])(
    '%o fails at plan time, naming it and the closest known ones; nothing is written',
    async (spec, named, closest) => {
      const flow = { name: 'users-typo', object: 'User', mode: 'full', ...spec };
      const h = harness(sandbox, testConfig([flow]));
      try {
        const deps = h.deps();
        const failure = await runFlow('users-typo', { kind: 'manual' }, deps).catch((e: unknown) => e);
        expect(failure).toBeInstanceOf(FlowFieldError);
        const message = (failure as Error).message;
        expect(message).toContain(named);
        expect(message).toContain(closest);
        expect(message).toContain('Nothing was written');
        expect(outputFiles(h.dir)).toEqual([]);
        expect(deps.events.ofKind('failed').map((e) => e.error.name)).toEqual(['FlowFieldError']);
        expect(await h.state.getFlowState('users-typo')).toBeNull();
      } finally {
        h.cleanup();
      }
    },
  );

  it('a filter on the attribute user types disagree on is refused: it is text of two types', async () => {
    const flow = {
      name: 'users-badge',
      object: 'User',
      mode: 'full',
      filters: [{ field: 'profile.badgeNumber', op: '=', value: 'B-10010' }],
    };
    const h = harness(sandbox, testConfig([flow]));
    try {
      const failure = await runFlow('users-badge', { kind: 'manual' }, h.deps()).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(FlowFieldError);
      expect((failure as Error).message).toMatch(/profile_badge_number.*cannot be filtered/);
      expect(outputFiles(h.dir)).toEqual([]);
    } finally {
      h.cleanup();
    }
  });
});
