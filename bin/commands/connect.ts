/**
 * `okta-flow connect`: OAuth consent with authorization code + PKCE through a loopback redirect
 * (`http://127.0.0.1:<port>/callback`, registered as a Login redirect URI of the Okta web app). Prints (and with
 * --open, opens) the authorize URL, waits for the browser to come back, exchanges the code and returns the secret
 * JSON (`type: "oauth2"` with the refresh token) to store in Secrets Manager or print for local use.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  buildAuthorizationUrl,
  createPkce,
  exchangeAuthorizationCode,
} from '../../lambdas/okta/auth/authorization-code.js';
import { readScopes } from '../../lambdas/okta/catalog/index.js';
import { validateOktaDomain } from '../../lambdas/okta/domain.js';

export const DEFAULT_CONNECT_PORT = 8765;
/**
 * Every read scope a flow can need (the catalog's `readScopes()`: one per object, `okta.schemas.read` for custom user
 * attributes); `offline_access` for the refresh token. Okta drops scopes the app was not granted, and okta-flow then names the missing one on the first 403.
 */
export const DEFAULT_CONNECT_SCOPES: readonly string[] = [...readScopes(), 'offline_access'];

export interface ConnectOptions {
  /** `acme.okta.com`, or a loopback sandbox URL with allowLoopback. */
  readonly domain: string;
  readonly customDomains?: readonly string[];
  readonly allowLoopback?: boolean;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly tokenEndpointAuthMethod?: 'client_secret_basic' | 'client_secret_post';
  readonly scopes?: readonly string[];
  readonly port?: number;
  /** Shows the authorize URL to the person (print it, open a browser, or — in tests — follow it). */
  readonly presentUrl: (url: string) => void | Promise<void>;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

export class ConnectError extends Error {
  override readonly name = 'ConnectError';
}

export interface ConnectedSecret {
  readonly type: 'oauth2';
  readonly clientId: string;
  readonly clientSecret: string;
  readonly refreshToken: string;
  readonly tokenEndpointAuthMethod: 'client_secret_basic' | 'client_secret_post';
  readonly consentedAt: string;
  readonly scopes: readonly string[];
}

export async function connectOAuth(options: ConnectOptions): Promise<ConnectedSecret> {
  const origin = validateOktaDomain(options.domain, {
    ...(options.customDomains ? { customDomains: options.customDomains } : {}),
    ...(options.allowLoopback ? { allowLoopback: true } : {}),
  });
  const scopes = options.scopes ?? DEFAULT_CONNECT_SCOPES;
  const pkce = await createPkce();
  const { server, callback } = await listenForCallback(
    options.port ?? DEFAULT_CONNECT_PORT,
    options.timeoutMs ?? 300_000,
  );
  try {
    const port = (server.address() as AddressInfo).port;
    const redirectUri = `http://127.0.0.1:${port}/callback`;
    const url = buildAuthorizationUrl({
      origin,
      clientId: options.clientId,
      redirectUri,
      scopes,
      state: pkce.state,
      codeChallenge: pkce.codeChallenge,
    });
    await options.presentUrl(url);
    const callbackUrl = await callback;
    const tokens = await exchangeAuthorizationCode({
      origin,
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      tokenEndpointAuthMethod: options.tokenEndpointAuthMethod ?? 'client_secret_basic',
      redirectUri,
      callbackUrl,
      state: pkce.state,
      codeVerifier: pkce.codeVerifier,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    if (tokens.refreshToken === undefined) {
      throw new ConnectError(
        'Okta returned no refresh token: grant the app the "Refresh Token" grant type and request offline_access.',
      );
    }
    return {
      type: 'oauth2',
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      refreshToken: tokens.refreshToken,
      tokenEndpointAuthMethod: options.tokenEndpointAuthMethod ?? 'client_secret_basic',
      // Okta's refresh tokens expire 90 days after consent by the org's clock: take it from the token response.
      consentedAt: tokens.issuedAt ?? new Date().toISOString(),
      scopes: tokens.scope.length > 0 ? tokens.scope : scopes,
    };
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** A one-shot loopback server: resolves with the full callback URL of the first /callback request. */
async function listenForCallback(
  port: number,
  timeoutMs: number,
): Promise<{ server: Server; callback: Promise<string> }> {
  let settle: { resolve: (url: string) => void; reject: (error: Error) => void } | undefined;
  const callback = new Promise<string>((resolve, reject) => {
    settle = { resolve, reject };
  });
  callback.catch(() => undefined);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname !== '/callback') {
      res.writeHead(404).end();
      return;
    }
    const ok = url.searchParams.has('code');
    res
      .writeHead(ok ? 200 : 400, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' })
      .end(
        ok
          ? 'okta-flow is connected. You can close this tab.\n'
          : 'Okta did not authorize okta-flow; see the terminal.\n',
      );
    settle?.resolve(url.toString());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new ConnectError(
          error.code === 'EADDRINUSE'
            ? `Port ${port} on 127.0.0.1 is in use: pass --port <n> (and register http://127.0.0.1:<n>/callback with the app)`
            : `Cannot listen on 127.0.0.1:${port}: ${error.message}`,
        ),
      ),
    );
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const timer = setTimeout(
    () => settle?.reject(new ConnectError(`No answer from the browser within ${Math.round(timeoutMs / 1000)} s`)),
    timeoutMs,
  );
  timer.unref();
  return { server, callback: callback.finally(() => clearTimeout(timer)) };
}
