import { describe, expect, it } from 'vitest';
import { ApiTokenCredentials } from '../../../../lambdas/okta/auth/api-token.js';
import { createOktaClient } from '../../../../lambdas/okta/client.js';
import { OktaRateLimitError } from '../../../../lambdas/okta/errors.js';
import { bucketFor } from '../../../../lambdas/okta/http/buckets.js';
import { RateGovernor } from '../../../../lambdas/okta/http/governor.js';
import { drive, FakeClock, type Handler, json, scriptedFetch } from './fakes.js';

type Wait = { bucket: string; waitMs: number; reason: string };

/** An org that enforces a fixed 60 s window per bucket and reports it in the headers, with a server clock offset. */
function rateLimitedOrg(clock: FakeClock, opts: { limit: number; skewMs?: number; latencyMs?: number }): Handler {
  const skew = opts.skewMs ?? 0;
  let windowStart = clock.now() + skew;
  let used = 0;
  return async () => {
    if (opts.latencyMs) await clock.sleep(opts.latencyMs);
    const serverNow = clock.now() + skew;
    if (serverNow >= windowStart + 60_000) {
      windowStart = serverNow;
      used = 0;
    }
    used++;
    const headers = {
      date: new Date(serverNow).toUTCString(),
      'x-rate-limit-limit': String(opts.limit),
      'x-rate-limit-remaining': String(Math.max(0, opts.limit - used)),
      'x-rate-limit-reset': String(Math.ceil((windowStart + 60_000) / 1000)),
    };
    if (used > opts.limit)
      return json({ errorCode: 'E0000047', errorSummary: 'API call exceeded rate limit' }, 429, headers);
    return json({ ok: true }, 200, headers);
  };
}

function client(clock: FakeClock, handler: Handler, extra: Record<string, unknown> = {}, waits: Wait[] = []) {
  const { fetch, calls } = scriptedFetch(clock, handler);
  const c = createOktaClient({
    domain: 'acme.okta.com',
    credentials: new ApiTokenCredentials('00tok'),
    fetch,
    clock,
    random: () => 0.5,
    observer: { onRateLimitWait: (w) => waits.push(w) },
    ...extra,
  });
  return { c, calls };
}

describe('buckets', () => {
  it('maps paths to Okta bucket families by longest prefix', () => {
    expect(bucketFor('GET', '/api/v1/users')).toBe('GET /api/v1/users');
    expect(bucketFor('GET', '/api/v1/users/00u1/groups')).toBe('GET /api/v1/users');
    expect(bucketFor('GET', '/api/v1/usersX')).toBe('GET /api/v1');
    expect(bucketFor('GET', '/api/v1/meta/types/user')).toBe('GET /api/v1/meta');
    expect(bucketFor('POST', '/oauth2/v1/token')).toBe('POST /oauth2/v1/token');
    // A family's writes are one bucket, whatever the method.
    expect(bucketFor('POST', '/api/v1/users/00u1/lifecycle/suspend')).toBe('WRITE /api/v1/users');
    expect(bucketFor('DELETE', '/api/v1/users/00u1')).toBe('WRITE /api/v1/users');
    expect(bucketFor('PUT', '/api/v1/groups/00g1/users/00u1')).toBe('WRITE /api/v1/groups');
    expect(bucketFor('GET', '/api/v1/authorizationServers')).toBe('GET /api/v1');
  });
});

describe('RateGovernor pacing', () => {
  it('spreads requests evenly at share × limit per window and never draws a 429', async () => {
    const clock = new FakeClock();
    const start = clock.now();
    const waits: Wait[] = [];
    const { c, calls } = client(
      clock,
      rateLimitedOrg(clock, { limit: 60, latencyMs: 50 }),
      { maxConcurrency: 4 },
      waits,
    );
    // 90 requests issued at once from 6 parallel workers; share 0.5 of 60/min = 30/min = one every 2 s.
    await drive(
      clock,
      Promise.all(
        Array.from({ length: 6 }, async () => {
          for (let i = 0; i < 15; i++) await c.getJson('/api/v1/users/00u1');
        }),
      ),
    );
    expect(calls).toHaveLength(90);
    const starts = calls.map((r) => r.at - start);
    // after the first (probe) answer, starts are ≥ 2 s apart
    for (let i = 2; i < starts.length; i++)
      expect((starts[i] ?? 0) - (starts[i - 1] ?? 0)).toBeGreaterThanOrEqual(1_999);
    // in any 60 s span at most 30 (+1 for the probe) requests start
    for (let i = 0; i < starts.length; i++) {
      const inWindow = starts.filter((s) => s >= (starts[i] ?? 0) && s < (starts[i] ?? 0) + 60_000).length;
      expect(inWindow).toBeLessThanOrEqual(31);
    }
    expect(waits.filter((w) => w.reason === '429')).toEqual([]);
    expect(waits.some((w) => w.reason === 'pacing')).toBe(true);
  });

  it('probes one request at a time until the bucket limit is known', async () => {
    const clock = new FakeClock();
    const t0 = clock.now();
    const { c, calls } = client(clock, async () => {
      await clock.sleep(100);
      return json({}, 200, {
        'x-rate-limit-limit': '60000',
        'x-rate-limit-remaining': '59999',
        'x-rate-limit-reset': String(Math.floor(clock.now() / 1000) + 60),
      });
    });
    await drive(clock, Promise.all(Array.from({ length: 4 }, () => c.getJson('/api/v1/groups'))));
    expect(calls[0]?.at).toBe(t0);
    // the second start waits for the probe's answer (t0 + 100 ms), then pacing (1 ms) and the cap apply
    expect(calls[1]?.at).toBeGreaterThanOrEqual(t0 + 100);
    expect(calls[3]?.at).toBeLessThan(t0 + 200);
  });

  it('treats a bucket without rate-limit headers as unmetered (only the in-flight cap applies)', async () => {
    const clock = new FakeClock();
    let inflight = 0;
    let maxInflight = 0;
    const { c } = client(clock, async () => {
      inflight++;
      maxInflight = Math.max(maxInflight, inflight);
      await clock.sleep(100);
      inflight--;
      return json({});
    });
    await drive(clock, c.getJson('/api/v1/groups'));
    await drive(clock, Promise.all(Array.from({ length: 5 }, () => c.getJson('/api/v1/groups'))));
    expect(maxInflight).toBe(5);
  });

  it('caps requests in flight org-wide at maxConcurrency', async () => {
    const clock = new FakeClock();
    let inflight = 0;
    let maxInflight = 0;
    const { c } = client(
      clock,
      async () => {
        inflight++;
        maxInflight = Math.max(maxInflight, inflight);
        await clock.sleep(1_000);
        inflight--;
        return json({});
      },
      { maxConcurrency: 3 },
    );
    await drive(
      clock,
      Promise.all(Array.from({ length: 12 }, (_, i) => c.getJson(`/api/v1/${['users', 'groups', 'apps'][i % 3]}`))),
    );
    expect(maxInflight).toBe(3);
  });

  it('pauses for the window reset when Remaining reaches what the run must leave to other integrations', async () => {
    const clock = new FakeClock();
    const t0 = clock.now();
    const resetSec = Math.ceil((t0 + 30_000) / 1000);
    let remaining = 100; // another integration already used most of a 600 bucket
    const waits: Wait[] = [];
    const { c, calls } = client(
      clock,
      () =>
        json({}, 200, {
          date: new Date(clock.now()).toUTCString(),
          'x-rate-limit-limit': '600',
          'x-rate-limit-remaining': String(clock.now() >= resetSec * 1000 ? 599 : --remaining),
          'x-rate-limit-reset': String(clock.now() >= resetSec * 1000 ? resetSec + 60 : resetSec),
        }),
      {},
      waits,
    );
    await drive(
      clock,
      (async () => {
        for (let i = 0; i < 3; i++) await c.getJson('/api/v1/users');
      })(),
    );
    // the run may use 50% of 600: it must leave 300 > 99, so the second request waits for the reset
    expect(calls).toHaveLength(3);
    expect(calls[1]?.at).toBeGreaterThanOrEqual(resetSec * 1000);
    expect(waits.some((w) => w.reason === 'window' && w.waitMs >= 29_000)).toBe(true);
  });
});

describe('429 handling', () => {
  it('waits exactly until Reset (skew-corrected via Date) plus bounded jitter, then retries', async () => {
    const clock = new FakeClock();
    const skew = 42_000; // server clock runs 42 s ahead of ours
    const serverNow = () => clock.now() + skew;
    const resetSec = Math.floor(serverNow() / 1000) + 20;
    const waits: Wait[] = [];
    const { c, calls } = client(
      clock,
      (_r, i) =>
        i === 0
          ? json(
              { errorCode: 'E0000047', errorSummary: 'API call exceeded rate limit due to too many requests.' },
              429,
              {
                date: new Date(serverNow()).toUTCString(),
                'x-rate-limit-limit': '600',
                'x-rate-limit-remaining': '0',
                'x-rate-limit-reset': String(resetSec),
                'x-okta-request-id': 'req-429',
              },
            )
          : json({ ok: 1 }, 200, { date: new Date(serverNow()).toUTCString() }),
      {},
      waits,
    );
    const t0 = clock.now();
    await drive(clock, c.getJson('/api/v1/users'));
    expect(calls).toHaveLength(2);
    const expected = resetSec * 1000 - skew - t0; // local time until reset
    const waited = (calls[1]?.at ?? 0) - t0;
    // Date has 1 s resolution: skew is under-estimated by < 1 s, so we never retry early; jitter ≤ 250 ms
    expect(waited).toBeGreaterThanOrEqual(expected);
    expect(waited).toBeLessThanOrEqual(expected + 1_000 + 250);
    expect(waits.find((w) => w.reason === '429')?.bucket).toBe('GET /api/v1/users');
    expect(calls[1]?.headers.get('x-okta-retry-for')).toBe('req-429');
    expect(calls[1]?.headers.get('x-okta-retry-count')).toBe('1');
  });

  it('blocks other requests in the bucket until the reset too', async () => {
    const clock = new FakeClock();
    const resetSec = Math.floor(clock.now() / 1000) + 10;
    let first = true;
    const { c, calls } = client(clock, async () => {
      if (first) {
        first = false;
        return json({ errorCode: 'E0000047' }, 429, {
          'x-rate-limit-limit': '600',
          'x-rate-limit-remaining': '0',
          'x-rate-limit-reset': String(resetSec),
        });
      }
      return json({}, 200);
    });
    await drive(clock, Promise.all([c.getJson('/api/v1/users'), c.getJson('/api/v1/users?x=2')]));
    for (const call of calls.slice(1)) expect(call.at).toBeGreaterThanOrEqual(resetSec * 1000);
  });

  it('gives up with OktaRateLimitError after maxRateLimitRetries', async () => {
    const clock = new FakeClock();
    const { c, calls } = client(
      clock,
      () =>
        json({ errorCode: 'E0000047', errorSummary: 'too many', errorId: 'oae1' }, 429, {
          'x-rate-limit-limit': '600',
          'x-rate-limit-remaining': '0',
          'x-rate-limit-reset': String(Math.floor(clock.now() / 1000) + 1),
          'x-okta-request-id': 'rid',
        }),
      { maxRateLimitRetries: 3 },
    );
    const err = await drive(clock, c.getJson('/api/v1/apps')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OktaRateLimitError);
    expect(err).toMatchObject({ status: 429, errorCode: 'E0000047', bucket: 'GET /api/v1/apps', requestId: 'rid' });
    expect(calls).toHaveLength(4);
  });

  it('gives up when the total wait would exceed maxRateLimitWaitMs', async () => {
    const clock = new FakeClock();
    const { c, calls } = client(
      clock,
      () =>
        json({ errorCode: 'E0000047' }, 429, {
          'x-rate-limit-limit': '600',
          'x-rate-limit-remaining': '0',
          'x-rate-limit-reset': String(Math.floor(clock.now() / 1000) + 50),
        }),
      { maxRateLimitWaitMs: 120_000 },
    );
    await expect(drive(clock, c.getJson('/api/v1/apps'))).rejects.toBeInstanceOf(OktaRateLimitError);
    expect(calls).toHaveLength(3);
  });

  it('concurrency 429 (Limit 0 / Remaining 0): halves the in-flight cap, backs off briefly, recovers', async () => {
    const clock = new FakeClock();
    let inflight = 0;
    const waits: Wait[] = [];
    const { c } = client(
      clock,
      async () => {
        inflight++;
        try {
          await clock.sleep(200);
          if (inflight > 2)
            return json({ errorCode: 'E0000047' }, 429, {
              'x-rate-limit-limit': '0',
              'x-rate-limit-remaining': '0',
              'x-rate-limit-reset': String(Math.floor(clock.now() / 1000) + 60),
            });
          return json({}, 200, {
            'x-rate-limit-limit': '100000',
            'x-rate-limit-remaining': '99999',
            'x-rate-limit-reset': String(Math.floor(clock.now() / 1000) + 60),
          });
        } finally {
          inflight--;
        }
      },
      { maxConcurrency: 8, rateLimitShare: 1 },
      waits,
    );
    const t0 = clock.now();
    await drive(clock, Promise.all(Array.from({ length: 24 }, () => c.getJson('/api/v1/users'))));
    const conc = waits.filter((w) => w.reason === 'concurrency');
    expect(conc.length).toBeGreaterThan(0);
    for (const w of conc) expect(w.waitMs).toBeLessThan(5_200); // brief, not until the 60 s reset estimate
    expect(clock.now() - t0).toBeLessThan(60_000);
    expect(c.rateLimitSnapshot().concurrencyCap).toBeLessThan(8);
  });
});

describe('skew', () => {
  it('measures server minus local time from the Date header', async () => {
    const clock = new FakeClock(Date.UTC(2026, 0, 1, 0, 0, 0, 400));
    const g = new RateGovernor({ clock, random: () => 0, share: 0.5, maxConcurrency: 2 });
    const p = await g.acquire('GET /api/v1/users');
    p.release({ status: 200, headers: new Headers({ date: new Date(clock.now() - 90_000).toUTCString() }) });
    // Date truncates to the second: estimate is 400 ms lower than the true −90 s
    expect(g.skewMs).toBe(-90_400);
  });

  it('rejects invalid settings', () => {
    const clock = new FakeClock();
    expect(() => new RateGovernor({ clock, random: Math.random, share: 0, maxConcurrency: 1 })).toThrow(/share/i);
    expect(() => new RateGovernor({ clock, random: Math.random, share: 0.5, maxConcurrency: 0 })).toThrow(
      /maxConcurrency/,
    );
  });
});
