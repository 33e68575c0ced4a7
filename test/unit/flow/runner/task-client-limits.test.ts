import { describe, expect, it } from 'vitest';
import { taskClientLimits } from '../../../../lambdas/flow/runner/task-client-limits.js';

describe('taskClientLimits', () => {
  it('gives one task the whole share and in-flight cap', () => {
    expect(taskClientLimits({ rateLimitShare: 0.5, maxConcurrency: 8 }, 1)).toEqual({
      rateLimitShare: 0.5,
      maxConcurrency: 8,
      rateLimitCeilingShare: 0.5,
      clientsSharing: 1,
    });
  });

  it('splits the share between concurrent tasks so together they take no more than one client', () => {
    const limits = taskClientLimits({ rateLimitShare: 0.5, maxConcurrency: 8 }, 4);
    expect(limits).toEqual({ rateLimitShare: 0.125, maxConcurrency: 2, rateLimitCeilingShare: 0.5, clientsSharing: 4 });
    expect(limits.rateLimitShare * 4).toBeCloseTo(0.5);
  });

  it('never drops the in-flight cap below one request', () => {
    expect(taskClientLimits({ rateLimitShare: 0.5, maxConcurrency: 4 }, 8).maxConcurrency).toBe(1);
  });

  it('treats a nonsensical task count as one task', () => {
    expect(taskClientLimits({ rateLimitShare: 0.5, maxConcurrency: 4 }, 0)).toEqual({
      rateLimitShare: 0.5,
      maxConcurrency: 4,
      rateLimitCeilingShare: 0.5,
      clientsSharing: 1,
    });
  });

  it('passes the run wait budget and turns the step sleep budget into a deadline on the client clock', () => {
    const before = Date.now();
    const limits = taskClientLimits({ rateLimitShare: 0.5, maxConcurrency: 4, maxRateLimitWaitSeconds: 90 }, 1, 5_000);
    expect(limits.maxRateLimitWaitMs).toBe(90_000);
    expect(limits.sleepUntil).toBeGreaterThanOrEqual(before + 5_000);
    expect(limits.sleepUntil).toBeLessThanOrEqual(Date.now() + 5_000);
    expect(
      taskClientLimits({ rateLimitShare: 0.5, maxConcurrency: 4 }, 1, Number.POSITIVE_INFINITY),
    ).not.toHaveProperty('sleepUntil');
  });
});
