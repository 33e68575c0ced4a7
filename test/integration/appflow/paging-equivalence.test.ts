/**
 * Paging an entire object through QueryData (small maxResults, so Okta pages are split and resumed from nextToken)
 * yields exactly the records the extraction engine yields for the same filter: same ids, same field values. Also
 * AppFlow's incremental windows: consecutive windows lose no record, boundaries included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectedFields } from '../../../lambdas/appflow/fields.js';
import { toAppFlowRecord } from '../../../lambdas/appflow/records.js';
import { ApiTokenCredentials } from '../../../lambdas/okta/auth/index.js';
import { getObjectDef, userDef, withCustomUserAttributes } from '../../../lambdas/okta/catalog/index.js';
import type { ObjectDef } from '../../../lambdas/okta/catalog/types.js';
import { createOktaClient, type OktaClient } from '../../../lambdas/okta/client.js';
import { extractRecords } from '../../../lambdas/okta/extract/index.js';
import { parseFilterExpression } from '../../../lambdas/okta/query/parse-filter-expression.js';
import { planQuery } from '../../../lambdas/okta/query/plan.js';
import type { Sandbox } from '../../../sandbox/index.js';
import { type Connection, connect, queryAll, startOrg, truth } from './harness.js';

let sandbox: Sandbox;
let connection: Connection;
let client: OktaClient;
let users: ObjectDef;

beforeAll(async () => {
  sandbox = await startOrg({ users: 300 });
  connection = connect(sandbox);
  client = createOktaClient({
    domain: sandbox.baseUrl,
    allowLoopback: true,
    credentials: new ApiTokenCredentials(sandbox.apiToken),
  });
  users = withCustomUserAttributes(userDef, await client.getJson('/api/v1/meta/schemas/user/default'));
});
afterAll(async () => {
  await sandbox?.close();
});

/** What the extraction engine yields for the same entity, filter and fields, in AppFlow's record format. */
async function viaExtract(def: ObjectDef, expression: string | null, names: string[] | null) {
  const fields = selectedFields(def, names);
  const filter = expression === null ? null : parseFilterExpression(expression).filter;
  const out: Record<string, unknown>[] = [];
  for await (const r of extractRecords(
    def,
    { fields: fields.map((f) => f.column), filter },
    { api: client, plan: planQuery },
  )) {
    out.push(JSON.parse(JSON.stringify(toAppFlowRecord(r, fields))) as Record<string, unknown>);
  }
  return out;
}

const CASES: { entity: string; filter: string | null; fields: string[] | null; maxResults: number }[] = [
  { entity: 'User', filter: null, fields: null, maxResults: 70 },
  {
    entity: 'User',
    filter: 'status = "ACTIVE" or status = "DEPROVISIONED"',
    fields: ['id', 'status', 'profile_skills', 'profile_clearance_level'],
    maxResults: 33,
  },
  {
    entity: 'User',
    filter: 'profile.clearanceLevel >= 2 and not (status = "SUSPENDED")',
    fields: null,
    maxResults: 500,
  },
  { entity: 'Group', filter: null, fields: null, maxResults: 7 },
  { entity: 'Application', filter: 'status = "ACTIVE"', fields: null, maxResults: 4 },
  { entity: 'Device', filter: null, fields: null, maxResults: 9 },
  { entity: 'UserType', filter: null, fields: null, maxResults: 1 },
];

describe('QueryData pages == extraction engine', () => {
  it.each(CASES)('$entity where $filter (maxResults $maxResults)', async ({ entity, filter, fields, maxResults }) => {
    const def = entity === 'User' ? users : getObjectDef(entity);
    const expected = await viaExtract(def, filter, fields);
    expect(expected.length).toBeGreaterThan(0);
    const { records, responses } = await queryAll(connection, entity, {
      filterExpression: filter,
      selectedFieldNames: fields,
      maxResults,
    });
    expect(records.map((r) => r.id)).toEqual(expected.map((r) => r.id));
    expect(records).toEqual(expected);
    expect(responses).toBeGreaterThanOrEqual(Math.ceil(expected.length / maxResults));
  });

  it('every user of the org, all statuses, exactly once', async () => {
    const { records } = await queryAll(connection, 'User', { selectedFieldNames: ['id', 'status'], maxResults: 128 });
    const ids = records.map((r) => String(r.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(
      truth(sandbox, 'users')
        .map((u) => String(u.id))
        .sort(),
    );
    expect(new Set(records.map((r) => r.status))).toContain('DEPROVISIONED');
  });
});

describe('incremental windows as AppFlow sends them', () => {
  const stamps = () =>
    [...new Set(truth(sandbox, 'users').map((u) => String(u.lastUpdated)))].sort(
      (a, b) => Date.parse(a) - Date.parse(b),
    );

  it('consecutive `F > a and F <= b` windows cover every record exactly once, boundaries included', async () => {
    const all = stamps();
    // Window bounds ON existing record timestamps: the boundary records must land in exactly one window.
    const cuts = [0.25, 0.5, 0.75].map((q) => all[Math.floor(all.length * q)] as string);
    const bounds = ['1970-01-01T00:00:00.000Z', ...cuts, '2999-01-01T00:00:00.000Z'];
    const seen: string[] = [];
    for (let i = 0; i + 1 < bounds.length; i++) {
      const filter = `last_updated > ${bounds[i]} and last_updated <= ${bounds[i + 1]} and status != "SUSPENDED" LIMIT 9999`;
      const { records } = await queryAll(connection, 'User', {
        filterExpression: filter,
        selectedFieldNames: ['id'],
        maxResults: 50,
      });
      seen.push(...records.map((r) => String(r.id)));
    }
    const expected = truth(sandbox, 'users')
      .filter((u) => u.status !== 'SUSPENDED')
      .map((u) => String(u.id));
    expect([...seen].sort()).toEqual([...expected].sort());
  });

  it('`between` is inclusive at both ends; `>=` keeps the boundary; epoch milliseconds work too', async () => {
    const all = stamps();
    const lo = all[10] as string;
    const hi = all[40] as string;
    const inRange = (t: string, a: string, b: string) =>
      Date.parse(t) >= Date.parse(a) && Date.parse(t) <= Date.parse(b);
    const expected = truth(sandbox, 'users')
      .filter((u) => inRange(String(u.lastUpdated), lo, hi))
      .map((u) => String(u.id))
      .sort();
    for (const filter of [
      `lastUpdated between ${lo} and ${hi}`,
      `lastUpdated >= ${lo} and lastUpdated <= ${hi}`,
      `last_updated between ${Date.parse(lo)} and ${Date.parse(hi)}`,
    ]) {
      const { records } = await queryAll(connection, 'User', {
        filterExpression: filter,
        selectedFieldNames: ['id'],
        maxResults: 40,
      });
      expect(records.map((r) => String(r.id)).sort()).toEqual(expected);
    }
    const after = await queryAll(connection, 'User', {
      filterExpression: `last_updated >= ${lo}`,
      selectedFieldNames: ['id', 'last_updated'],
    });
    expect(after.records.some((r) => r.last_updated === lo)).toBe(true);
  });

  it('LIMIT caps the total of an incremental pull across pages', async () => {
    const { records, responses } = await queryAll(connection, 'User', {
      filterExpression: 'last_updated > 2000-01-01T00:00:00Z and status = "ACTIVE" LIMIT 45',
      selectedFieldNames: ['id'],
      maxResults: 20,
    });
    expect(records).toHaveLength(45);
    expect(responses).toBe(3);
  });
});
