/**
 * Issue #11: against a hostile Okta (see hostile-okta.ts), every run through the real runner (`runFlow` into a local
 * folder) ends exact — each of the org's records committed once — or as a clear failure that committed nothing,
 * within the test's time bound, and no credential appears in any log line, error, run event or output file.
 * One case per row of the table, plus the misbehaviours that already held.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../../bin/commands/run.js';
import { localRunnerDeps } from '../../../bin/commands/runner-deps.js';
import { ConfigError, parseConfig } from '../../../lambdas/flow/config/index.js';
import { type MemoryLogLine, memoryRunLogger } from '../../../lambdas/flow/observability/logger.js';
import { runFlow } from '../../../lambdas/flow/runner/run-flow.js';
import { MemoryStateStore } from '../../../lambdas/flow/state/memory-state-store.js';
import { ApiTokenCredentials } from '../../../lambdas/okta/auth/api-token.js';
import { RefreshTokenCredentials } from '../../../lambdas/okta/auth/refresh-token.js';
import { RelayObserver } from '../../../lambdas/okta/auth/relay-observer.js';
import { InMemorySecretStore } from '../../../lambdas/okta/auth/secret-stores.js';
import type { CredentialProvider } from '../../../lambdas/okta/auth/types.js';
import { committedRuns, testConfig } from '../flow/runner/harness.js';
import {
  type HostileOkta,
  type HostileRecord,
  linkHeader,
  okJson,
  oktaError,
  startHostileOkta,
} from './hostile-okta.js';

const FLOWS = [
  { name: 'users-full', object: 'User', mode: 'full' },
  {
    name: 'users-incremental',
    object: 'User',
    mode: 'incremental',
    firstExecutionFrom: '2024-01-15T00:00:00.000Z',
    overlapSeconds: 0,
  },
  {
    name: 'users-deletes',
    object: 'User',
    mode: 'incremental',
    firstExecutionFrom: '2024-01-15T00:00:00.000Z',
    overlapSeconds: 0,
    deleteDetection: 'system-log',
  },
];
const config = testConfig(FLOWS);
const PAGE = 10;

let okta: HostileOkta;
let allIds: string[];
beforeAll(async () => {
  okta = await startHostileOkta({ users: 25 });
  allIds = okta.users.map((u) => String(u.id)).sort();
});
const dirs: string[] = [];
afterAll(async () => {
  await okta.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function harnessDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'okta-flow-hostile-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  okta.misbehave(null);
});

interface Outcome {
  readonly dir: string;
  readonly error: unknown;
  readonly lines: MemoryLogLine[];
  readonly events: unknown[];
  readonly state: MemoryStateStore;
  /** Waits runFlow was asked to sleep between steps (ms). */
  readonly sleeps: number[];
  readonly completed: Awaited<ReturnType<typeof runFlow>>['completed'] | null;
}

async function run(
  flow: 'users-full' | 'users-incremental' | 'users-deletes',
  options: {
    credentials?: CredentialProvider;
    events?: RelayObserver;
    taskBudgetMs?: number;
    maxRateLimitWaitSeconds?: number;
  } = {},
): Promise<Outcome> {
  const dir = harnessDir();
  const state = new MemoryStateStore();
  const lines: MemoryLogLine[] = [];
  const runConfig =
    options.maxRateLimitWaitSeconds === undefined
      ? config
      : { ...config, okta: { ...config.okta, maxRateLimitWaitSeconds: options.maxRateLimitWaitSeconds } };
  const deps = localRunnerDeps({
    config: runConfig,
    okta: {
      kind: 'connection',
      connection: {
        domain: okta.baseUrl,
        allowLoopback: true,
        credentials: options.credentials ?? new ApiTokenCredentials(okta.apiToken),
        ...(options.events ? { events: options.events } : {}),
      },
    },
    out: { target: { kind: 'local', rootDir: dir }, state, where: dir, prefix: undefined, locate: (k) => join(dir, k) },
    logger: memoryRunLogger(lines),
    pageLimit: PAGE,
    oktaClientOptions: { requestTimeoutMs: 1_000, maxRetries: 2, backoff: { baseMs: 5, capMs: 20 } },
  });
  const sleeps: number[] = [];
  let error: unknown = null;
  let completed: Outcome['completed'] = null;
  try {
    const result = await runFlow(flow, { kind: 'manual' }, deps, {
      ...(options.taskBudgetMs !== undefined ? { taskBudgetMs: options.taskBudgetMs } : {}),
      // The reset a step waits for is real (the server's clock): sleep it, but record it.
      sleep: async (ms) => {
        sleeps.push(ms);
        await new Promise((r) => setTimeout(r, ms));
      },
    });
    completed = result.completed;
  } catch (e) {
    error = e;
  }
  return { dir, error, lines, events: deps.events.events, state, sleeps, completed };
}

/** Every file under `dir`, as bytes. */
function files(dir: string): { path: string; bytes: Buffer }[] {
  const out: { path: string; bytes: Buffer }[] = [];
  const walk = (path: string) => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push({ path: full, bytes: readFileSync(full) });
    }
  };
  walk(dir);
  return out;
}

/** No credential of the org in logs, errors (message, JSON, inspect with causes), events or files. */
function expectNoCredential(outcome: Outcome): void {
  const texts = [
    JSON.stringify(outcome.lines),
    JSON.stringify(outcome.events),
    outcome.error instanceof Error ? `${outcome.error.message} ${JSON.stringify(outcome.error)}` : '',
    inspect(outcome.error, { depth: 10 }),
  ];
  const everything = texts.join('\n');
  const bytes = files(outcome.dir);
  for (const secret of okta.credentials()) {
    expect(everything).not.toContain(secret);
    for (const f of bytes) expect(f.bytes.includes(secret), `${secret.slice(0, 4)}… in ${f.path}`).toBe(false);
  }
}

async function expectExact(outcome: Outcome, ids = allIds): Promise<HostileRecord[]> {
  expect(outcome.error).toBeNull();
  const runs = await committedRuns(outcome.dir, 'User');
  expect(runs).toHaveLength(1);
  const records = runs[0]?.records ?? [];
  expect(records.map((r) => String(r.id)).sort()).toEqual(ids);
  expectNoCredential(outcome);
  return records;
}

/** The run failed with `error`, and nothing of it is visible: no committed run, no data file, no watermark. */
async function expectCleanFailure(outcome: Outcome, error: RegExp, name?: string): Promise<void> {
  expect(outcome.error).toBeInstanceOf(Error);
  expect((outcome.error as Error).message).toMatch(error);
  if (name !== undefined) expect((outcome.error as Error).name).toBe(name);
  expect(await committedRuns(outcome.dir, 'User')).toEqual([]);
  const dataFiles = files(outcome.dir).filter((f) => /\/User\//.test(f.path));
  expect(dataFiles.map((f) => f.path)).toEqual([]);
  for (const flow of ['users-full', 'users-incremental', 'users-deletes']) {
    expect((await outcome.state.getFlowState(flow))?.state.watermark ?? null).toBeNull();
  }
  const failed = outcome.events.filter((e) => (e as { kind: string }).kind === 'failed');
  expect(failed).toHaveLength(1);
  expectNoCredential(outcome);
}

const rateLimited = (status: number, resetInMs: number, body: unknown = { errorCode: 'E0000047' }) => ({
  status,
  headers: {
    'content-type': 'application/json',
    date: new Date().toUTCString(),
    'x-rate-limit-limit': '600',
    'x-rate-limit-remaining': '0',
    'x-rate-limit-reset': String(Math.ceil((Date.now() + resetInMs) / 1000)),
  },
  body: JSON.stringify(body),
});

describe('row 1: a rate-limit reset a day ahead', () => {
  it('a 429 whose reset is a day away fails at once, naming bucket, reset time and the budget', async () => {
    okta.misbehave((r) => (r.url.pathname === '/api/v1/users' ? rateLimited(429, 86_400_000) : undefined));
    const outcome = await run('users-full');
    await expectCleanFailure(
      outcome,
      /bucket GET \/api\/v1\/users resets at \d{4}-.*Z.*maxRateLimitWaitSeconds/,
      'OktaRateLimitError',
    );
    expect(outcome.sleeps).toEqual([]);
  });

  it('a 200 with Remaining 0 and a reset a day away: the next page fails at once', async () => {
    okta.misbehave((r, normal) => {
      if (r.url.pathname !== '/api/v1/users' || r.listingIndex !== 0) return undefined;
      const page = normal();
      const limited = rateLimited(200, 86_400_000, page.items);
      return { ...limited, headers: { ...limited.headers, link: linkHeader(page.self, page.next) } };
    });
    const outcome = await run('users-full');
    await expectCleanFailure(outcome, /resets at .* more than this run may still wait/, 'OktaRateLimitError');
    expect(okta.requests.filter((r) => r.url.pathname === '/api/v1/users').length).toBeGreaterThanOrEqual(1);
  });

  it('a reset that fits the run but not the step: the step checkpoints, waits (Wait state), resumes exactly', async () => {
    let limited = false;
    okta.misbehave((r) => {
      if (r.url.pathname !== '/api/v1/users' || r.listingIndex !== 1 || limited) return undefined;
      limited = true;
      return rateLimited(429, 1_500);
    });
    // 200 ms per step: a 1.5 s reset does not fit, so it becomes waitSeconds instead of a sleep inside the step.
    const outcome = await run('users-full', { taskBudgetMs: 200 });
    await expectExact(outcome);
    expect(outcome.sleeps.length).toBe(1);
    // The reset (whole seconds) plus up to 1 s for the Date header's resolution, rounded up to whole seconds.
    expect(outcome.sleeps[0]).toBeGreaterThanOrEqual(1_000);
    expect(outcome.sleeps[0]).toBeLessThanOrEqual(5_000);
    expect(outcome.completed?.counts.throttled).toBe(1);
  });
});

describe('row 1, delete detection: a System Log read that must wait for a reset', () => {
  it('the deletes task drops its attempt, waits, reads the log again: exact records, one wait', async () => {
    let limited = false;
    okta.misbehave((r) => {
      if (r.url.pathname !== '/api/v1/logs' || limited) return undefined;
      limited = true;
      return rateLimited(429, 1_500);
    });
    const outcome = await run('users-deletes', { taskBudgetMs: 200 });
    await expectExact(outcome);
    expect(outcome.sleeps).toHaveLength(1);
    expect(okta.requests.filter((r) => r.url.pathname === '/api/v1/logs')).toHaveLength(2);
    expect(outcome.completed?.counts.deletes).toBe(0);
  });
});

describe('rows 2 and 3: pages that repeat records', () => {
  it('overlapping pages: every user committed once, the repeats dropped and counted', async () => {
    okta.misbehave((r, normal) => {
      if (r.url.pathname !== '/api/v1/users' || r.listingIndex === 0) return undefined;
      // Every later page starts with the two last records of the page before it again.
      const page = normal();
      const at = okta.users.findIndex((u) => u.id === page.items[0]?.id);
      const repeated = [...okta.users.slice(at - 2, at), ...page.items];
      return okJson(repeated, { link: linkHeader(page.self, page.next) });
    });
    const outcome = await run('users-full');
    const records = await expectExact(outcome);
    expect(records).toHaveLength(25);
    expect(outcome.completed?.counts.records).toBe(25);
    expect(outcome.completed?.counts.duplicates).toBe(4);
  });

  it('repeats across step boundaries (one page per step) are dropped too: the key set survives continuations', async () => {
    okta.misbehave((r, normal) => {
      if (r.url.pathname !== '/api/v1/users' || r.listingIndex === 0) return undefined;
      const page = normal();
      const at = okta.users.findIndex((u) => u.id === page.items[0]?.id);
      return okJson([...okta.users.slice(at - 2, at), ...page.items], { link: linkHeader(page.self, page.next) });
    });
    const outcome = await run('users-full', { taskBudgetMs: 0 });
    await expectExact(outcome);
    expect(outcome.completed?.counts.duplicates).toBe(4);
    // Three steps, each on a fresh client: the repeats of steps 2 and 3 were read by the step before.
    const steps = outcome.lines.filter((l) => l.message.startsWith('task '));
    expect(steps.length).toBeGreaterThanOrEqual(3);
    // The key lists were bookkeeping: gone once the run committed.
    expect(files(outcome.dir).filter((f) => f.path.includes('/_state/dedupe/'))).toEqual([]);
  });

  it('content that loops under fresh cursors is a pagination error; nothing committed', async () => {
    okta.misbehave((r, normal) => {
      if (r.url.pathname !== '/api/v1/users') return undefined;
      const first = okta.users.slice(0, PAGE);
      const self = normal().self;
      const next = new URL(self);
      next.searchParams.set('after', `cursor${r.listingIndex}`);
      return okJson(first, { link: linkHeader(self, next.href) });
    });
    const outcome = await run('users-full');
    await expectCleanFailure(outcome, /already read in this scan/, 'OktaPaginationError');
  });
});

describe('row 4: a full page without its Link header', () => {
  it('is verified by asking for the page after its last record; all committed; the warning reaches the event and log', async () => {
    okta.misbehave((r, normal) => {
      if (r.url.pathname !== '/api/v1/users' || r.listingIndex !== 0) return undefined;
      return okJson(normal().items); // no Link header at all
    });
    const outcome = await run('users-full');
    await expectExact(outcome);
    expect(outcome.completed?.warnings?.map((w) => w.code)).toEqual([
      'okta.pagination.link-missing',
      'okta.pagination.link-missing-more',
    ]);
    expect(outcome.completed?.counts.warnings).toBe(2);
    const logged = outcome.lines.filter((l) => l.level === 'warn' && l.message === 'Okta client warning');
    expect(logged.map((l) => l.keys.code)).toEqual([
      'okta.pagination.link-missing',
      'okta.pagination.link-missing-more',
    ]);
  });

  it('a full page without a Link header whose last record has no id cannot be verified: clean failure', async () => {
    okta.misbehave((r, normal) => {
      if (r.url.pathname !== '/api/v1/users' || r.listingIndex !== 0) return undefined;
      const items = normal().items.map((u, i) => (i === PAGE - 1 ? { ...u, id: undefined } : u));
      return okJson(items);
    });
    const outcome = await run('users-full');
    // The record without an id is refused first, before the page's end could be checked.
    await expectCleanFailure(outcome, /has no usable primary key|cannot be verified|has no id/);
  });
});

describe('rows 5 and 6: records that cannot be keyed or placed in the window', () => {
  it('a record without an id fails the run naming the object; nothing committed', async () => {
    okta.misbehave((r, normal) => {
      if (r.url.pathname !== '/api/v1/users' || r.listingIndex !== 1) return undefined;
      const page = normal();
      const items = page.items.map((u, i) => (i === 3 ? { ...u, id: undefined } : u));
      return okJson(items, { link: linkHeader(page.self, page.next) });
    });
    const outcome = await run('users-full');
    await expectCleanFailure(outcome, /A User record from Okta \(no id\) has no usable primary key/, 'OktaRecordError');
  });

  it.each([['2024-02-01 00:00:00'], ['1706745600'], [1706745600000]])(
    'an incremental run refuses lastUpdated = %j, naming the record and the value',
    async (value) => {
      okta.misbehave((r, normal) => {
        if (r.url.pathname !== '/api/v1/users' || r.listingIndex !== 2) return undefined;
        const page = normal();
        const items = page.items.map((u, i) => (i === 0 ? { ...u, lastUpdated: value } : u));
        return okJson(items, { link: linkHeader(page.self, page.next) });
      });
      const outcome = await run('users-incremental');
      const id = String(okta.users[2 * PAGE]?.id);
      await expectCleanFailure(
        outcome,
        new RegExp(`\\(id ${id}\\).*lastUpdated = ${JSON.stringify(JSON.stringify(value)).slice(1, -1)}`),
        'OktaRecordError',
      );
    },
  );
});

describe('row 7: a body that is not UTF-8', () => {
  it('is retried, then fails clearly: never committed with U+FFFD', async () => {
    okta.misbehave((r, normal) => {
      if (r.url.pathname !== '/api/v1/users' || r.listingIndex < 1) return undefined;
      const page = normal();
      const text = JSON.stringify(page.items);
      const at = text.indexOf('User');
      const bytes = Buffer.concat([
        Buffer.from(text.slice(0, at)),
        Buffer.from([0xff, 0xfe]),
        Buffer.from(text.slice(at)),
      ]);
      return {
        status: 200,
        headers: { 'content-type': 'application/json', link: linkHeader(page.self, page.next) },
        body: bytes,
      };
    });
    const outcome = await run('users-full');
    await expectCleanFailure(outcome, /not valid UTF-8/, 'OktaNetworkError');
  });
});

describe('row 8: error bodies that echo the credential', () => {
  it('SSWS: an error page echoing the Authorization header never puts the token anywhere', async () => {
    okta.misbehave((r) =>
      r.url.pathname === '/api/v1/users' && r.listingIndex === 1
        ? oktaError(403, 'E0000006', `You do not have permission. Authorization: ${r.authorization}`, {
            errorCauses: [{ errorSummary: `header was ${r.authorization}` }],
          })
        : undefined,
    );
    const outcome = await run('users-full');
    await expectCleanFailure(outcome, /403 E0000006.*\[REDACTED\]/);
  });

  it('Bearer: an error page echoing the OAuth access token never puts it anywhere', async () => {
    okta.misbehave((r) =>
      r.url.pathname === '/api/v1/users' && r.listingIndex === 1
        ? {
            ...oktaError(400, 'E0000001', `Bad request from ${r.authorization}`),
            headers: { 'content-type': 'application/json', 'x-okta-request-id': String(r.authorization) },
          }
        : undefined,
    );
    const outcome = await run('users-full', { credentials: oauthCredentials() });
    await expectCleanFailure(outcome, /400 E0000001.*\[REDACTED\]/);
    expect(okta.requests.some((r) => r.authorization?.startsWith('Bearer '))).toBe(true);
  });

  it('refresh token: a token endpoint echoing the refresh token in its error never puts it anywhere', async () => {
    const store = new InMemorySecretStore('');
    const credentials = oauthCredentials(store);
    okta.misbehave((r) =>
      r.url.pathname === '/oauth2/v1/token' && r.form !== null
        ? {
            status: 400,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              error: 'invalid_grant',
              error_description: `refresh_token=${r.form.get('refresh_token')} is not valid for ${r.authorization}`,
            }),
          }
        : undefined,
    );
    const outcome = await run('users-full', { credentials });
    await expectCleanFailure(outcome, /okta-flow connect/, 'OktaReconsentRequiredError');
    expect(JSON.stringify(inspect(outcome.error, { depth: 10 }))).toContain('[REDACTED]');
  });
});

describe('warnings of the credentials reach the run too', () => {
  it('a refresh token near its 90-day expiry: warned in the log and the run event of the step that refreshed', async () => {
    const events = new RelayObserver();
    const consentedAt = new Date(Date.now() - 80 * 86_400_000).toISOString();
    const credentials = oauthCredentials(undefined, { consentedAt, observer: events });
    const outcome = await run('users-full', { credentials, events });
    await expectExact(outcome);
    expect(outcome.completed?.warnings?.map((w) => w.code)).toContain('okta.oauth.refresh-token-expiring');
    expect(outcome.lines.some((l) => l.keys.code === 'okta.oauth.refresh-token-expiring')).toBe(true);
  });
});

describe('row 9: an output prefix that climbs out', () => {
  it('output.prefix "../../etc" is refused by the config, saying why', () => {
    expect(() => testConfig(FLOWS, { prefix: '../../etc' })).toThrow(ConfigError);
    expect(() => parseConfig({ ...rawConfig(), output: { ...rawConfig().output, prefix: 'okta/../x' } })).toThrow(
      /has a "\." or "\.\." segment/,
    );
  });
});

describe('what already held, still holds', () => {
  it('a cross-origin next link is refused; no request goes there; nothing committed', async () => {
    okta.misbehave((r, normal) => {
      if (r.url.pathname !== '/api/v1/users' || r.listingIndex !== 0) return undefined;
      const page = normal();
      return okJson(page.items, { link: linkHeader(page.self, (page.next ?? '').replace('127.0.0.1', 'localhost')) });
    });
    const outcome = await run('users-full');
    await expectCleanFailure(outcome, /refusing to follow it/, 'OktaPaginationError');
  });

  it('a redirect is not followed (the credential would go with it); nothing committed', async () => {
    okta.misbehave((r) =>
      r.url.pathname === '/api/v1/users' && r.listingIndex === 1
        ? { status: 302, headers: { location: 'http://localhost:9/steal' }, body: '' }
        : undefined,
    );
    const outcome = await run('users-full');
    await expectCleanFailure(outcome, /Okta answered 302/);
  });

  it('a next link equal to the page itself, and a repeated cursor, are loops; nothing committed', async () => {
    okta.misbehave((r, normal) => {
      if (r.url.pathname !== '/api/v1/users') return undefined;
      const page = normal();
      return okJson(page.items, { link: linkHeader(page.self, page.self) });
    });
    await expectCleanFailure(await run('users-full'), /a pagination loop/, 'OktaPaginationError');
    okta.misbehave((r, normal) => {
      if (r.url.pathname !== '/api/v1/users') return undefined;
      const page = normal();
      const back = new URL(page.self);
      back.searchParams.set('after', String(okta.users[PAGE - 1]?.id));
      back.searchParams.set('x', String(r.listingIndex));
      return okJson(page.items, { link: linkHeader(page.self, back.href) });
    });
    await expectCleanFailure(
      await run('users-full'),
      /a pagination loop|already read in this scan/,
      'OktaPaginationError',
    );
  });

  it.each([
    ['a truncated body', { truncateAt: 40 }],
    ['an HTML body', { html: true }],
    ['a body that never comes (slow)', { stallMs: 2_500 }],
  ])('%s is retried and the run ends exact', async (_what, how) => {
    okta.misbehave((r, normal) => {
      if (r.url.pathname !== '/api/v1/users' || r.listingIndex !== 1) return undefined;
      const page = normal();
      if ('html' in how)
        return { status: 200, headers: { 'content-type': 'text/html' }, body: '<html><body>Sign in</body></html>' };
      return { ...okJson(page.items, { link: linkHeader(page.self, page.next) }), ...how };
    });
    const outcome = await run('users-full');
    await expectExact(outcome);
  });

  it('a 429 storm with short resets is waited out, and the run ends exact', async () => {
    okta.misbehave((r) =>
      r.url.pathname === '/api/v1/users' && r.listingIndex >= 1 && r.listingIndex <= 3
        ? rateLimited(429, 1_000)
        : undefined,
    );
    const outcome = await run('users-full');
    await expectExact(outcome);
    expect(outcome.completed?.counts.throttled).toBe(3);
  });
});

function rawConfig() {
  return {
    okta: { domain: 'acme.okta.com', credentialsSecret: 'okta-flow/test' },
    output: { bucket: { name: 'test-bucket' }, prefix: 'okta', format: 'jsonl', compression: 'none' },
    flows: FLOWS,
  };
}

function oauthCredentials(
  store?: InMemorySecretStore,
  extra: { consentedAt?: string; observer?: RelayObserver } = {},
): RefreshTokenCredentials {
  const refreshToken = okta.consent();
  const secret = {
    type: 'oauth2',
    clientId: okta.oauth.clientId,
    clientSecret: okta.oauth.clientSecret,
    refreshToken,
  };
  const backing = store ?? new InMemorySecretStore(JSON.stringify(secret));
  if (store) void store.write(JSON.stringify(secret));
  return new RefreshTokenCredentials({
    origin: okta.baseUrl,
    clientId: okta.oauth.clientId,
    clientSecret: okta.oauth.clientSecret,
    refreshToken,
    store: backing,
    ...extra,
  });
}

describe('the CLI shows what was dropped and warned about', () => {
  it('okta-flow run --sandbox-url: duplicates dropped and the Link warnings in the summary, no credential printed', async () => {
    const big = await startHostileOkta({ users: 450 });
    try {
      big.misbehave((r, normal) => {
        if (r.url.pathname !== '/api/v1/users') return undefined;
        const page = normal();
        if (r.listingIndex === 0) return okJson(page.items); // a full page of 200 without its Link header
        // The next pages repeat the last three records of the page before them.
        const at = big.users.findIndex((u) => u.id === page.items[0]?.id);
        return okJson([...big.users.slice(at - 3, at), ...page.items], { link: linkHeader(page.self, page.next) });
      });
      const dir = harnessDir();
      const configFile = join(dir, 'okta-flow.config.json');
      const secretFile = join(dir, 'secret.json');
      writeFileSync(configFile, JSON.stringify(rawConfig()));
      writeFileSync(secretFile, JSON.stringify({ apiToken: big.apiToken }));
      const printed: string[] = [];
      const result = await runCommand({
        flows: ['users-full'],
        config: configFile,
        sandboxUrl: big.baseUrl,
        secretFile,
        out: join(dir, 'out'),
        progress: false,
        print: (line) => printed.push(line),
      });
      expect(result.ok).toBe(true);
      const text = printed.join('\n');
      const lines = text.split('\n');
      const header = lines.find((l) => l.startsWith('flow ')) ?? '';
      const row = lines.find((l) => l.startsWith('users-full ')) ?? '';
      const cells = row.split(/\s{2,}/);
      const columns = header.split(/\s{2,}/);
      expect(cells[columns.indexOf('records')]).toBe('450');
      expect(cells[columns.indexOf('duplicates dropped')]).toBe('6');
      expect(cells[columns.indexOf('warnings')]).toBe('2');
      expect(text).toMatch(/users-full: warning okta\.pagination\.link-missing: A full page \(200 items\)/);
      expect(text).toMatch(/users-full: warning okta\.pagination\.link-missing-more:/);
      for (const secret of big.credentials()) expect(text).not.toContain(secret);
      const committed = await committedRuns(join(dir, 'out'), 'User');
      expect(committed[0]?.records.map((r) => String(r.id)).sort()).toEqual(big.users.map((u) => String(u.id)).sort());
    } finally {
      await big.close();
    }
  });
});
