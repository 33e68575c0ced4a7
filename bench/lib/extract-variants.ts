/** What bench/extract.ts and its worker share: the variants and the worker's result line. */
export const VARIANTS = ['plain', 'sdk', 'sequential', 'sliced'] as const;
export type Variant = (typeof VARIANTS)[number];

/** The sandbox org's users are created in the four years before its epoch (2026-01-01): the span slices cut. */
export const CREATED_SPAN = { from: '2022-01-01T00:00:00.000Z', to: '2026-01-01T00:00:00.000Z' } as const;

export interface WorkerResult {
  readonly variant: Variant;
  readonly records: number;
  /** Pages read (successful list requests). */
  readonly pages: number;
  /** From the first request to the last page (or the cap). */
  readonly ms: number;
  /** True when the listing ended by itself, false when the time cap stopped it. */
  readonly complete: boolean;
  /** VmRSS after imports and set-up, before the first request. */
  readonly startRssKiB: number;
  /** VmHWM at the end: the process's true peak RSS. */
  readonly hwmKiB: number;
  /** okta-flow variants: responses by status, and time spent waiting on the governor by reason. */
  readonly statuses: Record<string, number>;
  readonly waitsMs: Record<string, number>;
  /** okta-flow variants: per second since the first request, [responses other than 429, 429s]. */
  readonly perSecond: readonly (readonly [number, number])[];
  readonly note: string;
}

export interface VariantResult {
  readonly users: number;
  readonly variant: Variant;
  readonly records: number;
  readonly pages: number;
  readonly complete: boolean;
  readonly seconds: number;
  readonly recordsPerSecond: number;
  /** Okta-facing requests the sandbox served to this variant (retries included). */
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly http429: number;
  readonly startRssMiB: number;
  readonly peakRssMiB: number;
  readonly note: string;
  readonly error?: string;
  /** With --repeat: how many runs, and each one's records/s (this result is the best). */
  readonly attempts?: number;
  readonly allRecordsPerSecond?: number[];
}

export interface SizeRun {
  readonly users: number;
  /** Wall-clock ms the sandbox waited before answering each users page (0: none). Absent in older results. */
  readonly latencyMs?: number;
  readonly sandboxStartSeconds: number;
  readonly sandboxPeakRssMiB: number;
  readonly variants: VariantResult[];
}

export interface RateLimitedRun {
  readonly users: number;
  readonly bucketPerMinute: number;
  readonly share: number;
  readonly allowedPerMinute: number;
  readonly seconds: number;
  readonly records: number;
  readonly complete: boolean;
  /** Okta-facing requests the sandbox served, and its 429s (bucket exhausted, too many in flight). */
  readonly requests: number;
  readonly http429: number;
  /** Requests the client saw answered per full minute since its first request (first, second, …). */
  readonly perMinute: number[];
  /** Requests per minute over the whole run. */
  readonly averagePerMinute: number;
  /** 429s after the first minute (steady state). */
  readonly steady429: number;
  readonly waitsMs: Record<string, number>;
  readonly peakRssMiB: number;
  readonly note: string;
  readonly error?: string;
}

export interface ExtractSettings {
  readonly slices: number;
  readonly concurrency: number;
  readonly capSeconds: number;
  readonly seed: number;
  readonly pageLimit: number;
  /** Runs per variant; the best is reported (absent in older results: 1). */
  readonly repeat?: number;
}

/** What bench/results/extract-*.json holds (plus `benchmark`, `at`). */
export interface ExtractReport {
  readonly machine: { node: string; platform: string; cpus: number; cpuModel: string; memoryGiB: number };
  readonly settings: ExtractSettings;
  readonly runs: readonly SizeRun[];
  readonly rateLimited: RateLimitedRun | null;
}
