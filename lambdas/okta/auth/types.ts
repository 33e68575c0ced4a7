/** The seam between the HTTP executor and whatever holds the Okta credential. */

export interface AuthorizationHeader {
  /** The full `Authorization` header value (`SSWS …` or `Bearer …`). Never log it. */
  readonly header: string;
  readonly kind: 'ssws' | 'bearer';
}

export interface CredentialProvider {
  /** A header for the next request; OAuth providers refresh (single-flight) when the cached token is near expiry. */
  authorize(signal?: AbortSignal): Promise<AuthorizationHeader>;
  /** Forget a cached access token after Okta rejected it with 401, so the next `authorize()` mints a new one. */
  invalidate?(): void;
  /** What this credential is, for logs and errors, without any secret (e.g. `OAuth refresh token for client 0oa…`). */
  describe(): string;
  /**
   * Every secret value this provider holds or has minted so far (API token, access tokens, refresh tokens, client
   * secret): whatever comes back from Okta's side (error bodies, headers, causes) is scrubbed of them before it
   * reaches an error, a log line or an event. Okta echoes request headers in some error pages.
   */
  secrets(): readonly string[];
}

/** Where a rotating refresh token lives (Secrets Manager in AWS; memory or a file in tests and the CLI). */
export interface SecretStore {
  /** The current secret JSON string. */
  read(): Promise<string>;
  /** Replace the secret JSON string (a new version). */
  write(json: string): Promise<void>;
  /** Optional compare-and-swap support: the current value and an opaque version id. */
  readVersioned?(): Promise<{ value: string; version: string }>;
  /**
   * Optional compare-and-swap: write only if the current version is still `expectedVersion`. Resolves false (and
   * writes nothing visible) when another writer got there first. Rotation persistence uses it to avoid lost updates.
   */
  writeIfVersion?(json: string, expectedVersion: string): Promise<boolean>;
}
