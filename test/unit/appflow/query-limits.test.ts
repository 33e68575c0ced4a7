/**
 * QueryData within AppFlow's limits: responses stay under ~5 MB even with huge records (a split Okta page is carried
 * by nextToken), the soft time budget stops starting Okta requests, and the hard budget aborts a hanging one.
 * Time is injected (deps.now advanced by the fake Okta), so nothing here depends on machine speed.
 */
import { describe, expect, it } from 'vitest';
import type { ConnectorDeps } from '../../../lambdas/appflow/index.js';
import { DEFAULT_LIMITS, handleConnectorRequest } from '../../../lambdas/appflow/index.js';
import { context, fakeDeps, fakeOkta, users } from './fake-okta.js';

const MB = 1024 * 1024;

function request(nextToken: string | null, extra: Record<string, unknown> = {}) {
  return {
    type: 'QueryDataRequest',
    entityIdentifier: 'User',
    connectorContext: context(),
    selectedFieldNames: null,
    filterExpression: null,
    nextToken,
    maxResults: 1000,
    ...extra,
  };
}

async function drain(deps: ConnectorDeps, extra: Record<string, unknown> = {}) {
  const responses: { records: string[]; nextToken: string | null; bytes: number }[] = [];
  let nextToken: string | null = null;
  do {
    const res = await handleConnectorRequest(request(nextToken, extra), deps);
    expect(res.errorDetails).toBeNull();
    nextToken = res.nextToken as string | null;
    responses.push({
      records: res.records as string[],
      nextToken,
      bytes: Buffer.byteLength(JSON.stringify(res), 'utf8'),
    });
  } while (nextToken !== null && responses.length < 200);
  return responses;
}

const ids = (responses: { records: string[] }[]) =>
  responses.flatMap((r) => r.records.map((s) => (JSON.parse(s) as { id: string }).id));

describe('response size', () => {
  it('splits Okta pages of ~0.9 MB records into responses under 5 MB, losing and repeating nothing', async () => {
    const big = 'x'.repeat(900 * 1024);
    // Quotes in the value double when the record string is embedded in the response: the limit counts that.
    const all = users(23, (i) => ({ notes: i % 2 === 0 ? big : `"${big.slice(0, 400 * 1024)}"` }));
    const okta = fakeOkta({ '/api/v1/users': all });
    const responses = await drain(fakeDeps(okta));
    expect(ids(responses)).toEqual(all.map((u) => u.id));
    for (const r of responses) expect(r.bytes).toBeLessThanOrEqual(DEFAULT_LIMITS.maxResponseBytes);
    // 23 records of 0.4–0.9 MB cannot fit in fewer than 3 responses of 5 MB.
    expect(responses.length).toBeGreaterThanOrEqual(3);
    // Okta was asked for the 200-record page again for each split (the continuation stays on the page).
    expect(okta.requests.filter((p) => p.startsWith('/api/v1/users?')).length).toBe(responses.length);
  });

  it('a single record above the hard limit is a clear error, not a broken response', async () => {
    const okta = fakeOkta({ '/api/v1/users': users(2, () => ({ notes: 'y'.repeat(7 * MB) })) });
    const res = await handleConnectorRequest(request(null), fakeDeps(okta));
    expect(res.isSuccess).toBe(false);
    expect(res.errorDetails).toMatchObject({ errorCode: 'ServerError', errorMessage: expect.stringContaining('6 MB') });
  });

  it('maxResults splits a page too, and the rest comes from the same page', async () => {
    const all = users(10);
    const okta = fakeOkta({ '/api/v1/users': all });
    const responses = await drain(fakeDeps(okta), { maxResults: 4 });
    expect(responses.map((r) => r.records.length)).toEqual([4, 4, 2]);
    expect(ids(responses)).toEqual(all.map((u) => u.id));
  });
});

describe('time budget', () => {
  it('stops starting Okta requests once the soft budget is spent', async () => {
    const all = users(50);
    // Okta serves pages of 10; each request "takes" 600 ms of injected time; the soft budget is 1 s.
    const okta = fakeOkta({ '/api/v1/users': all }, {}, 10);
    let now = 0;
    okta.hook = () => {
      now += 600;
      return undefined;
    };
    const deps = fakeDeps(okta, { now: () => now, limits: { ...DEFAULT_LIMITS, softBudgetMs: 1_000 } });
    const responses = await drain(deps);
    expect(ids(responses)).toEqual(all.map((u) => u.id));
    // A page is started only while under budget: 600 ms after one page, 1200 ms after two → at most 2 pages.
    for (const r of responses) expect(r.records.length).toBeLessThanOrEqual(20);
    expect(responses.length).toBeGreaterThanOrEqual(3);
    // Without the budget the same query is one response.
    const unbounded = await drain(fakeDeps(fakeOkta({ '/api/v1/users': all }, {}, 10)));
    expect(unbounded.map((r) => r.records.length)).toEqual([50]);
  });

  it('aborts a hanging Okta request at the hard budget and returns what it has with a token', async () => {
    const all = users(12);
    const okta = fakeOkta({ '/api/v1/users': all });
    let hang = true;
    // Page 2 never answers until aborted. The 1 s budget is far above what page 1 needs (in-process, no sockets).
    okta.hook = (url) => (hang && url.searchParams.has('after') ? new Promise<Response>(() => {}) : undefined);
    const deps = fakeDeps(okta, { limits: { ...DEFAULT_LIMITS, softBudgetMs: 60_000, hardBudgetMs: 1_000 } });
    const first = await handleConnectorRequest(request(null, { maxResults: 10 }), deps);
    expect(first.errorDetails).toBeNull();
    // Page 1 (10 records) fills maxResults exactly: the token points at page 2 without fetching it.
    expect((first.records as string[]).length).toBe(10);
    const stuck = await handleConnectorRequest(request(first.nextToken as string, { maxResults: 10 }), deps);
    expect(stuck).toMatchObject({ isSuccess: false, errorDetails: { errorCode: 'RequestTimeout' }, records: null });
    hang = false;
    const rest = await handleConnectorRequest(request(first.nextToken as string, { maxResults: 10 }), deps);
    expect(rest.nextToken).toBeNull();
    expect([...(first.records as string[]), ...(rest.records as string[])].map((s) => JSON.parse(s).id)).toEqual(
      all.map((u) => u.id),
    );
  });

  it('keeps records already read when the hard budget hits a later page', async () => {
    const all = users(30);
    const okta = fakeOkta({ '/api/v1/users': all }, {}, 10);
    let hangAfter: string | null = String(all[9]?.id);
    okta.hook = (url) =>
      hangAfter !== null && url.searchParams.get('after') === hangAfter ? new Promise<Response>(() => {}) : undefined;
    const deps = fakeDeps(okta, { limits: { ...DEFAULT_LIMITS, softBudgetMs: 60_000, hardBudgetMs: 1_000 } });
    // Okta serves pages of 10; page 2 hangs.
    const first = await handleConnectorRequest(request(null, { maxResults: 30 }), deps);
    expect(first.errorDetails).toBeNull();
    expect(first.nextToken).not.toBeNull();
    const firstIds = (first.records as string[]).map((s) => JSON.parse(s).id);
    expect(firstIds).toEqual(all.slice(0, 10).map((u) => u.id));
    hangAfter = null;
    const rest = await handleConnectorRequest(request(first.nextToken as string, { maxResults: 30 }), deps);
    expect([...firstIds, ...(rest.records as string[]).map((s) => JSON.parse(s).id)]).toEqual(all.map((u) => u.id));
  });
});
