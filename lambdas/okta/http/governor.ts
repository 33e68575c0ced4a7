/**
 * Rate-limit governor: one pacing state per Okta rate bucket plus one org-wide in-flight cap.
 *
 * The share is a ceiling for the whole run, not per client. A run's tasks each build their own client (parallel
 * slices are separate Lambda invocations; sequential ones start fresh clients that know nothing of what the previous
 * task used in the current window), so no client can count the run's requests. Okta can: `X-Rate-Limit-Remaining`
 * is what every integration together left of the bucket in this window. Hence two rules:
 *
 * - Ceiling (the hard rule): a request starts only while the bucket keeps more than `limit − C` left, where
 *   `C = floor(ceilingShare × limit)` is the run's ceiling per window — whatever the run's tasks, their order, their
 *   restarts, and whatever the other integrations use (they are owed `limit − C`). Each client's view of
 *   `remaining` is Okta's last figure minus its own starts since, so it can miss what the run's other clients
 *   started meanwhile: the rule keeps `(clientsSharing − 1) × maxConcurrency × 2` more in hand for that.
 *   (The old reserve, `limit × (1 − share) / 2`, let one client use 75 % of a bucket at a 50 % share.)
 * - Pacing (the smooth rule): starts are spread evenly at `(C − clientsSharing) / clientsSharing` per window per
 *   client, so the run's clients together stay under the ceiling even counting each client's first request (a probe
 *   sent before the limit is known), and no window is a burst followed by a stall.
 *
 * Also: learns limit / remaining / reset from `X-Rate-Limit-*` (until a bucket's first answer, one probe at a time);
 * converts `Reset` (server epoch seconds) to local time with the skew measured from the server `Date` header; on a
 * 429 blocks the bucket until Reset; on the concurrency form (`Limit: 0`, `Remaining: 0`) halves the org in-flight
 * cap (additive increase again after successes). Blocked waits go through the request's `RequestWaitBudget`, so no
 * wait exceeds what the run or the invocation can afford.
 */
import type { OktaClientObserver } from '../types.js';
import type { Clock } from './clock.js';
import { sleepWithSignal } from './clock.js';
import { RequestWaitBudget } from './wait-budget.js';

export interface GovernorOptions {
  readonly clock: Clock;
  readonly random: () => number;
  /** Fraction of each bucket's limit this client paces to per window, (0, 1]. */
  readonly share: number;
  /** Fraction of each bucket the whole run (all its clients) may use per window, (0, 1] (default: `share`). */
  readonly ceilingShare?: number;
  /** How many clients of the run split `ceilingShare` at once (default 1). */
  readonly clientsSharing?: number;
  /** Org-wide cap on requests in flight from this client. */
  readonly maxConcurrency: number;
  /** Okta's rate-limit window (about a minute, not aligned to the clock minute). */
  readonly windowMs?: number;
  /** Upper bound of the random delay added after Reset so waiters do not stampede. */
  readonly resetJitterMs?: number;
  readonly observer?: OktaClientObserver | undefined;
}

/** What we know of one bucket. Times are local (already skew-corrected). */
interface BucketState {
  readonly key: string;
  limit: number | undefined;
  /** Estimate of what the bucket has left in the current window (Okta's figure minus what we started since). */
  remaining: number | undefined;
  resetAtServerSec: number | undefined;
  resetAtLocal: number | undefined;
  /** Set by a 429: nobody starts in this bucket before this local time. */
  blockedUntil: number;
  /** Next free pacing slot (local ms). */
  nextSlot: number;
  inflight: number;
  /** True once a response arrived without rate-limit headers: only the concurrency cap applies. */
  unmetered: boolean;
}

export interface Permit {
  /** Feed the response (or its absence) back; always call exactly once. */
  release(response?: { status: number; headers: Headers }): void;
}

export interface GovernorSnapshot {
  readonly concurrencyCap: number;
  readonly inflight: number;
  readonly skewMs: number;
  readonly buckets: Readonly<
    Record<string, { limit?: number | undefined; remaining?: number | undefined; resetAtLocal?: number | undefined }>
  >;
}

const SKEW_SAMPLES = 16;

export class RateGovernor {
  private readonly buckets = new Map<string, BucketState>();
  private readonly waiters: (() => void)[] = [];
  private readonly windowMs: number;
  private readonly resetJitterMs: number;
  private inflight = 0;
  private cap: number;
  private successesSinceCut = 0;
  private readonly skewSamples: number[] = [];
  private readonly ceilingShare: number;
  private readonly clients: number;

  constructor(private readonly options: GovernorOptions) {
    if (!(options.share > 0 && options.share <= 1)) throw new RangeError('rateLimitShare must be in (0, 1].');
    if (!(Number.isInteger(options.maxConcurrency) && options.maxConcurrency >= 1)) {
      throw new RangeError('maxConcurrency must be an integer ≥ 1.');
    }
    const ceiling = options.ceilingShare ?? options.share;
    if (!(ceiling > 0 && ceiling <= 1)) throw new RangeError('the ceiling share must be in (0, 1].');
    this.ceilingShare = ceiling;
    this.clients = Math.max(1, Math.floor(options.clientsSharing ?? 1));
    this.cap = options.maxConcurrency;
    this.windowMs = options.windowMs ?? 60_000;
    this.resetJitterMs = options.resetJitterMs ?? 250;
  }

  /** Server time minus local time, in ms (Date has 1 s resolution: the estimate errs towards waiting longer). */
  get skewMs(): number {
    return this.skewSamples.length ? Math.max(...this.skewSamples) : 0;
  }

  get concurrencyCap(): number {
    return this.cap;
  }

  snapshot(): GovernorSnapshot {
    const buckets: Record<
      string,
      { limit?: number | undefined; remaining?: number | undefined; resetAtLocal?: number | undefined }
    > = {};
    for (const [k, b] of this.buckets)
      buckets[k] = { limit: b.limit, remaining: b.remaining, resetAtLocal: b.resetAtLocal };
    return { concurrencyCap: this.cap, inflight: this.inflight, skewMs: this.skewMs, buckets };
  }

  private state(key: string): BucketState {
    let b = this.buckets.get(key);
    if (!b) {
      b = {
        key,
        limit: undefined,
        remaining: undefined,
        resetAtServerSec: undefined,
        resetAtLocal: undefined,
        blockedUntil: 0,
        nextSlot: 0,
        inflight: 0,
        unmetered: false,
      };
      this.buckets.set(key, b);
    }
    return b;
  }

  /** Local time at which the server's epoch-seconds `reset` happens. */
  private toLocal(resetSec: number): number {
    return resetSec * 1000 - this.skewMs;
  }

  private jitter(): number {
    return Math.floor(this.options.random() * this.resetJitterMs);
  }

  /** The run's ceiling per window: requests all its clients together may start. */
  private ceiling(b: BucketState): number {
    return b.limit === undefined ? 0 : Math.floor(b.limit * this.ceilingShare);
  }

  /** What the bucket must keep (by this client's estimate) for a request to start: see the header comment. */
  private floor(b: BucketState): number {
    if (b.limit === undefined) return 0;
    const unseen = (this.clients - 1) * this.options.maxConcurrency * 2;
    return Math.max(0, b.limit - this.ceiling(b) + unseen);
  }

  /** When the window is over, Okta refills the bucket: forget the old window's figures. */
  private rollWindow(b: BucketState, now: number): void {
    if (b.resetAtLocal !== undefined && now >= b.resetAtLocal) {
      b.remaining = b.limit;
      b.resetAtLocal = undefined;
    }
  }

  private interval(b: BucketState): number {
    if (b.unmetered || b.limit === undefined || b.limit <= 0) return 0;
    // This client's part of the run's ceiling, less one request per client for the probes sent before pacing.
    const perWindow = (this.ceiling(b) - this.clients) / this.clients;
    return this.windowMs / Math.max(1, perWindow);
  }

  private wake(): void {
    const waiting = this.waiters.splice(0);
    for (const w of waiting) w();
  }

  private waitForChange(signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => reject(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
    });
  }

  private async pause(bucket: string, ms: number, signal?: AbortSignal) {
    if (ms <= 0) return;
    this.options.observer?.onRateLimitWait?.({ bucket, waitMs: ms, reason: 'pacing' });
    await sleepWithSignal(this.options.clock, ms, signal);
  }

  /** A wait until the bucket reopens: through the request's budget (which may refuse it), reported to the observer. */
  private async block(
    b: BucketState,
    until: number,
    reason: '429' | 'window',
    budget: RequestWaitBudget,
    signal?: AbortSignal,
  ): Promise<void> {
    const now = this.options.clock.now();
    const wait = {
      bucket: b.key,
      until,
      resetAtServerSec: b.resetAtServerSec,
      reason: reason === '429' ? ('429' as const) : ('window-drained' as const),
    };
    // The budget throws before anything is reported when the wait cannot be afforded.
    await budget.block(wait, signal, () =>
      this.options.observer?.onRateLimitWait?.({ bucket: b.key, waitMs: Math.max(0, until - now), reason }),
    );
  }

  /**
   * Wait until a request in `bucket` may start, then count it as started. Blocked waits (429, a window drained to
   * the ceiling) are charged to `budget`: by default an unlimited one (tests, direct use).
   */
  async acquire(bucket: string, signal?: AbortSignal, budget?: RequestWaitBudget): Promise<Permit> {
    const b = this.state(bucket);
    const clock = this.options.clock;
    const account = budget ?? new RequestWaitBudget({ maxWaitMs: Number.POSITIVE_INFINITY }, clock, 'GET', bucket);
    for (;;) {
      signal?.throwIfAborted();
      let now = clock.now();
      this.rollWindow(b, now);
      // 1. The bucket is blocked by a 429, or what it has left reached what the run must leave to others.
      if (b.blockedUntil > now) {
        await this.block(b, b.blockedUntil + this.jitter(), '429', account, signal);
        continue;
      }
      if (
        !b.unmetered &&
        b.remaining !== undefined &&
        b.resetAtLocal !== undefined &&
        b.remaining <= this.floor(b) &&
        b.resetAtLocal > now
      ) {
        await this.block(b, b.resetAtLocal + this.jitter(), 'window', account, signal);
        continue;
      }
      // 2. Until Okta told us the bucket's limit, probe with one request at a time.
      if (b.limit === undefined && !b.unmetered && b.inflight > 0) {
        await this.waitForChange(signal);
        continue;
      }
      // 3. Even spacing: reserve the next slot, sleep until it, then re-check the blocks above.
      const interval = this.interval(b);
      if (interval > 0 && b.nextSlot > now) {
        const slot = b.nextSlot;
        b.nextSlot = slot + interval;
        await this.pause(bucket, slot - now, signal);
        now = clock.now();
        this.rollWindow(b, now);
        if (b.blockedUntil > now) continue;
      } else if (interval > 0) {
        b.nextSlot = now + interval;
      }
      // 4. Org-wide in-flight cap.
      while (this.inflight >= this.cap) await this.waitForChange(signal);
      if (b.limit === undefined && !b.unmetered && b.inflight > 0) continue;
      this.inflight++;
      b.inflight++;
      if (b.remaining !== undefined) b.remaining--;
      let released = false;
      return {
        release: (response) => {
          if (released) return;
          released = true;
          this.inflight--;
          b.inflight--;
          if (response) this.learn(b, response);
          this.wake();
        },
      };
    }
  }

  /** Update skew and bucket figures from a response's headers. */
  private learn(b: BucketState, response: { status: number; headers: Headers }): void {
    const now = this.options.clock.now();
    const date = Date.parse(response.headers.get('date') ?? '');
    if (Number.isFinite(date)) {
      this.skewSamples.push(date - now);
      if (this.skewSamples.length > SKEW_SAMPLES) this.skewSamples.shift();
    }
    const limit = intHeader(response.headers, 'x-rate-limit-limit');
    const remaining = intHeader(response.headers, 'x-rate-limit-remaining');
    const reset = intHeader(response.headers, 'x-rate-limit-reset');
    if (limit === undefined && remaining === undefined && reset === undefined) {
      if (b.limit === undefined && response.status < 500) b.unmetered = true;
      return;
    }
    if (isConcurrencyLimited(response)) return; // 0/0 describes the org's concurrency, not this bucket
    if (response.status !== 429 && response.status < 500) this.additiveIncrease();
    if (limit !== undefined && limit > 0) b.limit = limit;
    b.unmetered = false;
    if (remaining === undefined || reset === undefined) return;
    const others = Math.max(0, b.inflight);
    const estimate = remaining - others;
    if (b.resetAtServerSec === undefined || reset > b.resetAtServerSec) {
      b.resetAtServerSec = reset;
      b.remaining = estimate;
    } else if (reset === b.resetAtServerSec) {
      b.remaining = b.remaining === undefined ? estimate : Math.min(b.remaining, estimate);
    } else {
      return; // a straggler from an older window
    }
    b.resetAtLocal = this.toLocal(reset);
  }

  private additiveIncrease(): void {
    if (this.cap >= this.options.maxConcurrency) return;
    this.successesSinceCut++;
    if (this.successesSinceCut >= this.cap) {
      this.cap++;
      this.successesSinceCut = 0;
    }
  }

  /**
   * A 429 for `bucket`. Returns how long the caller should wait before retrying (the governor also blocks the
   * bucket for everyone until then) and which kind of 429 it was.
   */
  onTooManyRequests(
    bucket: string,
    headers: Headers,
    attempt: number,
  ): { waitMs: number; reason: '429' | 'concurrency'; resetAtServerSec?: number | undefined } {
    const now = this.options.clock.now();
    const b = this.state(bucket);
    const reset = intHeader(headers, 'x-rate-limit-reset');
    if (isConcurrencyLimited({ status: 429, headers })) {
      // Too many requests in flight org-wide: shrink our cap and back off briefly (exponential, jittered).
      this.cap = Math.max(1, Math.min(this.cap, Math.floor(Math.max(1, this.inflight + 1) / 2)));
      this.successesSinceCut = 0;
      const ceiling = Math.min(5_000, 250 * 2 ** attempt);
      return { waitMs: 100 + Math.floor(this.options.random() * ceiling), reason: 'concurrency' };
    }
    let until: number;
    if (reset !== undefined) {
      // Okta's reset is authoritative, however far: the caller's wait budget decides whether it can be waited for.
      until = this.toLocal(reset);
      // The 429's reset is the freshest word on this bucket, even when an earlier answer named a later one: after
      // it the window is new (keeping the later one would wait out a window Okta says is already over).
      b.resetAtServerSec = reset;
      b.resetAtLocal = until;
    } else {
      until = now + Math.min(this.windowMs, 1_000 * 2 ** attempt);
    }
    b.remaining = 0;
    b.blockedUntil = Math.max(b.blockedUntil, until);
    return { waitMs: Math.max(0, until - now) + this.jitter(), reason: '429', resetAtServerSec: reset };
  }
}

function intHeader(headers: Headers, name: string): number | undefined {
  const raw = headers.get(name);
  if (raw === null || raw.trim() === '') return undefined;
  const n = Number(raw.split(',')[0]?.trim());
  return Number.isFinite(n) ? Math.trunc(n) : undefined;
}

/** Okta's concurrency-limit 429: `X-Rate-Limit-Limit: 0` and `X-Rate-Limit-Remaining: 0`. */
export function isConcurrencyLimited(response: { status: number; headers: Headers }): boolean {
  return (
    response.status === 429 &&
    intHeader(response.headers, 'x-rate-limit-limit') === 0 &&
    intHeader(response.headers, 'x-rate-limit-remaining') === 0
  );
}
