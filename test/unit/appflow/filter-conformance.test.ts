/**
 * The filterExpression DSL through QueryData: the doc's valid examples (mapped onto real fields) answer with exactly
 * the matching records; its invalid examples answer InvalidArgument, never a throw or a silent "no filter".
 */
import { describe, expect, it } from 'vitest';
import { handleConnectorRequest } from '../../../lambdas/appflow/index.js';
import type { OktaRecord } from '../../../lambdas/okta/types.js';
import { context, fakeDeps, fakeOkta, users } from './fake-okta.js';

const USERS = users(40, (i) => ({ title: i % 5 === 0 ? null : `Title ${i % 4}` }));
const USER_TYPES: OktaRecord[] = [
  { id: 'oty1', name: 'default', displayName: 'User', default: true, lastUpdated: '2024-01-01T00:00:00.000Z' },
  {
    id: 'oty2',
    name: 'contractor',
    displayName: 'Contractor',
    default: false,
    lastUpdated: '2024-02-01T00:00:00.000Z',
  },
];
const at = (i: number) => USERS[i]?.lastUpdated as string;
const lastUpdated = (u: OktaRecord) => Date.parse(u.lastUpdated as string);
const login = (u: OktaRecord) => (u.profile as { login: string }).login;
const profile = (u: OktaRecord) => u.profile as Record<string, unknown>;

async function query(filterExpression: string | null, entityIdentifier = 'User', maxResults = 1000) {
  const okta = fakeOkta({ '/api/v1/users': USERS, '/api/v1/meta/types/user': USER_TYPES });
  const deps = fakeDeps(okta);
  const ids: string[] = [];
  let nextToken: string | null = null;
  let pages = 0;
  do {
    const res = await handleConnectorRequest(
      {
        type: 'QueryDataRequest',
        entityIdentifier,
        connectorContext: context(),
        selectedFieldNames: ['id'],
        filterExpression,
        nextToken,
        maxResults,
      },
      deps,
    );
    if (!res.isSuccess) return { ok: false as const, res };
    ids.push(...(res.records as string[]).map((r) => (JSON.parse(r) as { id: string }).id));
    nextToken = res.nextToken as string | null;
    pages++;
  } while (nextToken !== null && pages < 100);
  return { ok: true as const, ids, pages };
}

const VALID: [string, (u: OktaRecord) => boolean][] = [
  [`lastUpdated > ${at(10)}`, (u) => lastUpdated(u) > Date.parse(at(10))],
  [`last_updated >= ${at(10)}`, (u) => lastUpdated(u) >= Date.parse(at(10))],
  [
    `lastUpdated between ${at(5)} and ${at(9).replace('.000Z', '.000123Z')}`,
    (u) => lastUpdated(u) >= Date.parse(at(5)) && lastUpdated(u) <= Date.parse(at(9)),
  ],
  [
    `last_updated > ${at(5)} and last_updated <= ${at(9)}`,
    (u) => lastUpdated(u) > Date.parse(at(5)) && lastUpdated(u) <= Date.parse(at(9)),
  ],
  [`last_updated > ${Date.parse(at(30))}`, (u) => lastUpdated(u) > Date.parse(at(30))],
  // Epoch seconds (10 digits) are scaled to milliseconds.
  [`last_updated >= ${Date.parse(at(30)) / 1000}`, (u) => lastUpdated(u) >= Date.parse(at(30))],
  [
    `status = 'ACTIVE' or status = 'STAGED' and lastUpdated > ${at(20)}`,
    (u) => u.status === 'ACTIVE' || (u.status === 'STAGED' && lastUpdated(u) > Date.parse(at(20))),
  ],
  [`(status = 'ACTIVE' or status = 'STAGED') and lastUpdated > ${at(20)}`, (u) => lastUpdated(u) > Date.parse(at(20))],
  ['not (status = "STAGED")', (u) => u.status !== 'STAGED'],
  ['profile.login contains "er1"', (u) => login(u).includes('er1')],
  ['status in ("ACTIVE", "STAGED")', () => true],
  ['status in ("STAGED")', (u) => u.status === 'STAGED'],
  ['title = null', (u) => profile(u).title === null || profile(u).title === undefined],
  ['title != null', (u) => typeof profile(u).title === 'string'],
  ["last_name = 'O\\'Brien'", (u) => profile(u).lastName === "O'Brien"],
  ['status != "ACTIVE"', (u) => u.status !== 'ACTIVE'],
];

describe('valid expressions return exactly the matching records', () => {
  it.each(VALID)('%s', async (expression, expected) => {
    const out = await query(expression, 'User', 7);
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    const truth = USERS.filter(expected).map((u) => String(u.id));
    expect(truth.length).toBeGreaterThan(0);
    expect(out.ids).toEqual(truth);
  });

  it('no filter (absent, empty, blank) returns everything', async () => {
    for (const expression of [null, '', '   ']) {
      const out = await query(expression, 'User', 15);
      expect(out.ok && out.ids.length).toBe(USERS.length);
    }
  });

  it('LIMIT caps the total across pages', async () => {
    const out = await query('status = "ACTIVE" LIMIT 25', 'User', 10);
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.ids).toEqual(
      USERS.filter((u) => u.status === 'ACTIVE')
        .slice(0, 25)
        .map((u) => String(u.id)),
    );
    expect(out.pages).toBe(3);
  });

  it('LIMIT alone, and a LIMIT above the count', async () => {
    const alone = await query('limit 12', 'User', 5);
    expect(alone.ok && alone.ids).toEqual(USERS.slice(0, 12).map((u) => String(u.id)));
    const above = await query('status = "STAGED" LIMIT 99', 'User', 5);
    expect(above.ok && above.ids).toEqual(USERS.filter((u) => u.status === 'STAGED').map((u) => String(u.id)));
  });

  it.each([
    ['is_default = True', ['oty1']],
    ['is_default = false', ['oty2']],
    ['default != TRUE', ['oty2']],
  ])('booleans: %s', async (expression, ids) => {
    const out = await query(expression, 'UserType');
    expect(out.ok && out.ids).toEqual(ids);
  });
});

describe('invalid expressions answer InvalidArgument', () => {
  it.each([
    'lastUpdated > 2024-01-01T00:00:00+01:00',
    'lastUpdated > 2024-01-01T00:00Z',
    'status = "ACTIVE" LIMIT 5',
    'title = NULL',
    'title = 1.5e3',
    'status = "A" AnD status = "B"',
    'lastUpdated Between 2024-01-01T00:00:00Z and 2024-01-02T00:00:00Z',
    '_links = "a"',
    'status = ',
    '(status = "ACTIVE"',
    'no_such_field = "x"',
    'profile > "x"',
    'status > 5',
    'credentials_password = "x"',
    'lastUpdated > "yesterday"',
  ])('%s', async (expression) => {
    const out = await query(expression);
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.res.errorDetails).toEqual({
      errorCode: 'InvalidArgument',
      errorMessage: expect.any(String),
      retryAfterSeconds: null,
    });
    expect(out.res.records).toBeNull();
  });
});
