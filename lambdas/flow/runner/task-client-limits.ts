/**
 * Each extract task builds its own Okta client (in a Lambda there is no other way: parallel slices are separate
 * invocations), and each client paces to the share it is given. So a run's tasks split the flow's share and
 * in-flight cap between them: N slices together never take more of the org's rate limits than one client would.
 * Pacing alone cannot make that a ceiling (a task's fresh client does not know what earlier tasks used in the
 * current window), so every client also gets the run's whole share as its ceiling and the number of clients that
 * split it: the governor then keeps what Okta says is left of the bucket above what the run must leave to others.
 *
 * `sleepBudgetMs`: how long the step may sleep on a rate limit (until its deadline); the run's wait budget is
 * `okta.maxRateLimitWaitSeconds`.
 */
export function taskClientLimits(
  okta: { readonly rateLimitShare: number; readonly maxConcurrency: number; readonly maxRateLimitWaitSeconds?: number },
  concurrentTasks: number,
  sleepBudgetMs?: number,
): {
  rateLimitShare: number;
  maxConcurrency: number;
  rateLimitCeilingShare: number;
  clientsSharing: number;
  maxRateLimitWaitMs?: number;
  sleepUntil?: number;
} {
  const tasks = Math.max(1, Math.floor(concurrentTasks));
  return {
    rateLimitShare: okta.rateLimitShare / tasks,
    maxConcurrency: Math.max(1, Math.floor(okta.maxConcurrency / tasks)),
    rateLimitCeilingShare: okta.rateLimitShare,
    clientsSharing: tasks,
    ...(okta.maxRateLimitWaitSeconds !== undefined ? { maxRateLimitWaitMs: okta.maxRateLimitWaitSeconds * 1000 } : {}),
    // The client runs on the system clock: the budget is relative, so a runner on another clock (a sandbox's) fits.
    ...(sleepBudgetMs !== undefined && Number.isFinite(sleepBudgetMs)
      ? { sleepUntil: Date.now() + Math.max(0, sleepBudgetMs) }
      : {}),
  };
}
