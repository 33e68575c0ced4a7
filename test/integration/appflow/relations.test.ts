/**
 * AppFlow sees the relations: ListEntities lists them, DescribeEntity describes GroupMember with EQUAL_TO on its
 * parent id, and QueryData pages GroupMember (small maxResults, resumed from nextToken across groups) to exactly the
 * pairs the sandbox's API lists, also filtered by `group_id = "…"`; UserFactor without a user filter is refused with
 * a message that says how to fix it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../sandbox/index.js';
import { type Connection, connect, queryAll, queryRequest, startOrg } from './harness.js';

let sandbox: Sandbox;
let connection: Connection;
beforeAll(async () => {
  sandbox = await startOrg({ users: 150, groups: 10 });
  connection = connect(sandbox);
});
afterAll(async () => {
  await sandbox?.close();
});

async function api(path: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let url: string | null = `${sandbox.baseUrl}${path}`;
  while (url !== null) {
    const res: Response = await fetch(url, { headers: { authorization: `SSWS ${sandbox.apiToken}` } });
    out.push(...((await res.json()) as Record<string, unknown>[]));
    url = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1] ?? null;
  }
  return out;
}

async function pairs(groupIds: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const g of groupIds) for (const u of await api(`/api/v1/groups/${g}/users?limit=1000`)) out.push(`${g}/${u.id}`);
  return out.sort();
}

describe('AppFlow relations', () => {
  it('lists and describes GroupMember with EQUAL_TO on group_id', async () => {
    const list = await connection.call({
      type: 'ListEntitiesRequest',
      connectorContext: connection.context(),
      entitiesPath: null,
      nextToken: null,
      maxResult: 1000,
    });
    const names = (list.entities as { entityIdentifier: string }[]).map((e) => e.entityIdentifier);
    for (const n of ['GroupMember', 'ApplicationUser', 'ApplicationGroup', 'DeviceUser', 'UserRole', 'UserFactor']) {
      expect(names).toContain(n);
    }
    const described = await connection.call({
      type: 'DescribeEntityRequest',
      entityIdentifier: 'GroupMember',
      connectorContext: connection.context(),
    });
    const fields = (described.entityDefinition as { fields: Record<string, unknown>[] }).fields;
    const groupId = fields.find((f) => f.fieldName === 'group_id') as Record<string, unknown>;
    expect(JSON.stringify(groupId)).toContain('EQUAL_TO');
  });

  it('QueryData pages GroupMember to exactly the API’s pairs, whole and filtered by group_id', async () => {
    const groups = (await api('/api/v1/groups?limit=200')).map((g) => String(g.id));
    const all = await queryAll(connection, 'GroupMember', {
      maxResults: 7,
      selectedFieldNames: ['group_id', 'user_id'],
    });
    expect(all.responses).toBeGreaterThan(3);
    const got = all.records.map((r) => `${String(r.group_id)}/${String(r.user_id)}`).sort();
    expect(new Set(got).size).toBe(got.length);
    expect(got).toEqual(await pairs(groups));

    const one = groups[3] as string;
    const filtered = await queryAll(connection, 'GroupMember', {
      maxResults: 5,
      filterExpression: `group_id = "${one}"`,
      selectedFieldNames: ['group_id', 'user_id', 'login'],
    });
    const want = await pairs([one]);
    expect(want.length).toBeGreaterThan(0);
    expect(filtered.records.map((r) => `${String(r.group_id)}/${String(r.user_id)}`).sort()).toEqual(want);
  });

  it('UserFactor without a user filter is refused, saying how to fix it', async () => {
    const res = await connection.call(queryRequest(connection, 'UserFactor'));
    expect(res.isSuccess).toBe(false);
    expect(JSON.stringify(res.errorDetails)).toContain('perUserRequests');
  });
});
