/**
 * The README's System Log queries (between its log-event-queries markers) run as written through `okta-flow query`
 * on a Parquet lake written by a LogEvent flow from the sandbox's generated history (90 days ending now), and answer
 * what the README says: compared with the same answer computed from the sandbox's own events (a bounded query).
 * Events within seconds of the 7-day boundary could fall either side (the query's clock is not the test's): the
 * answers are checked between the narrower and the wider window.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryCommand } from '../../../bin/commands/query.js';
import { runFlow } from '../../../lambdas/flow/runner/run-flow.js';
import type { Sandbox } from '../../../sandbox/index.js';
import { DAY, frozenSandbox, type Harness, harness, testConfig } from '../flow/runner/harness.js';

interface Ev {
  uuid: string;
  published: string;
  eventType: string;
  outcome?: { result?: string };
  actor?: { alternateId?: string };
  target?: { alternateId?: string }[];
  client?: { geographicalContext?: { country?: string } };
}

function readmeQueries(): string[] {
  const readme = readFileSync('README.md', 'utf8');
  const start = readme.indexOf('<!-- log-event-queries');
  const end = readme.indexOf('<!-- /log-event-queries -->');
  expect(start).toBeGreaterThan(0);
  return [...readme.slice(start, end).matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => (m[1] ?? '').trim());
}

let sandbox: Sandbox;
let h: Harness;
const events: Ev[] = [];

beforeAll(async () => {
  const now = Date.now();
  sandbox = await frozenSandbox({
    users: 150,
    logEvents: 6000,
    epochMs: now - 60_000,
    clock: { startMs: now, running: false },
  });
  const flow = {
    name: 'system-log',
    object: 'LogEvent',
    mode: 'incremental',
    firstExecutionFrom: new Date(now - 89 * DAY).toISOString(),
  };
  h = harness(sandbox, testConfig([flow], { format: 'parquet', compression: 'snappy' }));
  await runFlow('system-log', { kind: 'manual' }, h.deps());
  // The ground truth: every event the flow should hold, by the sandbox's bounded query.
  let url: string | null =
    `${sandbox.baseUrl}/api/v1/logs?since=${flow.firstExecutionFrom}&until=${new Date(now + 1).toISOString()}&limit=1000`;
  while (url !== null) {
    const res: Response = await fetch(url, { headers: { authorization: `SSWS ${sandbox.apiToken}` } });
    const body = (await res.json()) as Ev[];
    events.push(...body);
    const next = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '');
    url = body.length > 0 && next?.[1] ? next[1] : null;
  }
});
afterAll(async () => {
  await sandbox.close();
  h.cleanup();
});

async function query(sql: string): Promise<{ rows: Record<string, unknown>[]; narrow: number; wide: number }> {
  const lines: string[] = [];
  const before = Date.now();
  await queryCommand({ sql, out: h.dir, prefix: 'okta', json: true, print: (l) => lines.push(l) });
  const after = Date.now();
  // "the last 7 days" as the query saw it lies between these two cutoffs
  return {
    rows: lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    narrow: after - 7 * DAY + 1000,
    wide: before - 7 * DAY - 1000,
  };
}

const at = (e: Ev) => Date.parse(e.published);
const signIns = (ok: boolean) =>
  events.filter((e) => e.eventType === 'user.session.start' && (e.outcome?.result === 'SUCCESS') === ok);

describe('README System Log queries', () => {
  it('are the three documented ones', () => {
    expect(readmeQueries()).toHaveLength(3);
    expect(events.length).toBeGreaterThan(5000);
  });

  it('failed sign-ins per user in the last 7 days', async () => {
    const { rows, narrow, wide } = await query(readmeQueries()[0] ?? '');
    const failed = signIns(false).filter((e) => e.outcome?.result === 'FAILURE');
    const count = (from: number) => {
      const out = new Map<string, number>();
      for (const e of failed.filter((x) => at(x) >= from)) {
        const login = String(e.actor?.alternateId);
        out.set(login, (out.get(login) ?? 0) + 1);
      }
      return out;
    };
    const [low, high] = [count(narrow), count(wide)];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeGreaterThanOrEqual(low.size);
    expect(rows.length).toBeLessThanOrEqual(high.size);
    for (const r of rows) {
      const n = Number(r.failed_sign_ins);
      expect(n).toBeGreaterThanOrEqual(low.get(String(r.login)) ?? 0);
      expect(n).toBeLessThanOrEqual(high.get(String(r.login)) ?? 0);
    }
  });

  it('admin role grants in the last week', async () => {
    const { rows, narrow, wide } = await query(readmeQueries()[1] ?? '');
    const grants = events.filter((e) => e.eventType === 'user.account.privilege.grant');
    const low = grants.filter((e) => at(e) >= narrow);
    const high = grants.filter((e) => at(e) >= wide);
    expect(high.length).toBeGreaterThan(0);
    expect(rows.length).toBeGreaterThanOrEqual(low.length);
    expect(rows.length).toBeLessThanOrEqual(high.length);
    const key = (published: number, to: unknown) => `${published}|${String(to)}`;
    const want = new Set(high.map((e) => key(at(e), e.target?.[0]?.alternateId)));
    for (const r of rows) expect(want.has(key(Date.parse(String(r.published)), r.granted_to))).toBe(true);
  });

  it('sign-ins from a country first seen in the last 7 days', async () => {
    const { rows, narrow, wide } = await query(readmeQueries()[2] ?? '');
    const ok = signIns(true);
    const answer = (cutoff: number) => {
      const before = new Set(ok.filter((e) => at(e) < cutoff).map((e) => String(e.actor?.alternateId)));
      const first = new Map<string, number>();
      for (const e of ok) {
        const k = `${String(e.actor?.alternateId)}|${String(e.client?.geographicalContext?.country)}`;
        first.set(k, Math.min(first.get(k) ?? Number.POSITIVE_INFINITY, at(e)));
      }
      return new Set([...first].filter(([k, t]) => t >= cutoff && before.has(k.split('|')[0] ?? '')).map(([k]) => k));
    };
    expect(rows.length).toBeGreaterThan(0);
    const got = new Set(rows.map((r) => `${String(r.login)}|${String(r.country)}`));
    expect(got.size).toBe(rows.length);
    const [low, high] = [answer(narrow), answer(wide)];
    // non-vacuous: the history has travellers
    expect(high.size).toBeGreaterThan(0);
    for (const k of got) expect(high.has(k) || low.has(k)).toBe(true);
    for (const k of low) if (high.has(k)) expect(got.has(k)).toBe(true);
  });
});
