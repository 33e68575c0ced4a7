/**
 * Each extract task builds its own Okta client (in a Lambda there is no other way: parallel slices are separate
 * invocations), and each client paces to the share it is given. So a run's tasks split the flow's share and
 * in-flight cap between them: N slices together never take more of the org's rate limits than one client would.
 */
export function taskClientLimits(
  okta: { readonly rateLimitShare: number; readonly maxConcurrency: number },
  concurrentTasks: number,
): { rateLimitShare: number; maxConcurrency: number } {
  const tasks = Math.max(1, Math.floor(concurrentTasks));
  return {
    rateLimitShare: okta.rateLimitShare / tasks,
    maxConcurrency: Math.max(1, Math.floor(okta.maxConcurrency / tasks)),
  };
}
