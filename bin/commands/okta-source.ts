/**
 * Where a CLI command reads Okta from, and with which credentials: ONE set of options for every command that talks
 * to Okta, parsed and resolved here.
 *
 *   --sandbox               a sandbox org started in this process (gone when the command ends)
 *   --sandbox-users <n>     its size (only with --sandbox)
 *   --sandbox-url <url>     a sandbox started with `npm run sandbox` (loopback only), credentials from --secret-file
 *   --secret-file <file>    the credentials secret JSON: {"apiToken": "…"}, an OAuth secret from
 *                           `okta-flow connect --print`, or a private-key-JWT service app
 *   (none of them)          the configured org (okta.domain) with the configured Secrets Manager secret
 *
 * An option that cannot apply is an error that says why, never silently dropped: --sandbox with --sandbox-url,
 * --sandbox-users without --sandbox, --sandbox-url without a secret, an OAuth refresh token against a sandbox that
 * was started a moment ago (it cannot have issued that token), --sandbox for a command whose effect outlives the
 * process (connect).
 */
import { createPrivateKey, createPublicKey, type JsonWebKey } from 'node:crypto';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { JWK } from 'jose';
import type { Config } from '../../lambdas/flow/config/schema.js';
import { ApiTokenCredentials } from '../../lambdas/okta/auth/api-token.js';
import { credentialsFromSecret } from '../../lambdas/okta/auth/from-secret.js';
import { RelayObserver } from '../../lambdas/okta/auth/relay-observer.js';
import { type OktaSecret, parseOktaSecret } from '../../lambdas/okta/auth/secret.js';
import { SecretsManagerSecretStore } from '../../lambdas/okta/auth/secret-stores.js';
import type { CredentialProvider, SecretStore } from '../../lambdas/okta/auth/types.js';
import { validateOktaDomain } from '../../lambdas/okta/domain.js';
import { type Sandbox, type SandboxOptions, startSandbox } from '../../sandbox/index.js';
import { epochForClock } from '../../sandbox/org/index.js';
import { FileSecretStore } from './file-secret-store.js';

/** Default size of an in-process sandbox org. */
export const DEFAULT_SANDBOX_USERS = 10_000;

/** The options as commander hands them over (every one optional). */
export interface OktaSourceFlags {
  readonly sandbox?: boolean | undefined;
  readonly sandboxUsers?: number | undefined;
  readonly sandboxUrl?: string | undefined;
  readonly secretFile?: string | undefined;
}

/** A bad combination or value of the Okta source options. */
export class OktaSourceError extends Error {
  override readonly name = 'OktaSourceError';
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number >= 1');
  return n;
}

/**
 * Adds the Okta source options to a command. Commands for which one cannot apply still accept it, so that using it
 * gives the reason (checkOktaSourceFlags) rather than "unknown option".
 */
export function addOktaSourceOptions<C extends Command>(command: C): C {
  command
    .option('--sandbox', 'use a sandbox org started in this process instead of the configured org')
    .option('--sandbox-users <n>', `users in the --sandbox org (default ${DEFAULT_SANDBOX_USERS})`, positiveInt)
    .option('--sandbox-url <url>', 'use a sandbox started with `npm run sandbox` (http://127.0.0.1:<port>)')
    .option(
      '--secret-file <file>',
      'Okta credentials secret JSON ({"apiToken":"…"}, or from `okta-flow connect --print`); rotated refresh tokens are written back to it',
    );
  return command;
}

/** Everything a command needs to talk to the Okta side it was pointed at. */
export interface OktaConnection {
  readonly kind: 'sandbox' | 'sandbox-url' | 'org';
  /** `https://acme.okta.com` or `http://127.0.0.1:<port>`. */
  readonly origin: string;
  /** What `createOktaClient` takes as its domain (with `allowLoopback` for sandboxes). */
  readonly domain: string;
  readonly allowLoopback: boolean;
  readonly customDomains?: readonly string[];
  readonly credentials: CredentialProvider;
  /** The secret store the credentials came from (a file or Secrets Manager), when there is one. */
  readonly store: SecretStore | undefined;
  /** One line for people, without secrets: `sandbox org on http://127.0.0.1:5000 (300 users)`. */
  readonly description: string;
  /** The org's clock (a sandbox runs its own; windows and consent times are read on it). */
  readonly clock: () => number;
  /** The in-process sandbox, when this command started or was given one. */
  readonly sandbox: Sandbox | undefined;
  /** Where the credentials' own events (refresh warnings, retries) go: point it at the running step's observer. */
  readonly events: RelayObserver;
  /** Stops an in-process sandbox this resolution started; a no-op otherwise. */
  close(): Promise<void>;
}

export interface ResolveOktaSourceContext {
  /** The command, for messages (`run`, `describe`, `connect`). */
  readonly command: string;
  /** The loaded config: needed for the configured org and its secret. */
  readonly config?: Config | undefined;
  /** False for commands whose effect outlives the process: --sandbox is then an error. Default true. */
  readonly inProcessSandbox?: boolean;
  /** A sandbox already started by the caller (the demo, tests): used as the --sandbox org. */
  readonly sandboxInstance?: Sandbox | undefined;
  /** More options for a sandbox this resolution starts (tests: rate limits, clock). */
  readonly sandboxOptions?: SandboxOptions;
  /** Scopes the flows need: checked against every OAuth token response. */
  readonly requiredScopes?: readonly string[];
  readonly fetch?: typeof fetch;
  readonly secretsManager?: () => SecretsManagerClient;
}

/** Checks the combination of options before anything is started or read. */
export function checkOktaSourceFlags(
  flags: OktaSourceFlags,
  context: Pick<ResolveOktaSourceContext, 'command' | 'inProcessSandbox' | 'sandboxInstance'>,
): void {
  const sandbox = flags.sandbox === true || context.sandboxInstance !== undefined;
  if (flags.sandbox === true && flags.sandboxUrl !== undefined) {
    throw new OktaSourceError(
      '--sandbox and --sandbox-url are two different orgs: --sandbox starts one in this process, --sandbox-url ' +
        'uses one started with `npm run sandbox`. Pass only one of them.',
    );
  }
  if (flags.sandboxUsers !== undefined && !sandbox) {
    throw new OktaSourceError(
      '--sandbox-users sizes the org that --sandbox starts; without --sandbox there is none to size' +
        (flags.sandboxUrl !== undefined ? ' (a --sandbox-url org was sized by `npm run sandbox -- --users <n>`)' : '') +
        '.',
    );
  }
  if (flags.sandbox === true && context.inProcessSandbox === false) {
    throw new OktaSourceError(
      `${context.command} cannot use --sandbox: a sandbox started in this process is gone when the command ends. ` +
        'Start one with `npm run sandbox` and pass --sandbox-url <its URL>.',
    );
  }
}

/**
 * Where `connect` stores the secret it obtains: `--secret-file` (a file, versioned write), `--print` (stdout) or
 * the Secrets Manager secret (`--secret` or the configured one). Its org is `--sandbox-url` or `--domain` / the
 * config's; `--sandbox` cannot apply (the consent would be for an org that is gone when connect ends).
 */
export function connectTarget(
  flags: OktaSourceFlags & {
    readonly domain?: string | undefined;
    readonly print?: boolean | undefined;
    readonly secret?: string | undefined;
  },
): { kind: 'file'; path: string } | { kind: 'print' } | { kind: 'configured' } {
  checkOktaSourceFlags(flags, { command: 'connect', inProcessSandbox: false });
  if (flags.sandboxUrl !== undefined) {
    sandboxUrlOrigin(flags.sandboxUrl);
    if (flags.domain !== undefined) {
      throw new OktaSourceError('--domain and --sandbox-url both name the org to consent to: pass only one of them.');
    }
  }
  const targets = [
    flags.secretFile !== undefined ? '--secret-file' : null,
    flags.print === true ? '--print' : null,
    flags.secret !== undefined ? '--secret' : null,
  ].filter((t) => t !== null);
  if (targets.length > 1) {
    throw new OktaSourceError(`connect stores the secret in one place: pass only one of ${targets.join(', ')}.`);
  }
  if (flags.secretFile !== undefined) return { kind: 'file', path: flags.secretFile };
  if (flags.print === true) return { kind: 'print' };
  return { kind: 'configured' };
}

/** Resolves the options to an origin, credentials and clock (starting an in-process sandbox for --sandbox). */
export async function resolveOktaSource(
  flags: OktaSourceFlags,
  context: ResolveOktaSourceContext,
): Promise<OktaConnection> {
  checkOktaSourceFlags(flags, context);
  const fileSecret = flags.secretFile === undefined ? undefined : readSecretFile(flags.secretFile);
  if (flags.sandbox === true || context.sandboxInstance !== undefined) {
    return inProcessSandbox(flags, context, fileSecret);
  }
  if (flags.sandboxUrl !== undefined) return sandboxAtUrl(flags.sandboxUrl, context, fileSecret);
  return configuredOrg(context, fileSecret);
}

interface FileSecret {
  readonly path: string;
  readonly store: FileSecretStore;
  readonly secret: OktaSecret;
}

function readSecretFile(path: string): FileSecret {
  const store = new FileSecretStore(path);
  let text: string;
  try {
    text = store.readSync();
  } catch (error) {
    throw new OktaSourceError(
      `--secret-file ${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'}). Give the path of ` +
        'a credentials secret JSON file.',
    );
  }
  // parseOktaSecret names the missing or invalid key, never a value.
  return { path, store, secret: parseOktaSecret(text) };
}

function credentialsFor(
  file: FileSecret,
  origin: string,
  context: ResolveOktaSourceContext,
  events: RelayObserver,
): CredentialProvider {
  return credentialsFromSecret(file.secret, {
    origin,
    store: file.store,
    observer: events,
    ...(context.fetch ? { fetch: context.fetch } : {}),
    ...(context.requiredScopes ? { requiredScopes: context.requiredScopes } : {}),
  });
}

async function inProcessSandbox(
  flags: OktaSourceFlags,
  context: ResolveOktaSourceContext,
  file: FileSecret | undefined,
): Promise<OktaConnection> {
  const given = context.sandboxInstance;
  if (given === undefined && file?.secret.type === 'oauth2') {
    throw new OktaSourceError(
      `--secret-file ${file.path} holds an OAuth refresh token, which only the authorization server that issued it ` +
        'accepts; a sandbox started by --sandbox has issued none. Start a sandbox with `npm run sandbox`, consent ' +
        'with `okta-flow connect --sandbox-url <its URL> --client-id <web app> --client-secret-file <f> --secret-file ' +
        `${file.path}`,
    );
  }
  const sandbox =
    given ??
    (await startSandbox({
      users: flags.sandboxUsers ?? DEFAULT_SANDBOX_USERS,
      // Its clock runs at wall time: an org generated up to today has its System Log within the 90-day retention.
      epochMs: epochForClock(Date.now()),
      ...context.sandboxOptions,
      ...(file ? sandboxAccepting(file.secret) : {}),
    }));
  const owned = given === undefined;
  const events = new RelayObserver();
  try {
    const credentials =
      file === undefined
        ? new ApiTokenCredentials(sandbox.apiToken)
        : credentialsFor(file, sandbox.baseUrl, context, events);
    return {
      kind: 'sandbox',
      origin: sandbox.baseUrl,
      domain: sandbox.baseUrl,
      allowLoopback: true,
      credentials,
      store: file?.store,
      description: `sandbox org on ${sandbox.baseUrl} (${sandbox.org.counts.users} users), ${credentials.describe()}`,
      clock: () => sandbox.clock.now(),
      sandbox,
      events,
      close: async () => {
        if (owned) await sandbox.close();
      },
    };
  } catch (error) {
    if (owned) await sandbox.close();
    throw error;
  }
}

/** Sandbox options under which a freshly started sandbox accepts the credentials of a secret file. */
function sandboxAccepting(secret: OktaSecret): Partial<SandboxOptions> {
  switch (secret.type) {
    case 'apiToken':
      return { apiToken: secret.apiToken };
    case 'privateKeyJwt': {
      // Register the service app with the public half of the file's key, as an Okta admin would.
      const key =
        typeof secret.privateKey === 'string'
          ? createPrivateKey({ key: secret.privateKey, format: 'pem' })
          : createPrivateKey({ key: secret.privateKey as JsonWebKey, format: 'jwk' });
      const publicJwk = createPublicKey(key).export({ format: 'jwk' }) as JWK;
      const kid = secret.keyId ?? (typeof secret.privateKey === 'object' ? secret.privateKey.kid : undefined);
      return {
        oauth: {
          clients: { service: { clientId: secret.clientId, jwks: [{ ...publicJwk, ...(kid ? { kid } : {}) }] } },
        },
      };
    }
    case 'oauth2':
      return {};
  }
}

/** The origin of a `--sandbox-url`: loopback http(s) only (a real org is configured with okta.domain). */
export function sandboxUrlOrigin(url: string): string {
  let origin: string;
  try {
    origin = validateOktaDomain(url, { allowLoopback: true });
  } catch (error) {
    throw new OktaSourceError(`--sandbox-url ${url}: ${(error as Error).message}`);
  }
  if (!/^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(origin)) {
    throw new OktaSourceError(
      `--sandbox-url ${url}: a sandbox runs on this machine (http://127.0.0.1:<port>, as \`npm run sandbox\` ` +
        'prints). For an Okta org, set okta.domain in the config and leave --sandbox-url out.',
    );
  }
  return origin;
}

async function sandboxAtUrl(
  url: string,
  context: ResolveOktaSourceContext,
  file: FileSecret | undefined,
): Promise<OktaConnection> {
  const origin = sandboxUrlOrigin(url);
  if (file === undefined) {
    throw new OktaSourceError(
      `--sandbox-url needs --secret-file: a file holding {"apiToken": "…"} with the token \`npm run sandbox\` ` +
        'printed, or an OAuth secret from `okta-flow connect --sandbox-url <url> … --secret-file <file>`.',
    );
  }
  const offset = await sandboxClockOffset(origin, context.fetch);
  const events = new RelayObserver();
  const credentials = credentialsFor(file, origin, context, events);
  return {
    kind: 'sandbox-url',
    origin,
    domain: origin,
    allowLoopback: true,
    credentials,
    store: file.store,
    description: `sandbox org on ${origin}, ${credentials.describe()}`,
    clock: () => Date.now() + offset,
    sandbox: undefined,
    events,
    close: async () => undefined,
  };
}

/**
 * How far the sandbox's clock is from ours (it may have been started with --clock-start or moved): records are
 * stamped on its clock, so run windows must be read on it. Also proves something answers at the URL.
 */
async function sandboxClockOffset(origin: string, fetchImpl: typeof fetch | undefined): Promise<number> {
  const f = fetchImpl ?? globalThis.fetch.bind(globalThis);
  const before = Date.now();
  let body: unknown;
  try {
    const response = await f(`${origin}/__sandbox/clock`, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    body = await response.json();
  } catch (error) {
    throw new OktaSourceError(
      `--sandbox-url ${origin}: no sandbox answers there (${(error as Error).message}). Start one with ` +
        '`npm run sandbox` and pass the URL it prints.',
    );
  }
  const nowMs = (body as { nowMs?: unknown } | null)?.nowMs;
  if (typeof nowMs !== 'number') {
    throw new OktaSourceError(
      `--sandbox-url ${origin}: that server is not an okta-flow sandbox (no /__sandbox/clock).`,
    );
  }
  const after = Date.now();
  return Math.round(nowMs - (before + after) / 2);
}

function configuredOrg(context: ResolveOktaSourceContext, file: FileSecret | undefined): OktaConnection {
  const config = context.config;
  if (config === undefined) {
    throw new OktaSourceError(
      `${context.command} needs a config (okta.domain) or --sandbox-url to know which org to use.`,
    );
  }
  const origin = validateOktaDomain(config.okta.domain, {
    ...(config.okta.customDomains ? { customDomains: config.okta.customDomains } : {}),
  });
  let store: SecretStore;
  let where: string;
  if (file !== undefined) {
    store = file.store;
    where = file.path;
  } else {
    const secret = config.okta.credentialsSecret;
    const secretId = typeof secret === 'string' ? secret : secret.name;
    if (secretId === undefined) {
      throw new OktaSourceError(
        'No Okta credentials: pass --secret-file <file> (from `okta-flow connect --print`, or ' +
          '{"type":"apiToken","apiToken":"…"}) or name the secret in okta.credentialsSecret. ' +
          'Or try the bundled org with --sandbox.',
      );
    }
    store = new SecretsManagerSecretStore((context.secretsManager ?? (() => new SecretsManagerClient({})))(), secretId);
    where = secretId;
  }
  const events = new RelayObserver();
  const credentials =
    file !== undefined
      ? credentialsFor(file, origin, context, events)
      : lazyCredentials(store, origin, context, events);
  return {
    kind: 'org',
    origin,
    domain: config.okta.domain,
    allowLoopback: false,
    ...(config.okta.customDomains ? { customDomains: config.okta.customDomains } : {}),
    credentials,
    store,
    description: `Okta org ${origin}, credentials from ${where}`,
    clock: Date.now,
    sandbox: undefined,
    events,
    close: async () => undefined,
  };
}

/**
 * Credentials read from Secrets Manager on first use: the read needs AWS credentials, which a command that fails
 * earlier (a bad flow name, a bad --out) should not ask for.
 */
function lazyCredentials(
  store: SecretStore,
  origin: string,
  context: ResolveOktaSourceContext,
  events: RelayObserver,
): CredentialProvider {
  let provider: Promise<CredentialProvider> | undefined;
  const options = {
    origin,
    store,
    observer: events,
    ...(context.fetch ? { fetch: context.fetch } : {}),
    ...(context.requiredScopes ? { requiredScopes: context.requiredScopes } : {}),
  };
  const get = () => {
    provider ??= (async () => credentialsFromSecret(await store.read(), options))();
    provider.catch(() => {
      provider = undefined;
    });
    return provider;
  };
  let known: CredentialProvider | undefined;
  return {
    authorize: async (signal) => {
      known = await get();
      return known.authorize(signal);
    },
    invalidate: () => known?.invalidate?.(),
    describe: () => known?.describe() ?? 'Okta credentials from the configured secret',
    secrets: () => known?.secrets?.() ?? [],
  };
}
