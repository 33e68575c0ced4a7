/** Counters for benchmarks and tests: what the sandbox served, and what it refused. */
export interface SandboxStats {
  /** Okta-facing requests (the reserved /__sandbox endpoints are not counted). */
  requests: number;
  /** Requests per route template (or path, for unmatched and OAuth paths). */
  byRoute: Record<string, number>;
  /** Responses per HTTP status. */
  byStatus: Record<string, number>;
  /** 429s because a rate-limit bucket was exhausted. */
  rateLimited: number;
  /** 429s because too many requests were in flight. */
  concurrencyRejected: number;
  /** Injected faults that fired. */
  faultsFired: number;
  /** Largest number of requests in flight at once. */
  maxInFlight: number;
}

export function emptyStats(): SandboxStats {
  return {
    requests: 0,
    byRoute: {},
    byStatus: {},
    rateLimited: 0,
    concurrencyRejected: 0,
    faultsFired: 0,
    maxInFlight: 0,
  };
}

export function increment(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}
