/**
 * Relations (children of parents) against the sandbox: each object lands exactly the org's pairs, checked pair by
 * pair against the sandbox's own API walked independently with plain fetch (Link headers, the assignee envelope);
 * filters on parent columns narrow the parents; a scan resumes from a serialized continuation; a parent deleted
 * mid-run is counted and skipped; UserFactor refuses to run per user unless told.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getObjectDef, recordKey } from '../../../../lambdas/okta/catalog/index.js';
import type { OktaObjectName } from '../../../../lambdas/okta/catalog/types.js';
import {
  type Continuation,
  ExtractRequestError,
  extractChildren,
  extractObject,
} from '../../../../lambdas/okta/extract/index.js';
import { KeySet } from '../../../../lambdas/okta/extract/key-set.js';
import type { Filter } from '../../../../lambdas/okta/query/filter.js';
import type { OktaRecord } from '../../../../lambdas/okta/types.js';
import { collectPages, type Harness, startHarness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ users: 400, groups: 30, apps: 12, devices: 60 });
});
afterAll(async () => {
  await h?.close();
});

/** Every item of a listing, following rel="next" with plain fetch (not okta-flow's client). */
async function rawList(path: string): Promise<OktaRecord[]> {
  const out: OktaRecord[] = [];
  let url: string | null = new URL(path, h.sandbox.baseUrl).href;
  while (url !== null) {
    const res: Response = await fetch(url, { headers: { authorization: `SSWS ${h.sandbox.apiToken}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as unknown;
    if (Array.isArray(body)) {
      out.push(...(body as OktaRecord[]));
      const next = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '');
      url = next?.[1] ?? null;
    } else {
      const env = body as { value: OktaRecord[]; _links?: { next?: { href: string } } };
      out.push(...env.value);
      url = env._links?.next?.href ?? null;
    }
  }
  return out;
}

interface Truth {
  readonly parents: string;
  readonly children: (parentId: string) => string;
  readonly childKey: (child: OktaRecord) => string;
  /** A child attribute compared pair by pair with the extracted column. */
  readonly column: string;
  readonly value: (child: OktaRecord) => unknown;
}

const TRUTH: Record<
  Exclude<OktaObjectName, 'User' | 'Group' | 'Application' | 'Device' | 'UserType' | 'LogEvent'>,
  Truth
> = {
  GroupMember: {
    parents: '/api/v1/groups?limit=200',
    children: (id) => `/api/v1/groups/${id}/users?limit=1000`,
    childKey: (c) => String(c.id),
    column: 'status',
    value: (c) => c.status,
  },
  ApplicationUser: {
    parents: '/api/v1/apps?limit=200',
    children: (id) => `/api/v1/apps/${id}/users?limit=500`,
    childKey: (c) => String(c.id),
    column: 'scope',
    value: (c) => c.scope,
  },
  ApplicationGroup: {
    parents: '/api/v1/apps?limit=200',
    children: (id) => `/api/v1/apps/${id}/groups?limit=200`,
    childKey: (c) => String(c.id),
    column: 'priority',
    value: (c) => c.priority,
  },
  DeviceUser: {
    parents: '/api/v1/devices?limit=200',
    children: (id) => `/api/v1/devices/${id}/users`,
    childKey: (c) => String((c.user as OktaRecord).id),
    column: 'management_status',
    value: (c) => c.managementStatus,
  },
  UserRole: {
    parents: '/api/v1/iam/assignees/users?limit=100',
    children: (id) => `/api/v1/users/${id}/roles`,
    childKey: (c) => String(c.id),
    column: 'type',
    value: (c) => c.type,
  },
  UserFactor: {
    parents: '/api/v1/users?limit=200&search=status%20pr',
    children: (id) => `/api/v1/users/${id}/factors`,
    childKey: (c) => String(c.id),
    column: 'factor_type',
    value: (c) => c.factorType,
  },
};

/** The org's pairs per the API: key → the compared attribute. */
async function truthPairs(t: Truth): Promise<Map<string, unknown>> {
  const pairs = new Map<string, unknown>();
  for (const parent of await rawList(t.parents)) {
    for (const child of await rawList(t.children(String(parent.id)))) {
      pairs.set(JSON.stringify([String(parent.id), t.childKey(child)]), t.value(child));
    }
  }
  return pairs;
}

/** Small child pages where the endpoint pages (ApplicationGroup's minimum is 20), to exercise child cursors. */
const SMALL_PAGES: Partial<Record<OktaObjectName, number>> = {
  GroupMember: 7,
  ApplicationUser: 5,
  ApplicationGroup: 20,
};

describe.each(Object.entries(TRUTH))('%s', (name, t) => {
  it('lands exactly the org’s pairs, pair by pair', async () => {
    const def = getObjectDef(name);
    const want = await truthPairs(t);
    expect(want.size).toBeGreaterThan(0);
    const pageLimit = SMALL_PAGES[def.name];
    const pages = await collectPages(
      extractObject(
        def,
        { perParentRequests: true, ...(pageLimit !== undefined ? { pageLimit } : {}) },
        { ...h.deps, childConcurrency: 3 },
      ),
    );
    const got = new Map<string, unknown>();
    for (const record of pages.flatMap((p) => p.records)) {
      const key = recordKey(def, record) as string;
      expect(got.has(key), key).toBe(false);
      const column = def.fields.find((f) => f.column === t.column);
      got.set(key, column === undefined ? undefined : readColumn(record, column.path));
    }
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    for (const [key, value] of want) expect(got.get(key), key).toEqual(value);
    expect(pages.at(-1)?.continuation).toBeNull();
    expect(pages.slice(0, -1).every((p) => p.continuation !== null)).toBe(true);
  });
});

function readColumn(record: OktaRecord, path: readonly string[]): unknown {
  let v: unknown = record;
  for (const k of path) v = (v as Record<string, unknown> | undefined)?.[k];
  return v;
}

describe('parent filters and resume', () => {
  it('a filter on a parent column reads only the matching parents’ children', async () => {
    const def = getObjectDef('GroupMember');
    const groups = await rawList('/api/v1/groups?limit=200');
    const okta = groups.filter((g) => g.type === 'OKTA_GROUP');
    expect(okta.length).toBeGreaterThan(0);
    expect(okta.length).toBeLessThan(groups.length);
    const want = new Set<string>();
    for (const g of okta) {
      for (const u of await rawList(`/api/v1/groups/${String(g.id)}/users?limit=1000`)) {
        want.add(JSON.stringify([g.id, u.id]));
      }
    }
    const before = h.sandbox.stats().requests;
    const filter: Filter = { kind: 'compare', field: 'group_type', op: 'EQUAL_TO', value: 'OKTA_GROUP' };
    const pages = await collectPages(extractChildren(def, { filter }, h.deps));
    const requests = h.sandbox.stats().requests - before;
    const got = pages.flatMap((p) => p.records).map((r) => recordKey(def, r));
    expect([...got].sort()).toEqual([...want].sort());
    // the other groups' members were never asked for: one group page + at most one member page per OKTA_GROUP group
    expect(requests).toBeLessThanOrEqual(1 + okta.length);
  });

  it('resumes from a serialized continuation: no pair lost, none twice', async () => {
    const def = getObjectDef('GroupMember');
    const full = await collectPages(extractChildren(def, { pageLimit: 9 }, h.deps));
    const all = full.flatMap((p) => p.records).map((r) => recordKey(def, r) as string);
    for (const stopAfter of [1, 3, Math.floor(full.length / 2)]) {
      const seen = new KeySet();
      const got: string[] = [];
      let resumeFrom: Continuation | null = null;
      let n = 0;
      for await (const page of extractChildren(def, { pageLimit: 9 }, { ...h.deps, seen })) {
        got.push(...page.records.map((r) => recordKey(def, r) as string));
        resumeFrom = JSON.parse(JSON.stringify(page.continuation)) as Continuation | null;
        if (++n === stopAfter) break;
      }
      expect(resumeFrom).not.toBeNull();
      for await (const page of extractChildren(def, { pageLimit: 9, resumeFrom }, { ...h.deps, seen })) {
        got.push(...page.records.map((r) => recordKey(def, r) as string));
      }
      expect(new Set(got).size).toBe(got.length);
      expect([...got].sort()).toEqual([...all].sort());
    }
  });

  it('refuses a continuation of another object or filter', async () => {
    const def = getObjectDef('GroupMember');
    const first = await extractChildren(def, { pageLimit: 9 }, h.deps).next();
    const c = first.value?.continuation as Continuation;
    const other = { kind: 'compare', field: 'group_type', op: 'EQUAL_TO', value: 'OKTA_GROUP' } as const;
    await expect(collectPages(extractChildren(def, { filter: other, resumeFrom: c }, h.deps))).rejects.toThrow(
      /another scan \(a different filter\)/,
    );
  });
});

describe('UserFactor and UserRole cost', () => {
  it('UserFactor refuses to run one request per user without a user filter or the opt-in', async () => {
    const def = getObjectDef('UserFactor');
    await expect(collectPages(extractObject(def, {}, h.deps))).rejects.toThrow(ExtractRequestError);
    await expect(collectPages(extractObject(def, {}, h.deps))).rejects.toThrow(/"perUserRequests": true/);
  });

  it('a user_id filter reads those users’ factors directly: one request per named user', async () => {
    const def = getObjectDef('UserFactor');
    const users = (await rawList('/api/v1/users?limit=200')).slice(0, 3).map((u) => String(u.id));
    const want = new Set<string>();
    for (const id of users)
      for (const f of await rawList(`/api/v1/users/${id}/factors`)) want.add(`["${id}","${f.id}"]`);
    const before = h.sandbox.stats().requests;
    const filter: Filter = { kind: 'in', field: 'user_id', values: users };
    const pages = await collectPages(extractObject(def, { filter }, h.deps));
    expect(h.sandbox.stats().requests - before).toBe(users.length);
    expect(new Set(pages.flatMap((p) => p.records).map((r) => recordKey(def, r)))).toEqual(want);
  });
});

describe('a parent deleted mid-run', () => {
  it('is counted and skipped, the other parents’ pairs all land', async () => {
    const local = await startHarness({ users: 200, groups: 12 });
    try {
      const def = getObjectDef('GroupMember');
      const groups = await (async () => {
        const res = await fetch(`${local.sandbox.baseUrl}/api/v1/groups?limit=200`, {
          headers: { authorization: `SSWS ${local.sandbox.apiToken}` },
        });
        return (await res.json()) as OktaRecord[];
      })();
      const victim = groups.filter((g) => g.type === 'OKTA_GROUP').at(-1);
      expect(victim).toBeDefined();
      const gone: string[] = [];
      const got: OktaRecord[] = [];
      let deleted = false;
      for await (const page of extractChildren(
        def,
        {},
        {
          ...local.deps,
          childConcurrency: 1,
          onParentGone: ({ parentId }) => gone.push(parentId),
        },
      )) {
        got.push(...page.records);
        if (!deleted) {
          local.sandbox.org.admin.deleteGroup(String(victim?.id));
          deleted = true;
        }
      }
      expect(gone).toEqual([victim?.id]);
      expect(got.length).toBeGreaterThan(0);
      expect(got.some((r) => (r._parent as OktaRecord).id === victim?.id)).toBe(false);
    } finally {
      await local.close();
    }
  });
});
