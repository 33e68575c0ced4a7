import { describe, expect, it } from 'vitest';
import { getObjectDef, userTypeDef } from '../../../../lambdas/okta/catalog/index.js';
import {
  type Continuation,
  ContinuationMismatchError,
  type ExtractPage,
  ExtractRequestError,
  effectiveFilter,
  extract,
  extractRecords,
} from '../../../../lambdas/okta/extract/index.js';
import type { Filter } from '../../../../lambdas/okta/query/filter.js';
import { FilterValidationError } from '../../../../lambdas/okta/query/resolve-filter.js';
import type { OktaRecord } from '../../../../lambdas/okta/types.js';
import { createFakeOkta, makeGroups, makeUsers, stubPlanner } from './fake-okta.js';

const users = getObjectDef('User');
const groups = getObjectDef('Group');
const USERS = makeUsers(250);
const GROUPS = makeGroups(40);
const USER_TYPES = [
  { id: 'oty1', name: 'user', displayName: 'User', default: true, created: '2024-01-01T00:00:00.000Z' },
  { id: 'oty2', name: 'contractor', displayName: 'Contractor', default: false, created: '2024-02-01T00:00:00.000Z' },
];

function setup() {
  const api = createFakeOkta(
    { '/api/v1/users': USERS, '/api/v1/groups': GROUPS, '/api/v1/meta/types/user': USER_TYPES },
    [users, groups, userTypeDef],
  );
  const plan = stubPlanner();
  return { api, plan, deps: { api, plan } };
}

async function collect(gen: AsyncGenerator<ExtractPage>): Promise<ExtractPage[]> {
  const pages: ExtractPage[] = [];
  // Round-trips through JSON: what a caller stores between invocations must survive it.
  for await (const p of gen) pages.push(JSON.parse(JSON.stringify(p)) as ExtractPage);
  return pages;
}

async function first(gen: AsyncGenerator<ExtractPage>): Promise<ExtractPage | undefined> {
  const { value } = await gen.next();
  await gen.return(undefined);
  return value === undefined ? undefined : value;
}

const ids = (records: readonly OktaRecord[]) => records.map((r) => String(r.id));

const engineeringSince: Filter = {
  kind: 'and',
  children: [
    { kind: 'compare', field: 'department', op: 'EQUAL_TO', value: 'Engineering' },
    { kind: 'compare', field: 'lastUpdated', op: 'GREATER_THAN_OR_EQUAL_TO', value: '2024-01-05T00:00:00.000Z' },
  ],
};
const truth = (r: OktaRecord) =>
  (r.profile as Record<string, unknown>).department === 'Engineering' &&
  String(r.lastUpdated) >= '2024-01-05T00:00:00.000Z';

describe('extract', () => {
  it.each([1, 3, 7, 50, 200, 1000])('returns exactly the matching records at page size %i', async (pageLimit) => {
    const { deps, api } = setup();
    const pages = await collect(extract(users, { filter: engineeringSince, pageLimit }, deps));
    const got = pages.flatMap((p) => ids(p.records));
    expect(got).toEqual(ids(USERS.filter(truth)));
    expect(new Set(got).size).toBe(got.length);
    expect(pages.length).toBe(api.fetched.length);
    expect(pages.at(-1)?.continuation).toBeNull();
    for (const p of pages.slice(0, -1)) expect(p.continuation).not.toBeNull();
    expect(pages.at(-1)?.totals.records).toBe(got.length);
  });

  it('applies the residual to what Okta returns (push-down only narrows)', async () => {
    const { api } = setup();
    // A planner that pushes nothing down: the residual alone must give the same answer.
    const lazy = stubPlanner();
    const plan = (def: typeof users, filter: Filter | null, o?: { pageLimit?: number }) => ({
      ...lazy(def, null, o),
      residual: lazy(def, filter, o).residual,
    });
    const pages = await collect(extract(users, { filter: engineeringSince, pageLimit: 40 }, { api, plan }));
    expect(pages.flatMap((p) => ids(p.records))).toEqual(ids(USERS.filter(truth)));
    expect(pages.at(-1)?.totals.scanned).toBe(USERS.length);
  });

  it('projects to the selected fields in Okta shape, always keeping id', async () => {
    const { deps } = setup();
    const [page] = await collect(
      extract(users, { fields: ['department', 'profile.login', 'Status'], pageLimit: 2 }, deps),
    );
    expect(page?.records[0]).toEqual({
      id: USERS[0]?.id,
      status: USERS[0]?.status,
      profile: { department: 'Engineering', login: 'user0@example.com' },
    });
  });

  it('leaves sensitive fields out by default and includes them only when named', async () => {
    const { deps } = setup();
    const plain = await first(extract(users, { pageLimit: 1 }, deps));
    const record = plain?.records[0] ?? {};
    expect(record).not.toHaveProperty('credentials.password');
    expect(record).toHaveProperty('credentials.provider.type', 'OKTA');
    expect(record).toHaveProperty('profile.login');
    expect(record).toHaveProperty('_links.self.href');
    const asked = await first(extract(users, { fields: ['credentials'], pageLimit: 1 }, deps));
    expect(asked?.records[0]).toEqual({ id: USERS[0]?.id, credentials: USERS[0]?.credentials });
  });

  it('omits absent attributes instead of inventing nulls', async () => {
    const { deps } = setup();
    const page = await first(extract(users, { fields: ['city'], pageLimit: 1 }, deps));
    expect(page?.records[0]).toEqual({ id: USERS[0]?.id });
  });

  it('rejects unknown fields, and filters the catalog does not allow', async () => {
    const { deps } = setup();
    await expect(collect(extract(users, { fields: ['nope'] }, deps))).rejects.toThrow(ExtractRequestError);
    const bad: Filter = { kind: 'contains', field: 'status', value: 3 };
    await expect(collect(extract(users, { filter: bad }, deps))).rejects.toThrow(FilterValidationError);
  });

  it('ANDs the window on lastUpdated into the filter handed to the planner', async () => {
    const { deps, plan } = setup();
    const window = { from: '2024-01-03T00:00:00.000Z', to: '2024-01-09T00:00:00.000Z' };
    const pages = await collect(extract(users, { filter: engineeringSince, window, pageLimit: 25 }, deps));
    expect(plan.filters[0]).toEqual({
      kind: 'and',
      children: [
        { kind: 'compare', field: 'department', op: 'EQUAL_TO', value: 'Engineering' },
        { kind: 'compare', field: 'last_updated', op: 'GREATER_THAN_OR_EQUAL_TO', value: '2024-01-05T00:00:00.000Z' },
        { kind: 'compare', field: 'last_updated', op: 'GREATER_THAN_OR_EQUAL_TO', value: window.from },
        { kind: 'compare', field: 'last_updated', op: 'LESS_THAN', value: window.to },
      ],
    });
    const inWindow = (r: OktaRecord) => truth(r) && String(r.lastUpdated) < window.to;
    expect(pages.flatMap((p) => ids(p.records))).toEqual(ids(USERS.filter(inWindow)));
  });

  it('writes a group lower bound as gt (from − 1 ms) so it pushes down to groups search', () => {
    const f = effectiveFilter(groups, null, { from: '2024-01-03T00:00:00.000Z' }, undefined);
    expect(f).toEqual({
      kind: 'compare',
      field: 'last_updated',
      op: 'GREATER_THAN',
      value: '2024-01-02T23:59:59.999Z',
    });
  });

  it('rejects windows that are not millisecond ISO instants or end before they start', () => {
    expect(() => effectiveFilter(users, null, { from: 'yesterday' }, undefined)).toThrow(ExtractRequestError);
    expect(() => effectiveFilter(users, null, { from: '2024-01-01T00:00:00.0001Z' }, undefined)).toThrow(
      ExtractRequestError,
    );
    expect(() =>
      effectiveFilter(users, null, { from: '2024-01-02T00:00:00.000Z', to: '2024-01-01T00:00:00.000Z' }, undefined),
    ).toThrow(ExtractRequestError);
  });

  it('reads an unpaginated object (user types) as one page with a residual', async () => {
    const { deps } = setup();
    const filter: Filter = { kind: 'compare', field: 'default', op: 'EQUAL_TO', value: false };
    const pages = await collect(extract(userTypeDef, { filter }, deps));
    expect(pages).toHaveLength(1);
    expect(ids(pages[0]?.records ?? [])).toEqual(['oty2']);
    expect(pages[0]?.continuation).toBeNull();
  });

  it('fetches a page only when the consumer asks for it (backpressure)', async () => {
    const { deps, api } = setup();
    const gen = extract(users, { pageLimit: 10 }, deps);
    await gen.next();
    await new Promise((r) => setTimeout(r, 10));
    expect(api.fetched).toHaveLength(1);
    await gen.next();
    expect(api.fetched).toHaveLength(2);
    await gen.return(undefined);
    expect(api.fetched).toHaveLength(2);
  });

  it('refuses a next link on another origin', async () => {
    const { deps, api } = setup();
    api.nextOrigin = 'https://evil.example.com';
    await expect(collect(extract(users, { pageLimit: 10 }, deps))).rejects.toThrow(/another origin/);
  });
});

describe('continuations', () => {
  const request = { filter: engineeringSince, window: { to: '2024-01-15T00:00:00.000Z' }, pageLimit: 4 };

  it('are small, JSON-serializable and relative to the origin', async () => {
    const { deps } = setup();
    const pages = await collect(extract(users, request, deps));
    const c = pages[0]?.continuation;
    expect(c).toMatchObject({ v: 1, object: 'User', slice: null, window: request.window, pages: 1 });
    expect(c?.next.startsWith('/api/v1/users?')).toBe(true);
    expect(c?.next).toContain('after=');
    expect(JSON.stringify(c).length).toBeLessThan(1500);
  });

  it('resume from every page gives exactly the rest of the scan', async () => {
    const { deps } = setup();
    const full = await collect(extract(users, request, deps));
    const all = full.flatMap((p) => ids(p.records));
    expect(full.length).toBeGreaterThan(3);
    for (let k = 0; k < full.length - 1; k++) {
      const resumeFrom = JSON.parse(JSON.stringify(full[k]?.continuation)) as Continuation;
      const fresh = setup();
      const rest = await collect(extract(users, { ...request, resumeFrom }, fresh.deps));
      const before = full.slice(0, k + 1).flatMap((p) => ids(p.records));
      expect([...before, ...rest.flatMap((p) => ids(p.records))]).toEqual(all);
      expect(rest.at(-1)?.totals).toEqual(full.at(-1)?.totals);
    }
  });

  it('refuse to resume a different scan', async () => {
    const { deps } = setup();
    const [first] = await collect(extract(users, request, deps));
    const resumeFrom = first?.continuation ?? null;
    expect(resumeFrom).not.toBeNull();
    const other: Filter = { kind: 'compare', field: 'status', op: 'EQUAL_TO', value: 'ACTIVE' };
    await expect(collect(extract(users, { ...request, filter: other, resumeFrom }, deps))).rejects.toThrow(
      ContinuationMismatchError,
    );
    await expect(collect(extract(users, { ...request, window: {}, resumeFrom }, deps))).rejects.toThrow(
      ContinuationMismatchError,
    );
    await expect(collect(extract(groups, { pageLimit: 4, resumeFrom }, deps))).rejects.toThrow(
      ContinuationMismatchError,
    );
    const elsewhere = { ...(resumeFrom as Continuation), next: '/api/v1/users/00u000001/groups?after=x' };
    await expect(collect(extract(users, { ...request, resumeFrom: elsewhere }, deps))).rejects.toThrow(
      /not on \/api\/v1\/users/,
    );
  });

  it('an Okta error (e.g. 404) propagates; the last continuation still resumes', async () => {
    const { deps, api } = setup();
    class FakeOktaApiError extends Error {
      readonly status = 404;
    }
    api.failOn((_p, i) => i === 2, new FakeOktaApiError('E0000007 Not found'));
    const seen: ExtractPage[] = [];
    await expect(
      (async () => {
        for await (const p of extract(users, request, deps)) seen.push(p);
      })(),
    ).rejects.toThrow(FakeOktaApiError);
    expect(seen).toHaveLength(2);
    const rest = await collect(extract(users, { ...request, resumeFrom: seen[1]?.continuation ?? null }, setup().deps));
    const full = await collect(extract(users, request, setup().deps));
    expect([...seen, ...rest].flatMap((p) => ids(p.records))).toEqual(full.flatMap((p) => ids(p.records)));
  });

  it('extractRecords flattens pages', async () => {
    const { deps } = setup();
    const out: OktaRecord[] = [];
    for await (const r of extractRecords(users, request, deps)) out.push(r);
    const full = await collect(extract(users, request, setup().deps));
    expect(ids(out)).toEqual(full.flatMap((p) => ids(p.records)));
  });
});
