/**
 * Extraction against the sandbox through the real client and planner: results equal the org's ground truth filtered
 * by a plain JS predicate, at several page sizes; resuming from any continuation completes the same scan.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getObjectDef, listObjectDefs, recordKey } from '../../../../lambdas/okta/catalog/index.js';
import { type Continuation, extract, extractObject } from '../../../../lambdas/okta/extract/index.js';
import type { Filter } from '../../../../lambdas/okta/query/filter.js';
import type { OktaRecord } from '../../../../lambdas/okta/types.js';
import { collectPages, type Harness, idsOf, ORG_OBJECT, pageIds, sorted, startHarness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ users: 600 });
});
afterAll(async () => {
  await h?.close();
});

const users = getObjectDef('User');
const profile = (r: OktaRecord) => (r.profile ?? {}) as Record<string, unknown>;

interface Case {
  readonly name: string;
  readonly object: keyof typeof ORG_OBJECT;
  readonly filter: Filter | null;
  readonly expected: (r: OktaRecord) => boolean;
}

const CASES: Case[] = [
  { name: 'every user, DEPROVISIONED included', object: 'User', filter: null, expected: () => true },
  {
    name: 'users in Finance created since 2024 (search push-down)',
    object: 'User',
    filter: {
      kind: 'and',
      children: [
        { kind: 'compare', field: 'department', op: 'EQUAL_TO', value: 'Finance' },
        { kind: 'compare', field: 'created', op: 'GREATER_THAN_OR_EQUAL_TO', value: '2024-01-01T00:00:00.000Z' },
      ],
    },
    expected: (r) => profile(r).department === 'Finance' && String(r.created) >= '2024-01-01T00:00:00.000Z',
  },
  {
    name: 'users not ACTIVE whose first name contains "an" (residual-heavy)',
    object: 'User',
    filter: {
      kind: 'and',
      children: [
        { kind: 'contains', field: 'first_name', value: 'an' },
        { kind: 'not', child: { kind: 'compare', field: 'status', op: 'EQUAL_TO', value: 'ACTIVE' } },
      ],
    },
    expected: (r) => String(profile(r).firstName ?? '').includes('an') && r.status !== 'ACTIVE',
  },
  {
    name: 'users by status IN (users filter/search)',
    object: 'User',
    filter: { kind: 'in', field: 'status', values: ['DEPROVISIONED', 'SUSPENDED'] },
    expected: (r) => r.status === 'DEPROVISIONED' || r.status === 'SUSPENDED',
  },
  { name: 'every group', object: 'Group', filter: null, expected: () => true },
  {
    name: 'app groups created since 2023',
    object: 'Group',
    filter: {
      kind: 'and',
      children: [
        { kind: 'compare', field: 'type', op: 'EQUAL_TO', value: 'APP_GROUP' },
        { kind: 'compare', field: 'created', op: 'GREATER_THAN_OR_EQUAL_TO', value: '2023-01-01T00:00:00.000Z' },
      ],
    },
    expected: (r) => r.type === 'APP_GROUP' && String(r.created) >= '2023-01-01T00:00:00.000Z',
  },
  { name: 'every app', object: 'Application', filter: null, expected: () => true },
  {
    name: 'active apps signing on with SAML 2.0 (single eq + residual)',
    object: 'Application',
    filter: {
      kind: 'and',
      children: [
        { kind: 'compare', field: 'status', op: 'EQUAL_TO', value: 'ACTIVE' },
        { kind: 'compare', field: 'sign_on_mode', op: 'EQUAL_TO', value: 'SAML_2_0' },
      ],
    },
    expected: (r) => r.status === 'ACTIVE' && r.signOnMode === 'SAML_2_0',
  },
  { name: 'every device', object: 'Device', filter: null, expected: () => true },
  {
    name: 'Windows devices (search)',
    object: 'Device',
    filter: { kind: 'compare', field: 'platform', op: 'EQUAL_TO', value: 'WINDOWS' },
    expected: (r) => profile(r).platform === 'WINDOWS',
  },
  { name: 'every user type', object: 'UserType', filter: null, expected: () => true },
  {
    name: 'non-default user types (client-side)',
    object: 'UserType',
    filter: { kind: 'compare', field: 'default', op: 'EQUAL_TO', value: false },
    expected: (r) => r.default === false,
  },
];

describe.each(CASES)('$name', ({ object, filter, expected }) => {
  const def = getObjectDef(object);
  it.each([7, 50, 200])('equals the ground truth at page size %i', async (pageLimit) => {
    const everything = h.truth(ORG_OBJECT[object]);
    const want = idsOf(everything.filter(expected));
    // non-vacuous: something matches, and a filter leaves something out
    expect(want.length).toBeGreaterThan(0);
    if (filter !== null) expect(want.length).toBeLessThan(everything.length);
    const pages = await collectPages(extract(def, { filter, pageLimit }, h.deps));
    const got = pageIds(pages);
    expect(new Set(got).size).toBe(got.length);
    expect(sorted(got)).toEqual(sorted(want));
    expect(pages.at(-1)?.continuation).toBeNull();
    if (def.pageLimit !== null && filter === null) {
      // no residual drops here: a page holds at most pageLimit records, and every page but the last is full
      for (const p of pages.slice(0, -1)) expect(p.records.length).toBe(pageLimit);
    }
  });
});

describe('projection and windows against the sandbox', () => {
  it('projects every object to its default fields without sensitive values', async () => {
    // LogEvent is a stream, read by extractLogStream (log-stream.test.ts), not a list.
    for (const def of listObjectDefs().filter((d) => d.source?.kind !== 'stream')) {
      // relations: the first pages with records (parents without children yield empty pages)
      const pages = await collectPages(extractObject(def, { perParentRequests: true }, h.deps));
      const records = pages.flatMap((p) => p.records).slice(0, 200);
      expect(records.length, def.name).toBeGreaterThan(0);
      for (const r of records) {
        expect(recordKey(def, r), def.name).toBeDefined();
        const json = JSON.stringify(r);
        expect(json).not.toContain('client_secret');
        // app users' credentials: never a password in any form
        if (def.name === 'ApplicationUser') expect(json).not.toContain('"password');
        // sensitive leaves (a sensitive struct may still hold non-sensitive default fields, e.g. credentials.scheme)
        const defaults = def.fields.filter((x) => !x.sensitive);
        const isPrefix = (p: readonly string[], q: readonly string[]) => p.every((seg, i) => q[i] === seg);
        const leaves = def.fields.filter((x) => x.sensitive && !defaults.some((d) => isPrefix(x.path, d.path)));
        expect(leaves.length).toBeGreaterThan(def.fields.some((x) => x.sensitive) ? 0 : -1);
        for (const f of leaves) {
          let v: unknown = r;
          for (const k of f.path)
            v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
          expect(v, `${def.name}.${f.column}`).toBeUndefined();
        }
      }
    }
  });

  it('a lastUpdated window [from, to) selects exactly the records updated in it', async () => {
    const window = { from: '2025-01-01T00:00:00.000Z', to: '2025-07-01T00:00:00.000Z' };
    const want = h
      .truth('users')
      .filter((r) => String(r.lastUpdated) >= window.from && String(r.lastUpdated) < window.to);
    expect(want.length).toBeGreaterThan(20);
    const pages = await collectPages(extract(users, { window, pageLimit: 50 }, h.deps));
    expect(sorted(pageIds(pages))).toEqual(sorted(idsOf(want)));
    // the window pushed down: Okta returned no records outside it
    expect(pages.at(-1)?.totals.scanned).toBe(want.length);
  });

  it('a window on an object without a server-side cursor (apps) is applied as a residual', async () => {
    const window = { from: '2024-01-01T00:00:00.000Z' };
    const want = h.truth('apps').filter((r) => String(r.lastUpdated) >= window.from);
    const pages = await collectPages(extract(getObjectDef('Application'), { window }, h.deps));
    expect(sorted(pageIds(pages))).toEqual(sorted(idsOf(want)));
  });
});

describe('resume', () => {
  it('from every continuation yields exactly the rest of the scan', async () => {
    // status IN and last_name contains both push down to search (co on lastName); the residual re-checks them
    const filter: Filter = {
      kind: 'and',
      children: [
        { kind: 'in', field: 'status', values: ['ACTIVE', 'SUSPENDED', 'STAGED'] },
        { kind: 'contains', field: 'last_name', value: 'o' },
      ],
    };
    const request = { filter, window: { to: '2025-12-01T00:00:00.000Z' }, pageLimit: 10 };
    const full = await collectPages(extract(users, request, h.deps));
    const all = pageIds(full);
    expect(full.length).toBeGreaterThan(5);
    for (let k = 0; k < full.length - 1; k++) {
      const resumeFrom = full[k]?.continuation as Continuation;
      const rest = await collectPages(extract(users, { ...request, resumeFrom }, h.deps));
      expect([...pageIds(full.slice(0, k + 1)), ...pageIds(rest)]).toEqual(all);
    }
  });
});
