/** Which origins okta-flow will send Okta credentials to. */
import { InvalidOktaDomainError } from './errors.js';

/** Okta's own domain suffixes (commercial, preview, EMEA, US government, DoD). */
export const OKTA_DOMAIN_SUFFIXES = ['.okta.com', '.oktapreview.com', '.okta-emea.com', '.okta-gov.com', '.okta.mil'];

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface OktaDomainOptions {
  /** Extra hosts (e.g. `login.acme.com`, the org's custom domain) accepted besides Okta's own suffixes. */
  readonly customDomains?: readonly string[];
  /** Accept `http://127.0.0.1:*` / `http://localhost:*` (the local sandbox). Off by default. */
  readonly allowLoopback?: boolean;
}

const ALLOWED_TEXT =
  `an https Okta org domain ending in ${OKTA_DOMAIN_SUFFIXES.join(', ')}, or a custom domain listed in ` +
  '`customDomains` (loopback http://127.0.0.1 or http://localhost only with `allowLoopback: true`, for the sandbox)';

function normaliseHost(h: string): string {
  return h.trim().toLowerCase().replace(/\.$/, '');
}

/**
 * Validate an Okta domain (`acme.okta.com`, `https://acme.okta.com`, `https://acme.okta.com/`) and return its origin
 * (`https://acme.okta.com`). Paths, queries, credentials in the URL and non-default schemes are rejected.
 */
export function validateOktaDomain(input: string, options: OktaDomainOptions = {}): string {
  const raw = input.trim();
  if (!raw) throw new InvalidOktaDomainError(`The Okta domain is empty. Expected ${ALLOWED_TEXT}.`);
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch (err) {
    throw new InvalidOktaDomainError(`"${raw}" is not a valid domain or URL. Expected ${ALLOWED_TEXT}.`, err);
  }
  if (url.username || url.password) {
    throw new InvalidOktaDomainError('The Okta domain must not contain a user name or password.');
  }
  if ((url.pathname && url.pathname !== '/') || url.search || url.hash) {
    throw new InvalidOktaDomainError(
      `The Okta domain "${url.host}" must be given without a path, query or fragment (got "${url.pathname}${url.search}"). ` +
        'Use just the org, e.g. "acme.okta.com" (the org authorization server is used, not /oauth2/default).',
    );
  }
  const host = normaliseHost(url.hostname);
  if (LOOPBACK_HOSTS.has(host)) {
    if (!options.allowLoopback) {
      throw new InvalidOktaDomainError(
        `The loopback address "${url.host}" is only accepted with \`allowLoopback: true\` (local sandbox). Expected ${ALLOWED_TEXT}.`,
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new InvalidOktaDomainError(`Unsupported scheme "${url.protocol}" for a loopback Okta domain.`);
    }
    return url.origin;
  }
  if (url.protocol !== 'https:') {
    throw new InvalidOktaDomainError(`The Okta domain must use https (got "${url.protocol}//${url.host}").`);
  }
  if (url.port && url.port !== '443') {
    throw new InvalidOktaDomainError(`The Okta domain must use the default https port (got port ${url.port}).`);
  }
  const custom = (options.customDomains ?? []).map(normaliseHost);
  const okta = OKTA_DOMAIN_SUFFIXES.some((suffix) => host.endsWith(suffix) && host.length > suffix.length);
  if (!okta && !custom.includes(host)) {
    throw new InvalidOktaDomainError(`"${host}" is not an Okta domain. Expected ${ALLOWED_TEXT}.`);
  }
  return url.origin;
}

/** True when `url` (absolute) is on exactly `origin` (scheme, host and port). */
export function isSameOrigin(url: string | URL, origin: string): boolean {
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}
