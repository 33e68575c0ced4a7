/**
 * LogEvent through AppFlow QueryData: AppFlow's incremental pull on `published` becomes polling from that bound
 * (Okta cannot filter on published; `since` bounds persistence time, a superset), the residual keeps the window
 * exact, and consecutive windows paged through small responses lose and repeat no event.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../sandbox/index.js';
import { DEFAULT_EPOCH_MS } from '../../../sandbox/org/index.js';
import { type Connection, connect, queryAll, startOrg } from './harness.js';

const DAY = 86_400_000;
let sandbox: Sandbox;
let connection: Connection;

beforeAll(async () => {
  sandbox = await startOrg({
    users: 200,
    logEvents: 3000,
    clock: { startMs: DEFAULT_EPOCH_MS + 60_000, running: false },
  });
  // The connector's clock is the org's (the retention floor of since is computed from it).
  connection = connect(sandbox, { now: () => sandbox.clock.now() });
});
afterAll(async () => {
  await sandbox?.close();
});

async function bounded(from: string, to: string): Promise<string[]> {
  const out: string[] = [];
  let url: string | null = `${sandbox.baseUrl}/api/v1/logs?since=${from}&until=${to}&limit=1000`;
  while (url !== null) {
    const res: Response = await fetch(url, { headers: { authorization: `SSWS ${sandbox.apiToken}` } });
    const body = (await res.json()) as { uuid: string; published: string }[];
    out.push(...body.filter((e) => Date.parse(e.published) > Date.parse(from)).map((e) => e.uuid));
    const next = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '');
    url = body.length > 0 && next?.[1] ? next[1] : null;
  }
  return out.sort();
}

describe('LogEvent via QueryData', () => {
  it('consecutive published windows, paged in small responses, hold every event of the org once', async () => {
    const bounds = [40, 25, 10, 0].map((d) => new Date(DEFAULT_EPOCH_MS - d * DAY).toISOString());
    const got: string[] = [];
    for (let i = 0; i + 1 < bounds.length; i++) {
      const { records } = await queryAll(connection, 'LogEvent', {
        filterExpression: `published > ${bounds[i]} and published <= ${bounds[i + 1]}`,
        selectedFieldNames: ['uuid', 'published', 'event_type', 'actor', 'target'],
        maxResults: 250,
      });
      for (const r of records) {
        expect(Date.parse(String(r.published))).toBeGreaterThan(Date.parse(bounds[i] ?? ''));
        expect(Date.parse(String(r.published))).toBeLessThanOrEqual(Date.parse(bounds[i + 1] ?? ''));
      }
      got.push(...records.map((r) => String(r.uuid)));
    }
    expect(got.length).toBeGreaterThan(500);
    expect(new Set(got).size).toBe(got.length);
    const want = await bounded(bounds[0] ?? '', new Date(Date.parse(bounds[3] ?? '') + 1).toISOString());
    expect([...got].sort()).toEqual(want);
  });
});
