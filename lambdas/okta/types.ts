/** Shapes shared by everything that talks to Okta (client, extraction, AppFlow adapter, runner). */

/** One Okta resource as Okta returns it: nested JSON, unknown keys kept. */
export type OktaRecord = Record<string, unknown>;

/** One page of a Link-paginated listing. */
export interface OktaPage<T = OktaRecord> {
  readonly items: readonly T[];
  /** Absolute URL of the next page on the org's origin, or null on the last page. */
  readonly nextUrl: string | null;
  /** The URL that produced this page. */
  readonly url: string;
}

/** Things the client reports so the runner can turn them into metrics and logs. All optional. */
export interface OktaClientObserver {
  onRequest?(info: { method: string; path: string; status: number; durationMs: number; bucket: string }): void;
  /**
   * A request waits: `pacing` (even spacing under the share), `window` (the bucket is down to what the run must leave
   * to others until it resets), `429` (Okta said so), `concurrency` (Okta's in-flight limit).
   */
  onRateLimitWait?(info: { bucket: string; waitMs: number; reason: 'pacing' | 'window' | '429' | 'concurrency' }): void;
  onRetry?(info: { path: string; attempt: number; reason: string; delayMs: number }): void;
  onWarning?(info: { code: string; message: string }): void;
}

/** The client surface the extraction engine and the AppFlow adapter depend on. */
export interface OktaApi {
  /** The org's origin, e.g. https://acme.okta.com (or a loopback sandbox with allowLoopback). */
  readonly origin: string;
  /** GET a JSON document by path (`/api/v1/users/00u…`) or absolute same-origin URL. */
  getJson<T = unknown>(pathOrUrl: string, init?: { signal?: AbortSignal }): Promise<T>;
  /**
   * Follow Link rel="next" from a path or absolute same-origin URL, one page at a time, with loop guards.
   * `readAhead`: fetch the next page while the consumer works on this one (one page of read-ahead).
   * `allowEmptyPages`: System Log polling, an empty page is yielded with its next link (see paginate.ts).
   */
  paginate<T = OktaRecord>(
    pathOrUrl: string,
    init?: { signal?: AbortSignal; readAhead?: boolean; allowEmptyPages?: boolean },
  ): AsyncGenerator<OktaPage<T>>;
}

/** A time range [from, to) as ISO-8601 UTC strings with milliseconds; either end may be open. */
export interface TimeWindow {
  readonly from?: string;
  readonly to?: string;
}
