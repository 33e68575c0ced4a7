/**
 * No credential (API token, access token, client secret, refresh token, private key, client assertion) may appear in
 * any error message, JSON.stringify(error), util.inspect(error) (which walks the cause chain), or observer event —
 * across every failure path we can provoke against the sandbox and a misbehaving token endpoint.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiTokenCredentials,
  type CredentialProvider,
  credentialsFromSecret,
  PrivateKeyJwtCredentials,
  parseOktaSecret,
  RefreshTokenCredentials,
  StaticBearerCredentials,
} from '../../../../lambdas/okta/auth/index.js';
import { createOktaClient } from '../../../../lambdas/okta/client.js';
import type { OktaClientObserver } from '../../../../lambdas/okta/types.js';
import { type Sandbox, startSandbox } from '../../../../sandbox/index.js';
import { connect, oauthSecret, RecordingStore } from './helpers.js';

let sandbox: Sandbox;
let evil: Server;
let evilOrigin: string;
const secrets = new Set<string>();
const events: unknown[] = [];
const errors: unknown[] = [];

const observer: OktaClientObserver = {
  onRequest: (e) => events.push(e),
  onRetry: (e) => events.push(e),
  onRateLimitWait: (e) => events.push(e),
  onWarning: (e) => events.push(e),
};

/** A fetch that remembers every credential it sends (headers and form bodies) as a secret to look for. */
const capturingFetch = (async (input: string | URL | Request, init?: RequestInit) => {
  const auth = new Headers(init?.headers).get('authorization');
  if (auth) {
    secrets.add(auth);
    secrets.add(auth.replace(/^(SSWS|Bearer|Basic) /, ''));
  }
  if (init?.body instanceof URLSearchParams) {
    for (const key of ['client_assertion', 'client_secret', 'refresh_token', 'code', 'code_verifier']) {
      const v = init.body.get(key);
      if (v) secrets.add(v);
    }
  }
  return fetch(input, init);
}) as typeof fetch;

async function capture(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (err) {
    errors.push(err);
    return;
  }
  throw new Error('expected a failure');
}

function client(credentials: CredentialProvider, domain = sandbox.baseUrl) {
  return createOktaClient({
    domain,
    allowLoopback: true,
    credentials,
    fetch: capturingFetch,
    observer,
    maxRetries: 1,
    backoff: { baseMs: 1, capMs: 5 },
  });
}

beforeAll(async () => {
  sandbox = await startSandbox({ users: 20, seed: 3, rateLimits: false });
  // A token endpoint that answers 200 with a malformed token response that still contains a live-looking token:
  // oauth4webapi's error then carries the whole body in its cause.
  evil = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ access_token: 'LEAKY-ACCESS-TOKEN-123456', refresh_token: 'LEAKY-REFRESH-654321' }));
    });
  });
  await new Promise<void>((r) => evil.listen(0, '127.0.0.1', r));
  evilOrigin = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
  secrets.add('LEAKY-ACCESS-TOKEN-123456');
  secrets.add('LEAKY-REFRESH-654321');
});
afterAll(async () => {
  await sandbox.close();
  await new Promise<void>((r) => evil.close(() => r()));
});

describe('credentials never leak', () => {
  it('provokes every failure path, then finds no credential anywhere', async () => {
    const { app, tokens } = await connect(sandbox);
    const svc = sandbox.oauth.clients.service;
    for (const s of [
      sandbox.apiToken,
      app.clientSecret ?? '',
      tokens.refreshToken ?? '',
      tokens.accessToken,
      String(svc.privateJwk.d),
      String(svc.privateJwk.p),
    ]) {
      secrets.add(s);
    }

    // 1. wrong API token → 401
    secrets.add('00wrong-api-token-abcdef');
    await capture(client(new ApiTokenCredentials('00wrong-api-token-abcdef')).getJson('/api/v1/users'));
    // 2. stale access token from the caller → 401
    secrets.add('eyJstale.access.token');
    await capture(client(new StaticBearerCredentials('eyJstale.access.token')).getJson('/api/v1/users'));
    // 3. wrong client secret → invalid_client
    secrets.add('wrong-client-secret-zzz');
    const bad = new RecordingStore(
      oauthSecret({ ...app, clientSecret: 'wrong-client-secret-zzz' }, tokens.refreshToken ?? ''),
    );
    await capture(
      client(credentialsFromSecret(bad.value, { origin: sandbox.baseUrl, store: bad, observer })).getJson(
        '/api/v1/users',
      ),
    );
    // 4. dead refresh token → re-consent
    secrets.add('dead-refresh-token-qqq');
    const dead = new RecordingStore(oauthSecret(app, 'dead-refresh-token-qqq'));
    await capture(
      client(credentialsFromSecret(dead.value, { origin: sandbox.baseUrl, store: dead, observer })).getJson(
        '/api/v1/users',
      ),
    );
    // 5. refresh against a closed port → network error
    const closed = new RefreshTokenCredentials({
      origin: 'http://127.0.0.1:9',
      clientId: app.clientId,
      clientSecret: app.clientSecret ?? '',
      refreshToken: tokens.refreshToken ?? '',
      fetch: capturingFetch,
      observer,
    });
    await capture(closed.authorize());
    // 6. malformed token response carrying tokens → invalid response
    const leaky = new RefreshTokenCredentials({
      origin: evilOrigin,
      clientId: app.clientId,
      clientSecret: app.clientSecret ?? '',
      refreshToken: tokens.refreshToken ?? '',
      fetch: capturingFetch,
      observer,
    });
    await capture(leaky.authorize());
    // 7. private_key_jwt with a key the app does not know (assertion rejected), and with an unreadable PEM
    const wrongKey = { ...svc.privateJwk, kid: 'not-registered' };
    await capture(
      client(
        new PrivateKeyJwtCredentials({
          origin: sandbox.baseUrl,
          clientId: svc.clientId,
          privateKey: wrongKey,
          scopes: ['okta.users.read'],
          fetch: capturingFetch,
          observer,
        }),
      ).getJson('/api/v1/users'),
    );
    const badPem =
      '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC-NOT-A-KEY\n-----END PRIVATE KEY-----';
    secrets.add('MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC-NOT-A-KEY');
    await capture(
      new PrivateKeyJwtCredentials({
        origin: sandbox.baseUrl,
        clientId: svc.clientId,
        privateKey: badPem,
        keyId: 'k',
        scopes: ['x'],
      }).authorize(),
    );
    // 8. scope error with a valid bearer
    const narrow = new PrivateKeyJwtCredentials({
      origin: sandbox.baseUrl,
      clientId: svc.clientId,
      privateKey: svc.privateJwk,
      scopes: ['okta.users.read'],
      fetch: capturingFetch,
      observer,
    });
    await capture(client(narrow).getJson('/api/v1/groups'));
    // 9. secrets that do not parse
    secrets.add('sekret-in-bad-json');
    await capture(Promise.resolve().then(() => parseOktaSecret('{"type":"apiToken","apiToken":"sekret-in-bad-json"')));
    secrets.add('sekret-with-missing-keys');
    await capture(
      Promise.resolve().then(() =>
        parseOktaSecret({ type: 'oauth2', clientId: 'c', clientSecret: 'sekret-with-missing-keys' }),
      ),
    );
    secrets.add('sekret-with-bad-method');
    await capture(
      Promise.resolve().then(() =>
        parseOktaSecret({
          type: 'oauth2',
          clientId: 'c',
          clientSecret: 'x',
          refreshToken: 'sekret-with-bad-method',
          tokenEndpointAuthMethod: 'sekret-with-bad-method',
        }),
      ),
    );
    // 10. the credential objects themselves, serialised
    const providers = [new ApiTokenCredentials(sandbox.apiToken), narrow, closed];

    expect(errors).toHaveLength(12);
    expect(events.length).toBeGreaterThan(0);
    const names = errors.map((e) => (e as Error).name);
    expect(names).toEqual(
      expect.arrayContaining([
        'OktaAuthError',
        'OktaReconsentRequiredError',
        'OktaNetworkError',
        'OktaScopeError',
        'OktaCredentialsError',
      ]),
    );
    const haystacks: string[] = [
      ...errors.flatMap((e) => [String((e as Error).message), JSON.stringify(e), inspect(e, { depth: 10 })]),
      JSON.stringify(events),
      ...providers.flatMap((p) => [JSON.stringify(p), inspect(p, { depth: 5 }), p.describe()]),
    ];
    const longSecrets = [...secrets].filter((s) => s.length >= 8);
    expect(longSecrets.length).toBeGreaterThan(12);
    for (const hay of haystacks) {
      for (const s of longSecrets) {
        if (hay.includes(s)) throw new Error(`credential leaked (${s.slice(0, 4)}…) in: ${hay.slice(0, 200)}`);
      }
    }
  });
});
