/**
 * The children extractor refuses hostile answers the way every listing does: a child without its key, a next link
 * on another origin, a page repeating known pairs (content loop), and any error other than a parent's 404 E0000007.
 */
import { describe, expect, it } from 'vitest';
import { getObjectDef } from '../../../../lambdas/okta/catalog/index.js';
import { OktaApiError, OktaPaginationError, OktaRecordError } from '../../../../lambdas/okta/errors.js';
import { ExtractRequestError, extractChildren } from '../../../../lambdas/okta/extract/index.js';
import { planQuery } from '../../../../lambdas/okta/query/plan.js';
import type { OktaApi, OktaPage, OktaRecord } from '../../../../lambdas/okta/types.js';

const ORIGIN = 'https://acme.okta.com';

/** Pages by pathname (+ `after` cursor): `{ items, next }`; an Error value is thrown for that page. */
function fakeApi(pages: Record<string, { items: unknown[]; next: string | null } | Error>): OktaApi {
  return {
    origin: ORIGIN,
    async getJson<T>(): Promise<T> {
      throw new Error('not used');
    },
    async *paginate<T>(pathOrUrl: string): AsyncGenerator<OktaPage<T>> {
      let url: string | null = new URL(pathOrUrl, ORIGIN).href;
      while (url !== null) {
        const u: URL = new URL(url);
        const key: string = `${u.pathname}${u.searchParams.has('after') ? `@${u.searchParams.get('after')}` : ''}`;
        const page: { items: unknown[]; next: string | null } | Error | undefined = pages[key];
        if (page === undefined) throw new Error(`fake: no page ${key}`);
        if (page instanceof Error) throw page;
        yield { items: page.items as T[], nextUrl: page.next, url };
        url = page.next;
      }
    },
  };
}

const group = (id: string): OktaRecord => ({ id, type: 'OKTA_GROUP', profile: { name: id } });
const user = (id: string): OktaRecord => ({ id, status: 'ACTIVE', profile: { login: `${id}@x` } });
const def = getObjectDef('GroupMember');
const run = async (api: OktaApi) => {
  const out: OktaRecord[] = [];
  for await (const p of extractChildren(def, {}, { api, plan: planQuery })) out.push(...p.records);
  return out;
};

describe('children extractor against hostile answers', () => {
  it('lands the pairs of a well-behaved org (control)', async () => {
    const api = fakeApi({
      '/api/v1/groups': { items: [group('g1'), group('g2')], next: null },
      '/api/v1/groups/g1/users': { items: [user('u1')], next: `${ORIGIN}/api/v1/groups/g1/users?after=u1` },
      '/api/v1/groups/g1/users@u1': { items: [user('u2')], next: null },
      '/api/v1/groups/g2/users': { items: [user('u1')], next: null },
    });
    const got = (await run(api)).map((r) => `${(r._parent as OktaRecord).id}/${r.id}`);
    expect(got).toEqual(['g1/u1', 'g1/u2', 'g2/u1']);
  });

  it('a child without its id is an OktaRecordError', async () => {
    const api = fakeApi({
      '/api/v1/groups': { items: [group('g1')], next: null },
      '/api/v1/groups/g1/users': { items: [{ status: 'ACTIVE' }], next: null },
    });
    await expect(run(api)).rejects.toThrow(OktaRecordError);
  });

  it('a child next link on another origin is refused', async () => {
    const api = fakeApi({
      '/api/v1/groups': { items: [group('g1')], next: null },
      '/api/v1/groups/g1/users': {
        items: [user('u1')],
        next: 'https://evil.example.com/api/v1/groups/g1/users?after=u1',
      },
    });
    await expect(run(api)).rejects.toThrow(ExtractRequestError);
  });

  it('a page repeating only known pairs is a content loop', async () => {
    const api = fakeApi({
      '/api/v1/groups': { items: [group('g1')], next: null },
      '/api/v1/groups/g1/users': { items: [user('u1')], next: `${ORIGIN}/api/v1/groups/g1/users?after=x` },
      '/api/v1/groups/g1/users@x': { items: [user('u1')], next: null },
    });
    await expect(run(api)).rejects.toThrow(OktaPaginationError);
  });

  it('a 404 E0000007 parent is skipped; a 403 is not', async () => {
    const notFound = new OktaApiError({
      status: 404,
      method: 'GET',
      path: '/api/v1/groups/g1/users',
      errorCode: 'E0000007',
    });
    const forbidden = new OktaApiError({
      status: 403,
      method: 'GET',
      path: '/api/v1/groups/g1/users',
      errorCode: 'E0000006',
    });
    const org = (error: Error) =>
      fakeApi({
        '/api/v1/groups': { items: [group('g1'), group('g2')], next: null },
        '/api/v1/groups/g1/users': error,
        '/api/v1/groups/g2/users': { items: [user('u1')], next: null },
      });
    expect((await run(org(notFound))).map((r) => r.id)).toEqual(['u1']);
    await expect(run(org(forbidden))).rejects.toThrow(OktaApiError);
  });
});
