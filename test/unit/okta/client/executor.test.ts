import { describe, expect, it } from 'vitest';
import { ApiTokenCredentials } from '../../../../lambdas/okta/auth/api-token.js';
import type { AuthorizationHeader, CredentialProvider } from '../../../../lambdas/okta/auth/types.js';
import { createOktaClient } from '../../../../lambdas/okta/client.js';
import {
  OktaApiError,
  OktaAuthError,
  OktaNetworkError,
  OktaPaginationError,
  OktaScopeError,
} from '../../../../lambdas/okta/errors.js';
import { OKTA_FLOW_VERSION } from '../../../../lambdas/okta/version.js';
import { drive, FakeClock, type Handler, json, scriptedFetch } from './fakes.js';

type Retry = { path: string; attempt: number; reason: string; delayMs: number };

function setup(handler: Handler, extra: Record<string, unknown> = {}) {
  const clock = new FakeClock();
  const retries: Retry[] = [];
  const requests: { status: number; path: string }[] = [];
  const { fetch, calls } = scriptedFetch(clock, handler);
  const client = createOktaClient({
    domain: 'https://acme.okta.com',
    credentials: new ApiTokenCredentials('00apitoken-secret'),
    fetch,
    clock,
    random: () => 0.999,
    backoff: { baseMs: 100, capMs: 1_000 },
    observer: { onRetry: (r) => retries.push(r), onRequest: (r) => requests.push(r) },
    ...extra,
  });
  return { clock, client, calls, retries, requests };
}

const okta500 = () => json({ errorCode: 'E0000009', errorSummary: 'Internal Server Error' }, 500);

describe('request basics', () => {
  it('sends SSWS auth, Accept and the okta-flow User-Agent', async () => {
    const { clock, client, calls } = setup(() => json({ id: '00u1' }));
    expect(await drive(clock, client.getJson('/api/v1/users/00u1'))).toEqual({ id: '00u1' });
    const h = calls[0]?.headers;
    expect(h?.get('authorization')).toBe('SSWS 00apitoken-secret');
    expect(h?.get('accept')).toBe('application/json');
    expect(h?.get('user-agent')).toBe(`okta-flow/${OKTA_FLOW_VERSION}`);
    expect(OKTA_FLOW_VERSION).toMatch(/^\d+\.\d+\.\d+/);
    expect(calls[0]?.url).toBe('https://acme.okta.com/api/v1/users/00u1');
  });

  it('refuses absolute URLs on another origin before sending anything', async () => {
    const { clock, client, calls } = setup(() => json({}));
    await expect(drive(clock, client.getJson('https://evil.example/api/v1/users'))).rejects.toBeInstanceOf(
      OktaPaginationError,
    );
    expect(calls).toHaveLength(0);
  });
});

describe('retries', () => {
  it('retries 5xx with capped exponential full-jitter backoff, then succeeds', async () => {
    const { clock, client, calls, retries } = setup((_r, i) => (i < 3 ? okta500() : json({ ok: true })));
    const t0 = clock.now();
    expect(await drive(clock, client.getJson('/api/v1/groups/00g1'))).toEqual({ ok: true });
    expect(calls).toHaveLength(4);
    expect(retries.map((r) => r.attempt)).toEqual([1, 2, 3]);
    // random 0.999 → just under each ceiling: 100, 200, 400
    expect(retries.map((r) => r.delayMs)).toEqual([99, 199, 399]);
    expect(calls.map((c) => c.at - t0)).toEqual([0, 99, 298, 697]);
  });

  it('retries 502/503/504 (incl. 503 E0000100 search unavailable)', async () => {
    const statuses = [502, 503, 504];
    const { clock, client, calls } = setup((_r, i) =>
      i < 3 ? json({ errorCode: 'E0000100' }, statuses[i]) : json([1]),
    );
    expect(await drive(clock, client.getJson('/api/v1/users?search=x'))).toEqual([1]);
    expect(calls).toHaveLength(4);
  });

  it('gives up after maxRetries with the last OktaApiError', async () => {
    const { clock, client, calls } = setup(okta500, { maxRetries: 2 });
    const err = await drive(clock, client.getJson('/api/v1/users')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OktaApiError);
    expect(err).toMatchObject({ status: 500, errorCode: 'E0000009' });
    expect(calls).toHaveLength(3);
  });

  it('retries network resets and truncated JSON bodies', async () => {
    const { clock, client, retries } = setup((_r, i) => {
      if (i === 0)
        throw new TypeError('fetch failed', {
          cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
        });
      if (i === 1) return new Response('[{"id":"00u1"},{"id":', { status: 200 });
      return json([{ id: '00u1' }]);
    });
    expect(await drive(clock, client.getJson('/api/v1/users'))).toEqual([{ id: '00u1' }]);
    expect(retries.map((r) => r.reason)).toEqual(['network', 'invalid-body']);
  });

  it('retries timeouts and reports OktaNetworkError when they persist', async () => {
    const { clock, client, calls } = setup(
      () => {
        throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
      },
      { maxRetries: 1 },
    );
    const err = await drive(clock, client.getJson('/api/v1/users')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OktaNetworkError);
    expect(err).toMatchObject({ reason: 'timeout', attempts: 2 });
    expect(calls).toHaveLength(2);
  });

  it('does not retry 4xx', async () => {
    const { clock, client, calls } = setup(() =>
      json(
        {
          errorCode: 'E0000031',
          errorSummary: 'Invalid search.',
          errorId: 'oaeX',
          errorCauses: [{ errorSummary: 'Invalid search criteria.' }],
        },
        400,
        { 'x-okta-request-id': 'REQ1' },
      ),
    );
    const err = await drive(clock, client.getJson('/api/v1/users?search=bad&after=c')).catch((e: unknown) => e);
    expect(calls).toHaveLength(1);
    expect(err).toBeInstanceOf(OktaApiError);
    expect(err).toMatchObject({
      status: 400,
      errorCode: 'E0000031',
      errorSummary: 'Invalid search.',
      errorId: 'oaeX',
      requestId: 'REQ1',
      method: 'GET',
      path: '/api/v1/users?search=bad&after=c',
      errorCauses: [{ errorSummary: 'Invalid search criteria.' }],
    });
    expect((err as Error).message).toContain('E0000031');
    expect((err as Error).message).toContain('REQ1');
  });

  it('never retries the caller abort', async () => {
    const controller = new AbortController();
    const { clock, client, calls } = setup(() => {
      controller.abort(new Error('budget exhausted'));
      throw new DOMException('aborted', 'AbortError');
    });
    await expect(drive(clock, client.getJson('/api/v1/users', { signal: controller.signal }))).rejects.toThrow(
      'budget exhausted',
    );
    expect(calls).toHaveLength(1);
  });

  it('redacts credential-like query values in error paths', async () => {
    const { clock, client } = setup(() => json({ errorCode: 'E0000007' }, 404));
    const err = (await drive(clock, client.getJson('/api/v1/users/x?token=abcd1234&limit=2')).catch(
      (e: unknown) => e,
    )) as OktaApiError;
    expect(err.path).toBe('/api/v1/users/x?token=REDACTED&limit=2');
    expect(err.message).not.toContain('abcd1234');
  });
});

class FakeOAuth implements CredentialProvider {
  minted = 0;
  invalidated = 0;
  private current: string | undefined;
  async authorize(): Promise<AuthorizationHeader> {
    this.current ??= `at-${++this.minted}`;
    return { header: `Bearer ${this.current}`, kind: 'bearer' };
  }
  invalidate(): void {
    this.invalidated++;
    this.current = undefined;
  }
  describe(): string {
    return 'fake oauth';
  }
  secrets(): readonly string[] {
    return this.current ? [this.current] : [];
  }
}

describe('authentication errors', () => {
  it('Bearer 401: invalidates the cached token, re-authorizes and retries once', async () => {
    const creds = new FakeOAuth();
    const { clock, client, calls } = setup(
      (r) =>
        r.headers.get('authorization') === 'Bearer at-1'
          ? json({ errorCode: 'E0000011', errorSummary: 'Invalid token provided' }, 401)
          : json({ ok: 1 }),
      { credentials: creds },
    );
    expect(await drive(clock, client.getJson('/api/v1/users'))).toEqual({ ok: 1 });
    expect(creds.invalidated).toBe(1);
    expect(calls.map((c) => c.headers.get('authorization'))).toEqual(['Bearer at-1', 'Bearer at-2']);
  });

  it('Bearer 401 twice: OktaAuthError after exactly one refresh', async () => {
    const creds = new FakeOAuth();
    const { clock, client, calls } = setup(() => json({ errorCode: 'E0000011' }, 401), { credentials: creds });
    await expect(drive(clock, client.getJson('/api/v1/users'))).rejects.toBeInstanceOf(OktaAuthError);
    expect(calls).toHaveLength(2);
    expect(creds.invalidated).toBe(1);
  });

  it('SSWS 401: OktaAuthError at once with advice', async () => {
    const { clock, client, calls } = setup(() =>
      json({ errorCode: 'E0000011', errorSummary: 'Invalid token provided' }, 401),
    );
    const err = await drive(clock, client.getJson('/api/v1/users')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OktaAuthError);
    expect((err as Error).message).toMatch(/API token is valid/);
    expect(calls).toHaveLength(1);
  });

  it('403 insufficient_scope names the missing scope from the route when the challenge has none', async () => {
    const { clock, client } = setup(() =>
      json({ errorCode: 'E0000006' }, 403, {
        'www-authenticate':
          'Bearer authorization_uri="http://x", realm="http://x", error="insufficient_scope", error_description="The access token provided does not contain the required scopes."',
      }),
    );
    const err = await drive(clock, client.getJson('/api/v1/devices?limit=200')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OktaScopeError);
    expect((err as OktaScopeError).missingScopes).toEqual(['okta.devices.read']);
    expect((err as Error).message).toContain('okta.devices.read');
  });

  it('403 insufficient_scope prefers the scope named in WWW-Authenticate', async () => {
    const { clock, client } = setup(() =>
      json({}, 403, { 'www-authenticate': 'Bearer error="insufficient_scope", scope="okta.schemas.read"' }),
    );
    const err = (await drive(clock, client.getJson('/api/v1/users')).catch((e: unknown) => e)) as OktaScopeError;
    expect(err.missingScopes).toEqual(['okta.schemas.read']);
  });
});
