/**
 * No wait exceeds what the run or the invocation can afford; the share is a ceiling across every client of a run;
 * bodies are decoded strictly; Okta's echoes never carry the credential into errors.
 */
import { describe, expect, it } from 'vitest';
import { ApiTokenCredentials } from '../../../../lambdas/okta/auth/api-token.js';
import { createOktaClient } from '../../../../lambdas/okta/client.js';
import {
  OktaApiError,
  OktaNetworkError,
  OktaRateLimitDeferral,
  OktaRateLimitError,
} from '../../../../lambdas/okta/errors.js';
import { drive, FakeClock, type Handler, json, scriptedFetch } from './fakes.js';

const TOKEN = '00secretTokenValue-abc';
const DAY = 86_400_000;

function client(clock: FakeClock, handler: Handler, extra: Record<string, unknown> = {}) {
  const { fetch, calls } = scriptedFetch(clock, handler);
  const warnings: string[] = [];
  const c = createOktaClient({
    domain: 'acme.okta.com',
    credentials: new ApiTokenCredentials(TOKEN),
    fetch,
    clock,
    random: () => 0.5,
    backoff: { baseMs: 1, capMs: 2 },
    observer: { onWarning: (w) => warnings.push(w.code) },
    ...extra,
  });
  return { c, calls, warnings };
}

const limited = (clock: FakeClock, resetMs: number, status = 429) =>
  json(status === 429 ? { errorCode: 'E0000047', errorSummary: 'API call exceeded rate limit' } : [], status, {
    date: new Date(clock.now()).toUTCString(),
    'x-rate-limit-limit': '600',
    'x-rate-limit-remaining': '0',
    'x-rate-limit-reset': String(Math.floor((clock.now() + resetMs) / 1000)),
    'x-okta-request-id': 'req-1',
  });

describe('bounded waits', () => {
  it('a 429 whose reset is a day ahead fails at once, naming the bucket, the reset time and the budget', async () => {
    const clock = new FakeClock();
    const t0 = clock.now();
    const { c, calls } = client(clock, () => limited(clock, DAY));
    const error = (await drive(clock, c.getJson('/api/v1/users')).catch((e: unknown) => e)) as OktaRateLimitError;
    expect(error).toBeInstanceOf(OktaRateLimitError);
    expect(clock.now()).toBe(t0); // not one second slept
    expect(calls).toHaveLength(1);
    expect(error.bucket).toBe('GET /api/v1/users');
    expect(error.resetAt).toBe(new Date(Math.floor((t0 + DAY) / 1000) * 1000).toISOString());
    expect(error.message).toContain('bucket GET /api/v1/users');
    expect(error.message).toContain(error.resetAt ?? 'missing');
    expect(error.message).toMatch(/Raise okta\.maxRateLimitWaitSeconds/);
    expect(error.message).toContain(' 24 h 0 min from now');
  });

  it('a 200 with Remaining 0 and a reset a day ahead: the next request fails at once instead of sleeping', async () => {
    const clock = new FakeClock();
    const t0 = clock.now();
    const { c, calls } = client(clock, () => limited(clock, DAY, 200));
    await drive(clock, c.getJson('/api/v1/users'));
    await expect(drive(clock, c.getJson('/api/v1/users'))).rejects.toBeInstanceOf(OktaRateLimitError);
    expect(calls).toHaveLength(1);
    expect(clock.now()).toBe(t0);
  });

  it('a wait that fits the run but not the invocation is deferred, not slept', async () => {
    const clock = new FakeClock();
    const t0 = clock.now();
    const { c } = client(clock, () => limited(clock, 40_000), { sleepUntil: t0 + 10_000 });
    const error = (await drive(clock, c.getJson('/api/v1/groups')).catch((e: unknown) => e)) as OktaRateLimitDeferral;
    expect(error).toBeInstanceOf(OktaRateLimitDeferral);
    expect(clock.now()).toBe(t0);
    expect(error.bucket).toBe('GET /api/v1/groups');
    expect(error.resumeAt).toBeGreaterThanOrEqual(Math.floor((t0 + 40_000) / 1000) * 1000);
    expect(error.resumeAt).toBeLessThan(t0 + 41_000);
  });

  it('a wait that fits the invocation is slept; the error after the budget reports the time really waited', async () => {
    const clock = new FakeClock();
    const t0 = clock.now();
    const { c, calls } = client(clock, () => limited(clock, 30_000), { maxRateLimitWaitMs: 70_000 });
    const error = (await drive(clock, c.getJson('/api/v1/apps')).catch((e: unknown) => e)) as OktaRateLimitError;
    expect(error).toBeInstanceOf(OktaRateLimitError);
    expect(calls).toHaveLength(3);
    // Two waits of ~30 s each (+ jitter) were slept; the third would pass the 70 s budget.
    expect(error.waitedMs).toBe(clock.now() - t0);
    expect(error.waitedMs).toBeGreaterThan(55_000);
    expect(error.message).toContain(`${Math.round(error.waitedMs / 1000)} s waited already`);
  });
});

/** An org with one 60 s window per bucket (opened by its first request), shared by every client. */
function sharedWindowOrg(clock: FakeClock, limit: number) {
  let windowStart = Number.NEGATIVE_INFINITY;
  let used = 0;
  const starts: number[] = [];
  const handler: Handler = async () => {
    const now = clock.now();
    if (now >= windowStart + 60_000) {
      windowStart = now;
      used = 0;
    }
    used++;
    starts.push(now);
    await clock.sleep(40);
    const headers = {
      date: new Date(clock.now()).toUTCString(),
      'x-rate-limit-limit': String(limit),
      'x-rate-limit-remaining': String(Math.max(0, limit - used)),
      'x-rate-limit-reset': String(Math.ceil((windowStart + 60_000) / 1000)),
    };
    return used > limit ? json({ errorCode: 'E0000047' }, 429, headers) : json({}, 200, headers);
  };
  return { handler, starts };
}

describe('the share is a ceiling for the whole run', () => {
  it('4 parallel lanes of short-lived clients (each a fresh task) never use more than 50% of a window', async () => {
    const clock = new FakeClock();
    const t0 = clock.now();
    const org = sharedWindowOrg(clock, 600);
    const { fetch } = scriptedFetch(clock, org.handler);
    const lane = async () => {
      // 12 tasks per lane, 25 requests each: every task is a new client that knows nothing of the window.
      for (let task = 0; task < 12; task++) {
        const c = createOktaClient({
          domain: 'acme.okta.com',
          credentials: new ApiTokenCredentials(TOKEN),
          fetch,
          clock,
          random: () => 0.5,
          rateLimitShare: 0.5 / 4,
          rateLimitCeilingShare: 0.5,
          clientsSharing: 4,
          maxConcurrency: 1,
        });
        for (let i = 0; i < 25; i++) await c.getJson('/api/v1/users');
      }
    };
    await drive(clock, Promise.all([lane(), lane(), lane(), lane()]));
    expect(org.starts).toHaveLength(4 * 12 * 25);
    // Every 60 s span (so every Okta window, whatever its phase) holds at most 300 starts.
    let busiest = 0;
    for (const s of org.starts) {
      busiest = Math.max(busiest, org.starts.filter((x) => x >= s && x < s + 60_000).length);
    }
    expect(busiest).toBeLessThanOrEqual(300);
    // …while still using most of it: 1,200 requests in well under 5 minutes.
    expect(clock.now() - t0).toBeLessThan(5 * 60_000);
  });
});

describe('strict decoding and scrubbing', () => {
  it('a 2xx body that is not UTF-8 is retried, then an OktaNetworkError — never replaced by U+FFFD', async () => {
    const clock = new FakeClock();
    const bad = new Uint8Array([0x5b, 0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d, 0x5d]);
    const { c, calls } = client(clock, () => new Response(bad, { status: 200 }), { maxRetries: 2 });
    const error = (await drive(clock, c.getJson('/api/v1/users')).catch((e: unknown) => e)) as OktaNetworkError;
    expect(error).toBeInstanceOf(OktaNetworkError);
    expect(error.reason).toBe('invalid-encoding');
    expect(error.message).toMatch(/not valid UTF-8/);
    expect(calls).toHaveLength(3);
  });

  it('an error body, request id and challenge that echo the API token are scrubbed of it', async () => {
    const clock = new FakeClock();
    const { c } = client(clock, () =>
      json(
        {
          errorCode: 'E0000006',
          errorSummary: `You do not have permission. Authorization: SSWS ${TOKEN}`,
          errorCauses: [{ errorSummary: `token=${encodeURIComponent(TOKEN)}` }],
          errorId: TOKEN,
        },
        403,
        { 'x-okta-request-id': `id-${TOKEN}` },
      ),
    );
    const error = (await drive(clock, c.getJson('/api/v1/users')).catch((e: unknown) => e)) as OktaApiError;
    expect(error).toBeInstanceOf(OktaApiError);
    const everything = JSON.stringify({ ...error, message: error.message, causes: error.errorCauses });
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain(encodeURIComponent(TOKEN));
    expect(error.message).toContain('[REDACTED]');
  });
});
