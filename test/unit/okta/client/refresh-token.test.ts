import { describe, expect, it } from 'vitest';
import { InMemorySecretStore, RefreshTokenCredentials } from '../../../../lambdas/okta/auth/index.js';
import { OktaApiError, OktaReconsentRequiredError, OktaScopeError } from '../../../../lambdas/okta/errors.js';
import { FakeClock, json } from './fakes.js';

const ORIGIN = 'https://acme.okta.com';
const DAY = 86_400_000;

function secret(refreshToken: string, extra: Record<string, unknown> = {}) {
  return JSON.stringify({ type: 'oauth2', clientId: '0oa1', clientSecret: 'cs-secret', refreshToken, ...extra });
}

function setup(
  answer: (form: URLSearchParams, i: number) => Response | Promise<Response>,
  opts: Record<string, unknown> = {},
) {
  const clock = new FakeClock();
  const forms: URLSearchParams[] = [];
  const warnings: string[] = [];
  const tokenFetch = (async (_url: string | URL | Request, init?: RequestInit) => {
    const form = new URLSearchParams(String(init?.body));
    forms.push(form);
    return answer(form, forms.length - 1);
  }) as typeof globalThis.fetch;
  const store = new InMemorySecretStore(secret('rt-1', opts.secretExtra as Record<string, unknown>));
  const creds = new RefreshTokenCredentials({
    origin: ORIGIN,
    clientId: '0oa1',
    clientSecret: 'cs-secret',
    refreshToken: 'rt-1',
    store,
    clock,
    fetch: tokenFetch,
    observer: { onWarning: (w) => warnings.push(w.code) },
    shareInProcess: false,
    ...opts,
  });
  return { clock, creds, forms, store, warnings };
}

const tokenBody = (n: number, extra: Record<string, unknown> = {}) =>
  json({
    token_type: 'Bearer',
    access_token: `at-${n}`,
    expires_in: 3600,
    scope: 'okta.users.read offline_access',
    ...extra,
  });

describe('RefreshTokenCredentials', () => {
  it('caches the access token until shortly before expiry, and shares one refresh between concurrent callers', async () => {
    const { clock, creds, forms } = setup((_f, i) => tokenBody(i + 1, { refresh_token: `rt-${i + 2}` }));
    const [a, b, c] = await Promise.all([creds.authorize(), creds.authorize(), creds.authorize()]);
    expect(new Set([a.header, b.header, c.header])).toEqual(new Set(['Bearer at-1']));
    expect(forms).toHaveLength(1);
    clock.t += 3600_000 - 6 * 60_000;
    expect((await creds.authorize()).header).toBe('Bearer at-1');
    clock.t += 2 * 60_000; // inside the 5-minute margin
    expect((await creds.authorize()).header).toBe('Bearer at-2');
    expect(forms.map((f) => f.get('refresh_token'))).toEqual(['rt-1', 'rt-2']);
  });

  it('persists the rotated token, keeping the other secret keys', async () => {
    const { creds, store } = setup(() => tokenBody(1, { refresh_token: 'rt-NEW' }), {
      secretExtra: { note: 'keep me' },
    });
    await creds.authorize();
    const saved = JSON.parse(await store.read()) as Record<string, unknown>;
    expect(saved).toMatchObject({ refreshToken: 'rt-NEW', note: 'keep me', clientSecret: 'cs-secret' });
    expect(typeof saved.refreshTokenRotatedAt).toBe('string');
  });

  it('re-reads the store before refreshing (another invocation may have rotated the token)', async () => {
    const { creds, store, forms } = setup(() => tokenBody(1));
    await store.write(secret('rt-from-other-process'));
    await creds.authorize();
    expect(forms[0]?.get('refresh_token')).toBe('rt-from-other-process');
  });

  it('retries an ambiguous failure (5xx) once, immediately, then gives up with an OktaApiError', async () => {
    const { creds, forms } = setup(() => json({ errorCode: 'E0000009' }, 502));
    await expect(creds.authorize()).rejects.toBeInstanceOf(OktaApiError);
    expect(forms).toHaveLength(2);
    expect(forms.map((f) => f.get('refresh_token'))).toEqual(['rt-1', 'rt-1']);
  });

  it('invalid_grant with the same stored token → OktaReconsentRequiredError', async () => {
    const { creds, forms } = setup(() =>
      json({ error: 'invalid_grant', error_description: 'The refresh token is invalid or expired.' }, 400),
    );
    const err = await creds.authorize().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OktaReconsentRequiredError);
    expect((err as Error).message).toMatch(/okta-flow connect/);
    expect(forms).toHaveLength(1);
  });

  it('fails with OktaScopeError when a required scope was not granted', async () => {
    const { creds } = setup(() => tokenBody(1), { requiredScopes: ['okta.users.read', 'okta.devices.read'] });
    const err = (await creds.authorize().catch((e: unknown) => e)) as OktaScopeError;
    expect(err).toBeInstanceOf(OktaScopeError);
    expect(err.missingScopes).toEqual(['okta.devices.read']);
  });

  it('warns once when the refresh token is within 14 days of its 90-day expiry', async () => {
    const clock0 = new FakeClock().now();
    const consentedAt = new Date(clock0 - 80 * DAY).toISOString();
    const { creds, warnings } = setup(() => tokenBody(1), { consentedAt });
    await creds.authorize();
    creds.invalidate();
    await creds.authorize();
    expect(warnings.filter((w) => w === 'okta.oauth.refresh-token-expiring')).toHaveLength(1);
    expect(creds.refreshTokenExpiry()).toMatchObject({ daysLeft: 10, expiringSoon: true });
    const fresh = setup(() => tokenBody(1), { consentedAt: new Date(clock0 - 10 * DAY).toISOString() });
    await fresh.creds.authorize();
    expect(fresh.warnings).toEqual([]);
    expect(fresh.creds.refreshTokenExpiry()?.expiringSoon).toBe(false);
  });
});
