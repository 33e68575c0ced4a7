/**
 * How long one request may wait on Okta's rate limits, and where such a wait must end.
 *
 * Two limits, because two different things run out:
 * - the run's budget (`maxWaitMs`): the most one request may spend blocked by rate limits in total — 429 resets,
 *   and windows drained down to what the org's other integrations are owed. A reset further away than what is left
 *   of it fails at once with `OktaRateLimitError` (bucket, reset time, how to raise the budget) instead of sleeping.
 * - the invocation's sleep budget (`sleepUntil`): a Lambda must stop before its timeout. A wait that fits the run's
 *   budget but would end after it is not slept: `OktaRateLimitDeferral` asks the caller to checkpoint and come back
 *   at `resumeAt` (Step Functions waits in a Wait state, no Lambda billed; `runFlow` sleeps in-process).
 *
 * Even spacing between requests (pacing to the share) is not a rate-limit block and does not count: it is at most
 * one interval per request in the queue, the price of staying under the share.
 */
import { OktaRateLimitDeferral, OktaRateLimitError } from '../errors.js';
import type { Clock } from './clock.js';
import { sleepWithSignal } from './clock.js';

export interface WaitLimits {
  /** The run's budget: total time one request may be blocked by rate limits. */
  readonly maxWaitMs: number;
  /** Local ms by which any sleep must be over (the invocation's deadline); absent: no limit. */
  readonly sleepUntil?: number | undefined;
}

/** What a blocked request knows about why it waits, for the error it may become. */
export interface BlockedWait {
  readonly bucket: string;
  /** Local ms at which the bucket reopens (reset, plus jitter). */
  readonly until: number;
  /** Okta's reset (server epoch seconds) when known: the error quotes it as the org's time. */
  readonly resetAtServerSec?: number | undefined;
  readonly reason: '429' | 'window-drained';
  readonly status?: number | undefined;
  readonly requestId?: string | undefined;
  readonly attempts?: number | undefined;
}

/** The per-request account of real time spent blocked (measured on the clock, not the planned sleeps). */
export class RequestWaitBudget {
  #waitedMs = 0;

  constructor(
    private readonly limits: WaitLimits,
    private readonly clock: Clock,
    private readonly method: string,
    private readonly path: string,
  ) {}

  get waitedMs(): number {
    return this.#waitedMs;
  }

  /**
   * Throws when blocking until `wait.until` cannot be afforded; otherwise calls `onWait` (to report it) and sleeps
   * it, counting the real time.
   */
  async block(wait: BlockedWait, signal?: AbortSignal, onWait?: () => void): Promise<void> {
    const now = this.clock.now();
    const ms = Math.max(0, wait.until - now);
    if (ms === 0) return;
    if (this.#waitedMs + ms > this.limits.maxWaitMs) {
      throw new OktaRateLimitError({
        status: wait.status ?? 429,
        method: this.method,
        path: this.path,
        requestId: wait.requestId,
        bucket: wait.bucket,
        waitedMs: this.#waitedMs,
        attempts: wait.attempts ?? 0,
        resetAt: resetIso(wait, now),
        neededMs: ms,
        budgetMs: this.limits.maxWaitMs,
      });
    }
    if (this.limits.sleepUntil !== undefined && wait.until > this.limits.sleepUntil) {
      throw new OktaRateLimitDeferral({
        bucket: wait.bucket,
        resumeAt: wait.until,
        waitMs: ms,
        resetAt: resetIso(wait, now),
        method: this.method,
        path: this.path,
      });
    }
    onWait?.();
    await this.sleep(ms, signal);
  }

  /** Sleeps `ms` and counts the time really slept towards the budget. */
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    const started = this.clock.now();
    try {
      await sleepWithSignal(this.clock, ms, signal);
    } finally {
      this.#waitedMs += Math.max(0, this.clock.now() - started);
    }
  }
}

function resetIso(wait: BlockedWait, now: number): string {
  if (wait.resetAtServerSec !== undefined) return new Date(wait.resetAtServerSec * 1000).toISOString();
  return new Date(Math.max(now, wait.until)).toISOString();
}
