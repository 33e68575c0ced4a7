/**
 * Every OAuth flavour against the sandbox's org authorization server: authorization code + PKCE, refresh with
 * ROTATE persisted before use, STATIC refresh, invalid_grant recovery, two clients racing on one rotating refresh
 * token, private_key_jwt (RSA JWK, PEM, EC), token expiry mid-run, and scope errors.
 */
import { createPrivateKey } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  credentialsFromStore,
  PrivateKeyJwtCredentials,
  RefreshTokenCredentials,
} from '../../../../lambdas/okta/auth/index.js';
import type { CredentialProvider } from '../../../../lambdas/okta/auth/types.js';
import { createOktaClient } from '../../../../lambdas/okta/client.js';
import { OktaAuthError, OktaReconsentRequiredError, OktaScopeError } from '../../../../lambdas/okta/errors.js';
import { type Clock, systemClock } from '../../../../lambdas/okta/http/clock.js';
import { type Sandbox, startSandbox } from '../../../../sandbox/index.js';
import { connect, loggingFetch, oauthSecret, READ_SCOPES, RecordingStore } from './helpers.js';

let sandbox: Sandbox;
let clock: Clock;
let ecPrivate: JWK;

beforeAll(async () => {
  const pair = await generateKeyPair('ES256', { extractable: true });
  const pub = await exportJWK(pair.publicKey);
  const kid = await calculateJwkThumbprint(pub);
  ecPrivate = { ...(await exportJWK(pair.privateKey)), kid };
  const ecPublic = { ...pub, kid, alg: 'ES256', use: 'sig' };
  sandbox = await startSandbox({
    users: 150,
    seed: 11,
    rateLimits: false,
    oauth: {
      extraClients: [
        {
          clientId: '0oaecservice00000001',
          tokenEndpointAuthMethod: 'private_key_jwt',
          grantTypes: ['client_credentials'],
          redirectUris: [],
          scopes: READ_SCOPES,
          jwks: [ecPublic],
        },
        {
          clientId: '0oaeclimited00000001',
          tokenEndpointAuthMethod: 'private_key_jwt',
          grantTypes: ['client_credentials'],
          redirectUris: [],
          scopes: ['okta.users.read'],
          jwks: [ecPublic],
        },
      ],
    },
  });
  // The client's clock follows the sandbox clock, so tests can jump past token lifetimes and rotation leeway.
  clock = { now: () => sandbox.clock.now(), sleep: systemClock.sleep };
});
afterAll(async () => {
  await sandbox.close();
});

function refreshCreds(store: RecordingStore, events: string[] = [], extra: Record<string, unknown> = {}) {
  const parsed = JSON.parse(store.value) as {
    clientId: string;
    clientSecret: string;
    refreshToken: string;
    tokenEndpointAuthMethod: 'client_secret_basic' | 'client_secret_post';
  };
  return new RefreshTokenCredentials({
    origin: sandbox.baseUrl,
    clientId: parsed.clientId,
    clientSecret: parsed.clientSecret,
    refreshToken: parsed.refreshToken,
    tokenEndpointAuthMethod: parsed.tokenEndpointAuthMethod,
    store,
    clock,
    fetch: loggingFetch(events),
    ...extra,
  });
}

function clientWith(credentials: CredentialProvider, events: string[] = []) {
  return createOktaClient({
    domain: sandbox.baseUrl,
    allowLoopback: true,
    credentials,
    clock,
    fetch: loggingFetch(events),
  });
}

describe('authorization code + refresh token (ROTATE)', () => {
  it('connect: exchanges the code with PKCE for an access token, a refresh token and the granted scopes', async () => {
    const { tokens } = await connect(sandbox);
    expect(tokens.accessToken).toBeTruthy();
    expect(tokens.refreshToken).toBeTruthy();
    expect(tokens.scope).toEqual(expect.arrayContaining([...READ_SCOPES, 'offline_access']));
    expect(tokens.expiresIn).toBe(3600);
  });

  it('persists the rotated refresh token BEFORE the new access token is used', async () => {
    const { app, tokens } = await connect(sandbox);
    const events: string[] = [];
    const store = new RecordingStore(oauthSecret(app, tokens.refreshToken ?? ''), events);
    const client = clientWith(refreshCreds(store, events), events);
    const users = await client.getJson<unknown[]>('/api/v1/users?limit=5');
    expect(users).toHaveLength(5);
    const post = events.indexOf('POST /oauth2/v1/token');
    // The first write is the refresh lease (still the old token); the rotated token's write comes after the POST.
    const write = events.findIndex((e) => e.startsWith('store.write:') && e !== `store.write:${tokens.refreshToken}`);
    const get = events.findIndex((e) => e.startsWith('GET /api/v1/users'));
    expect(post).toBeGreaterThanOrEqual(0);
    expect(write).toBeGreaterThan(post);
    expect(get).toBeGreaterThan(write);
    expect(store.refreshToken).not.toBe(tokens.refreshToken);
    // the stored token is the chain's current one: a new process can refresh with it
    const next = clientWith(refreshCreds(store));
    expect(await next.getJson<unknown[]>('/api/v1/users?limit=1')).toHaveLength(1);
  });

  it('STATIC rotation (client_secret_post): no new token; the secret is left as it was (no lease behind)', async () => {
    const { app, tokens } = await connect(sandbox, 'static');
    const original = oauthSecret(app, tokens.refreshToken ?? '');
    const store = new RecordingStore(original);
    const client = clientWith(refreshCreds(store));
    expect(await client.getJson<unknown[]>('/api/v1/groups?limit=2')).toHaveLength(2);
    expect(store.refreshToken).toBe(tokens.refreshToken);
    expect(JSON.parse(store.value)).toEqual(JSON.parse(original));
  });

  it('invalid_grant after a person re-consented during the refresh: the new secret is used in another round', async () => {
    const { app, tokens } = await connect(sandbox);
    const reconsented = oauthSecret(app, tokens.refreshToken ?? '');
    const store = new RecordingStore(oauthSecret(app, 'stale-refresh-token-from-an-old-consent'));
    // While this process's first refresh request is on its way, `okta-flow connect` stores a new consent.
    const base = loggingFetch([]);
    let reconsent = true;
    const fetchDuringConsent = (async (input: string | URL | Request, init?: RequestInit) => {
      if (reconsent && String(input instanceof Request ? input.url : input).endsWith('/oauth2/v1/token')) {
        reconsent = false;
        await store.write(reconsented);
      }
      return base(input, init);
    }) as typeof fetch;
    const retries: string[] = [];
    const creds = refreshCreds(store, [], {
      fetch: fetchDuringConsent,
      observer: { onRetry: (r: { reason: string }) => retries.push(r.reason) },
    });
    const client = clientWith(creds);
    expect(await client.getJson<unknown[]>('/api/v1/users?limit=1')).toHaveLength(1);
    expect(retries).toContain('invalid_grant: the secret holds a newer refresh token');
    expect(store.refreshToken).not.toBe(tokens.refreshToken);
    expect(JSON.parse(store.value)).not.toHaveProperty('refreshLease');
  });

  it('a stale read (eventual consistency) loses the compare-and-swap and is read again', async () => {
    const { app, tokens } = await connect(sandbox);
    const store = new RecordingStore(oauthSecret(app, tokens.refreshToken ?? ''));
    const versioned = store.readVersioned.bind(store);
    let reads = 0;
    store.readVersioned = async () => {
      const current = await versioned();
      // The first read returns an older version of the secret, as Secrets Manager may right after a write.
      return reads++ === 0 ? { value: oauthSecret(app, 'an-older-version'), version: 'older' } : current;
    };
    expect(await clientWith(refreshCreds(store)).getJson<unknown[]>('/api/v1/users?limit=1')).toHaveLength(1);
    expect(store.casConflicts).toBeGreaterThanOrEqual(1);
    expect(store.refreshToken).not.toBe(tokens.refreshToken);
  });

  it('invalid_grant with nothing newer stored: OktaReconsentRequiredError telling to run okta-flow connect', async () => {
    const { app } = await connect(sandbox);
    const store = new RecordingStore(oauthSecret(app, 'revoked-or-expired-refresh-token'));
    const client = clientWith(refreshCreds(store));
    const err = await client.getJson('/api/v1/users').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OktaReconsentRequiredError);
    expect((err as Error).message).toContain('okta-flow connect');
    // The token is kept (a person must act) and the lease given back, so the next run need not wait for it.
    expect(store.refreshToken).toBe('revoked-or-expired-refresh-token');
    expect(JSON.parse(store.value)).not.toHaveProperty('refreshLease');
  });

  it('a connection reset on the refresh POST is retried once, immediately, and the chain survives', async () => {
    const { app, tokens } = await connect(sandbox);
    const store = new RecordingStore(oauthSecret(app, tokens.refreshToken ?? ''));
    sandbox.faults.add({ id: 'tok-reset', route: '/oauth2/v1/token', nth: 1, fault: { kind: 'reset' } });
    try {
      const client = clientWith(refreshCreds(store));
      expect(await client.getJson<unknown[]>('/api/v1/users?limit=1')).toHaveLength(1);
      expect(store.refreshToken).not.toBe(tokens.refreshToken);
    } finally {
      sandbox.faults.clear('tok-reset');
    }
    // Past the grace period the stored token still refreshes: it is the chain's current one.
    sandbox.clock.advance(2 * 3600_000);
    expect(await clientWith(refreshCreds(store)).getJson<unknown[]>('/api/v1/users?limit=1')).toHaveLength(1);
  });

  it('in one process, concurrent clients of one app share a single refresh', async () => {
    const { app, tokens } = await connect(sandbox);
    const events: string[] = [];
    const store = new RecordingStore(oauthSecret(app, tokens.refreshToken ?? ''));
    const clients = Array.from({ length: 4 }, () => clientWith(refreshCreds(store, events)));
    await Promise.all(clients.map((c) => c.getJson('/api/v1/users?limit=1')));
    expect(events.filter((e) => e === 'POST /oauth2/v1/token')).toHaveLength(1);
    // One lease, one rotated token.
    expect(store.writes).toBe(2);
  });

  it('token expiry mid-run: a 401 triggers exactly one refresh and the listing completes exactly once', async () => {
    const { app, tokens } = await connect(sandbox);
    const events: string[] = [];
    const store = new RecordingStore(oauthSecret(app, tokens.refreshToken ?? ''));
    const client = clientWith(refreshCreds(store, events), events);
    sandbox.faults.add({ id: 'expire', pathPrefix: '/api/v1/users', nth: 3, fault: { kind: 'expireTokens' } });
    try {
      const ids: string[] = [];
      for await (const page of client.paginate<{ id: string }>(
        `/api/v1/users?limit=25&search=${encodeURIComponent('status pr')}`,
      )) {
        for (const u of page.items) ids.push(u.id);
      }
      expect(ids).toHaveLength(150);
      expect(new Set(ids).size).toBe(150);
      expect(events.filter((e) => e === 'POST /oauth2/v1/token')).toHaveLength(2);
    } finally {
      sandbox.faults.clear('expire');
    }
  });

  it('a wrong client secret is an OktaAuthError naming the keys to check', async () => {
    const { app, tokens } = await connect(sandbox);
    const store = new RecordingStore(
      oauthSecret({ ...app, clientSecret: 'wrong-client-secret-value' }, tokens.refreshToken ?? ''),
    );
    const err = await clientWith(refreshCreds(store))
      .getJson('/api/v1/users')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OktaAuthError);
    expect((err as Error).message).toMatch(/invalid_client.*clientSecret/);
    expect((err as Error).message).not.toContain('wrong-client-secret-value');
  });

  it('reads the secret from a store with credentialsFromStore and warns when the refresh token nears expiry', async () => {
    const { app, tokens } = await connect(sandbox);
    const consentedAt = new Date(sandbox.clock.now() - 80 * 86_400_000).toISOString();
    const store = new RecordingStore(oauthSecret(app, tokens.refreshToken ?? '', { consentedAt }));
    const warnings: string[] = [];
    const creds = await credentialsFromStore(store, {
      origin: sandbox.baseUrl,
      clock,
      observer: { onWarning: (w) => warnings.push(w.code) },
    });
    expect(creds).toBeInstanceOf(RefreshTokenCredentials);
    await clientWith(creds).getJson('/api/v1/users?limit=1');
    expect(warnings).toContain('okta.oauth.refresh-token-expiring');
    expect((creds as RefreshTokenCredentials).refreshTokenExpiry()).toMatchObject({ daysLeft: 9, expiringSoon: true });
  });
});

/**
 * Separate processes (no shared single-flight) refreshing one rotating refresh token at once. The criterion is the
 * one that matters to users: well past the 30 s grace period, the token in the secret still refreshes — had the
 * secret kept a token Okta had rotated away, that refresh would trip reuse detection and revoke the whole chain.
 */
describe('concurrent refreshes of one secret: skewed clocks, reordered requests', () => {
  const skewed = (offsetMs: number): Clock => ({ now: () => sandbox.clock.now() + offsetMs, sleep: systemClock.sleep });

  /** A fetch that delays its first token request before sending it or before handing back the answer. */
  function delayedTokenFetch(where: 'request' | 'response', ms: number, events: string[]): typeof fetch {
    const base = loggingFetch(events);
    let delayed = false;
    return (async (input: string | URL | Request, init?: RequestInit) => {
      const isToken = String(input instanceof Request ? input.url : input).endsWith('/oauth2/v1/token');
      const delay = isToken && !delayed;
      if (delay) delayed = true;
      if (delay && where === 'request') await new Promise((r) => setTimeout(r, ms));
      const response = await base(input, init);
      if (delay && where === 'response') await new Promise((r) => setTimeout(r, ms));
      return response;
    }) as typeof fetch;
  }

  async function expectChainAlive(store: RecordingStore, ...others: ReturnType<typeof clientWith>[]) {
    expect(JSON.parse(store.value)).not.toHaveProperty('refreshLease');
    sandbox.clock.advance(2 * 3600_000);
    for (const client of others) expect(await client.getJson<unknown[]>('/api/v1/groups?limit=1')).toHaveLength(1);
    sandbox.clock.advance(2 * 3600_000);
    expect(await clientWith(refreshCreds(store)).getJson<unknown[]>('/api/v1/apps?limit=1')).toHaveLength(1);
  }

  it('clocks 20 ms behind and 5 min ahead: one refreshes under the lease, the other waits, the chain lives', async () => {
    const { app, tokens } = await connect(sandbox);
    const events: string[] = [];
    const store = new RecordingStore(oauthSecret(app, tokens.refreshToken ?? ''), events);
    const a = clientWith(refreshCreds(store, events, { shareInProcess: false, clock: skewed(-20) }));
    const b = clientWith(refreshCreds(store, events, { shareInProcess: false, clock: skewed(5 * 60_000) }));
    const [ra, rb] = await Promise.all([
      a.getJson<unknown[]>('/api/v1/users?limit=1'),
      b.getJson<unknown[]>('/api/v1/users?limit=1'),
    ]);
    expect(ra).toHaveLength(1);
    expect(rb).toHaveLength(1);
    // Each refreshed in turn (the second with the token the first stored): two POSTs, never the same token twice.
    const posts = events.filter((e) => e === 'POST /oauth2/v1/token');
    expect(posts).toHaveLength(2);
    await expectChainAlive(store, a, b);
  });

  it('a request overtaken by another process: the slow holder refreshes once more and stores the last token', async () => {
    const { app, tokens } = await connect(sandbox);
    const events: string[] = [];
    const warnings: string[] = [];
    const observer = { onWarning: (w: { code: string }) => warnings.push(w.code) };
    const store = new RecordingStore(oauthSecret(app, tokens.refreshToken ?? ''), events);
    // A's first token request reaches the sandbox 600 ms late; its 150 ms lease looks abandoned by then.
    const a = clientWith(
      refreshCreds(store, events, {
        shareInProcess: false,
        clock: skewed(-20),
        refreshLeaseTtlMs: 150,
        fetch: delayedTokenFetch('request', 600, events),
        observer,
      }),
    );
    const b = clientWith(refreshCreds(store, events, { shareInProcess: false, refreshLeaseTtlMs: 150, observer }));
    const first = a.getJson<unknown[]>('/api/v1/users?limit=1');
    await store.firstWriteStarted; // A has written its lease
    const [ra, rb] = await Promise.all([first, b.getJson<unknown[]>('/api/v1/users?limit=1')]);
    expect(ra).toHaveLength(1);
    expect(rb).toHaveLength(1);
    expect(warnings).toContain('okta.oauth.lease-taken-over');
    expect(warnings).toContain('okta.oauth.rotation-conflict');
    expect(events.filter((e) => e === 'POST /oauth2/v1/token')).toHaveLength(3);
    await expectChainAlive(store, a, b);
  });

  it('an answer that arrives late (processed first, stored last): one more round, and the chain lives', async () => {
    const { app, tokens } = await connect(sandbox);
    const events: string[] = [];
    const warnings: string[] = [];
    const observer = { onWarning: (w: { code: string }) => warnings.push(w.code) };
    const store = new RecordingStore(oauthSecret(app, tokens.refreshToken ?? ''), events);
    const a = clientWith(
      refreshCreds(store, events, {
        shareInProcess: false,
        refreshLeaseTtlMs: 150,
        fetch: delayedTokenFetch('response', 600, events),
        observer,
      }),
    );
    const b = clientWith(
      refreshCreds(store, events, {
        shareInProcess: false,
        clock: skewed(5 * 60_000),
        refreshLeaseTtlMs: 150,
        observer,
      }),
    );
    const first = a.getJson<unknown[]>('/api/v1/users?limit=1');
    await store.firstWriteStarted;
    const [ra, rb] = await Promise.all([first, b.getJson<unknown[]>('/api/v1/users?limit=1')]);
    expect(ra).toHaveLength(1);
    expect(rb).toHaveLength(1);
    expect(warnings).toContain('okta.oauth.rotation-conflict');
    await expectChainAlive(store, a, b);
  });
});

describe('client credentials with private_key_jwt', () => {
  it('works with the RSA JWK of the service app', async () => {
    const svc = sandbox.oauth.clients.service;
    const creds = new PrivateKeyJwtCredentials({
      origin: sandbox.baseUrl,
      clientId: svc.clientId,
      privateKey: svc.privateJwk,
      scopes: READ_SCOPES,
      clock,
    });
    expect(await clientWith(creds).getJson<unknown[]>('/api/v1/users?limit=3')).toHaveLength(3);
  });

  it('works with the same key as a PKCS#8 PEM and an explicit keyId', async () => {
    const svc = sandbox.oauth.clients.service;
    const pem = createPrivateKey({ key: svc.privateJwk as never, format: 'jwk' })
      .export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const creds = new PrivateKeyJwtCredentials({
      origin: sandbox.baseUrl,
      clientId: svc.clientId,
      privateKey: pem,
      keyId: String(svc.privateJwk.kid),
      scopes: ['okta.users.read'],
      clock,
    });
    expect(await clientWith(creds).getJson<unknown[]>('/api/v1/users?limit=1')).toHaveLength(1);
  });

  it('works with an EC P-256 key (ES256) and a fresh assertion (new jti) per token', async () => {
    const events: string[] = [];
    const creds = new PrivateKeyJwtCredentials({
      origin: sandbox.baseUrl,
      clientId: '0oaecservice00000001',
      privateKey: ecPrivate,
      scopes: READ_SCOPES,
      clock,
      fetch: loggingFetch(events),
    });
    const client = clientWith(creds);
    await client.getJson('/api/v1/groups?limit=1');
    creds.invalidate();
    await client.getJson('/api/v1/groups?limit=1');
    expect(events.filter((e) => e === 'POST /oauth2/v1/token')).toHaveLength(2);
  });

  it('403 insufficient_scope names the missing scope', async () => {
    const svc = sandbox.oauth.clients.service;
    const creds = new PrivateKeyJwtCredentials({
      origin: sandbox.baseUrl,
      clientId: svc.clientId,
      privateKey: svc.privateJwk,
      scopes: ['okta.users.read'],
      clock,
    });
    const err = await clientWith(creds)
      .getJson('/api/v1/groups')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OktaScopeError);
    expect((err as OktaScopeError).missingScopes).toEqual(['okta.groups.read']);
  });

  it('a scope Okta silently dropped from the token is caught at token time when a flow requires it', async () => {
    const warnings: string[] = [];
    const creds = new PrivateKeyJwtCredentials({
      origin: sandbox.baseUrl,
      clientId: '0oaeclimited00000001',
      privateKey: ecPrivate,
      scopes: ['okta.users.read', 'okta.groups.read'],
      requiredScopes: ['okta.users.read', 'okta.groups.read'],
      clock,
      observer: { onWarning: (w) => warnings.push(w.code) },
    });
    const err = await clientWith(creds)
      .getJson('/api/v1/users')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OktaScopeError);
    expect((err as OktaScopeError).missingScopes).toEqual(['okta.groups.read']);
    expect((err as OktaScopeError).grantedScopes).toEqual(['okta.users.read']);
    // without requiredScopes it is a warning, and users still work
    const lenient = new PrivateKeyJwtCredentials({
      origin: sandbox.baseUrl,
      clientId: '0oaeclimited00000001',
      privateKey: ecPrivate,
      scopes: ['okta.users.read', 'okta.groups.read'],
      clock,
      observer: { onWarning: (w) => warnings.push(w.code) },
    });
    expect(await clientWith(lenient).getJson<unknown[]>('/api/v1/users?limit=1')).toHaveLength(1);
    expect(warnings).toContain('okta.oauth.scope-not-granted');
  });
});
