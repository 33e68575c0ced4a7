/** Shared helpers for the Okta client integration tests against the sandbox. */
import { buildAuthorizationUrl, createPkce, exchangeAuthorizationCode } from '../../../../lambdas/okta/auth/index.js';
import type { SecretStore } from '../../../../lambdas/okta/auth/types.js';
import type { Sandbox } from '../../../../sandbox/index.js';

export const READ_SCOPES = ['okta.users.read', 'okta.groups.read', 'okta.apps.read', 'okta.userTypes.read'];

/** What `okta-flow connect` will do: authorize (the sandbox auto-consents), then exchange the code with PKCE. */
export async function connect(
  sandbox: Sandbox,
  which: 'web' | 'static' = 'web',
  scopes: readonly string[] = [...READ_SCOPES, 'offline_access'],
) {
  const app = sandbox.oauth.clients[which];
  const redirectUri = app.redirectUris[0] ?? '';
  const { codeVerifier, codeChallenge, state } = await createPkce();
  const url = buildAuthorizationUrl({
    origin: sandbox.baseUrl,
    clientId: app.clientId,
    redirectUri,
    scopes,
    state,
    codeChallenge,
  });
  const res = await fetch(url, { redirect: 'manual' });
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) throw new Error(`authorize answered ${res.status}`);
  const tokens = await exchangeAuthorizationCode({
    origin: sandbox.baseUrl,
    clientId: app.clientId,
    clientSecret: app.clientSecret ?? '',
    tokenEndpointAuthMethod:
      app.tokenEndpointAuthMethod === 'client_secret_post' ? 'client_secret_post' : 'client_secret_basic',
    redirectUri,
    callbackUrl: location,
    state,
    codeVerifier,
  });
  return { app, tokens };
}

/** An in-memory SecretStore with compare-and-swap versions that logs writes into a shared event list. */
export class RecordingStore implements SecretStore {
  reads = 0;
  writes = 0;
  casConflicts = 0;
  private version = 1;
  private writeCount = 0;
  constructor(
    public value: string,
    private readonly events: string[] = [],
    /** Delay (ms) of the 1st, 2nd, … write: lets a test make an older write land last. */
    private readonly writeDelaysMs: readonly number[] = [],
  ) {}
  async read(): Promise<string> {
    this.reads++;
    return this.value;
  }
  async readVersioned(): Promise<{ value: string; version: string }> {
    // Value and version read together, as a real store returns them (never one from before a write, one after).
    this.reads++;
    return { value: this.value, version: String(this.version) };
  }
  async write(json: string): Promise<void> {
    await this.delay();
    this.commit(json);
  }
  async writeIfVersion(json: string, expectedVersion: string): Promise<boolean> {
    await this.delay();
    if (String(this.version) !== expectedVersion) {
      this.casConflicts++;
      return false;
    }
    this.commit(json);
    return true;
  }
  private onWriteStart: () => void = () => {};
  /** Resolves when the first write has started (and not yet landed). Declared after onWriteStart on purpose. */
  readonly firstWriteStarted = new Promise<void>((resolve) => {
    this.onWriteStart = resolve;
  });
  private async delay(): Promise<void> {
    this.onWriteStart();
    const ms = this.writeDelaysMs[this.writeCount++] ?? 0;
    if (ms) await new Promise((r) => setTimeout(r, ms));
  }
  private commit(json: string): void {
    this.value = json;
    this.version++;
    this.writes++;
    this.events.push(`store.write:${(JSON.parse(json) as { refreshToken: string }).refreshToken}`);
  }
  get refreshToken(): string {
    return (JSON.parse(this.value) as { refreshToken: string }).refreshToken;
  }
}

/** A fetch that logs every call (method + path + bearer) into `events`, then forwards to the real fetch. */
export function loggingFetch(events: string[]): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    const auth = new Headers(init?.headers).get('authorization') ?? '';
    events.push(`${init?.method ?? 'GET'} ${url.pathname}${auth.startsWith('Bearer ') ? ` ${auth.slice(7, 19)}` : ''}`);
    return fetch(input, init);
  }) as typeof fetch;
}

export function oauthSecret(
  app: { clientId: string; clientSecret?: string; tokenEndpointAuthMethod: string },
  refreshToken: string,
  extra: Record<string, unknown> = {},
) {
  return JSON.stringify({
    type: 'oauth2',
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    refreshToken,
    tokenEndpointAuthMethod: app.tokenEndpointAuthMethod,
    consentedAt: new Date().toISOString(),
    ...extra,
  });
}
