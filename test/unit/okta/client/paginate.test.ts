import { describe, expect, it } from 'vitest';
import { ApiTokenCredentials } from '../../../../lambdas/okta/auth/api-token.js';
import { createOktaClient } from '../../../../lambdas/okta/client.js';
import { OktaPaginationError } from '../../../../lambdas/okta/errors.js';
import type { OktaClientObserver, OktaPage } from '../../../../lambdas/okta/types.js';
import { drive, FakeClock, type Handler, json, scriptedFetch, seededRandom } from './fakes.js';

const ORIGIN = 'https://acme.okta.com';

function setup(handler: Handler, observer: OktaClientObserver = {}) {
  const clock = new FakeClock();
  const { fetch, calls } = scriptedFetch(clock, handler);
  const client = createOktaClient({
    domain: 'acme.okta.com',
    credentials: new ApiTokenCredentials('00secret-token-value'),
    fetch,
    clock,
    random: seededRandom(),
    observer,
  });
  return { clock, calls, client };
}

async function collect(clock: FakeClock, gen: AsyncGenerator<OktaPage>): Promise<OktaPage[]> {
  const pages: OktaPage[] = [];
  await drive(
    clock,
    (async () => {
      for await (const p of gen) pages.push(p);
    })(),
  );
  return pages;
}

const link = (self: string, next?: string) => ({
  link: next ? `<${ORIGIN}${self}>; rel="self", <${ORIGIN}${next}>; rel="next"` : `<${ORIGIN}${self}>; rel="self"`,
});

describe('paginate', () => {
  it('follows next links until there is none, one page at a time', async () => {
    const { clock, calls, client } = setup((req) => {
      const after = new URL(req.url).searchParams.get('after');
      if (!after)
        return json([{ id: 1 }, { id: 2 }], 200, link('/api/v1/users?limit=2', '/api/v1/users?after=2&limit=2'));
      if (after === '2') return json([{ id: 3 }], 200, link('/api/v1/users?after=2&limit=2'));
      return json([], 500);
    });
    const pages = await collect(clock, client.paginate('/api/v1/users?limit=2'));
    expect(pages.map((p) => p.items.length)).toEqual([2, 1]);
    expect(pages[0]?.nextUrl).toBe(`${ORIGIN}/api/v1/users?after=2&limit=2`);
    expect(pages[1]?.nextUrl).toBeNull();
    expect(pages[1]?.url).toBe(`${ORIGIN}/api/v1/users?after=2&limit=2`);
    expect(calls).toHaveLength(2);
  });

  it('parses two separate Link header lines too', async () => {
    const { clock, client } = setup((req) => {
      const h = new Headers();
      h.append('link', `<${req.url}>; rel="self"`);
      if (!req.url.includes('after')) h.append('link', `<${ORIGIN}/api/v1/groups?after=x>; rel="next"`);
      return new Response(JSON.stringify([{ id: req.url }]), { status: 200, headers: h });
    });
    const pages = await collect(clock, client.paginate('/api/v1/groups'));
    expect(pages).toHaveLength(2);
  });

  it('fails on next == self', async () => {
    const { clock, client } = setup(() => json([{ id: 1 }], 200, link('/api/v1/apps', '/api/v1/apps')));
    await expect(collect(clock, client.paginate('/api/v1/apps'))).rejects.toMatchObject({
      name: 'OktaPaginationError',
      reason: 'next-is-self',
    });
  });

  it('fails on a next link equal to the self link even when it differs from the request URL', async () => {
    const { clock, client } = setup(() =>
      json([{ id: 1 }], 200, link('/api/v1/apps?limit=200', '/api/v1/apps?limit=200')),
    );
    await expect(collect(clock, client.paginate('/api/v1/apps'))).rejects.toMatchObject({ reason: 'next-is-self' });
  });

  it('fails on a repeated URL (A → B → A)', async () => {
    const { clock, client } = setup((req) =>
      req.url.includes('after=b')
        ? json([{ id: 2 }], 200, link('/api/v1/groups?after=b', '/api/v1/groups'))
        : json([{ id: 1 }], 200, link('/api/v1/groups', '/api/v1/groups?after=b')),
    );
    const err = await collect(clock, client.paginate('/api/v1/groups')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OktaPaginationError);
    expect((err as OktaPaginationError).reason).toBe('repeated-url');
  });

  it('fails on a repeated cursor with a different URL', async () => {
    const { clock, client } = setup((req) => {
      const u = new URL(req.url);
      if (!u.searchParams.has('after')) return json([{ id: 1 }], 200, link('/api/v1/users', '/api/v1/users?after=c1'));
      if (!u.searchParams.has('limit'))
        return json([{ id: 2 }], 200, link('/api/v1/users?after=c1', '/api/v1/users?after=c1&limit=200'));
      return json([{ id: 3 }], 200, link('/api/v1/users?after=c1&limit=200'));
    });
    await expect(collect(clock, client.paginate('/api/v1/users'))).rejects.toMatchObject({
      reason: 'repeated-cursor',
    });
  });

  it('refuses a cross-origin next link and a cross-origin start URL', async () => {
    const { clock, client, calls } = setup(() =>
      json([{ id: 1 }], 200, { link: '<https://evil.example/api/v1/users?after=1>; rel="next"' }),
    );
    await expect(collect(clock, client.paginate('/api/v1/users'))).rejects.toMatchObject({ reason: 'cross-origin' });
    expect(calls).toHaveLength(1);
    await expect(collect(clock, client.paginate('https://other.okta.com/api/v1/users'))).rejects.toMatchObject({
      reason: 'cross-origin',
    });
    expect(calls).toHaveLength(1);
  });

  it('ends on an empty page, warning when it still had a next link', async () => {
    const warnings: string[] = [];
    const { clock, client, calls } = setup(
      (req) =>
        req.url.includes('after')
          ? json([], 200, link('/api/v1/users?after=1', '/api/v1/users?after=2'))
          : json([{ id: 1 }], 200, link('/api/v1/users', '/api/v1/users?after=1')),
      { onWarning: (w) => warnings.push(w.code) },
    );
    const pages = await collect(clock, client.paginate('/api/v1/users'));
    expect(pages.map((p) => p.items.length)).toEqual([1, 0]);
    expect(pages[1]?.nextUrl).toBeNull();
    expect(calls).toHaveLength(2);
    expect(warnings).toEqual(['okta.pagination.empty-page-with-next']);
  });

  it('System Log polling: yields the empty page with its next link and stops', async () => {
    const { clock, client, calls } = setup((req) =>
      req.url.includes('after=e2')
        ? json([], 200, link('/api/v1/logs?after=e2', '/api/v1/logs?after=e2'))
        : json([{ uuid: 'e1' }, { uuid: 'e2' }], 200, link('/api/v1/logs?since=x', '/api/v1/logs?after=e2')),
    );
    const pages = await collect(clock, client.paginate('/api/v1/logs?since=x', { allowEmptyPages: true }));
    expect(pages.map((p) => p.items.length)).toEqual([2, 0]);
    expect(pages[1]?.nextUrl).toBe(`${ORIGIN}/api/v1/logs?after=e2`);
    expect(calls).toHaveLength(2);
  });

  it('a full page without a next link is verified by asking for the page after its last record', async () => {
    const warnings: string[] = [];
    const { clock, client, calls } = setup(
      (r) => (new URL(r.url).searchParams.get('after') === 'u2' ? json([]) : json([{ id: 'u1' }, { id: 'u2' }])),
      { onWarning: (w) => warnings.push(w.code) },
    );
    const pages = await collect(clock, client.paginate('/api/v1/users?limit=2'));
    expect(pages.map((p) => p.items.length)).toEqual([2, 0]);
    expect(calls.map((c) => new URL(c.url).search)).toEqual(['?limit=2', '?limit=2&after=u2']);
    expect(warnings).toEqual(['okta.pagination.link-missing']);
    // A short page is the last one: nothing to verify, nothing to warn about.
    expect(await collect(clock, client.paginate('/api/v1/users?limit=3'))).toHaveLength(1);
    expect(warnings).toHaveLength(1);
  });

  it('records after a full page without a next link continue the listing, with a warning', async () => {
    const warnings: string[] = [];
    const { clock, client } = setup(
      (r) => {
        const after = new URL(r.url).searchParams.get('after');
        if (after === null) return json([{ id: 'u1' }, { id: 'u2' }]); // Link header dropped
        if (after === 'u2') return json([{ id: 'u3' }], 200, link('/api/v1/users?limit=2&after=u2'));
        return json([]);
      },
      { onWarning: (w) => warnings.push(w.code) },
    );
    const pages = await collect(clock, client.paginate('/api/v1/users?limit=2'));
    expect(pages.flatMap((p) => p.items.map((i) => (i as { id: string }).id))).toEqual(['u1', 'u2', 'u3']);
    expect(warnings).toEqual(['okta.pagination.link-missing', 'okta.pagination.link-missing-more']);
  });

  it('a full page without a next link whose last record has no id fails: it cannot be verified', async () => {
    const { clock, client } = setup(() => json([{ id: 'u1' }, { name: 'no id' }]));
    await expect(collect(clock, client.paginate('/api/v1/users?limit=2'))).rejects.toMatchObject({
      name: 'OktaPaginationError',
      reason: 'unverifiable-end',
    });
  });

  it('fails when a list endpoint does not answer with an array', async () => {
    const { clock, client } = setup(() => json({ id: 1 }));
    await expect(collect(clock, client.paginate('/api/v1/users'))).rejects.toMatchObject({ reason: 'not-an-array' });
  });
});
