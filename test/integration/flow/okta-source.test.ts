/**
 * The CLI's Okta source options (bin/commands/okta-source.ts): every combination that cannot apply is an error that
 * says why; each source reaches the org it names with the credentials of --secret-file, and those credentials are
 * really used (a request authenticates, or the org refuses them).
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkOktaSourceFlags,
  connectTarget,
  OktaSourceError,
  resolveOktaSource,
} from '../../../bin/commands/okta-source.js';
import { EXAMPLE_CONFIG, runCommand } from '../../../bin/commands/run.js';
import { parseConfig } from '../../../lambdas/flow/config/parse-config.js';
import { createOktaClient } from '../../../lambdas/okta/client.js';
import { OktaAuthError } from '../../../lambdas/okta/errors.js';
import { type Sandbox, startSandbox } from '../../../sandbox/index.js';
import { connect, oauthSecret } from '../okta/client/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'okta-flow-source-'));
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ users: 12, rateLimits: false, seed: 5 });
});
afterAll(async () => {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

const config = parseConfig({
  okta: { domain: 'acme.okta.com', credentialsSecret: 'okta-flow/test' },
  output: { bucket: { name: 'test-bucket' } },
  flows: [{ name: 'users', object: 'User', mode: 'full' }],
});

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

async function firstUsers(connection: Awaited<ReturnType<typeof resolveOktaSource>>): Promise<unknown[]> {
  const client = createOktaClient({
    domain: connection.domain,
    allowLoopback: connection.allowLoopback,
    credentials: connection.credentials,
  });
  return client.getJson<unknown[]>('/api/v1/users?limit=2');
}

describe('option combinations that cannot apply', () => {
  it.each([
    [{ sandbox: true, sandboxUrl: 'http://127.0.0.1:1' }, /--sandbox and --sandbox-url are two different orgs/],
    [{ sandboxUsers: 10 }, /--sandbox-users sizes the org that --sandbox starts/],
    [{ sandboxUsers: 10, sandboxUrl: 'http://127.0.0.1:1' }, /sized by `npm run sandbox -- --users <n>`/],
  ])('%o is refused', (flags, message) => {
    expect(() => checkOktaSourceFlags(flags, { command: 'run' })).toThrow(message);
  });

  it('--sandbox for connect is refused: the consent would outlive the org', () => {
    expect(() => connectTarget({ sandbox: true })).toThrow(/connect cannot use --sandbox/);
  });

  it('connect stores in one place and consents to one org', () => {
    expect(() => connectTarget({ secretFile: 'f', print: true })).toThrow(/only one of --secret-file, --print/);
    expect(() => connectTarget({ sandboxUrl: 'http://127.0.0.1:9', domain: 'acme.okta.com' })).toThrow(
      /--domain and --sandbox-url both name the org/,
    );
    expect(connectTarget({ secretFile: 'f' })).toEqual({ kind: 'file', path: 'f' });
    expect(connectTarget({})).toEqual({ kind: 'configured' });
  });

  it('--sandbox-url must be a sandbox on this machine, with a secret file', async () => {
    await expect(
      resolveOktaSource({ sandboxUrl: 'https://acme.okta.com' }, { command: 'run', config }),
    ).rejects.toThrow(/a sandbox runs on this machine/);
    await expect(resolveOktaSource({ sandboxUrl: sandbox.baseUrl }, { command: 'run', config })).rejects.toThrow(
      /--sandbox-url needs --secret-file/,
    );
  });

  it('--sandbox-url where no sandbox answers says so', async () => {
    const token = file('nobody.json', { apiToken: 'x'.repeat(20) });
    await expect(
      resolveOktaSource({ sandboxUrl: 'http://127.0.0.1:9', secretFile: token }, { command: 'run', config }),
    ).rejects.toThrow(/no sandbox answers there/);
  });

  it('an OAuth refresh token with a fresh --sandbox is refused before anything starts', async () => {
    const secret = file('oauth.json', oauthSecret(sandbox.oauth.clients.web, 'r'.repeat(43)));
    const error = await resolveOktaSource({ sandbox: true, secretFile: secret }, { command: 'run', config }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OktaSourceError);
    expect((error as Error).message).toMatch(/only the authorization server that issued it accepts/);
    expect((error as Error).message).not.toContain('r'.repeat(43));
  });

  it('a secret file that is not a secret names the key, never the value', async () => {
    const bad = file('bad.json', { type: 'apiToken', apiToken: '' });
    await expect(resolveOktaSource({ sandbox: true, secretFile: bad }, { command: 'run', config })).rejects.toThrow(
      /key "apiToken" is invalid/,
    );
  });
});

describe('each source uses the credentials it was given', () => {
  it('--sandbox-url with an API token file reads that sandbox, on its clock', async () => {
    sandbox.clock.set(Date.parse('2030-01-01T00:00:00.000Z'));
    const token = file('token.json', { apiToken: sandbox.apiToken });
    const connection = await resolveOktaSource(
      { sandboxUrl: sandbox.baseUrl, secretFile: token },
      { command: 'run', config },
    );
    expect(connection.kind).toBe('sandbox-url');
    expect(await firstUsers(connection)).toHaveLength(2);
    expect(Math.abs(connection.clock() - sandbox.clock.now())).toBeLessThan(5_000);
    expect(connection.description).not.toContain(sandbox.apiToken);
  });

  it('--sandbox-url with a wrong API token: the sandbox refuses it (it was not replaced by its own)', async () => {
    const token = file('wrong.json', { apiToken: 'w'.repeat(30) });
    const connection = await resolveOktaSource(
      { sandboxUrl: sandbox.baseUrl, secretFile: token },
      { command: 'run', config },
    );
    await expect(firstUsers(connection)).rejects.toBeInstanceOf(OktaAuthError);
  });

  it('--sandbox-url with an OAuth secret from connect uses OAuth and writes the rotated token back', async () => {
    const { app, tokens } = await connect(sandbox);
    const path = file('connected.json', oauthSecret(app, tokens.refreshToken ?? ''));
    const connection = await resolveOktaSource(
      { sandboxUrl: sandbox.baseUrl, secretFile: path },
      { command: 'run', config },
    );
    expect(connection.credentials.describe()).toMatch(/OAuth refresh token/);
    expect(await firstUsers(connection)).toHaveLength(2);
    const stored = JSON.parse(await (connection.store?.read() ?? Promise.resolve('{}'))) as { refreshToken: string };
    expect(stored.refreshToken).not.toBe(tokens.refreshToken);
  });

  it('--sandbox with an API token file starts a sandbox that accepts exactly that token', async () => {
    const token = 'a'.repeat(8) + 'B'.repeat(20);
    const connection = await resolveOktaSource(
      { sandbox: true, sandboxUsers: 5, secretFile: file('own-token.json', { apiToken: token }) },
      { command: 'run', config, sandboxOptions: { rateLimits: false } },
    );
    try {
      expect(connection.sandbox?.apiToken).toBe(token);
      expect(connection.sandbox?.org.counts.users).toBe(5);
      expect(await firstUsers(connection)).toHaveLength(2);
    } finally {
      await connection.close();
    }
  });

  it('--sandbox with a private-key-JWT service app: the sandbox registers its public key, OAuth is used', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const secret = {
      type: 'privateKeyJwt',
      clientId: '0oaserviceapp000001',
      keyId: 'k1',
      privateKey: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      scopes: ['okta.users.read'],
    };
    const connection = await resolveOktaSource(
      { sandbox: true, sandboxUsers: 5, secretFile: file('service.json', secret) },
      { command: 'run', config, sandboxOptions: { rateLimits: false } },
    );
    try {
      expect(connection.credentials.describe()).toMatch(/private_key_jwt/);
      expect(await firstUsers(connection)).toHaveLength(2);
    } finally {
      await connection.close();
    }
  });

  it('run with a sandbox and an OAuth --secret-file: the flow runs on OAuth (the rotated token lands in the file)', async () => {
    const { app, tokens } = await connect(sandbox);
    const path = file('run-oauth.json', oauthSecret(app, tokens.refreshToken ?? ''));
    const printed: string[] = [];
    const result = await runCommand({
      flows: ['users-hourly'],
      config: EXAMPLE_CONFIG,
      sandboxInstance: sandbox,
      secretFile: path,
      out: join(dir, 'run-oauth-out'),
      progress: false,
      print: (line) => printed.push(line),
    });
    expect(result.ok).toBe(true);
    expect(printed.join('\n')).toMatch(/Okta: sandbox org on .*OAuth refresh token for client/);
    const stored = JSON.parse(readFileSync(path, 'utf8')) as { refreshToken: string };
    expect(stored.refreshToken).not.toBe(tokens.refreshToken);
    expect(printed.join('\n')).not.toContain(stored.refreshToken);
  });

  it("--sandbox: the org is generated up to today, so a LogEvent flow reads its System Log (within Okta's 90 days)", async () => {
    const path = file('log-events.config.json', {
      okta: { domain: 'acme.okta.com', credentialsSecret: 'okta-flow/test' },
      output: { bucket: { name: 'test-bucket' } },
      flows: [
        {
          name: 'system-log',
          object: 'LogEvent',
          mode: 'incremental',
          firstExecutionFrom: new Date(Date.now() - 80 * 24 * 3_600_000).toISOString(),
        },
      ],
    });
    const result = await runCommand({
      flows: ['system-log'],
      config: path,
      sandbox: true,
      sandboxUsers: 40,
      sandboxOptions: { rateLimits: false },
      out: join(dir, 'log-events-out'),
      progress: false,
      print: () => {},
    });
    expect(result.ok).toBe(true);
    expect(result.rows[0]?.detail?.counts.records).toBeGreaterThan(0);
  });

  it('the configured org with a secret file: the configured domain, the file credentials', async () => {
    const connection = await resolveOktaSource(
      { secretFile: file('org.json', { apiToken: 'o'.repeat(30) }) },
      { command: 'run', config },
    );
    expect(connection.origin).toBe('https://acme.okta.com');
    expect(connection.credentials.describe()).toBe('Okta API token (SSWS)');
    expect(connection.credentials.secrets()).toEqual(['o'.repeat(30)]);
  });
});
