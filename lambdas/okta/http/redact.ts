/** Keeps credentials out of error messages, causes and observer events. */

const SENSITIVE_QUERY_KEYS = new Set([
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'client_secret',
  'client_assertion',
  'assertion',
  'code',
  'code_verifier',
  'password',
  'sessiontoken',
  'apikey',
  'api_key',
  'secret',
  'key',
]);

/** `pathname?query` of a URL, with values of credential-like query parameters replaced by `REDACTED`. */
export function redactUrlPath(url: URL | string): string {
  const u = typeof url === 'string' ? new URL(url) : url;
  if (!u.search) return u.pathname;
  const params = new URLSearchParams(u.search);
  const out = new URLSearchParams();
  for (const [k, v] of params) out.append(k, SENSITIVE_QUERY_KEYS.has(k.toLowerCase()) ? 'REDACTED' : v);
  return `${u.pathname}?${out.toString()}`;
}

/** Each secret as sent (raw) and as it would appear URL-encoded in an echoed query. */
export function secretForms(secrets: readonly string[]): string[] {
  const out = new Set<string>();
  for (const s of secrets) {
    if (!s) continue;
    out.add(s);
    out.add(encodeURIComponent(s));
  }
  // Longest first, so a secret that contains another is replaced whole.
  return [...out].sort((a, b) => b.length - a.length);
}

/** Replace every occurrence of each secret (length ≥ 4) in `text`. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('[REDACTED]');
  return out;
}

/**
 * A cause that is safe to attach to our errors: only the name, message (scrubbed) and string `code` of the original.
 * Library errors may carry whole responses or request bodies (e.g. an OAuth token response) in their own `cause`.
 */
export function safeCause(err: unknown, secrets: readonly string[] = []): Error {
  if (err instanceof Error) {
    const copy = new Error(scrubSecrets(err.message, secrets));
    copy.name = err.name;
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string') Object.assign(copy, { code });
    const nested = err.cause;
    // Keep the network-level reason (e.g. ECONNRESET from undici) one level deep, nothing else.
    if (nested instanceof Error) {
      const n = new Error(scrubSecrets(nested.message, secrets));
      n.name = nested.name;
      const nestedCode = (nested as { code?: unknown }).code;
      if (typeof nestedCode === 'string') Object.assign(n, { code: nestedCode });
      Object.defineProperty(copy, 'cause', { value: n, enumerable: false, configurable: true, writable: true });
    }
    copy.stack = `${copy.name}: ${copy.message}`;
    return copy;
  }
  return new Error(scrubSecrets(String(err), secrets));
}
