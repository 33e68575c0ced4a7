/**
 * The stream reader against scripted (hostile) System Log answers: a page without `next`, events repeated under
 * fresh cursors, events repeated forever, an event without a uuid, a stored cursor that is not a polling request.
 * In every case each event lands exactly once across runs, or the read fails before anything could be committed.
 */
import { describe, expect, it } from 'vitest';
import { getObjectDef } from '../../../../lambdas/okta/catalog/index.js';
import { OktaPaginationError, OktaRecordError } from '../../../../lambdas/okta/errors.js';
import { ContinuationMismatchError } from '../../../../lambdas/okta/extract/errors.js';
import { KeySet } from '../../../../lambdas/okta/extract/key-set.js';
import { extractLogStream, type LogStreamPage } from '../../../../lambdas/okta/extract/log-stream.js';
import { encodeTail, seedTail } from '../../../../lambdas/okta/extract/log-stream-position.js';
import { planQuery } from '../../../../lambdas/okta/query/plan.js';
import type { OktaApi, OktaPage, OktaRecord } from '../../../../lambdas/okta/types.js';

const ORIGIN = 'https://acme.okta.com';
const def = getObjectDef('LogEvent');
const NOW = Date.parse('2026-06-01T00:00:00.000Z');
const SINCE = '2026-05-01T00:00:00.000Z';

const event = (n: number): OktaRecord => ({
  uuid: `00000000-0000-4000-a000-${String(n).padStart(12, '0')}`,
  published: new Date(Date.parse(SINCE) + n * 60_000).toISOString(),
  eventType: 'user.session.start',
  outcome: { result: 'SUCCESS' },
});

/** A fake org: answers each request from a script keyed by the `after` cursor (first request: no after). */
function scripted(script: Record<string, { items: OktaRecord[]; next: string | null }>) {
  const requests: string[] = [];
  const api: OktaApi = {
    origin: ORIGIN,
    getJson: () => Promise.reject(new Error('not used')),
    async *paginate<T>(pathOrUrl: string): AsyncGenerator<OktaPage<T>> {
      const url = new URL(pathOrUrl, ORIGIN);
      requests.push(`${url.pathname}${url.search}`);
      const key = url.searchParams.get('after') ?? 'start';
      const answer = script[key];
      if (answer === undefined) throw new Error(`unscripted request after=${key}`);
      const next = answer.next === null ? null : new URL(url);
      next?.searchParams.set('after', answer.next ?? '');
      yield { items: answer.items as unknown as T[], nextUrl: next?.href ?? null, url: url.href };
    },
  };
  return { api, requests };
}

async function read(api: OktaApi, cursor: string | null, seen = new KeySet(), warnings: string[] = []) {
  const pages: LogStreamPage[] = [];
  for await (const page of extractLogStream(
    def,
    { cursor, since: SINCE, now: NOW },
    { api, plan: planQuery, seen, onWarning: ({ code }) => warnings.push(code) },
  )) {
    pages.push(page);
  }
  return pages;
}

const uuidsOf = (pages: readonly LogStreamPage[]) => pages.flatMap((p) => p.records.map((r) => String(r.uuid)));

describe('extractLogStream against hostile answers', () => {
  it('a page without next ends the run at that page; the next run re-reads it and drops its events by uuid', async () => {
    const org = scripted({
      start: { items: [event(1), event(2)], next: 'c1' },
      c1: { items: [event(3)], next: null },
    });
    const warnings: string[] = [];
    const first = await read(org.api, null, new KeySet(), warnings);
    expect(uuidsOf(first)).toEqual([event(1), event(2), event(3)].map((e) => e.uuid));
    expect(warnings).toEqual(['okta.logs.next-missing']);
    const last = first.at(-1);
    expect(last?.continuation).toBeNull();
    expect(new URL(last?.cursor ?? '', ORIGIN).searchParams.get('after')).toBe('c1');

    // The next run: Okta answers the same page again, now with more events and a next link.
    const again = scripted({
      c1: { items: [event(3), event(4)], next: 'c2' },
      c2: { items: [], next: 'c2' },
    });
    const seen = new KeySet();
    seedTail(seen, encodeTail(last?.tail ?? []));
    const second = await read(again.api, last?.cursor ?? null, seen);
    expect(uuidsOf(second)).toEqual([event(4).uuid]);
    expect(second.reduce((n, p) => n + p.duplicates, 0)).toBe(1);
    expect(new URL(second.at(-1)?.cursor ?? '', ORIGIN).searchParams.get('after')).toBe('c2');
  });

  it('events repeated under fresh cursors are dropped and counted, the stream goes on', async () => {
    const org = scripted({
      start: { items: [event(1), event(2)], next: 'c1' },
      c1: { items: [event(2), event(3)], next: 'c2' },
      c2: { items: [event(1), event(2)], next: 'c3' },
      c3: { items: [event(4)], next: 'c4' },
      c4: { items: [], next: 'c4' },
    });
    const pages = await read(org.api, null);
    expect(uuidsOf(pages)).toEqual([1, 2, 3, 4].map((n) => event(n).uuid));
    expect(pages.at(-1)?.totals.duplicates).toBe(3);
    expect(org.requests).toHaveLength(5);
  });

  it('events repeated page after page under fresh cursors are a content loop: the read fails', async () => {
    const script: Record<string, { items: OktaRecord[]; next: string | null }> = {
      start: { items: [event(1)], next: 'c0' },
    };
    for (let i = 0; i < 10; i++) script[`c${i}`] = { items: [event(1)], next: `c${i + 1}` };
    await expect(read(scripted(script).api, null)).rejects.toThrow(OktaPaginationError);
  });

  it('an event without a uuid fails the read instead of being dropped or invented', async () => {
    const org = scripted({ start: { items: [{ eventType: 'user.session.start' }], next: 'c1' } });
    await expect(read(org.api, null)).rejects.toThrow(OktaRecordError);
  });

  it('refuses a stored cursor that is not a polling request on the System Log', async () => {
    const org = scripted({});
    await expect(read(org.api, '/api/v1/logs?since=2026-05-01T00:00:00Z&until=2026-05-02T00:00:00Z')).rejects.toThrow(
      ContinuationMismatchError,
    );
    await expect(read(org.api, '/api/v1/users?after=x')).rejects.toThrow(ContinuationMismatchError);
    expect(org.requests).toEqual([]);
  });

  it('an idle poll is one request, no records, and the cursor Okta gave', async () => {
    const org = scripted({ c9: { items: [], next: 'c9' } });
    const pages = await read(org.api, '/api/v1/logs?since=2026-05-01T00%3A00%3A00.000Z&sortOrder=ASCENDING&after=c9');
    expect(org.requests).toHaveLength(1);
    expect(pages).toHaveLength(1);
    expect(pages[0]?.records).toEqual([]);
    expect(new URL(pages[0]?.cursor ?? '', ORIGIN).searchParams.get('after')).toBe('c9');
  });
});
