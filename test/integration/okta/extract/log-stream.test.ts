/**
 * The System Log stream reader against the sandbox's System Log: polling requests only, the cursor from Okta's next
 * link, every event exactly once across two reads with org changes (and a late event) in between, push-down.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getObjectDef } from '../../../../lambdas/okta/catalog/index.js';
import { KeySet } from '../../../../lambdas/okta/extract/key-set.js';
import { extractLogStream, type LogStreamPage } from '../../../../lambdas/okta/extract/log-stream.js';
import { LogStreamStartError } from '../../../../lambdas/okta/extract/log-stream-errors.js';
import type { Filter } from '../../../../lambdas/okta/query/filter.js';
import type { OktaRecord } from '../../../../lambdas/okta/types.js';
import { DEFAULT_EPOCH_MS } from '../../../../sandbox/org/index.js';
import { type Harness, startHarness } from './harness.js';

const DAY = 86_400_000;
const def = getObjectDef('LogEvent');
let h: Harness;
const requests: string[] = [];

beforeAll(async () => {
  h = await startHarness(
    { users: 300, logEvents: 6000 },
    { observer: { onRequest: ({ path }) => requests.push(path) } },
  );
});
afterAll(() => h.close());

async function read(cursor: string | null, since: string, seen = new KeySet()) {
  const pages: LogStreamPage[] = [];
  for await (const page of extractLogStream(def, { cursor, since, now: h.sandbox.clock.now() }, { ...h.deps, seen })) {
    pages.push(page);
  }
  return pages;
}

async function readFiltered(since: string, filter: Filter): Promise<OktaRecord[]> {
  const out: OktaRecord[] = [];
  for await (const page of extractLogStream(def, { since, now: h.sandbox.clock.now(), filter }, h.deps)) {
    out.push(...page.records);
  }
  return out;
}

/** Every event the sandbox holds from `since` on, by a bounded (until = now) query. */
async function truth(since: string): Promise<string[]> {
  const out: string[] = [];
  const until = new Date(h.sandbox.clock.now() + 1).toISOString();
  for await (const page of h.client.paginate<{ uuid: string }>(
    `/api/v1/logs?since=${since}&until=${until}&limit=1000`,
  )) {
    out.push(...page.items.map((e) => e.uuid));
  }
  return out;
}

describe('extractLogStream', () => {
  it('reads every event once across two runs with org changes and a late event in between; idle run = 1 request', async () => {
    const since = new Date(DEFAULT_EPOCH_MS - 30 * DAY).toISOString();
    requests.length = 0;
    const first = await read(null, since);
    expect(requests.every((p) => p.startsWith('/api/v1/logs'))).toBe(true);
    const firstUrl = new URL(requests[0] ?? '', 'http://x');
    expect(firstUrl.searchParams.get('until')).toBeNull();
    expect(firstUrl.searchParams.get('sortOrder')).toBe('ASCENDING');
    expect(firstUrl.searchParams.get('limit')).toBe('1000');
    expect(first.at(-1)?.records).toEqual([]);
    expect(first.at(-1)?.continuation).toBeNull();
    const cursor1 = first.at(-1)?.cursor ?? '';
    expect(cursor1).toMatch(/^\/api\/v1\/logs\?/);

    // Org changes, plus an event persisted now but published 10 days ago (late).
    h.sandbox.clock.advance(60_000);
    const active = [...h.sandbox.org.all('users')].find((u) => u.status === 'ACTIVE');
    h.sandbox.admin.userLifecycle(String(active?.id), 'suspend');
    h.sandbox.admin.createGroup({ profile: { name: 'Stream test' } });
    const late = h.sandbox.org.injectLateLogEvent({
      eventType: 'user.session.start',
      publishedMs: h.sandbox.clock.now() - 10 * DAY,
    });
    h.sandbox.clock.advance(1000);
    const second = await read(cursor1, since);
    const secondUuids = second.flatMap((p) => p.records.map((r) => String(r.uuid)));
    expect(secondUuids).toContain(late.uuid);
    expect(secondUuids.length).toBeGreaterThanOrEqual(3);

    const all = [...first, ...second].flatMap((p) => p.records.map((r) => String(r.uuid)));
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort()).toEqual((await truth(since)).sort());
    // typed: the nested structures are there as Okta sent them
    const signIn = first.flatMap((p) => p.records).find((r) => r.eventType === 'user.session.start');
    expect(signIn).toMatchObject({ actor: { id: expect.any(String) }, client: { ipAddress: expect.any(String) } });

    // Nothing new: one request, no records, the cursor stays usable.
    requests.length = 0;
    const idle = await read(second.at(-1)?.cursor ?? '', since);
    expect(requests).toHaveLength(1);
    expect(idle.flatMap((p) => p.records)).toEqual([]);
  });

  it('pushes eventType and outcome.result down to filter and keeps the residual exact', async () => {
    const since = new Date(DEFAULT_EPOCH_MS - 20 * DAY).toISOString();
    requests.length = 0;
    const pages: LogStreamPage[] = [];
    for await (const page of extractLogStream(
      def,
      {
        since,
        now: h.sandbox.clock.now(),
        filter: {
          kind: 'and',
          children: [
            { kind: 'compare', field: 'event_type', op: 'EQUAL_TO', value: 'user.session.start' },
            { kind: 'compare', field: 'outcome_result', op: 'EQUAL_TO', value: 'FAILURE' },
          ],
        },
      },
      h.deps,
    )) {
      pages.push(page);
    }
    const url = new URL(requests[0] ?? '', 'http://x');
    expect(url.searchParams.get('filter')).toBe('eventType eq "user.session.start" and outcome.result eq "FAILURE"');
    const events = pages.flatMap((p) => p.records);
    expect(events.length).toBeGreaterThan(0);
    for (const e of events)
      expect(e).toMatchObject({ eventType: 'user.session.start', outcome: { result: 'FAILURE' } });
  });

  it('pushes a starts-with filter on event_type down as eventType sw; the result equals the residual alone', async () => {
    const since = new Date(DEFAULT_EPOCH_MS - 20 * DAY).toISOString();
    const filter = { kind: 'startsWith', field: 'event_type', value: 'user.session' } as const;
    requests.length = 0;
    const pushed = (await readFiltered(since, filter)).map((e) => String(e.uuid)).sort();
    expect(new URL(requests[0] ?? '', 'http://x').searchParams.get('filter')).toBe('eventType sw "user.session"');
    const expected = (await read(null, since))
      .flatMap((p) => p.records)
      .filter((e) => String(e.eventType).startsWith('user.session'))
      .map((e) => String(e.uuid))
      .sort();
    expect(expected.length).toBeGreaterThan(0);
    expect(pushed).toEqual(expected);
    // Fewer events came over the wire than the whole log holds: the prefix ran in Okta.
    const types = new Set((await read(null, since)).flatMap((p) => p.records).map((e) => String(e.eventType)));
    expect([...types].some((t) => !t.startsWith('user.session'))).toBe(true);
  });

  it('pushes a contains filter on event_type down as eventType co', async () => {
    const since = new Date(DEFAULT_EPOCH_MS - 20 * DAY).toISOString();
    requests.length = 0;
    const events = await readFiltered(since, { kind: 'contains', field: 'event_type', value: 'membership' });
    expect(new URL(requests[0] ?? '', 'http://x').searchParams.get('filter')).toBe('eventType co "membership"');
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) expect(String(e.eventType)).toContain('membership');
  });

  it('pushes target.id (contains on the list) down as target.id eq', async () => {
    const since = new Date(DEFAULT_EPOCH_MS - 20 * DAY).toISOString();
    const group = h.sandbox.admin.createGroup({ profile: { name: 'Target test' } });
    h.sandbox.clock.advance(1000);
    requests.length = 0;
    const records = [];
    for await (const page of extractLogStream(
      def,
      { since, now: h.sandbox.clock.now(), filter: { kind: 'contains', field: 'target_id', value: String(group.id) } },
      h.deps,
    )) {
      records.push(...page.records);
    }
    expect(new URL(requests[0] ?? '', 'http://x').searchParams.get('filter')).toBe(
      `target.id eq "${String(group.id)}"`,
    );
    // The group is new: its creation is the one event that targets it.
    expect(records.map((r) => r.eventType)).toEqual(['group.lifecycle.create']);
    expect(((records[0]?.target ?? []) as { id: string }[]).map((t) => t.id)).toContain(String(group.id));
  });

  it('refuses a first run older than the 90-day retention, saying why', async () => {
    const since = new Date(h.sandbox.clock.now() - 120 * DAY).toISOString();
    await expect(read(null, since)).rejects.toThrow(LogStreamStartError);
    await expect(read(null, since)).rejects.toThrow(/90 days/);
    const older = new Date(h.sandbox.clock.now() - 200 * DAY).toISOString();
    await expect(read(null, older)).rejects.toThrow(/E0000053/);
  });
});
