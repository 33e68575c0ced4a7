import { describe, expect, it } from 'vitest';
import { taskClientLimits } from '../../../../lambdas/flow/runner/task-client-limits.js';

describe('taskClientLimits', () => {
  it('gives one task the whole share and in-flight cap', () => {
    expect(taskClientLimits({ rateLimitShare: 0.5, maxConcurrency: 8 }, 1)).toEqual({
      rateLimitShare: 0.5,
      maxConcurrency: 8,
    });
  });

  it('splits the share between concurrent tasks so together they take no more than one client', () => {
    const limits = taskClientLimits({ rateLimitShare: 0.5, maxConcurrency: 8 }, 4);
    expect(limits).toEqual({ rateLimitShare: 0.125, maxConcurrency: 2 });
    expect(limits.rateLimitShare * 4).toBeCloseTo(0.5);
  });

  it('never drops the in-flight cap below one request', () => {
    expect(taskClientLimits({ rateLimitShare: 0.5, maxConcurrency: 4 }, 8).maxConcurrency).toBe(1);
  });

  it('treats a nonsensical task count as one task', () => {
    expect(taskClientLimits({ rateLimitShare: 0.5, maxConcurrency: 4 }, 0)).toEqual({
      rateLimitShare: 0.5,
      maxConcurrency: 4,
    });
  });
});
