/** A sandbox org, an Okta client on it, a local output folder, and readers of the org for the write tests. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importJWK, SignJWT } from 'jose';
import { ApiTokenCredentials } from '../../../lambdas/okta/auth/api-token.js';
import { createOktaClient, type OktaClient } from '../../../lambdas/okta/client.js';
import { createLocalStore } from '../../../lambdas/output/sinks/local-store.js';
import type { ObjectStore } from '../../../lambdas/output/sinks/types.js';
import { type Sandbox, type SandboxOptions, startSandbox } from '../../../sandbox/index.js';
import { DEFAULT_EPOCH_MS } from '../../../sandbox/org/index.js';

export type Rec = Record<string, unknown>;

export interface WriteHarness {
  readonly sandbox: Sandbox;
  readonly api: OktaClient;
  readonly dir: string;
  readonly store: ObjectStore;
  get<T = Rec>(path: string): Promise<T>;
  /** Every record of a listing (all pages). */
  list(path: string): Promise<Rec[]>;
  /** 404 → undefined. */
  maybe(path: string): Promise<Rec | undefined>;
  /** Users, groups and apps as the org serves them, plus the System Log size: any write changes it. */
  fingerprint(): string;
  /** System Log events of the last minute matching a filter. */
  events(filter: string): Rec[];
  close(): Promise<void>;
}

export async function startWriteHarness(options: SandboxOptions = {}): Promise<WriteHarness> {
  const sandbox = await startSandbox({
    users: 300,
    groups: 20,
    seed: 7,
    epochMs: DEFAULT_EPOCH_MS,
    clock: { startMs: DEFAULT_EPOCH_MS + 3_600_000, running: false },
    // Pacing is the governor's business (tested in guard-rails.test.ts); here it would only slow the checks down.
    rateLimits: false,
    ...options,
  });
  const api = createOktaClient({
    domain: sandbox.baseUrl,
    allowLoopback: true,
    credentials: new ApiTokenCredentials(sandbox.apiToken),
  });
  const dir = mkdtempSync(join(tmpdir(), 'okta-flow-apply-'));
  const logCount = () => {
    const result = sandbox.org
      .match('GET', '/api/v1/logs')
      ?.route.handle(
        new URLSearchParams({ since: new Date(DEFAULT_EPOCH_MS + 3_000_000).toISOString(), limit: '1000' }),
        {},
      );
    return result?.kind === 'list' ? result.items.length : -1;
  };
  return {
    sandbox,
    api,
    dir,
    store: createLocalStore({ kind: 'local', rootDir: dir }),
    get: (path) => api.getJson(path),
    async list(path) {
      const out: Rec[] = [];
      for await (const page of api.paginate(path)) out.push(...page.items);
      return out;
    },
    async maybe(path) {
      try {
        return await api.getJson<Rec>(path);
      } catch (error) {
        if ((error as { status?: number }).status === 404) return undefined;
        throw error;
      }
    },
    events(filter) {
      const since = new Date(sandbox.clock.now() - 60_000).toISOString();
      const route = sandbox.org.match('GET', '/api/v1/logs')?.route;
      const result = route?.handle(new URLSearchParams({ since, filter, limit: '1000' }), {});
      return result?.kind === 'list' ? (result.items as Rec[]) : [];
    },
    fingerprint: () =>
      JSON.stringify([
        [...sandbox.org.all('users')],
        [...sandbox.org.all('groups')],
        [...sandbox.org.all('apps')],
        logCount(),
      ]),
    async close() {
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}

export const jsonl = (rows: readonly Rec[]) => rows.map((r) => JSON.stringify(r)).join('\n');

/** A client-credentials access token of the sandbox's service app with exactly these scopes. */
export async function serviceToken(sandbox: Sandbox, scope: string): Promise<string> {
  const { service } = sandbox.oauth.clients;
  const tokenUrl = `${sandbox.baseUrl}/oauth2/v1/token`;
  const key = await importJWK(service.privateJwk, 'RS256');
  const nowSec = Math.floor(sandbox.clock.now() / 1000);
  const assertion = await new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', kid: String(service.privateJwk.kid) })
    .setIssuer(service.clientId)
    .setSubject(service.clientId)
    .setAudience(tokenUrl)
    .setIssuedAt(nowSec)
    .setExpirationTime(nowSec + 300)
    .setJti(randomBytes(12).toString('hex'))
    .sign(key);
  const response = await fetch(tokenUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      scope,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}
