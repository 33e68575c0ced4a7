/**
 * Push-down never changes results: for random filters over each object's filterable fields, with values taken from
 * the sandbox org's real records (so filters match something), requesting `plan.path` from the sandbox (following
 * Link headers) and applying `plan.residual` gives exactly the records a full scan of the org's ground truth
 * filtered by `compileResidual` gives.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applicationDef,
  deviceDef,
  getValue,
  groupDef,
  isQueryParameterField,
  resolveField,
  userDef,
  userTypeDef,
  withCustomUserAttributes,
} from '../../../../lambdas/okta/catalog/index.js';
import type { FieldDef, FilterOperator, ObjectDef } from '../../../../lambdas/okta/catalog/types.js';
import { compileResidual } from '../../../../lambdas/okta/query/evaluate.js';
import type { ComparisonOperator, Filter, FilterValue } from '../../../../lambdas/okta/query/filter.js';
import { formatInstant, toInstant } from '../../../../lambdas/okta/query/instant.js';
import { planQuery } from '../../../../lambdas/okta/query/plan.js';
import { allowedOperators, resolveFilter } from '../../../../lambdas/okta/query/resolve-filter.js';
import type { OktaRecord } from '../../../../lambdas/okta/types.js';
import { type Sandbox, startSandbox } from '../../../../sandbox/index.js';

type OrgObject = 'users' | 'groups' | 'apps' | 'devices' | 'userTypes';

let sandbox: Sandbox;
let customUserDef: ObjectDef;
const truth = new Map<OrgObject, OktaRecord[]>();

async function getJson(url: string): Promise<{ body: unknown; next: string | null }> {
  const response = await fetch(url, {
    headers: { Authorization: `SSWS ${sandbox.apiToken}`, Accept: 'application/json' },
  });
  const body: unknown = await response.json();
  if (response.status !== 200) throw new Error(`GET ${url} → ${response.status} ${JSON.stringify(body)}`);
  const link = response.headers.get('link') ?? '';
  const next = /<([^>]+)>;\s*rel="next"/.exec(link)?.[1] ?? null;
  return { body, next };
}

/** Every record the plan's request returns, following rel="next" links. */
async function fetchAll(path: string): Promise<OktaRecord[]> {
  const records: OktaRecord[] = [];
  const seen = new Set<string>();
  let url: string | null = `${sandbox.baseUrl}${path}`;
  while (url !== null) {
    if (seen.has(url)) throw new Error(`Link loop at ${url}`);
    seen.add(url);
    const page: { body: unknown; next: string | null } = await getJson(url);
    records.push(...(page.body as OktaRecord[]));
    url = page.next;
  }
  return records;
}

const ids = (records: readonly OktaRecord[]): string[] => records.map((r) => String(r.id)).sort();

/** Distinct non-null scalar values a field takes in the org (list elements for List fields). */
function observedValues(records: readonly OktaRecord[], field: FieldDef): FilterValue[] {
  const out = new Set<FilterValue>();
  for (const record of records) {
    const v = getValue(record, field);
    const items = Array.isArray(v) ? v : [v];
    for (const item of items) {
      if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') out.add(item);
    }
  }
  return [...out].slice(0, 60);
}

function swapCase(s: string): string {
  return [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('');
}

/** A value for a field: mostly real values, plus near misses (case, ±1 ms, sub-ms digits, quotes). */
function valueArb(field: FieldDef, seen: readonly FilterValue[]): fc.Arbitrary<FilterValue> {
  const real = seen.length > 0 ? fc.constantFrom(...seen) : fc.constant<FilterValue>('zz-none');
  switch (field.type) {
    case 'DateTime':
    case 'Date':
      return fc.oneof(
        { weight: 4, arbitrary: real },
        {
          weight: 3,
          arbitrary: fc
            .tuple(real, fc.integer({ min: -2, max: 2 }), fc.constantFrom('', '5', '0001'))
            .map(([v, d, sub]) => {
              const t = toInstant(v);
              return t === null ? v : formatInstant({ epochMs: t.epochMs + d, subMs: sub });
            }),
        },
        { weight: 1, arbitrary: real.map((v) => (typeof v === 'string' ? v.slice(0, 10) : v)) },
      );
    case 'Boolean':
      return fc.boolean();
    case 'String':
      return fc.oneof(
        { weight: 6, arbitrary: real },
        { weight: 2, arbitrary: real.map((v) => (typeof v === 'string' ? swapCase(v) : v)) },
        { weight: 1, arbitrary: fc.constantFrom('O"Brien', 'back\\slash', 'ACTIVE', 'x') },
      );
    default:
      return real;
  }
}

function leafArb(def: ObjectDef, records: readonly OktaRecord[]): fc.Arbitrary<Filter> {
  const fields = def.fields.filter((f) => f.operators.length > 0 && !isQueryParameterField(def, f));
  return fc.constantFrom(...fields).chain((field) => {
    const seen = observedValues(records, field);
    const value = valueArb(field, seen);
    const ops = allowedOperators(field);
    return fc.constantFrom(...ops).chain((op): fc.Arbitrary<Filter> => {
      switch (op) {
        case 'CONTAINS':
          return (
            field.type === 'String'
              ? fc
                  .tuple(value, fc.nat(6), fc.integer({ min: 1, max: 6 }))
                  .map(([v, start, len]) =>
                    typeof v === 'string' ? v.slice(start % Math.max(1, v.length), start + len) || v : v,
                  )
              : value
          ).map((v) => ({ kind: 'contains', field: field.column, value: v }));
        case 'BETWEEN':
          return fc.tuple(value, value).map(([a, b]) => ({ kind: 'between', field: field.column, low: a, high: b }));
        case 'IN':
          return fc
            .array(fc.oneof({ weight: 5, arbitrary: value }, { weight: 1, arbitrary: fc.constant(null) }), {
              minLength: 1,
              maxLength: 3,
            })
            .map((values) => ({ kind: 'in', field: field.column, values }));
        default: {
          const withNull =
            op === 'EQUAL_TO' || op === 'NOT_EQUAL_TO'
              ? fc.oneof({ weight: 8, arbitrary: value }, { weight: 1, arbitrary: fc.constant(null) })
              : value;
          return withNull.map((v) => ({
            kind: 'compare',
            field: field.column,
            op: op as ComparisonOperator,
            value: v,
          }));
        }
      }
    });
  });
}

function filterArb(def: ObjectDef, records: readonly OktaRecord[]): fc.Arbitrary<Filter> {
  const leaf = leafArb(def, records);
  const { tree } = fc.letrec<{ tree: Filter }>((tie) => {
    const node = tie('tree');
    const and: fc.Arbitrary<Filter> = fc.array(node, { minLength: 2, maxLength: 3 }).map((children) => ({
      kind: 'and',
      children,
    }));
    const or: fc.Arbitrary<Filter> = fc.array(node, { minLength: 2, maxLength: 3 }).map((children) => ({
      kind: 'or',
      children,
    }));
    const not: fc.Arbitrary<Filter> = node.map((child) => ({ kind: 'not', child }));
    return {
      tree: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        { weight: 5, arbitrary: leaf },
        { weight: 2, arbitrary: and },
        { weight: 1, arbitrary: or },
        { weight: 1, arbitrary: not },
      ),
    };
  });
  return tree;
}

async function checkEquivalence(
  def: ObjectDef,
  object: OrgObject,
  numRuns: number,
  minPushedShare = 0.2,
): Promise<void> {
  const records = truth.get(object) ?? [];
  let nonEmpty = 0;
  let pushedDown = 0;
  await fc.assert(
    fc.asyncProperty(filterArb(def, records), async (raw) => {
      const filter = resolveFilter(raw, def, resolveField);
      const plan = planQuery(def, filter);
      const fetched = await fetchAll(plan.path);
      expect(new Set(ids(fetched)).size).toBe(fetched.length);
      const got = ids(fetched.filter(plan.residual));
      const expected = ids(records.filter(compileResidual(filter, def)));
      if (expected.length > 0) nonEmpty += 1;
      if (/[?&](search|filter)=/.test(plan.path) && !plan.path.includes('search=status%20pr')) pushedDown += 1;
      expect(got, plan.description).toEqual(expected);
    }),
    { numRuns, seed: 20260601 + numRuns, endOnFailure: true },
  );
  // The generator must produce filters that match records, or the property proves little.
  expect(nonEmpty).toBeGreaterThan(numRuns / 5);
  // And most objects must actually push something down, or the property would be vacuous.
  if (minPushedShare > 0) expect(pushedDown).toBeGreaterThan(numRuns * minPushedShare);
}

/** One filter per (field, pushable operator) with a real value: the sandbox must accept each pushed expression. */
async function sweepPushableOperators(def: ObjectDef, object: OrgObject): Promise<string[]> {
  const records = truth.get(object) ?? [];
  const failures: string[] = [];
  for (const field of def.fields) {
    if (isQueryParameterField(def, field)) continue;
    // A real value when the org has one; otherwise a placeholder of the field's type (the request must still work).
    const placeholder: FilterValue =
      field.type === 'DateTime'
        ? '2024-01-01T00:00:00.000Z'
        : field.type === 'Boolean'
          ? true
          : field.type === 'String'
            ? 'zz-none'
            : 1;
    const value = observedValues(records, field)[0] ?? placeholder;
    for (const op of Object.keys(field.pushDown) as FilterOperator[]) {
      const raw: Filter =
        op === 'CONTAINS'
          ? { kind: 'contains', field: field.column, value }
          : op === 'STARTS_WITH'
            ? { kind: 'startsWith', field: field.column, value: String(value).slice(0, 3) }
            : op === 'IN'
              ? { kind: 'in', field: field.column, values: [value] }
              : op === 'BETWEEN'
                ? { kind: 'between', field: field.column, low: value, high: value }
                : { kind: 'compare', field: field.column, op, value };
      const filter = resolveFilter(raw, def, resolveField);
      const plan = planQuery(def, filter);
      try {
        const got = ids((await fetchAll(plan.path)).filter(plan.residual));
        const expected = ids(records.filter(compileResidual(filter, def)));
        if (got.join() !== expected.join()) failures.push(`${field.column} ${op}: results differ (${plan.path})`);
      } catch (error) {
        failures.push(`${field.column} ${op}: ${(error as Error).message}`);
      }
    }
  }
  return failures;
}

beforeAll(async () => {
  sandbox = await startSandbox({ users: 300, seed: 11, rateLimits: false });
  for (const object of ['users', 'groups', 'apps', 'devices', 'userTypes'] as const) {
    // The org serializes links with an `{{origin}}` token the server replaces: do the same for ground truth.
    const json = JSON.stringify([...sandbox.org.all(object)]).replaceAll('{{origin}}', sandbox.baseUrl);
    truth.set(object, JSON.parse(json) as OktaRecord[]);
  }
  const schema = await getJson(`${sandbox.baseUrl}/api/v1/meta/schemas/user/default`);
  customUserDef = withCustomUserAttributes(userDef, schema.body);
});

afterAll(async () => {
  await sandbox?.close();
});

describe('every catalog push-down is accepted by the sandbox and exact after the residual', () => {
  it.each([
    ['User', 'users'],
    ['Group', 'groups'],
    ['Device', 'devices'],
    ['Application', 'apps'],
  ] as const)('%s', async (name, object) => {
    const def = { User: customUserDef, Group: groupDef, Device: deviceDef, Application: applicationDef }[name];
    expect(await sweepPushableOperators(def, object)).toEqual([]);
  });
});

describe('push-down equivalence against the sandbox (plan.path + residual = full scan + residual)', () => {
  it('users (with custom profile attributes), every status included', async () => {
    expect(customUserDef.fields.some((f) => f.custom)).toBe(true);
    const all = await fetchAll(planQuery(customUserDef, null).path);
    expect(ids(all)).toEqual(ids(truth.get('users') ?? []));
    await checkEquivalence(customUserDef, 'users', 150);
  });

  it('groups', async () => {
    await checkEquivalence(groupDef, 'groups', 120);
  });

  it('devices', async () => {
    await checkEquivalence(deviceDef, 'devices', 120);
  });

  it('applications', async () => {
    // Apps push one top-level `=` on id/name/status/signing kid only: fewer random filters qualify.
    await checkEquivalence(applicationDef, 'apps', 80, 0.03);
  });

  it('user types', async () => {
    await checkEquivalence(userTypeDef, 'userTypes', 30, 0);
  });
});
