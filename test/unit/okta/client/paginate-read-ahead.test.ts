import { describe, expect, it } from 'vitest';
import type { OktaResponse } from '../../../../lambdas/okta/http/executor.js';
import { paginate } from '../../../../lambdas/okta/paginate.js';

const ORIGIN = 'https://acme.okta.com';

/** Three pages of two users; records every request and the signal it was sent with. */
function pagedGet(failOnPage?: number) {
  const requests: { page: number; signal: AbortSignal | undefined }[] = [];
  const get = async (url: URL, signal?: AbortSignal): Promise<OktaResponse> => {
    const page = Number(url.searchParams.get('page') ?? '1');
    requests.push({ page, signal });
    if (page === failOnPage) throw new Error(`page ${page} failed`);
    const next = page < 3 ? `<${ORIGIN}/api/v1/users?page=${page + 1}>; rel="next"` : '';
    const headers = new Headers({ link: `<${url.href}>; rel="self"${next ? `, ${next}` : ''}` });
    return { status: 200, headers, body: [{ id: `u${page}a` }, { id: `u${page}b` }], url: url.href };
  };
  return { get, requests };
}

describe('paginate read-ahead', () => {
  it('without it, the next page is requested only when the consumer asks for it', async () => {
    const { get, requests } = pagedGet();
    const pages = paginate('/api/v1/users?page=1', { origin: ORIGIN, get });
    await pages.next();
    expect(requests.map((r) => r.page)).toEqual([1]);
    await pages.return(undefined);
  });

  it('with it, the next page is already on its way while the consumer holds this one, and nothing is lost', async () => {
    const { get, requests } = pagedGet();
    const pages = paginate('/api/v1/users?page=1', { origin: ORIGIN, get }, { readAhead: true });
    const first = await pages.next();
    expect(first.value?.items).toEqual([{ id: 'u1a' }, { id: 'u1b' }]);
    expect(requests.map((r) => r.page)).toEqual([1, 2]);
    const rest: string[] = [];
    for await (const page of pages) rest.push(...page.items.map((u) => String((u as { id: string }).id)));
    expect(rest).toEqual(['u2a', 'u2b', 'u3a', 'u3b']);
    // One request per page: the last page has no next link, so nothing is read ahead past it.
    expect(requests.map((r) => r.page)).toEqual([1, 2, 3]);
  });

  it('aborts a read-ahead the consumer never asks for', async () => {
    const { get, requests } = pagedGet();
    const pages = paginate('/api/v1/users?page=1', { origin: ORIGIN, get }, { readAhead: true });
    await pages.next();
    await pages.return(undefined);
    expect(requests[1]?.page).toBe(2);
    expect(requests[1]?.signal?.aborted).toBe(true);
  });

  it('reports a failed read-ahead only when its page is asked for', async () => {
    const { get } = pagedGet(2);
    const pages = paginate('/api/v1/users?page=1', { origin: ORIGIN, get }, { readAhead: true });
    const first = await pages.next();
    expect(first.value?.items).toHaveLength(2);
    await expect(pages.next()).rejects.toThrow('page 2 failed');
  });
});
